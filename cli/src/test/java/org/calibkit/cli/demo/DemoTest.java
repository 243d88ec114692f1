package org.calibkit.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.core.train.LogisticTrainer;
import org.calibkit.report.json.AuditJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The demo's reuse path on real MNIST: a model already in the cache under the demo's key is
 * audited, not retrained (the full-size training run is what {@code ./calibkit demo} and the
 * benchmarks do). A small logistic model stands in for the CNN so the test stays short.
 */
class DemoTest {
    @TempDir
    Path dir;

    @Test
    void aCachedModelIsReusedAndTheReportIsWritten() {
        Path cache = dir.resolve("models");
        Demo demo = new Demo("mnist", null, dir.resolve("report"), 4, false, cache);
        ImageSet train = DataCatalog.load("mnist", "train", null);
        Path cached = cache.resolve("demo-mnist-cnn-" + demo.key(train.origin().sha256()) + ".ckb");
        try (ModelBundle small = new LogisticTrainer(1, 1, 0.05, 1).train(train.limit(2000), null, s -> { })) {
            small.save(cached);
        }
        List<String> lines = new ArrayList<>();
        Demo.Outcome o = demo.run(lines::add);
        assertTrue(o.reused(), lines.toString());
        assertEquals(cached, o.model());
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("demo: reusing the CNN trained before")), lines.toString());
        assertTrue(Files.isRegularFile(dir.resolve("report/index.html")));
        JsonNode j = AuditJson.read(dir.resolve("report/report.json"));
        assertEquals(10000, j.path("test").path("n").asInt(), j.path("test").toString());
        assertEquals("temperature", j.path("test").path("method").asText());
    }

    @Test
    void theCacheKeyChangesWithTheDataAndTheSettings() {
        Demo a = new Demo("mnist", null, dir, 4, false, dir);
        assertEquals(a.key("abc"), new Demo("mnist", null, dir.resolve("x"), 4, true, dir).key("abc"));
        assertNotEquals(a.key("abc"), a.key("abd"));
        assertNotEquals(a.key("abc"), new Demo("mnist", null, dir, 3, false, dir).key("abc"));
        assertNotEquals(a.key("abc"), new Demo("fashion-mnist", null, dir, 4, false, dir).key("abc"));
    }
}
