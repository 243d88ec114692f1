package org.calibkit.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.OutputKind;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.Preprocessing;
import org.calibkit.report.audit.Audit;
import org.calibkit.report.audit.AuditOptions;
import org.calibkit.report.audit.AuditResult;
import org.calibkit.report.audit.ModelOutputs;
import org.calibkit.report.doctor.DoctorResult;
import org.calibkit.report.probes.ProbeKind;
import org.calibkit.report.probes.ProbeOutcome;

/**
 * A small {@link AuditResult} made by the audit itself ({@link Audit#ofOutputs}) from synthetic
 * outputs: nothing in it is assembled by hand, so every metric, interval, verdict and gallery item
 * is what the audit computes; the renderings' tests check what they show of it.
 *
 * <p>The model: 4 classes, 400 test and 300 validation rows whose logits carry the true class
 * with a margin, scaled up so the model is overconfident (temperature scaling finds T &gt; 1);
 * the test rows carry drawn digit images for the gallery. Probes: {@code blank-black} (every
 * image predicted as one class with confidence near 1), {@code noise-uniform}, {@code rotated-30}
 * (labelled, weaker signal) and a skipped {@code notmnist}.
 */
public final class AuditFixture {
    /** Hostile strings a report must show as text. */
    public static final String SCRIPT = "<script>alert(1)</script>";
    public static final String IMG = "\"><img src=x onerror=alert(1)>";

    private static final int K = 4;
    private static final int SIDE = 28;
    private static final long SEED = 20240611L;

    /**
     * What to build.
     *
     * @param hostile     class names, model name, a probe's skip reason and details carry {@link #SCRIPT} and {@link #IMG}
     * @param calibrated  fit temperature scaling on the validation rows (else method {@code none})
     * @param sigmoid     a sigmoid head (independent probabilities, one-vs-rest statistics)
     * @param extraProbes additional unlabelled noise probes (for the size test), each with images
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

    /** Builds a result through the audit's public path. */
    public static AuditResult build(Options o) {
        Random rng = new Random(SEED);
        List<String> classes = o.hostile() ? List.of(SCRIPT, IMG, "two", "three & <b>four</b>")
                : List.of("zero", "one", "two", "three");
        int[] testLabels = labels(rng, 400);
        int[] valLabels = labels(rng, 300);
        Logits test = logits(rng, testLabels, 2.6, 0.15, 2.4);
        Logits val = logits(rng, valLabels, 2.6, 0.15, 2.4);

        List<ModelOutputs.Probe> probes = new ArrayList<>();
        probes.add(new ModelOutputs.Probe("blank-black", ProbeKind.NO_SIGNAL, "all-black images",
                Optional.of(blank(rng, 200, 2)), Optional.empty(), Optional.of(images(200, classes, i -> new float[SIDE * SIDE])),
                Optional.empty()));
        probes.add(new ModelOutputs.Probe("noise-uniform", ProbeKind.NO_SIGNAL, "uniform noise in the data set's pixel range",
                Optional.of(noise(rng, 200)), Optional.empty(), Optional.of(images(200, classes, AuditFixture::noiseImage)),
                Optional.empty()));
        int[] rotLabels = labels(rng, 200);
        probes.add(new ModelOutputs.Probe("rotated-30", ProbeKind.SHIFT, "test images rotated by 30 degrees",
                Optional.of(logits(rng, rotLabels, 1.4, 0.35, 2.4)), Optional.of(rotLabels), Optional.empty(), Optional.empty()));
        for (int e = 0; e < o.extraProbes(); e++) {
            probes.add(new ModelOutputs.Probe("extra-" + e, ProbeKind.OUT_OF_DISTRIBUTION, "generated noise probe " + e,
                    Optional.of(noise(rng, 200)), Optional.empty(), Optional.of(images(200, classes, AuditFixture::noiseImage)),
                    Optional.empty()));
        }
        probes.add(ModelOutputs.Probe.skipped(new ProbeOutcome("notmnist", ProbeKind.OUT_OF_DISTRIBUTION, "letters A-J", null,
                o.hostile() ? "data missing: " + SCRIPT + " " + IMG
                        : "notMNIST is not in ../shared/data or the cache (calibkit data fetch notmnist)")));

        // the input-range check as a model with 0..255 inputs makes it of 20 sparse images
        float[] pixels = pixels(rng);
        ImageSet rangeImages = new ImageSet(pixels, new int[20], 1, SIDE, SIDE, classes,
                new DataOrigin("synthetic", "test", "(in memory)", null, false));
        AuditResult.InputRange range = AuditResult.InputRange.of(Preprocessing.identity(1, SIDE, SIDE).checkRange(rangeImages));

        Map<String, String> details = new LinkedHashMap<>();
        details.put("trained on", "synthetic 4-class data");
        details.put("epochs", "3");
        if (o.hostile()) {
            details.put(SCRIPT, IMG);
        }
        Head head = o.sigmoid() ? Head.SIGMOID : Head.SOFTMAX;
        OutputKind kind = o.sigmoid() ? OutputKind.INDEPENDENT_PROBABILITIES : OutputKind.LOGITS;
        AuditResult.ModelInfo model = new AuditResult.ModelInfo(o.hostile() ? "model " + SCRIPT + IMG : "synthetic-cnn.ckb",
                "/tmp/models/synthetic-cnn.ckb", sha256(test.raw()), "cnn", head.id(), kind.id(), classes,
                "scale 1/255, mean 0.1307, std 0.3081", details);
        AuditResult.DataInfo data = new AuditResult.DataInfo("synthetic", valLabels.length, testLabels.length,
                "(in memory)", sha256(val.raw()), true);
        ImageSet testImages = images(testLabels.length, classes, i -> digit(testLabels[i], i));
        ModelOutputs outputs = new ModelOutputs(classes, head, kind,
                new ModelOutputs.Split(test, testLabels, Optional.of(testImages)),
                Optional.of(ModelOutputs.Split.of(val, valLabels)), probes, Optional.of(range), model, data, List.of(),
                Map.of("inference_test", 0.5));
        AuditOptions options = AuditOptions.defaults().withCalibration(o.calibrated() ? "temperature" : "none")
                .withBins(15).withResamples(50).withSeed(SEED).withProbeSize(200);
        return Audit.ofOutputs(outputs, options);
    }

