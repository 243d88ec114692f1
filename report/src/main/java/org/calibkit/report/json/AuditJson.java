package org.calibkit.report.json;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

import org.calibkit.report.render.TextFiles;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.core.CalibkitException;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.render.Json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON twin of the HTML report: the same content as one versioned object, every number
 * that could not be computed as {@code null}, metric keys from the calibration module's one list
 * ({@link Metrics#ALL}), gallery entries without their image bytes. The schema, key by key, is
 * documented in {@code docs/report.md}. Jackson binds it ({@link AuditDocument}, snake_case keys
 * in record order); {@link #readResult} loads a written file back as an {@link AuditResult} that
 * writes the same JSON again, and {@link #read} gives the tree. Both refuse a {@code schema_version}
 * they do not know.
 */
public final class AuditJson {
    /** The largest audit JSON read back: far above any real report, small enough to parse in memory. */
    public static final long MAX_BYTES = 256L << 20;

    private AuditJson() {
    }

    /** The result as indented JSON text. */
    public static String toJson(AuditResult r) {
        return Json.writePretty(tree(r));
    }

    /** Writes the JSON to {@code file} atomically (a temporary file in the same directory, then a move). */
    public static void write(AuditResult r, Path file) {
        TextFiles.writeUtf8(Objects.requireNonNull(file, "file"), toJson(r) + "\n");
    }

    /** The result as a JSON tree. */
    public static ObjectNode tree(AuditResult r) {
        Objects.requireNonNull(r, "result");
        return JsonBinding.MAPPER.valueToTree(AuditDocument.of(r));
    }

    /**
     * The statistics section ({@code statistics} in docs/report.md); {@code calibkit metrics --json}
     * writes the same object.
     */
    public static ObjectNode statistics(AuditResult.Statistics s) {
        Objects.requireNonNull(s, "statistics");
        return JsonBinding.MAPPER.valueToTree(StatisticsJson.of(s));
    }

    /** A model's report info as the JSON twin writes it (also what a model worker sends back). */
    public static ObjectNode model(AuditResult.ModelInfo m) {
        Objects.requireNonNull(m, "model");
        return JsonBinding.MAPPER.valueToTree(AuditDocument.ModelJson.of(m));
    }

    /**
     * Reads an audit JSON file written by {@link #write}, as a tree.
     *
     * @throws IllegalArgumentException when the file is over {@link #MAX_BYTES}, not JSON (naming the line and
     *                                  column), not an object, has no {@code schema_version} or one this version does not read
     * @throws UncheckedIOException     when it cannot be read
     */
    public static JsonNode read(Path file) {
        Objects.requireNonNull(file, "file");
        String text;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(tooLarge(file.toString(), Files.size(file) + " bytes, more"));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UncheckedIOException("audit JSON " + file + " does not exist", e);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read audit JSON " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    /**
     * Loads an audit JSON file written by {@link #write} back as the result it was written from:
     * writing that result again gives the same JSON. What the JSON does not hold is not in the
     * result either: gallery images, the example images of the shift section, the model's typed
     * hyper-parameters; a bootstrap interval's estimate is its metric's value.
     *
     * @throws CalibkitException with one line naming the file and what is wrong where: not found,
     *                           over {@link #MAX_BYTES}, not JSON (line and column), a schema version
     *                           this calibkit does not read, or a key missing or of the wrong type
     *                           (e.g. {@code report.json: test.ece: missing})
     */
    public static AuditResult readResult(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new CalibkitException(tooLarge(file.toString(), Files.size(file) + " bytes, more"));
            }
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                return readResult(in, file.toString());
            }
        } catch (NoSuchFileException e) {
            throw new CalibkitException(file + ": no such file", e);
        } catch (IOException e) {
            throw new CalibkitException(file + ": cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * {@link #readResult(Path)} from a reader (not closed), with {@code name} naming it in messages;
     * more than {@link #MAX_BYTES} characters are refused without reading further.
     */
    public static AuditResult readResult(Reader in, String name) {
        Objects.requireNonNull(in, "in");
        Objects.requireNonNull(name, "name");
        String text;
        try {
            text = bounded(in, name);
        } catch (IOException e) {
            throw new CalibkitException(name + ": cannot be read: " + e.getMessage(), e);
        }
        JsonNode root;
        try {
            root = parse(text, name);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException(e.getMessage(), e);
        }
        fillOptional((ObjectNode) root);
        try {
            return JsonBinding.MAPPER.treeToValue(root, AuditDocument.class).toResult();
        } catch (JsonMappingException e) {
            throw new CalibkitException(name + ": " + JsonBinding.describe(e), e);
        } catch (JsonProcessingException e) {
            throw new CalibkitException(name + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new CalibkitException(name + ": " + e.getMessage(), e);
        }
    }

    private static String bounded(Reader in, String name) throws IOException {
        StringBuilder s = new StringBuilder();
        char[] buf = new char[1 << 16];
        for (int n; (n = in.read(buf)) >= 0; ) {
            s.append(buf, 0, n);
            if (s.length() > MAX_BYTES) {
                throw new CalibkitException(tooLarge(name, "more"));
            }
        }
        return s.toString();
    }

    /** {@code name: <amount> than the 256 MB an audit JSON is read up to}. */
    private static String tooLarge(String name, String amount) {
        return name + ": " + amount + " than the " + (MAX_BYTES >> 20) + " MB an audit JSON is read up to";
    }

    /** The keys written only when their section exists become explicit nulls, so that every other key is required. */
    private static void fillOptional(ObjectNode root) {
        for (String key : AuditDocument.OPTIONAL) {
            if (!root.has(key)) {
                root.putNull(key);
            }
        }
        JsonNode test = root.get("test");
        if (test instanceof ObjectNode t && !t.has("temperature")) {
            t.putNull("temperature");
        }
    }

    private static JsonNode parse(String text, String name) {
        JsonNode root;
        try {
            root = JsonBinding.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new IllegalArgumentException(name + " is not valid JSON" + where + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(name + " is not a calibkit audit: expected a JSON object, but got "
                    + (root == null || root.isMissingNode() ? "nothing" : root.getNodeType().toString().toLowerCase()));
        }
        JsonNode version = root.get("schema_version");
        if (version == null || version.isNull()) {
            throw new IllegalArgumentException(name + " is not a calibkit audit: it has no schema_version");
        }
        if (!version.isIntegralNumber() || version.asLong() != AuditResult.SCHEMA_VERSION) {
            throw new IllegalArgumentException(name + " has audit schema_version " + version + ", which this calibkit "
                    + "does not read (it reads version " + AuditResult.SCHEMA_VERSION + "); use the calibkit that "
                    + "wrote it, or audit the model again");
        }
        return root;
    }
}
