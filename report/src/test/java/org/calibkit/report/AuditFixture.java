package org.calibkit.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import javax.imageio.ImageIO;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.calibkit.calibration.calibrators.TemperatureMap;
import org.calibkit.calibration.calibrators.TemperatureScaling;
import org.calibkit.calibration.metrics.Bootstrap;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.calibration.metrics.MetricSummary;
import org.calibkit.calibration.metrics.Metrics;
import org.calibkit.calibration.metrics.Predictions;
import org.calibkit.calibration.ood.OodMetrics;
import org.calibkit.calibration.ood.OodScores;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.AuditStatistics;
import org.calibkit.report.audit.AuditResult.Status;
import org.calibkit.report.audit.AuditResult.Verdict;
import org.calibkit.report.audit.Thresholds;

/**
 * A small {@link AuditResult} built the way the audit builds one, from synthetic logits: every
 * metric, interval, bin and detection score comes from the calibration module's functions
 * ({@link Predictions#of}, {@link Metrics#summary}, {@link Bootstrap#paired},
 * {@link ReliabilityBins#of}, {@link OodMetrics#evaluate}); nothing is typed in by hand.
 *
 * <p>The model: 4 classes, 400 test and 300 validation rows whose logits carry the true class
 * with a margin, scaled up so the model is overconfident (temperature scaling finds T &gt; 1).
 * Probes: {@code blank-black} (every image predicted as one class with confidence near 1),
 * {@code noise-uniform}, {@code rotated-30} (labelled, weaker signal) and a skipped
 * {@code notmnist}.
 */
public final class AuditFixture {
    /** Hostile strings a report must show as text. */
    public static final String SCRIPT = "<script>alert(1)</script>";
    public static final String IMG = "\"><img src=x onerror=alert(1)>";

    private static final int K = 4;
    private static final int BINS = 15;
    private static final int HIST_BINS = 20;
    private static final double THRESHOLD = 0.9;
    private static final long SEED = 20240611L;

    /**
     * What to build.
     *
     * @param hostile     class names, model name, a probe's skip reason and details carry {@link #SCRIPT} and {@link #IMG}
     * @param calibrated  fit temperature scaling on the validation rows (else method {@code none})
     * @param sigmoid     add one-vs-rest statistics as a sigmoid head would have them
     * @param extraProbes additional generated probes (for the size test), each with a full gallery
     */
    public record Options(boolean hostile, boolean calibrated, boolean sigmoid, int extraProbes) {
    }

    private AuditFixture() {
    }

    /** The ordinary fixture: calibrated, softmax, readable names. */
    public static AuditResult small() {
        return build(new Options(false, true, false, 0));
    }

    /** The fixture with hostile names everywhere user text appears. */
    public static AuditResult hostile() {
        return build(new Options(true, true, true, 0));
    }

