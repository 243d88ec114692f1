package org.calibkit.report.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.core.model.ModelBundle;
import org.calibkit.report.html.HtmlReport;
import org.calibkit.report.json.AuditJson;
import org.calibkit.report.probes.ProbeContext;
import org.calibkit.report.probes.ProbeOutcome;
import org.calibkit.report.probes.Probes;

/**
 * The whole audit of a saved calibkit model bundle as one call: load the model and its data
 * set's validation and test splits, generate the probes, run {@link Audit}, write the HTML
 * report and its JSON twin. What {@code calibkit audit} and {@code calibkit demo} call.
 *
 * @param model        the bundle file
 * @param data         a data set name ({@code mnist}, ...) or a directory with {@code test/} (and
 *                     optionally {@code validation/}) class folders
 * @param dataDir      the user's data directory for named data sets, or null
 * @param calibration  a calibrator name or {@code none}
 * @param probes       {@code all} or a comma-separated list of probe names
 * @param threshold    confidence counted as overconfident on probes
 * @param probeSize    images per probe
 * @param seed         seed of probes and bootstrap
 * @param resamples    bootstrap resamples
 * @param html         the HTML report to write
 * @param json         the JSON twin to write, or null
 * @param alpha        miscoverage level of the conformal prediction sets
 */
public record AuditJob(Path model, String data, Path dataDir, String calibration, String probes, double threshold,
                       int probeSize, long seed, int resamples, Path html, Path json, double alpha) {

    /** A job with the default conformal level {@link AuditStatistics#DEFAULT_ALPHA}. */
    public AuditJob(Path model, String data, Path dataDir, String calibration, String probes, double threshold,
                    int probeSize, long seed, int resamples, Path html, Path json) {
        this(model, data, dataDir, calibration, probes, threshold, probeSize, seed, resamples, html, json,
                AuditStatistics.DEFAULT_ALPHA);
    }

    public AuditJob {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(html, "html");
    }

    /** Runs the job, printing progress lines; returns the result after both files are written. */
    public AuditResult run(Consumer<String> progress) {
        // fail on bad options before loading anything
        var selected = Probes.select(probes);
        if (probeSize < 1) {
            throw new IllegalArgumentException("Expected the probe size to be at least 1, but got " + probeSize);
        }
        long t0 = System.nanoTime();
        try (ModelBundle bundle = ModelBundle.load(model)) {
            progress.accept("audit: model " + model + " (" + bundle + ")");
            ImageSet test;
            ImageSet validation;
            String datasetName;
            Path dir = Path.of(data);
            if (Files.isDirectory(dir) && Files.isDirectory(dir.resolve("test"))) {
                test = ImageFolders.readFolders(dir.resolve("test"), "test", ImageFolders.Options.defaults());
                validation = Files.isDirectory(dir.resolve("validation"))
                        ? ImageFolders.readFolders(dir.resolve("validation"), "validation", ImageFolders.Options.defaults())
                        : null;
                datasetName = dir.getFileName().toString();
            } else {
                test = DataCatalog.load(data, "test", dataDir);
                validation = DataCatalog.load(data, "validation", dataDir);
                datasetName = data;
            }
            progress.accept(String.format(Locale.ROOT, "audit: data %s, %d test and %d validation images", datasetName,
                    test.size(), validation == null ? 0 : validation.size()));
            if (validation == null && !"none".equals(calibration)) {
                progress.accept("audit: no validation split: nothing is calibrated (calibration is never fitted on test)");
            }
            double loading = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            ProbeContext ctx = new ProbeContext(test, datasetName, probeSize, seed, dataDir, bundle.preprocessing().scale());
            List<ProbeOutcome> outcomes = Probes.generate(selected, ctx, progress);
            double generating = (System.nanoTime() - t1) / 1e9;
            AuditResult r = Audit.of(bundle, test).validation(validation).calibration(calibration).probes(outcomes)
                    .threshold(threshold).probeSize(probeSize).seed(seed).resamples(resamples).alpha(alpha)
                    .modelInfo(describe(bundle, model)).dataName(datasetName).progress(progress)
                    .timing("load_model_and_data", loading).timing("generate_probes", generating).run();
            long t2 = System.nanoTime();
            HtmlReport.write(r, html);
            if (json != null) {
                AuditJson.write(r, json);
            }
            progress.accept(String.format(Locale.ROOT, "audit: wrote %s%s in %.2f s", html, json == null ? "" : " and " + json,
                    (System.nanoTime() - t2) / 1e9));
            return r;
        }
    }

    /** What the report shows about a calibkit bundle. */
    public static AuditResult.ModelInfo describe(ModelBundle b, Path file) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("training data", b.trainingData().dataset() + "/" + b.trainingData().split() + ", "
                + b.trainingData().examples() + " images");
        details.put("seed", Long.toString(b.seed()));
        details.put("hyper-parameters", b.hyperparameters().toString());
        b.metrics().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> details.put(e.getKey().replace('_', ' '), String.format(Locale.ROOT, "%.4f", e.getValue())));
        b.calibration().ifPresent(m -> details.put("stored calibration", m.describe()));
        return new AuditResult.ModelInfo(file.getFileName().toString(), file.toAbsolutePath().toString(), sha256(file),
                b.kind().id(), b.head().id(), "logits", b.classNames(), b.preprocessing().toString(), details);
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
