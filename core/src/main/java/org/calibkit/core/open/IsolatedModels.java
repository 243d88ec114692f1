package org.calibkit.core.open;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.OutputKind;
import org.calibkit.calibration.calibrators.CalibrationMap;
import org.calibkit.calibration.calibrators.CalibrationMaps;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.core.sources.Layout;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.core.worker.ModelWorker;
import org.calibkit.core.worker.WorkerLogitSource;
import org.calibkit.core.worker.WorkerOpener;
import org.calibkit.core.worker.WorkerOptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@link OpenedModel}s whose native code runs in a {@link ModelWorker}: the parent sends the
 * path, type and {@link ModelOptions} (as JSON), the child opens the model in process and
 * answers with what an {@code OpenedModel} says about it (class names, head, report info,
 * input scale, preprocessing, stored calibration). Also the child's {@link WorkerOpener}.
 * (A field added to {@code ModelOptions} must be added to {@link #options(ModelOptions)} too.)
 */
public final class IsolatedModels implements WorkerOpener {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** For the worker, which creates its opener by class. */
    public IsolatedModels() {
    }

    /** Opens {@code path} in a new worker. */
    static OpenedModel open(Path path, ModelType type, ModelOptions options, WorkerOptions limits) {
        String engine = type == ModelType.ONNX ? "ONNX Runtime" : "TensorFlow";
        ModelWorker worker = ModelWorker.start(limits, engine);
        try {
            ObjectNode req = JSON.createObjectNode();
            req.put("path", path.toAbsolutePath().toString());
            req.put("type", type.id());
            if (options != null) {
                req.set("options", options(options));
            }
            JsonNode d = worker.open(IsolatedModels.class, req, "loading " + path);
            List<String> classes = strings(d.get("class_names"));
            Head head = Head.parse(d.get("head").asText());
            Preprocessing prep = d.hasNonNull("preprocessing") ? Preprocessing.fromJson(d.get("preprocessing")) : null;
            CalibrationMap stored = d.hasNonNull("calibration") ? CalibrationMaps.fromJson(d.get("calibration").asText()) : null;
            WorkerLogitSource source = new WorkerLogitSource(worker, path.toString(), classes, head, prep);
            long[] shape = null;
            if (d.hasNonNull("input_shape")) {
                shape = new long[d.get("input_shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = d.get("input_shape").get(i).asLong();
                }
            }
            Layout layout = d.hasNonNull("layout") ? Layout.parse(d.get("layout").asText()) : null;
            return OpenedModel.isolated(path, type, source, info(d.get("info")), d.get("input_scale").asDouble(), stored,
                    shape, layout);
        } catch (RuntimeException e) {
            worker.close();
            throw e;
        }
    }

    /** In the child: opens the model in process and describes it. */
    @Override
    public Opened open(JsonNode request) {
        Path path = Path.of(request.get("path").asText());
        ModelType type = ModelType.parse(request.get("type").asText());
        ModelOptions o = request.hasNonNull("options") ? options(request.get("options")) : null;
        OpenedModel m = OpenedModel.open(path, type, o, WorkerOptions.defaults().withIsolation(WorkerOptions.Isolation.IN_PROCESS));
        ObjectNode d = JSON.createObjectNode();
        ArrayNode names = d.putArray("class_names");
        m.source().classNames().forEach(names::add);
        d.put("head", m.source().head().id());
        d.put("input_scale", m.inputScale());
        m.source().inputPreprocessing().ifPresent(p -> d.set("preprocessing", p.toJson(JSON)));
        m.storedCalibration().ifPresent(c -> d.put("calibration", c.toJson()));
        d.set("info", JSON.valueToTree(m.info()));
        m.inputShape().ifPresent(shape -> {
            ArrayNode a = d.putArray("input_shape");
            for (long x : shape) {
                a.add(x);
            }
        });
        m.layout().ifPresent(l -> d.put("layout", l.id()));
        return new Opened(m.source(), d, m);
    }

    static ObjectNode options(ModelOptions o) {
        ObjectNode n = JSON.createObjectNode();
        o.classNames().ifPresent(c -> {
            ArrayNode a = n.putArray("class_names");
            c.forEach(a::add);
        });
        ObjectNode px = n.putObject("pixels");
        px.put("scale", o.pixels().scale());
        ArrayNode mean = px.putArray("mean");
        for (double v : o.pixels().mean()) {
            mean.add(v);
        }
        ArrayNode std = px.putArray("std");
        for (double v : o.pixels().std()) {
            std.add(v);
        }
        px.put("invert", o.pixels().invert());
        o.layout().ifPresent(l -> n.put("layout", l.id()));
        o.output().ifPresent(s -> n.put("output", s));
        o.outputKind().ifPresent(k -> n.put("output_kind", k.id()));
        o.head().ifPresent(h -> n.put("head", h.id()));
        o.signature().ifPresent(s -> n.put("signature", s));
        n.put("batch_size", o.batchSize());
        n.put("threads", o.threads());
        o.imageShape().ifPresent(s -> n.putArray("image_shape").add(s[0]).add(s[1]).add(s[2]));
        o.channels().ifPresent(c -> n.put("channels", c));
        return n;
    }

    static ModelOptions options(JsonNode n) {
        ModelOptions o = ModelOptions.defaults();
        if (n.has("class_names")) {
            o = o.withClassNames(strings(n.get("class_names")));
        }
        JsonNode px = n.get("pixels");
        o = o.withPixels(new PixelTransform(px.get("scale").asDouble(), doubles(px.get("mean")), doubles(px.get("std")),
                px.get("invert").asBoolean()));
        if (n.has("layout")) {
            o = o.withLayout(Layout.parse(n.get("layout").asText()));
        }
        if (n.has("output")) {
            o = o.withOutput(n.get("output").asText());
        }
        if (n.has("output_kind")) {
            o = o.withOutputKind(OutputKind.parse(n.get("output_kind").asText()));
        }
        if (n.has("head")) {
            o = o.withHead(Head.parse(n.get("head").asText()));
        }
        if (n.has("signature")) {
            o = o.withSignature(n.get("signature").asText());
        }
        o = o.withBatchSize(n.get("batch_size").asInt()).withThreads(n.get("threads").asInt());
        if (n.has("image_shape")) {
            JsonNode s = n.get("image_shape");
            o = o.withImageShape(s.get(0).asInt(), s.get(1).asInt(), s.get(2).asInt());
        }
        if (n.has("channels")) {
            o = o.withChannels(n.get("channels").asInt());
        }
        return o;
    }

    private static ModelDescription info(JsonNode n) {
        try {
            return JSON.treeToValue(n, ModelDescription.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CalibkitException("the model worker sent a model description this calibkit cannot read: "
                    + e.getOriginalMessage(), e);
        }
    }

    private static List<String> strings(JsonNode a) {
        if (a == null || !a.isArray()) {
            throw new CalibkitException("the model worker sent no class names");
        }
        List<String> out = new ArrayList<>();
        a.forEach(x -> out.add(x.asText()));
        return out;
    }

    private static double[] doubles(JsonNode a) {
        double[] v = new double[a.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = a.get(i).asDouble();
        }
        return v;
    }
}
