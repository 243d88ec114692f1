package org.calibkit.report.shift;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

import org.calibkit.core.ImageSet;
import org.calibkit.core.corrupt.Corruption;
import org.calibkit.core.corrupt.Shifts;

/**
 * One axis of shift intensity, as in Ovadia et al. 2019 ("Can you trust your model's
 * uncertainty?"): a name, the unit of its intensity, and its points, each a seeded transform of
 * the clean images.
 *
 * @param name   {@code rotation}, {@code translation} or a corruption's key ({@code mnist-c/fog})
 * @param unit   what the intensity counts: {@code degrees}, {@code pixels} or {@code severity}
 * @param points in order of growing intensity
 */
public record Sweep(String name, String unit, List<Point> points) {
    /**
     * One point of a sweep.
     *
     * @param name      e.g. {@code rotation/45}, {@code mnist-c/fog/3}
     * @param intensity the angle, the pixels or the severity
     * @param transform the clean images to the shifted ones (given the seed)
     */
    public record Point(String name, double intensity, Transform transform) {
        public Point {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(transform, "transform");
        }
    }

    /** A seeded transform of a whole image set. */
    @FunctionalInterface
    public interface Transform {
        ImageSet apply(ImageSet clean, long seed);
    }

    public Sweep {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(unit, "unit");
        points = List.copyOf(points);
        if (points.isEmpty()) {
            throw new IllegalArgumentException("sweep " + name + " needs at least one point");
        }
    }

    /** Rotation counter-clockwise by 0, 15, ..., 180 degrees ({@link Shifts#rotate}). */
    public static Sweep rotation() {
        List<Point> p = new ArrayList<>();
        for (int a = 0; a <= 180; a += 15) {
            int deg = a;
            p.add(new Point("rotation/" + a, a, (img, seed) -> Shifts.rotate(img, deg)));
        }
        return new Sweep("rotation", "degrees", p);
    }

    /** Horizontal translation by 0, 1, ..., 14 pixels, left or right at random per image ({@link Shifts#translate}). */
    public static Sweep translation() {
        List<Point> p = new ArrayList<>();
        for (int s = 0; s <= 14; s++) {
            int px = s;
            p.add(new Point("translation/" + s, s, (img, seed) -> Shifts.translate(img, px, seed)));
        }
        return new Sweep("translation", "pixels", p);
    }

    /** Severities 1..5 of one corruption, named {@code family/corruption/severity}. */
    public static Sweep corruption(Corruption c) {
        Objects.requireNonNull(c, "corruption");
        List<Point> p = new ArrayList<>();
        for (int s = 1; s <= Corruption.SEVERITIES; s++) {
            int sev = s;
            p.add(new Point(c.key(s), s, (img, seed) -> c.apply(img, sev, seed)));
        }
        return new Sweep(c.key(), "severity", p);
    }

    /** The same sweep with only the points {@code keep} accepts (e.g. fewer angles for a quick run). */
    public Sweep filter(java.util.function.Predicate<Point> keep) {
        return new Sweep(name, unit, points.stream().filter(keep).toList());
    }

    /** A sweep of any transforms without a seed, for callers' own shifts. */
    public static Point point(String name, double intensity, UnaryOperator<ImageSet> transform) {
        return new Point(name, intensity, (img, seed) -> transform.apply(img));
    }
}
