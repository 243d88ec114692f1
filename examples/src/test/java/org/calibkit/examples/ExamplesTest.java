package org.calibkit.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.calibkit.report.audit.AuditResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every example of {@link Examples#all()} on small data (3,000 MNIST training images, 2,000
 * test images, 200 images per probe, 50 bootstrap resamples: softmax and one-vs-rest logistic
 * regressions only, no CNN), headless, as XChart's {@code DemoChartsTest} runs every demo chart.
 * Each must finish, print, and return what holds whatever the trained weights are; numbers are
 * pinned only where an independent tool computed them (the Python logits).
 */
class ExamplesTest {
    @TempDir
    static Path out;

    /** The checks of each example's result, by name; an example without checks fails the test. */
    private static final Map<String, Consumer<Object>> CHECKS = Map.of(
            "calibrate-mnist", r -> calibrateMnist((CalibrateMnist.Result) r),
            "python-logits", r -> pythonLogits((CalibratePythonLogits.Result) r),
            "audit-model", r -> auditModel((AuditModel.Result) r),
            "audit-onnx", r -> auditOnnx((AuditModel.Result) r),
            "compare-heads", r -> compareHeads((CompareHeads.Result) r),
            "svhn", r -> svhn((SvhnExample.Result) r),
            "shift-sweeps", r -> shiftSweeps((ShiftSweeps.Result) r));

