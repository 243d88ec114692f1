package org.calibkit.report.doctor;

/**
 * How hard {@link Doctor} looks. Start from {@link #defaults()}.
 *
 * @param sample     labelled images in the seeded sample (&gt;= 20)
 * @param firstLook  images every convention is tried on before the clearly worse ones stop (&gt;= 10, &lt;= sample)
 * @param stopMargin a convention stops after the first look when its accuracy is this far below the best so far (in (0, 1])
 * @param seed       the sample's seed
 */
public record DoctorOptions(int sample, int firstLook, double stopMargin, long seed) {
    public DoctorOptions {
        if (sample < 20) {
            throw new IllegalArgumentException("Expected the doctor's sample to be at least 20 images, but got " + sample);
        }
        if (firstLook < 10 || firstLook > sample) {
            throw new IllegalArgumentException("Expected the doctor's first look to be between 10 and the sample ("
                    + sample + ") images, but got " + firstLook);
        }
        if (!(stopMargin > 0 && stopMargin <= 1)) {
            throw new IllegalArgumentException("Expected the doctor's stop margin in (0, 1], but got " + stopMargin);
        }
    }

    /** 300 images, a first look at 100, stop 20 accuracy points below the best, seed 1. */
    public static DoctorOptions defaults() {
        return new DoctorOptions(300, 100, 0.2, 1);
    }

    /** The audit's quick check: 200 images, a first look at 60. */
    public static DoctorOptions quick() {
        return new DoctorOptions(200, 60, 0.2, 1);
    }

    /** With another sample size (the first look shrinks with it when needed). */
    public DoctorOptions withSample(int n) {
        return new DoctorOptions(n, Math.min(firstLook, Math.max(10, n / 3)), stopMargin, seed);
    }

    /** With another seed. */
    public DoctorOptions withSeed(long s) {
        return new DoctorOptions(sample, firstLook, stopMargin, s);
    }
}
