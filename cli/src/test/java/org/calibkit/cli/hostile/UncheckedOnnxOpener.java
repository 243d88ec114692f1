package org.calibkit.cli.hostile;

import java.nio.file.Path;

import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.OnnxLogitSource;
import org.calibkit.core.worker.WorkerOpener;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A worker opener that hands an ONNX file straight to ONNX Runtime, without calibkit's
 * preflight checks: lets a test prove that the worker alone survives a model that crashes
 * the engine.
 */
public final class UncheckedOnnxOpener implements WorkerOpener {
    public UncheckedOnnxOpener() {
    }

    @Override
    public Opened open(JsonNode request) {
        OnnxLogitSource s = OnnxLogitSource.open(Path.of(request.get("path").asText()),
                ModelOptions.defaults().withImageShape(1, 28, 28));
        ObjectNode d = JsonNodeFactory.instance.objectNode();
        d.put("classes", s.classNames().size());
        return new Opened(s, d, s);
    }
}