    @TestFactory
    Stream<DynamicTest> everyExampleRunsOnSmallData() {
        return Examples.all().stream().map(e -> DynamicTest.dynamicTest(e.name(), () -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            long t0 = System.nanoTime();
            Object result = e.run(Example.Setup.small(out.resolve(e.name()), new PrintStream(bytes, true, StandardCharsets.UTF_8)));
            String text = bytes.toString(StandardCharsets.UTF_8);
            System.out.printf("== %s (%.1f s)%n%s%n", e.name(), (System.nanoTime() - t0) / 1e9, text);
            assertNotNull(result, e.name());
            assertFalse(text.isBlank(), e.name() + " printed nothing");
            assertTrue(CHECKS.containsKey(e.name()), "no checks for " + e.name());
            CHECKS.get(e.name()).accept(result);
        }));
    }

    @Test
    void namesAreUniqueAndEachExampleHasAMain() throws NoSuchMethodException {
        Set<String> names = new HashSet<>();
        for (Example<?> e : Examples.all()) {
            assertTrue(names.add(e.name()), "duplicate name " + e.name());
            assertFalse(e.description().isBlank(), e.name());
            e.getClass().getMethod("main", String[].class);
        }
        assertEquals(CHECKS.keySet(), names);
    }

    private static void calibrateMnist(CalibrateMnist.Result r) {
        // the published size of the MNIST test set
        assertEquals(10_000, r.before().n());
        // far above chance (0.1) for softmax regression on 3,000 images
        assertTrue(r.before().accuracy() > 0.8, "accuracy " + r.before().accuracy());
        // dividing logits by T > 0 never changes the argmax: accuracy is exactly the same
        assertEquals(r.before().accuracy(), r.after().accuracy(), 0.0);
        // the fit is an optimum of the validation NLL, and T = 1 was a candidate
        assertTrue(r.temperature().converged());
        assertTrue(r.temperature().nllAfter() <= r.temperature().nllBefore());
        assertTrue(r.temperature().temperature() > 0 && Double.isFinite(r.temperature().temperature()));
    }

    private static void pythonLogits(CalibratePythonLogits.Result r) {
        // Reference values printed by examples/python/make_logits.py (numpy 2.4.6, scipy 1.10.1):
        // scipy.optimize.minimize_scalar (bounded, xatol 1e-10) of the validation NLL over T, and
        // a numpy 15-bin ECE with (lo, hi] bins, both on the same float32 logits the example reads.
        assertEquals(2.555142, r.temperature().temperature(), 1e-5);
        assertEquals(1.921587, r.temperature().nllBefore(), 1e-6);
        assertEquals(1.355621, r.temperature().nllAfter(), 1e-6);
        assertEquals(0.279160, r.eceBefore().estimate(), 1e-6);
        assertEquals(0.032559, r.eceAfter().estimate(), 1e-6);
        assertEquals(0.5025, r.before().accuracy(), 1e-12);
        // the data was made 2.5 times too confident: the intervals before and after do not overlap
        assertTrue(r.eceAfter().upper() < r.eceBefore().lower(), r.eceBefore() + " vs " + r.eceAfter());
    }

    private static void auditModel(AuditModel.Result r) {
        String html = read(r.html());
        assertTrue(html.length() > 10_000 && html.contains("</html>"), "report " + r.html());
        assertTrue(read(r.json()).contains("\"schema_version\""), "json " + r.json());
        AuditResult a = r.audit();
        assertEquals(2_000, a.test().n());
        assertEquals("temperature", a.test().method());
        assertFalse(a.verdicts().isEmpty());
        // the probes that need no data files always run
        for (String name : List.of("blank-black", "noise-uniform", "unscaled")) {
            assertTrue(a.probes().stream().anyMatch(p -> p.name().equals(name) && !p.skipped()), name);
        }
    }

    private static void auditOnnx(AuditModel.Result r) {
        // the PyTorch CNN reaches 96.2% on all 10,000 test images (its training script's own count);
        // on the first 2,000 it must be far above chance, and every probe that needs no absent data ran
        assertEquals(2000, r.audit().test().n());
        assertTrue(r.audit().test().uncalibrated().accuracy() > 0.9, "accuracy " + r.audit().test().uncalibrated().accuracy());
        assertTrue(r.audit().probes().stream().filter(p -> p.name().equals("unscaled")).allMatch(p -> !p.skipped()));
        assertTrue(java.nio.file.Files.isRegularFile(r.html()) && java.nio.file.Files.isRegularFile(r.json()));
    }

    private static void compareHeads(CompareHeads.Result r) {
        assertEquals(List.of("softmax-regression", "one-vs-rest-sigmoid"), List.copyOf(r.audits().keySet()));
        AuditResult softmax = r.audits().get("softmax-regression");
        AuditResult ovr = r.audits().get("one-vs-rest-sigmoid");
        assertEquals("softmax", softmax.model().head());
        assertEquals("sigmoid", ovr.model().head());
        // the example's own one-vs-rest model learned MNIST from 3,000 images too
        assertTrue(ovr.test().uncalibrated().accuracy() > 0.75, "one-vs-rest accuracy " + ovr.test().uncalibrated().accuracy());
        // the same probes, in the same order, with the same number of images
        assertEquals(softmax.probes().stream().map(p -> p.name() + ":" + p.count()).toList(),
                ovr.probes().stream().map(p -> p.name() + ":" + p.count()).toList());
        // only the sigmoid head has "none of these" statistics
        assertTrue(ovr.probes().stream().filter(p -> !p.skipped()).allMatch(p -> p.sigmoid() != null));
    }

    private static void svhn(SvhnExample.Result r) {
        if (r.skipped()) {
            // no SVHN files here (it is never downloaded by the example): the reason says where to put them
            assertTrue(r.skipReason().contains("svhn") && r.skipReason().contains("train_32x32.mat"), r.skipReason());
            return;
        }
        assertEquals(r.before().accuracy(), r.after().accuracy(), 0.0);
        assertTrue(r.temperature().nllAfter() <= r.temperature().nllBefore());
    }

    private static void shiftSweeps(ShiftSweeps.Result r) {
        // 13 angles, 15 translations, 15 corruptions x 5 severities
        assertEquals(13 + 15 + 75, r.sweeps().points().size());
        assertEquals(r.sweeps().point("rotation/0").before(), r.sweeps().point("translation/0").before());
        for (var p : r.sweeps().points()) {
            assertTrue(p.before().accuracy() >= 0 && p.before().accuracy() <= 1, p.point());
            assertEquals(p.before().accuracy(), p.after().accuracy(), 0.0, p.point() + ": temperature keeps the argmax");
        }
        assertEquals(7, r.check().summaries().size());
        assertEquals(7 * 103, r.check().rows().size());
        assertTrue(r.check().sentence().startsWith("On 103 shifted sets, " + r.check().best().estimator()),
                r.check().sentence());
        assertTrue(Files.isRegularFile(out.resolve("shift-sweeps").resolve("mnist-c-grid.png")));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
