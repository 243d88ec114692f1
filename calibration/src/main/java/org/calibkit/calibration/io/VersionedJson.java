package org.calibkit.calibration.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The start every versioned calibkit JSON document shares (calibration maps, fitted estimators):
 * an object whose first fields are {@code "format"} and {@code "version"}, so a loader can refuse
 * formats and versions it does not know before reading anything else.
 */
public final class VersionedJson {
    private VersionedJson() {
    }

    /** A new object of {@code mapper} holding {@code "format": format, "version": version}, in that order. */
    public static ObjectNode header(ObjectMapper mapper, String format, int version) {
        ObjectNode o = mapper.createObjectNode();
        o.put("format", format);
        o.put("version", version);
        return o;
    }
}