    /** Builds a result. */
    public static AuditResult build(Options o) {
        Random rng = new Random(SEED);
        List<String> classes = o.hostile() ? List.of(SCRIPT, IMG, "two", "three & <b>four</b>")
                : List.of("zero", "one", "two", "three");
        int[] testLabels = labels(rng, 400);
        int[] valLabels = labels(rng, 300);
        Logits test = logits(rng, testLabels, 2.6, 0.15, 2.4);
        Logits val = logits(rng, valLabels, 2.6, 0.15, 2.4);

        TemperatureMap map = o.calibrated() ? new TemperatureScaling().fit(val, valLabels) : null;
        double temperature = map == null ? Double.NaN : map.temperature();
        Logits testCal = map == null ? null : test.divide(temperature);

        Predictions before = Predictions.of(test, testLabels);
        Predictions after = testCal == null ? before : Predictions.of(testCal, testLabels);
        MetricSummary mBefore = Metrics.summary(before, BINS);
        MetricSummary mAfter = testCal == null ? null : Metrics.summary(after, BINS);
        Map<String, Bootstrap.Paired> intervals = new Bootstrap(SEED, 50, 0.95, 1).paired(before, after, BINS);
        ReliabilityBins binsBefore = ReliabilityBins.of(before.topLabel().confidences(), before.topLabel().correct(), BINS);
        ReliabilityBins binsAfter = testCal == null ? null
                : ReliabilityBins.of(after.topLabel().confidences(), after.topLabel().correct(), BINS);

        List<AuditResult.ClassRow> perClass = new ArrayList<>();
        Probabilities pb = before.probabilities();
        int[] predicted = pb.argmax();
        for (int j = 0; j < K; j++) {
            int support = 0;
            int hits = 0;
            double[] pj = new double[testLabels.length];
            double[] pjCal = new double[testLabels.length];
            boolean[] isJ = new boolean[testLabels.length];
            double sum = 0;
            for (int i = 0; i < testLabels.length; i++) {
                pj[i] = pb.get(i, j);
                pjCal[i] = after.probabilities().get(i, j);
                isJ[i] = testLabels[i] == j;
                sum += pj[i];
                if (isJ[i]) {
                    support++;
                    if (predicted[i] == j) {
                        hits++;
                    }
                }
            }
            double ece = CalibrationMetrics.ece(ReliabilityBins.of(pj, isJ, BINS));
            double eceCal = testCal == null ? Double.NaN : CalibrationMetrics.ece(ReliabilityBins.of(pjCal, isJ, BINS));
            perClass.add(new AuditResult.ClassRow(classes.get(j), support, sum / testLabels.length,
                    (double) support / testLabels.length, ece, eceCal, (double) hits / support));
        }

        Map<String, Object> parameters = map == null ? Map.of() : map.parameters();
        AuditResult.TestSection section = new AuditResult.TestSection(testLabels.length,
                map == null ? "none" : "temperature",
                map == null ? null : String.format(java.util.Locale.ROOT, "temperature T=%.3f", temperature),
                temperature, parameters, mBefore, mAfter, intervals, binsBefore, binsAfter, perClass,
                o.sigmoid() ? sigmoid(test) : null, histogram(before.probabilities().maxProbability()));

        // ---- probes
        List<AuditResult.ProbeResult> probes = new ArrayList<>();
        List<AuditResult.GalleryItem> gallery = new ArrayList<>();
        Map<String, Probabilities> probeProbabilities = new LinkedHashMap<>();
        Logits blank = blank(rng, 200, 2);
        probeProbabilities.put("blank-black", blank.softmax());
        probes.add(probe("blank-black", "no_signal", "all-black images", blank, null, test, temperature, o, classes,
                gallery, 14));
        Logits noise = noise(rng, 200);
        probeProbabilities.put("noise-uniform", noise.softmax());
        probes.add(probe("noise-uniform", "no_signal", "uniform noise in the data set's pixel range", noise, null,
                test, temperature, o, classes, gallery, 6));
        int[] rotLabels = labels(rng, 200);
        Logits rotated = logits(rng, rotLabels, 1.4, 0.35, 2.4);
        probeProbabilities.put("rotated-30", rotated.softmax());
        probes.add(probe("rotated-30", "shift", "test images rotated by 30 degrees", rotated, rotLabels, test,
                temperature, o, classes, gallery, 0));
        for (int e = 0; e < o.extraProbes(); e++) {
            Logits extra = noise(rng, 200);
            probeProbabilities.put("extra-" + e, extra.softmax());
            probes.add(probe("extra-" + e, "out_of_distribution", "generated noise probe " + e, extra, null,
                    test, temperature, o, classes, gallery, 20));
        }
        probes.add(new AuditResult.ProbeResult("notmnist", "out_of_distribution", "letters A-J",
                o.hostile() ? "data missing: " + SCRIPT + " " + IMG
                        : "notMNIST is not in ../shared/data or the cache (calibkit data fetch notmnist)",
                0, false, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, null,
                null, null, null));

        // wrong test images, most confident first
        double[] conf = (testCal == null ? before : after).probabilities().maxProbability();
        Integer[] wrong = java.util.stream.IntStream.range(0, testLabels.length)
                .filter(i -> predicted[i] != testLabels[i]).boxed().toArray(Integer[]::new);
        Arrays.sort(wrong, Comparator.comparingDouble((Integer i) -> -conf[i]));
        for (int w = 0; w < Math.min(5, wrong.length); w++) {
            int i = wrong[w];
            gallery.add(new AuditResult.GalleryItem("test", i, classes.get(predicted[i]), conf[i],
                    classes.get(testLabels[i]), digit(testLabels[i], i)));
        }

        // ---- verdicts, as the audit forms them (worst first)
        Thresholds th = Thresholds.defaults();
        List<Verdict> verdicts = new ArrayList<>();
        double testEce = (mAfter == null ? mBefore : mAfter).ece();
        Bootstrap.Interval eceIv = testCal == null ? intervals.get("ece").before() : intervals.get("ece").after();
        verdicts.add(verdict("test.ece", "Test ECE" + (testCal == null ? "" : " after calibration"), testEce,
                th.eceWarn(), th.eceFail(), eceIv.lower(), eceIv.upper(),
                String.format(java.util.Locale.ROOT, "On the test split the confidence is off from the accuracy by "
                        + "%.4f on average (signed %+.4f: %s).", testEce, (mAfter == null ? mBefore : mAfter).signedEce(),
                        (mAfter == null ? mBefore : mAfter).signedEce() > 0 ? "overconfident" : "underconfident")));
        for (AuditResult.ProbeResult p : probes) {
            if (p.skipped()) {
                continue;
            }
            if (!p.labelled()) {
                int top = argmax(p.predictedHistogram());
                verdicts.add(verdict("probe." + p.name() + ".overconfident_share", p.name() + ": confident answers",
                        p.overconfidentShare(), th.overconfidentWarn(), th.overconfidentFail(), Double.NaN, Double.NaN,
                        String.format(java.util.Locale.ROOT, "%.1f%% of the %s images get a confidence of at least "
                                + "%.2f, most of them predicted as \"%s\": softmax confidence is not a probability of "
                                + "being right far from the training data.", 100 * p.overconfidentShare(), p.name(),
                                THRESHOLD, classes.get(top))));
                String bestScore = null;
                double best = Double.NEGATIVE_INFINITY;
                for (Map.Entry<String, OodMetrics.Result> e : p.ood().uncalibrated().entrySet()) {
                    if (e.getValue().auroc() > best) {
                        best = e.getValue().auroc();
                        bestScore = e.getKey();
                    }
                }
                verdicts.add(verdict("probe." + p.name() + ".auroc", p.name() + ": detectable", best, th.aurocWarn(),
                        th.aurocFail(), Double.NaN, Double.NaN,
                        String.format(java.util.Locale.ROOT, "The %s score tells these images from test images with "
                                + "AUROC %.3f.", bestScore, best)));
            } else {
                verdicts.add(verdict("probe." + p.name() + ".ece", p.name() + ": calibration under shift", p.ece(),
                        th.shiftEceWarn(), th.shiftEceFail(), Double.NaN, Double.NaN,
                        String.format(java.util.Locale.ROOT, "Accuracy drops to %.3f and the confidence does not "
                                + "follow it (ECE %.3f).", p.accuracy(), p.ece())));
            }
        }
        verdicts.sort(Comparator.comparing(Verdict::status).reversed());

        // ---- input range, model, data, settings, provenance
        float[] pixels = pixels(rng);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double mean = 0;
        for (float v : pixels) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            mean += v / pixels.length;
        }
        AuditResult.InputRange range = new AuditResult.InputRange(true, min, max, mean, 0, 255,
                String.format(java.util.Locale.ROOT, "Test pixels lie in [%.0f, %.0f] with mean %.1f, the 0..255 "
                        + "range the model was trained on.", min, max, mean), null);

