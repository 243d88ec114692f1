package org.calibkit.calibration.charts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Risk-coverage curves of selective prediction (Geifman and El-Yaniv 2017): for each confidence
 * score, the error rate among the predictions kept (risk) against the share kept (coverage) as
 * the threshold on the score falls; optional target risks drawn as horizontal lines. The lower a
 * curve, the better its score orders right before wrong answers.
 */
public final class RiskCoverageChart implements ChartData {
    /** One curve: points in order of increasing coverage. */
    public record Curve(String name, double[] coverage, double[] risk) {
        public Curve {
            Objects.requireNonNull(name, "name");
            if (coverage.length != risk.length || coverage.length == 0) {
                throw new IllegalArgumentException("Expected coverage and risk of the same non-zero length, but got "
                        + coverage.length + " and " + risk.length + " for " + name);
            }
            coverage = coverage.clone();
            risk = risk.clone();
        }
    }

    private final String title;
    private final List<Curve> curves;
    private final double[] targets;

    private RiskCoverageChart(String title, List<Curve> curves, double[] targets) {
        this.title = title;
        this.curves = curves;
        this.targets = targets;
    }

    /**
     * @param curves  name to (coverage, risk) points
     * @param targets target risks to draw as dashed lines (may be empty)
     * @throws IllegalArgumentException for no curve or mismatched arrays
     */
    public static RiskCoverageChart of(String title, List<Curve> curves, double... targets) {
        Objects.requireNonNull(title, "title");
        if (curves.isEmpty()) {
            throw new IllegalArgumentException("Expected at least one risk-coverage curve, but got none");
        }
        return new RiskCoverageChart(title, List.copyOf(curves), targets.clone());
    }

    @Override
    public String title() { return title; }
    @Override public <R> R accept(Visitor<R> visitor) { return visitor.riskCoverage(this); }
    /** The curves, in legend order. */
    public List<Curve> curves() { return curves; }
    /** The target risks drawn. */
    public double[] targets() { return targets.clone(); }

    /** Largest finite risk of any curve (0 when none). */
    public double maxRisk() {
        double m = 0;
        for (Curve c : curves) {
            for (double r : c.risk()) {
                if (Double.isFinite(r)) {
                    m = Math.max(m, r);
                }
            }
        }
        return m;
    }

    /** Curve names to their number of points, for descriptions. */
    Map<String, Integer> sizes() {
        Map<String, Integer> m = new LinkedHashMap<>();
        curves.forEach(c -> m.put(c.name(), c.coverage().length));
        return m;
    }

    /** Names, in order. */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        curves.forEach(c -> out.add(c.name()));
        return out;
    }
}
