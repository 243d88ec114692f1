package org.calibkit.calibration.charts;

import java.util.List;
import java.util.Objects;

/**
 * Curves of shares in [0, 1] against an x axis (accuracy, mean confidence and ECE against the
 * intensity of a shift, as in Ovadia et al. 2019), or, with {@link #scatter}, points against a
 * diagonal (estimated against true accuracy: on the diagonal an estimate is exact).
 */
public final class LineChart implements ChartData {
    /** One curve (or set of points): x and y of the same non-zero length; {@code dashed} draws it dashed. */
    public record Curve(String name, double[] x, double[] y, boolean dashed) {
        public Curve {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length || x.length == 0) {
                throw new IllegalArgumentException("Expected x and y of the same non-zero length, but got " + x.length
                        + " and " + y.length + " for " + name);
            }
            x = x.clone();
            y = y.clone();
        }

        @Override
        public double[] x() {
            return x.clone();
        }

        @Override
        public double[] y() {
            return y.clone();
        }
    }

    private final String title;
    private final String xTitle;
    private final String yTitle;
    private final List<Curve> curves;
    private final boolean scatter;

    private LineChart(String title, String xTitle, String yTitle, List<Curve> curves, boolean scatter) {
        this.title = title;
        this.xTitle = xTitle;
        this.yTitle = yTitle;
        this.curves = curves;
        this.scatter = scatter;
    }

    /** Lines of y in [0, 1] against x. @throws IllegalArgumentException for no curve */
    public static LineChart lines(String title, String xTitle, String yTitle, List<Curve> curves) {
        return new LineChart(Objects.requireNonNull(title, "title"), xTitle, yTitle, nonEmpty(curves), false);
    }

    /** Points in [0, 1] x [0, 1] with the diagonal y = x drawn. @throws IllegalArgumentException for no curve */
    public static LineChart scatter(String title, String xTitle, String yTitle, List<Curve> points) {
        return new LineChart(Objects.requireNonNull(title, "title"), xTitle, yTitle, nonEmpty(points), true);
    }

    private static List<Curve> nonEmpty(List<Curve> curves) {
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one curve, but got none");
        }
        return List.copyOf(curves);
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.line(this);
    }

    /** The x axis' title. */
    public String xTitle() {
        return xTitle;
    }

    /** The y axis' title. */
    public String yTitle() {
        return yTitle;
    }

    /** The curves, in legend order. */
    public List<Curve> curves() {
        return curves;
    }

    /** Whether these are points against the diagonal rather than lines. */
    public boolean isScatter() {
        return scatter;
    }
}