        Map<String, String> details = new LinkedHashMap<>();
        details.put("trained on", "synthetic 4-class data");
        details.put("epochs", "3");
        if (o.hostile()) {
            details.put(SCRIPT, IMG);
        }
        AuditResult.ModelInfo model = new AuditResult.ModelInfo(o.hostile() ? "model " + SCRIPT + IMG : "synthetic-cnn.ckb",
                "/tmp/models/synthetic-cnn.ckb", sha256(test.raw()), "cnn", o.sigmoid() ? "sigmoid" : "softmax",
                o.sigmoid() ? "independent_probabilities" : "logits", classes, "scale 1/255, mean 0.1307, std 0.3081",
                details);
        AuditResult.DataInfo data = new AuditResult.DataInfo("synthetic", valLabels.length, testLabels.length,
                "(in memory)", sha256(val.raw()), true);
        List<String> probeNames = new ArrayList<>();
        probes.forEach(p -> probeNames.add(p.name()));
        AuditResult.Settings settings = new AuditResult.Settings(map == null ? "none" : "temperature", THRESHOLD, BINS,
                200, SEED, 50, 0.95, probeNames, th);
        Map<String, Double> timings = new LinkedHashMap<>();
        timings.put("inference", 0.5);
        timings.put("bootstrap", 0.25);
        timings.put("probes", 1.0);
        AuditResult.Provenance provenance = new AuditResult.Provenance("0.1.0-SNAPSHOT", "2024-06-11T10:00:00Z",
                System.getProperty("java.version"), 1.75, timings);
        return new AuditResult(AuditResult.SCHEMA_VERSION, model, data, settings, verdicts, section, range, probes,
                gallery, provenance, statistics(test, testLabels, val, valLabels, testCal, binsBefore, binsAfter,
                        probeProbabilities));
    }

    /** The statistics section as the audit builds it ({@link AuditStatistics}), alpha 0.1, level 0.95. */
    private static AuditResult.Statistics statistics(Logits test, int[] y, Logits val, int[] yv, Logits testCal,
                                                     ReliabilityBins binsBefore, ReliabilityBins binsAfter,
                                                     Map<String, Probabilities> probes) {
        Predictions before = Predictions.of(test, y);
        Predictions after = testCal == null ? null : Predictions.of(testCal, y);
        Map<String, double[]> scores = new LinkedHashMap<>();
        Map<String, boolean[]> correct = new LinkedHashMap<>();
        scores.put("msp", OodScores.maxSoftmax(test));
        scores.put("max_logit", OodScores.maxLogit(test));
        scores.put("energy", OodScores.energy(test));
        for (String s : scores.keySet()) {
            correct.put(s, before.topLabel().correct());
        }
        if (after != null) {
            scores.put("msp_calibrated", OodScores.maxSoftmax(testCal));
            correct.put("msp_calibrated", after.topLabel().correct());
        }
        return AuditStatistics.of(before.probabilities(), binsBefore, after == null ? null : after.probabilities(),
                binsAfter, y, val.softmax(), yv, test.softmax(), probes, scores, correct, 0.1, 0.95, SEED);
    }

    // ---------------------------------------------------------------- pieces

    private static int[] labels(Random rng, int n) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rng.nextInt(K);
        }
        return y;
    }

    /** Logits with the true class ahead by {@code margin}, wrong with probability {@code flip}, all times {@code scale}. */
    private static Logits logits(Random rng, int[] labels, double margin, double flip, double scale) {
        double[][] z = new double[labels.length][K];
        for (int i = 0; i < labels.length; i++) {
            for (int j = 0; j < K; j++) {
                z[i][j] = rng.nextGaussian();
            }
            int signal = rng.nextDouble() < flip ? (labels[i] + 1 + rng.nextInt(K - 1)) % K : labels[i];
            z[i][signal] += margin;
            for (int j = 0; j < K; j++) {
                z[i][j] *= scale;
            }
        }
        return Logits.of(z);
    }

    /** Every row predicts class {@code cls} with a large margin: a network that is sure about nothing. */
    private static Logits blank(Random rng, int n, int cls) {
        double[][] z = new double[n][K];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < K; j++) {
                z[i][j] = 0.3 * rng.nextGaussian();
            }
            z[i][cls] += 7;
        }
        return Logits.of(z);
    }

    private static Logits noise(Random rng, int n) {
        double[][] z = new double[n][K];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < K; j++) {
                z[i][j] = 2.2 * rng.nextGaussian();
            }
        }
        return Logits.of(z);
    }

    private static AuditResult.ProbeResult probe(String name, String kind, String description, Logits z, int[] labels,
                                                 Logits test, double temperature, Options o, List<String> classes,
                                                 List<AuditResult.GalleryItem> gallery, int thumbs) {
        boolean calibrated = Double.isFinite(temperature);
        Logits zc = calibrated ? z.divide(temperature) : null;
        double[] conf = z.softmax().maxProbability();
        double[] confCal = calibrated ? zc.softmax().maxProbability() : null;
        int[] predicted = z.argmax();
        int[] hist = new int[K];
        for (int c : predicted) {
            hist[c]++;
        }
        double accuracy = Double.NaN;
        double ece = Double.NaN;
        double eceCal = Double.NaN;
        if (labels != null) {
            MetricSummary s = Metrics.summary(Predictions.of(z, labels), BINS);
            accuracy = s.accuracy();
            ece = s.ece();
            if (calibrated) {
                eceCal = Metrics.summary(Predictions.of(zc, labels), BINS).ece();
            }
        }
        AuditResult.OodScores ood = new AuditResult.OodScores(scores(test, z),
                calibrated ? scores(test.divide(temperature), zc) : null);
        Integer[] order = java.util.stream.IntStream.range(0, z.n()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -conf[i]));
        for (int t = 0; t < Math.min(thumbs, order.length); t++) {
            int i = order[t];
            byte[] png = name.startsWith("blank") ? blankPng() : noisePng(i);
            gallery.add(new AuditResult.GalleryItem(name, i, classes.get(predicted[i]),
                    calibrated ? confCal[i] : conf[i], null, png));
        }
        return new AuditResult.ProbeResult(name, kind, description, null, z.n(), labels != null, mean(conf),
                share(conf), calibrated ? mean(confCal) : Double.NaN, calibrated ? share(confCal) : Double.NaN,
                accuracy, ece, eceCal, hist, histogram(conf), ood, o.sigmoid() ? sigmoid(z) : null);
    }

    /** Every score of {@link OodScores}, test split as in-distribution. */
    private static Map<String, OodMetrics.Result> scores(Logits test, Logits probe) {
        Map<String, OodMetrics.Result> m = new LinkedHashMap<>();
        m.put("msp", OodMetrics.evaluate(OodScores.maxSoftmax(test), OodScores.maxSoftmax(probe)));
        m.put("max_logit", OodMetrics.evaluate(OodScores.maxLogit(test), OodScores.maxLogit(probe)));
        m.put("energy", OodMetrics.evaluate(OodScores.energy(test), OodScores.energy(probe)));
        m.put("entropy", OodMetrics.evaluate(OodScores.negativeEntropy(test), OodScores.negativeEntropy(probe)));
        return m;
    }

    private static AuditResult.SigmoidStats sigmoid(Logits z) {
        Probabilities p = z.sigmoid();
        double[] sums = new double[p.n()];
        int none = 0;
        double total = 0;
        for (int i = 0; i < p.n(); i++) {
            boolean any = false;
            for (int j = 0; j < p.k(); j++) {
                sums[i] += p.get(i, j);
                any |= p.get(i, j) > 0.5;
            }
            total += sums[i];
            if (!any) {
                none++;
            }
        }
        double[] sorted = sums.clone();
        Arrays.sort(sorted);
        double[] q = new double[5];
        double[] at = {0.05, 0.25, 0.5, 0.75, 0.95};
        for (int k = 0; k < 5; k++) {
            q[k] = sorted[(int) Math.round(at[k] * (sorted.length - 1))];
        }
        return new AuditResult.SigmoidStats(total / p.n(), q, (double) none / p.n());
    }

    private static double[] histogram(double[] conf) {
        ReliabilityBins b = ReliabilityBins.of(conf, new boolean[conf.length], HIST_BINS);
        double[] h = new double[HIST_BINS];
        for (int i = 0; i < HIST_BINS; i++) {
            h[i] = (double) b.count(i) / b.total();
        }
        return h;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }

    private static double share(double[] conf) {
        return (double) Arrays.stream(conf).filter(c -> c >= THRESHOLD).count() / conf.length;
    }

    private static int argmax(int[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Verdict verdict(String check, String title, double value, double warn, double fail, double lower,
                                   double upper, String reason) {
        boolean lowerIsWorse = fail < warn;
        Status s;
        if (lowerIsWorse ? value < fail : value >= fail) {
            s = Status.FAIL;
        } else if (lowerIsWorse ? value < warn : value >= warn) {
            s = Status.WARN;
        } else {
            s = Status.PASS;
        }
        return new Verdict(check, title, s, value, warn, fail, lower, upper, reason);
    }

    private static float[] pixels(Random rng) {
        float[] p = new float[28 * 28 * 20];
        for (int i = 0; i < p.length; i++) {
            p[i] = rng.nextDouble() < 0.8 ? 0f : (float) Math.floor(255 * rng.nextDouble());
        }
        p[0] = 255f;
        return p;
    }

    private static String sha256(double[] values) {
        try {
            ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
            for (double v : values) {
                b.putDouble(v);
            }
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- thumbnails

    private static byte[] blankPng() {
        return png(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY));
    }

    private static byte[] noisePng(int seed) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Random r = new Random(seed);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int g = r.nextInt(256);
                img.setRGB(x, y, new Color(g, g, g).getRGB());
            }
        }
        return png(img);
    }

    /** A white digit on black, like an MNIST image. */
    private static byte[] digit(int d, int seed) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 22));
            g.rotate(Math.toRadians((seed % 21) - 10), 14, 14);
            g.drawString(Integer.toString(d), 8, 22);
        } finally {
            g.dispose();
        }
        return png(img);
    }

    private static byte[] png(BufferedImage img) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
