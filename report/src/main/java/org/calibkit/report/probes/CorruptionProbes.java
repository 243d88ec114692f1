package org.calibkit.report.probes;

import java.util.List;

import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.CorruptionPoint;
import org.calibkit.core.corrupt.Corruptions;

/**
 * The corruption families of {@link Corruptions} as probes: one labelled {@link ProbeKind#SHIFT}
 * probe per point, named {@code family/corruption/severity} (e.g. {@code mnist-c/rotate/3}). Each
 * corrupts the same test images the other test-image probes transform
 * ({@link TestImageProbes#sample}), with the context's seed, so all points are paired.
 * They are not in {@link Probes#all()}: {@code --probes mnist-c} (or a corruption, or one point)
 * selects them.
 */
final class CorruptionProbes {
    private CorruptionProbes() {
    }

    /** The probes of every point {@code spec} names ({@link Corruptions#select}). */
    static List<Probe> select(String spec) {
        return Corruptions.select(spec).stream().map(CorruptionProbes::probe).toList();
    }

    static Probe probe(CorruptionPoint point) {
        String name = point.name();
        String sentence = "Test images corrupted by " + point.corruption().description().replaceAll("\\.$", "")
                + ", severity " + point.severity() + " of 5 (" + point.setting() + ").";
        return new BuiltInProbe(name, sentence, ProbeKind.SHIFT, ctx -> {
            ImageSet test = ctx.test();
            int[] idx = TestImageProbes.sample(ctx);
            int per = test.pixelsPerImage();
            float[] src = test.rawPixels();
            float[] px = new float[ProbeSupport.length(ctx, idx.length)];
            int[] labels = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(src, idx[i] * per, px, i * per, per);
                labels[i] = test.label(idx[i]);
            }
            String location = test.origin().dataset() + "/" + test.origin().split() + " (" + test.origin().location()
                    + "), " + idx.length + " images chosen with seed " + ctx.seed();
            ImageSet chosen = ProbeSupport.images(ctx, name, px, labels, location, test.origin().sha256(),
                    test.origin().verified());
            return new ProbeImages(name, ProbeKind.SHIFT, point.apply(chosen, ctx.seed()), true, false, sentence);
        });
    }
}
