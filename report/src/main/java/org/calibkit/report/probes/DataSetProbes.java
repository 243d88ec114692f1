package org.calibkit.report.probes;

import java.lang.ref.SoftReference;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import org.calibkit.core.ImageSet;
import org.calibkit.core.data.ClassNames;
import org.calibkit.core.data.DataCatalog;
import org.calibkit.core.data.DataLocations;
import org.calibkit.core.data.DataUnavailableException;
import org.calibkit.core.data.Splits;

/**
 * Probes that load the test split of another data set through {@link DataCatalog} and bring a
 * seeded subset of it to the model's input shape ({@link ImageOps#reshape}).
 *
 * <p>A probe from the model's own data set is skipped (it is in distribution). Data that are not
 * here become a {@link ProbeUnavailableException} carrying the loader's message (which says where
 * to put the files); a damaged file is bad input and its {@code DataFormatException} is thrown as
 * it is. Loaded sets are kept (softly, so the collector may drop them) per data set and data
 * locations, so a second generation in the same process does not read and hash the files again.
 */
final class DataSetProbes {
    /** Loaded test splits by data set and locations. */
    private static final Map<CacheKey, SoftReference<ImageSet>> LOADED = new ConcurrentHashMap<>();

    private record CacheKey(String dataset, Path userDir, Path cacheDir, Path sharedDir) {
    }

    private DataSetProbes() {
    }

    static Probe notMnist() {
        return outOfDistribution("notmnist", "notmnist", "notMNIST letters A-J from many fonts: glyphs in MNIST's format "
                + "that are not digits.");
    }

    static Probe fashionMnist() {
        return outOfDistribution("fashion-mnist", "fashion-mnist", "Fashion-MNIST clothing images (Zalando articles): "
                + "none of the model's classes unless it was trained on them.");
    }

    static Probe omniglot() {
        return outOfDistribution("omniglot", "omniglot", "Omniglot handwritten characters of 8 alphabets: strokes like "
                + "handwriting, but not the model's classes.");
    }

    /** USPS digits: a shift for a model whose classes are the digits, out of distribution otherwise. */
    static Probe usps() {
        return digits("usps", "usps", ProbeKind.SHIFT, "USPS handwritten digits scanned from envelopes: the same digits "
                + "drawn and scanned differently, a dataset shift for a digit model.");
    }

    /**
     * MNIST digits: out of distribution for a model of other classes (e.g. Fashion-MNIST), a shift
     * for another digit model (e.g. SVHN); skipped for an MNIST model.
     */
    static Probe mnist() {
        return digits("mnist", "mnist", ProbeKind.OUT_OF_DISTRIBUTION, "MNIST handwritten digits: out of distribution "
                + "for a model not trained on digits, a dataset shift for a digit model trained on other digits.");
    }

    private static Probe outOfDistribution(String name, String dataset, String sentence) {
        return new BuiltInProbe(name, sentence, ProbeKind.OUT_OF_DISTRIBUTION,
                ctx -> load(ctx, name, dataset, ProbeKind.OUT_OF_DISTRIBUTION, false, sentence));
    }

    private static Probe digits(String name, String dataset, ProbeKind usual, String sentence) {
        return new BuiltInProbe(name, sentence, usual, DataSetProbes::digitKind,
                ctx -> load(ctx, name, dataset, digitKind(ctx), digitModel(ctx), sentence));
    }

    /** Whether the model's classes are the digits "0".."9" in order (MNIST, SVHN, USPS). */
    static boolean digitModel(ProbeContext ctx) {
        return ctx.test().classNames().equals(ClassNames.DIGITS);
    }

    private static ProbeKind digitKind(ProbeContext ctx) {
        return digitModel(ctx) ? ProbeKind.SHIFT : ProbeKind.OUT_OF_DISTRIBUTION;
    }

    private static ProbeImages load(ProbeContext ctx, String name, String dataset, ProbeKind kind, boolean labelled,
                                    String sentence) {
        if (dataset.equals(ctx.datasetName())) {
            throw new ProbeUnavailableException(name + " is the model's own data set, so its images are in distribution "
                    + "and probe nothing; it runs for models of other data sets");
        }
        ImageSet source = loadTest(dataset, ctx.dataDir());
        ImageSet target = ctx.test();
        int[] idx = ProbeSupport.sample(source.size(), ctx.size(), ProbeSupport.random(ctx.seed(), name));
        int sc = source.channels();
        int sh = source.height();
        int sw = source.width();
        int sPer = source.pixelsPerImage();
        int per = target.pixelsPerImage();
        float[] src = source.rawPixels();
        float[] px = new float[ProbeSupport.length(ctx, idx.length)];
        for (int i = 0; i < idx.length; i++) {
            ImageOps.reshape(src, idx[i] * sPer, sc, sh, sw, px, i * per, target.channels(), target.height(),
                    target.width());
        }
        int[] labels = new int[idx.length];
        if (labelled) {
            List<String> from = source.classNames();
            List<String> to = target.classNames();
            for (int i = 0; i < idx.length; i++) {
                labels[i] = to.indexOf(from.get(source.label(idx[i])));
            }
        }
        String sourceShape = ProbeSupport.shape(sc, sh, sw);
        String targetShape = ProbeSupport.shape(target.channels(), target.height(), target.width());
        String conversion = sourceShape.equals(targetShape) ? ""
                : " (brought from " + sourceShape + " to " + targetShape + ": "
                + conversion(sc, sh, sw, target.channels(), target.height(), target.width()) + ")";
        String location = source.origin().location() + ", " + idx.length + " of " + source.size() + " " + dataset
                + " test images chosen with seed " + ctx.seed() + conversion;
        ImageSet images = ProbeSupport.images(ctx, name, px, labels, location, source.origin().sha256(),
                source.origin().verified());
        String description = conversion.isEmpty() ? sentence
                : sentence.substring(0, sentence.length() - 1) + conversion + ".";
        return new ProbeImages(name, kind, images, labelled, false, description);
    }

    /** What {@link ImageOps#reshape} does, in the order it does it. */
    private static String conversion(int c, int h, int w, int channels, int height, int width) {
        List<String> steps = new java.util.ArrayList<>();
        if (c != channels && channels == 1) {
            steps.add("channels averaged to grey");
        }
        if (h != height || w != width) {
            steps.add((h > height || w > width ? "area-averaged" : "bilinear") + " resize");
        }
        if (c != channels && c == 1) {
            steps.add("grey copied to " + channels + " channels");
        }
        return String.join(", ", steps);
    }

    /**
     * The test split of {@code dataset} from the default locations with {@code dataDir} as the
     * user directory, kept for the next call.
     *
     * @throws ProbeUnavailableException with the loader's message when the data are not here
     */
    static ImageSet loadTest(String dataset, Path dataDir) {
        DataLocations loc = DataLocations.defaults(dataDir);
        CacheKey key = new CacheKey(dataset, loc.userDir(), loc.cacheDir(), loc.sharedDir());
        SoftReference<ImageSet> ref = LOADED.get(key);
        ImageSet set = ref == null ? null : ref.get();
        if (set != null) {
            return set;
        }
        try {
            set = DataCatalog.get(dataset).load(Splits.TEST, loc);
        } catch (DataUnavailableException e) {
            throw new ProbeUnavailableException(e);
        }
        LOADED.put(key, new SoftReference<>(Objects.requireNonNull(set)));
        return set;
    }
}
