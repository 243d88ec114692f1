package org.calibkit.calibration.charts;

/** The numbers behind one chart, ready for {@link ChartRenderer}. Implementations are immutable. */
public sealed interface ChartData permits ReliabilityDiagram, ConfidenceHistogram, ClasswiseReliability, OodHistogram,
        RiskCoverageChart, SetSizeHistogram, LineChart {
    /** The chart's title as the user gave it (escaped by the renderer where the format needs it). */
    String title();

    /** Calls the {@code visitor}'s method for this chart's type: typed dispatch, so no caller casts. */
    <R> R accept(Visitor<R> visitor);

    /** One method per chart type: a new type of chart is a compile error in every visitor until handled. */
    interface Visitor<R> {
        R reliability(ReliabilityDiagram d);

        R confidence(ConfidenceHistogram h);

        R classwise(ClasswiseReliability c);

        R ood(OodHistogram o);

        R riskCoverage(RiskCoverageChart r);

        R setSize(SetSizeHistogram h);

        R line(LineChart l);
    }
}