    /**
     * What the doctor might find for a model trained on transposed images, audited with
     * {@code --scale 1/255} only: eight conventions ranked by NLL, the given flags seventh, the
     * last one stopped after the first look; the model's metadata (with {@link #SCRIPT} and
     * {@link #IMG} in a key, a value and a contradiction when {@code hostile}).
     */
    public static DoctorResult doctorResult(boolean hostile) {
        List<DoctorResult.Candidate> c = new ArrayList<>();
        c.add(new DoctorResult.Candidate("x / 255 (pixels in [0, 1]), transposed", "--scale 1/255 --layout flat-hwc-t", false,
                200, false, 0.93, 0.241, 0.912, 0.46, 0.021));
        c.add(new DoctorResult.Candidate("x / 255, MNIST mean/std, transposed",
                "--scale 1/255 --mean 0.1307 --std 0.3081 --layout flat-hwc-t", false, 200, false, 0.925, 0.262, 0.931, 0.55,
                0.030));
        c.add(new DoctorResult.Candidate("x / 255 * 2 - 1 (pixels in [-1, 1]), transposed",
                "--scale 1/255 --mean 0.5 --std 0.5 --layout flat-hwc-t", false, 200, false, 0.92, 0.301, 0.944, 0.61, 0.041));
        c.add(new DoctorResult.Candidate("0..255 unchanged, transposed", "--layout flat-hwc-t", false, 200, false, 0.915, 1.85,
                0.9991, 0.99, 0.084));
        c.add(new DoctorResult.Candidate("x / 255, MNIST mean/std", "--scale 1/255 --mean 0.1307 --std 0.3081", false, 200,
                false, 0.16, 3.62, 0.71, 0.12, 0.55));
        c.add(new DoctorResult.Candidate("x / 255 * 2 - 1 (pixels in [-1, 1])", "--scale 1/255 --mean 0.5 --std 0.5", false,
                200, false, 0.15, 3.9, 0.74, 0.15, 0.59));
        c.add(new DoctorResult.Candidate("x / 255 (pixels in [0, 1])", "--scale 1/255", true, 200, false, 0.136, 4.1, 0.69,
                0.1, 0.554));
        c.add(new DoctorResult.Candidate("0..255 unchanged, inverted", "--invert", false, 60, true, 0.05, 9.3, 0.99, 0.95,
                0.94));
        Map<String, String> md = new LinkedHashMap<>();
        md.put("producer_name", "pytorch");
        md.put("Image.NominalPixelRange", "NominalRange_0_255");
        if (hostile) {
            md.put(SCRIPT, IMG);
        }
        List<String> contradictions = List.of("the model's metadata (Image.NominalPixelRange = NominalRange_0_255) says the "
                + "model takes pixels in 0..255, but the flags map them to [0, 1]" + (hostile ? " " + IMG : ""));
        String tie = "'x / 255 (pixels in [0, 1]), transposed' and 'x / 255, MNIST mean/std, transposed' are "
                + "indistinguishable by accuracy (93.0% vs 92.5% on 200 images); NLL (0.241 vs 0.262) separates them";
        return new DoctorResult("/tmp/models/lr_transposed.onnx", "onnx", "synthetic/validation", 200, 1, K,
                "pixel scale 1 and 1/255; no normalisation, MNIST mean/std, [-1, 1]; inverted or not; transposed or not; "
                        + "layout flat-hwc", c, 7, c.get(0), Optional.of(tie), md, contradictions,
                List.of("output kind: logits" + (hostile ? " " + SCRIPT : "")), 1.25);
    }

    private static ImageSet images(int n, List<String> classes, java.util.function.IntFunction<float[]> image) {
        float[] px = new float[n * SIDE * SIDE];
        for (int i = 0; i < n; i++) {
            System.arraycopy(image.apply(i), 0, px, i * SIDE * SIDE, SIDE * SIDE);
        }
        return new ImageSet(px, new int[n], 1, SIDE, SIDE, classes,
                new DataOrigin("synthetic", "test", "(in memory)", null, false));
    }

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

    private static float[] pixels(Random rng) {
        float[] p = new float[SIDE * SIDE * 20];
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

    // ---------------------------------------------------------------- images

    private static float[] noiseImage(int seed) {
        Random r = new Random(seed);
        float[] px = new float[SIDE * SIDE];
        for (int i = 0; i < px.length; i++) {
            px[i] = r.nextInt(256);
        }
        return px;
    }

    /** A white digit on black, like an MNIST image. */
    private static float[] digit(int d, int seed) {
        BufferedImage img = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_BYTE_GRAY);
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
        float[] px = new float[SIDE * SIDE];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                px[y * SIDE + x] = img.getRaster().getSample(x, y, 0);
            }
        }
        return px;
    }
}
