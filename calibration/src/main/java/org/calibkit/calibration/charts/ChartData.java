package org.calibkit.calibration.charts;

/** The numbers behind one chart, ready for {@link ChartRenderer}. Implementations are immutable. */
public sealed interface ChartData permits ReliabilityDiagram, ConfidenceHistogram, ClasswiseReliability, OodHistogram,
        RiskCoverageChart, SetSizeHistogram {
    /** The chart's title as the user gave it (escaped by the renderer where the format needs it). */
    String title();
}
