// Over 400 lines: one search: the grid of input conventions, the transformed sample, the early stop and the ranking with its tie notes all work on the Convention record defined here.
package org.calibkit.report.doctor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import org.calibkit.calibration.Head;
import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.metrics.CalibrationMetrics;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.ImageSet;
import org.calibkit.core.model.LogitSource;
import org.calibkit.core.sources.KerasLogitSource;
import org.calibkit.core.sources.Layout;
import org.calibkit.core.sources.ModelOptions;
import org.calibkit.core.sources.PixelTransform;
import org.calibkit.core.open.ModelType;
import org.calibkit.core.open.OpenedModel;

/**
 * Finds the input convention a model expects: on a seeded sample of labelled images it tries
 * the plausible ones (pixel scale 1 or 1/255; no normalisation, MNIST's mean/std, [-1, 1],
 * ImageNet's mean/std for colour; inverted or not; transposed or not; every layout the input
 * shape admits), ranks them by NLL (accuracy alone cannot tell two scalings apart: they often
 * tie, and only NLL and confidence differ), and says where the given flags rank, which flags
 * are best, what separates conventions that tie on accuracy, and what the model's own metadata
 * says. The model is opened once per layout and fed already-transformed images; every
 * convention is tried on the first images of the sample and the clearly worse ones stop there.
 */
