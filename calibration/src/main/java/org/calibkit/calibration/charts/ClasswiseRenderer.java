package org.calibkit.calibration.charts;

import java.util.Locale;

import org.knowm.xchart.XYChart;

/** The grid of per-class reliability diagrams under one heading. */
final class ClasswiseRenderer {
    private ClasswiseRenderer() {
    }

    /** The one-line description (SVG {@code <desc>}, alt text). */
    static String describe(ClasswiseReliability c) {
        return String.format(Locale.ROOT, "Per-class reliability diagrams, classwise ECE %.4f, classes: %s",
                c.classwiseEce(), String.join(", ", c.classNames()));
    }

    /** The chart laid out on a canvas of the given size. */
    static ChartCanvas canvas(ClasswiseReliability cr, int width, int height) {
        return classwiseCanvas(cr, width, height);
    }

    private static ChartCanvas classwiseCanvas(ClasswiseReliability cr, int width, int height) {
        int k = cr.numClasses();
        int cols = (int) Math.ceil(Math.sqrt(k * (double) width / height));
        cols = Math.max(1, Math.min(k, cols));
        int rows = (k + cols - 1) / cols;
        int headingSize = Math.max(12, Math.min(28, Math.round(Math.min(width, height) / 36f)));
        int headingHeight = cr.title().isBlank() ? 0 : headingSize * 2;
        int pw = width / cols;
        int ph = (height - headingHeight) / rows;
        if (pw < 60 || ph < 60) {
            throw new IllegalArgumentException("A grid of " + k + " classes needs a larger canvas than "
                    + width + " x " + height + " (each panel would be " + pw + " x " + ph + " pixels)");
        }
        float font = Math.max(9f, Math.min(15f, Math.min(pw, ph) / 20f));
        ChartCanvas c = new ChartCanvas(width, height, cr.title(), headingSize);
        for (int j = 0; j < k; j++) {
            ReliabilityDiagram d = cr.diagram(j);
            String t = String.format(Locale.ROOT, "%s (ECE %.3f)", d.title(), d.ece());
            XYChart chart = ReliabilityRenderer.reliabilityChart(d.withTitle(t), pw, ph, font, false);
            c.panels.add(new ChartCanvas.Panel(chart, (j % cols) * pw, headingHeight + (j / cols) * ph, pw, ph));
        }
        return c;
    }
}