public final class Doctor {
    static final double[] MNIST_MEAN = {0.1307};
    static final double[] MNIST_STD = {0.3081};
    static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};
    static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};
    private static final double UNIT = 1.0 / 255.0;

    private Doctor() {
    }

    /**
     * One convention to try: a pixel transform (its own invert flag included), a layout, whether
     * images are transposed, and the channels they are converted to first (0: none).
     */
    record Convention(String pixelsLabel, PixelTransform pixels, Layout layout, boolean transposed, int convert) {
        Convention(String pixelsLabel, PixelTransform pixels, Layout layout, boolean transposed) {
            this(pixelsLabel, pixels, layout, transposed, 0);
        }

        Convention converted(int channels) {
            return new Convention(pixelsLabel, pixels, layout, transposed, channels);
        }

        String label(boolean showLayout) {
            return (convert == 0 ? "" : (convert == 3 ? "grey replicated to RGB, " : "colour to grey (luma), "))
                    + pixelsLabel + (pixels.invert() ? ", inverted" : "") + (transposed ? ", transposed" : "")
                    + (showLayout ? ", layout " + layout.id() : "");
        }

        String flags(boolean showLayout) {
            List<String> f = new ArrayList<>();
            if (convert != 0) {
                f.add("--channels " + convert);
            }
            if (pixels.scale() != 1) {
                f.add("--scale " + (pixels.scale() == UNIT ? "1/255" : num(pixels.scale())));
            }
            if (!Arrays.equals(pixels.mean(), new double[] {0})) {
                f.add("--mean " + nums(pixels.mean()));
            }
            if (!Arrays.equals(pixels.std(), new double[] {1})) {
                f.add("--std " + nums(pixels.std()));
            }
            if (pixels.invert()) {
                f.add("--invert");
            }
            if (transposed) {
                f.add("--layout " + layout.transpose().id());
            } else if (showLayout) {
                f.add("--layout " + layout.id());
            }
            return String.join(" ", f);
        }
    }

    /**
     * Runs the search.
     *
     * @param model   the model file
     * @param type    its type, or null to detect it
     * @param given   the options the user gave (the flags), or null for none
     * @param data    labelled images on the 0..255 convention (a validation split)
     * @param options sample size, first look, seed
     * @throws CalibkitException when the model cannot be opened for these images
     */
    public static DoctorResult run(Path model, ModelType type, ModelOptions given, ImageSet data, DoctorOptions options) {
        long t0 = System.nanoTime();
        ModelType t = type != null ? type : ModelType.detect(model);
        ImageSet sample = sample(data, options.sample(), options.seed());
        int[] labels = sample.labels();
        List<String> notes = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        if (t == ModelType.BUNDLE) {
            try (OpenedModel m = OpenedModel.open(model, t, null)) {
                DoctorResult.Candidate c = evaluate(m.source(), sample, labels, "the bundle's own preprocessing ("
                        + m.info().preprocessing() + ")", "", true, false);
                notes.add("a calibkit bundle carries its preprocessing and applies it itself: there is no convention to search");
                return new DoctorResult(model.toString(), t.id(), name(data), sample.size(), options.seed(),
                        sample.numClasses(), "the bundle's own preprocessing only (a bundle applies it itself)", List.of(c),
                        1, c, Optional.empty(), metadata, List.of(), notes, secs(t0));
            }
        }
        ModelOptions base = given != null ? given : ModelOptions.defaults();
        Layout givenLayout = base.layout().orElse(null);
        base = base.withPixels(PixelTransform.identity());
        int dataChannels = sample.channels();
        int convert = base.channels().filter(c -> c != dataChannels).orElse(0);
        if (base.imageShape().isEmpty()) {
            base = base.withImageShape(dataChannels, sample.height(), sample.width());
        }
        if (givenLayout != null) {
            base = base.withLayout(givenLayout.base());
        }
        List<DoctorResult.Candidate> results = new ArrayList<>();
        List<Layout> tried;
        OpenedModel first;
        try {
            first = openAnyLayout(model, t, base, givenLayout != null, sample.numClasses());
        } catch (CalibkitException e) {
            // where channels differ: a model of 3 channels given grey images (or the reverse) opens
            // with the images converted; every convention then converts them first
            int other = dataChannels == 1 ? 3 : dataChannels == 3 ? 1 : 0;
            if (convert != 0 || other == 0 || base.channels().isPresent()) {
                throw e;
            }
            try {
                first = openAnyLayout(model, t, base.withChannels(other), givenLayout != null, sample.numClasses());
            } catch (CalibkitException again) {
                throw e;
            }
            base = base.withChannels(other);
            convert = other;
            notes.add(String.format(Locale.ROOT, "the model takes %d channel(s) and the data has %d: every convention "
                    + "converts the images first (%s, --channels %d), the given flags too", other, dataChannels,
                    org.calibkit.core.Channels.describe(dataChannels, other), other));
        }
        if (convert != 0) {
            sample = org.calibkit.core.Channels.convert(sample, convert);
        }
        final int conversion = convert;
        try {
            // from the opened model, which knows them in a worker too (its source there is a proxy)
            long[] inputShape = first.inputShape().orElse(null);
            Layout opened = first.layout().isPresent() ? first.layout().get() : layoutOf(first.source(), sample);
            List<Layout> layouts = new ArrayList<>(List.of(opened));
            if (inputShape != null && givenLayout == null) {
                for (Layout l : Layout.matching(inputShape, sample.channels(), sample.height(), sample.width())) {
                    if (!layouts.contains(l)) {
                        layouts.add(l);
                    }
                }
            }
            tried = layouts;
            boolean showLayout = layouts.size() > 1 || givenLayout != null;
            PixelTransform gp = given != null ? given.pixels() : PixelTransform.identity();
            Convention givenConv = new Convention("as given", gp, opened, givenLayout != null && givenLayout.transposed(),
                    conversion);
            metadata.putAll(metadata(model, t, first));
            notes.addAll(notes(first));
            for (Layout l : layouts) {
                OpenedModel m = l == opened ? first : OpenedModel.open(model, t, base.withLayout(l), sample.numClasses());
                try {
                    List<Convention> cs = new ArrayList<>();
                    for (Convention c : grid(sample.channels(), l)) {
                        cs.add(c.converted(conversion));
                    }
                    if (l == opened && cs.stream().noneMatch(c -> same(c, givenConv))) {
                        cs.add(0, givenConv);
                    }
                    results.addAll(evaluateAll(m.source().withoutRangeCheck(), sample, labels, cs, givenConv, showLayout,
                            options));
                } finally {
                    if (m != first) {
                        m.close();
                    }
                }
            }
        } finally {
            first.close();
        }
        List<DoctorResult.Candidate> ranked = new ArrayList<>(results);
        ranked.sort(Comparator.comparing(DoctorResult.Candidate::stoppedEarly).thenComparingDouble(DoctorResult.Candidate::nll));
        int givenRank = 1;
        for (int i = 0; i < ranked.size(); i++) {
            if (ranked.get(i).given()) {
                givenRank = i + 1;
            }
        }
        DoctorResult.Candidate best = ranked.get(0);
        DoctorResult.Candidate other = best.given() ? (ranked.size() > 1 ? ranked.get(1) : null) : ranked.get(givenRank - 1);
        Optional<String> tie = other == null ? Optional.empty() : tie(best, other);
        for (int i = 1; tie.isEmpty() && i < ranked.size(); i++) {
            // a convention further down by NLL can still tie the best on accuracy (a regression fed 0..255
            // instead of [0, 1] keeps its argmax and is ranked below conventions that lose accuracy)
            tie = tie(best, ranked.get(i));
        }
        List<String> contradictions = Contradictions.find(metadata, given != null ? given.pixels() : PixelTransform.identity(),
                best, sample.channels());
        return new DoctorResult(model.toString(), t.id(), name(data), sample.size(), options.seed(), sample.numClasses(),
                searched(sample.channels(), tried, options) + (conversion == 0 ? "" : "; the images converted first: "
                        + org.calibkit.core.Channels.describe(dataChannels, conversion)), ranked, givenRank, best, tie, metadata, contradictions, notes,
                secs(t0));
    }

    /** What the search tried, in words: the dimensions of {@link #grid} and the layouts. */
    static String searched(int channels, List<Layout> layouts, DoctorOptions o) {
        List<String> ids = new ArrayList<>();
        layouts.forEach(l -> ids.add(l.id()));
        return String.format(Locale.ROOT, "pixel scale 1 and 1/255; no normalisation, MNIST mean/std, [-1, 1]%s; "
                        + "inverted or not; transposed or not; layout%s %s; every convention on the first %d images, "
                        + "the rest of the sample for those within %.0f accuracy points of the best",
                channels == 3 ? ", ImageNet mean/std" : "", ids.size() == 1 ? "" : "s", String.join(", ", ids),
                o.firstLook(), 100 * o.stopMargin());
    }

    private static List<DoctorResult.Candidate> evaluateAll(LogitSource s, ImageSet sample, int[] labels,
                                                            List<Convention> cs, Convention given, boolean showLayout,
                                                            DoctorOptions o) {
        int look = Math.min(o.firstLook(), sample.size());
        ImageSet head = sample.slice(0, look, sample.origin().split());
        int[] headLabels = head.labels();
        List<Logits> firstLook = new ArrayList<>();
        double bestAcc = 0;
        for (Convention c : cs) {
            Logits z = s.logits(transform(head, c));
            firstLook.add(z);
            bestAcc = Math.max(bestAcc, CalibrationMetrics.accuracy(z, headLabels));
        }
        ImageSet rest = look < sample.size() ? sample.slice(look, sample.size(), sample.origin().split()) : null;
        List<DoctorResult.Candidate> out = new ArrayList<>();
        for (int i = 0; i < cs.size(); i++) {
            Convention c = cs.get(i);
            boolean isGiven = same(c, given);
            Logits z = firstLook.get(i);
            boolean stop = rest != null && !isGiven && CalibrationMetrics.accuracy(z, headLabels) < bestAcc - o.stopMargin();
            int[] lab = headLabels;
            if (!stop && rest != null) {
                Logits more = s.logits(transform(rest, c));
                double[] all = Arrays.copyOf(z.raw(), z.raw().length + more.raw().length);
                System.arraycopy(more.raw(), 0, all, z.raw().length, more.raw().length);
                z = Logits.of(all, sample.size(), z.k());
                lab = labels;
            }
            out.add(metrics(s.head(), z, lab, c.label(showLayout), c.flags(showLayout), isGiven, stop));
        }
        return out;
    }

    private static boolean same(Convention a, Convention b) {
        return a.pixels().equals(b.pixels()) && a.layout() == b.layout() && a.transposed() == b.transposed()
                && a.convert() == b.convert();
    }

    /** The conventions for images of {@code channels} channels in layout {@code l}. */
    static List<Convention> grid(int channels, Layout l) {
        List<Object[]> px = new ArrayList<>();
        px.add(new Object[] {"0..255 unchanged", new PixelTransform(1, new double[] {0}, new double[] {1}, false)});
        px.add(new Object[] {"x / 255 (pixels in [0, 1])", PixelTransform.unitScale()});
        px.add(new Object[] {"x / 255, MNIST mean/std", new PixelTransform(UNIT, MNIST_MEAN, MNIST_STD, false)});
        px.add(new Object[] {"x / 255 * 2 - 1 (pixels in [-1, 1])", new PixelTransform(UNIT, new double[] {0.5},
                new double[] {0.5}, false)});
        if (channels == 3) {
            px.add(new Object[] {"x / 255, ImageNet mean/std", new PixelTransform(UNIT, IMAGENET_MEAN, IMAGENET_STD, false)});
        }
        List<Convention> out = new ArrayList<>();
        for (boolean transposed : new boolean[] {false, true}) {
            for (boolean invert : new boolean[] {false, true}) {
                for (Object[] p : px) {
                    out.add(new Convention((String) p[0], ((PixelTransform) p[1]).withInvert(invert), l, transposed));
                }
            }
        }
        return out;
    }

    /** The images as the model would see them under {@code c}: transform applied, transposed if asked. */
    static ImageSet transform(ImageSet images, Convention c) {
        int ch = images.channels();
        int h = images.height();
        int w = images.width();
        int plane = h * w;
        float[] src = images.rawPixels();
        float[] out = new float[src.length];
        double[] mean = c.pixels().mean();
        double[] std = c.pixels().std();
        double scale = c.pixels().scale();
        boolean inv = c.pixels().invert();
        for (int i = 0; i < images.size(); i++) {
            for (int k = 0; k < ch; k++) {
                double m = mean[mean.length == 1 ? 0 : k];
                double sd = std[std.length == 1 ? 0 : k];
                int off = (i * ch + k) * plane;
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        double v = src[off + y * w + x];
                        v = ((inv ? 255 - v : v) * scale - m) / sd;
                        out[off + (c.transposed() ? x * h + y : y * w + x)] = (float) v;
                    }
                }
            }
        }
        return new ImageSet(out, images.labels(), ch, c.transposed() ? w : h, c.transposed() ? h : w, images.classNames(),
                images.origin());
    }

    private static DoctorResult.Candidate evaluate(LogitSource s, ImageSet sample, int[] labels, String label, String flags,
                                                   boolean given, boolean stopped) {
        return metrics(s.head(), s.logits(sample), labels, label, flags, given, stopped);
    }

    static DoctorResult.Candidate metrics(Head head, Logits z, int[] labels, String label, String flags, boolean given,
                                          boolean stopped) {
        Probabilities p = head.apply(z);
        double nll = head == Head.SOFTMAX ? CalibrationMetrics.nll(z, labels) : CalibrationMetrics.nll(p, labels);
        double[] conf = p.maxProbability();
        double mean = 0;
        int over = 0;
        for (double v : conf) {
            mean += v;
            over += v > 0.99 ? 1 : 0;
        }
        return new DoctorResult.Candidate(label, flags, given, labels.length, stopped, CalibrationMetrics.accuracy(p, labels),
                nll, mean / conf.length, (double) over / conf.length, CalibrationMetrics.ece(p, labels,
                CalibrationMetrics.DEFAULT_BINS));
    }

    /** When {@code a} and {@code b} are indistinguishable by accuracy on this sample, what separates them. */
    static Optional<String> tie(DoctorResult.Candidate a, DoctorResult.Candidate b) {
        if (b.stoppedEarly()) {
            return Optional.empty();
        }
        double acc = (a.accuracy() + b.accuracy()) / 2;
        double tol = Math.max(0.005, 2 * Math.sqrt(acc * (1 - acc) / a.images()));
        if (Math.abs(a.accuracy() - b.accuracy()) > tol) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT, "'%s'%s and '%s'%s are indistinguishable by accuracy (%.1f%% vs %.1f%% "
                        + "on %d images); NLL (%.3f vs %.3f), mean confidence (%.4f vs %.4f) and the share above 0.99 "
                        + "(%.0f%% vs %.0f%%) separate them, and the lower NLL is the better fit to the model",
                a.label(), a.given() ? " (the given flags)" : "", b.label(), b.given() ? " (the given flags)" : "",
                100 * a.accuracy(), 100 * b.accuracy(), a.images(), a.nll(), b.nll(), a.meanConfidence(),
                b.meanConfidence(), 100 * a.over99(), 100 * b.over99()));
    }

    /** Opens the model; when its input fits several layouts and none was given, with the first that fits. */
    private static OpenedModel openAnyLayout(Path model, ModelType t, ModelOptions base, boolean layoutGiven, int classes) {
        try {
            return OpenedModel.open(model, t, base, classes);
        } catch (CalibkitException e) {
            if (layoutGiven || e.getMessage() == null || !e.getMessage().contains("several layouts")) {
                throw e;
            }
            for (Layout l : new Layout[] {Layout.NCHW, Layout.NHWC, Layout.NHW, Layout.FLAT_HWC, Layout.FLAT_CHW}) {
                try {
                    return OpenedModel.open(model, t, base.withLayout(l), classes);
                } catch (CalibkitException ignored) {
                    // the next layout
                }
            }
            throw e;
        }
    }

    private static Layout layoutOf(LogitSource s, ImageSet images) {
        Layout l = OpenedModel.layoutOf(s, images.channels(), images.height(), images.width());
        return l != null ? l : Layout.FLAT_HWC; // Tribuo: features in HWC order
    }

    private static Map<String, String> metadata(Path model, ModelType t, OpenedModel m) {
        Map<String, String> md = new LinkedHashMap<>();
        if (t == ModelType.ONNX) {
            md.putAll(OnnxMetadata.read(model));
        }
        Map<String, String> d = m.info().details();
        // from the model's description, which a model opened in a worker carries too (its source
        // there only runs the model)
        for (String k : new String[] {"signature", "Keras", "Tribuo model", "Tribuo trainer", "Tribuo training data"}) {
            if (d.containsKey(k)) {
                md.put(k, d.get(k));
            }
        }
        return md;
    }

    private static List<String> notes(OpenedModel m) {
        List<String> n = new ArrayList<>();
        n.add("output kind: " + m.info().outputKind().replace('_', ' '));
        String output = m.info().details().getOrDefault("output", "");
        if (m.type() == ModelType.KERAS && output.startsWith("the model ends in ")) { // in a worker too
            n.add("Keras: " + output);
        }
        return n;
    }

    /** A seeded sample of {@code n} images (all of them when there are fewer), in random order. */
    static ImageSet sample(ImageSet data, int n, long seed) {
        int m = Math.min(n, data.size());
        int[] idx = new int[data.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < m; i++) {
            int j = i + r.nextInt(idx.length - i);
            int tmp = idx[i];
            idx[i] = idx[j];
            idx[j] = tmp;
        }
        int per = data.pixelsPerImage();
        float[] px = new float[m * per];
        int[] lab = new int[m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(data.rawPixels(), idx[i] * per, px, i * per, per);
            lab[i] = data.label(idx[i]);
        }
        return new ImageSet(px, lab, data.channels(), data.height(), data.width(), data.classNames(), data.origin());
    }

    private static String name(ImageSet d) {
        return d.origin().dataset() + "/" + d.origin().split();
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    static String num(double v) {
        String s = String.format(Locale.ROOT, "%.6g", v);
        return s.contains(".") && !s.contains("e") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    static String nums(double[] v) {
        List<String> s = new ArrayList<>();
        for (double d : v) {
            s.add(num(d));
        }
        return String.join(",", s);
    }
}
