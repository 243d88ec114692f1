package org.calibkit.calibration.charts;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * Renders {@link ChartData} with XChart, headless: {@link #png} gives PNG bytes and {@link #svg}
 * SVG text of the requested size. A chart of one panel goes through XChart's own encoders
 * ({@code BitmapEncoder.getBitmapBytes}, {@code VectorGraphicsEncoder}); charts of several panels
 * (the reliability diagram with its share-of-samples strip, the per-class grid) paint XChart
 * charts side by side onto one canvas.
 *
 * <p>User text (titles, class names) is safe in both formats: XChart draws text as glyph outlines,
 * and everything written as SVG text, including the {@code <title>} and {@code <desc>} elements
 * this renderer adds for screen readers, is XML-escaped.
 */
public final class ChartRenderer {
    private static final Color BAR_FILL = new Color(66, 114, 196, 200);
    private static final Color BAR_EDGE = new Color(31, 64, 128);
    private static final Color GAP_FILL = new Color(220, 40, 40, 70);
    private static final Color GAP_EDGE = new Color(200, 30, 30);
    private static final Color SHARE_FILL = new Color(120, 120, 120, 170);
    private static final Color IN_FILL = new Color(66, 114, 196, 110);
    private static final Color OUT_FILL = new Color(230, 120, 20, 110);
    private static final Color GRID = new Color(228, 228, 228);
    private static final Color ACCURACY_LINE = new Color(31, 64, 128);
    private static final Color CONFIDENCE_LINE = new Color(200, 30, 30);
    private static final int MIN_SIZE = 100;
    private static final int MAX_SIZE = 20_000;

    private ChartRenderer() {
    }

    /**
     * The chart as PNG bytes of exactly {@code width x height} pixels.
     *
     * @throws IllegalArgumentException for a size outside [100, 20000]
     */
    public static byte[] png(ChartData data, int width, int height) {
        Canvas canvas = layout(data, width, height);
        try {
            if (canvas.single()) {
                return BitmapEncoder.getBitmapBytes(canvas.panels.get(0).chart, BitmapEncoder.BitmapFormat.PNG);
            }
            BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            try {
                canvas.paint(g);
            } finally {
                g.dispose();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(img, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode chart '" + data.title() + "' as PNG", e);
        }
    }

    /**
     * The chart as an SVG document of {@code width x height} user units, with {@code <title>} and
     * {@code <desc>} elements carrying the (escaped) title and a one-line description.
     *
     * @throws IllegalArgumentException for a size outside [100, 20000]
     */
    public static String svg(ChartData data, int width, int height) {
        Canvas canvas = layout(data, width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (canvas.single()) {
                VectorGraphicsEncoder.saveVectorGraphic(canvas.panels.get(0).chart, out,
                        VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                VectorGraphics2D vg = new VectorGraphics2D();
                canvas.paint(vg);
                Document doc = new SVGProcessor().getDocument(vg.getCommands(), new PageSize(0, 0, width, height));
                doc.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not encode chart '" + data.title() + "' as SVG", e);
        }
        return withTitle(out.toString(StandardCharsets.UTF_8), data.title(), describe(data));
    }

    /** One-line plain-text description of the chart, for the SVG {@code <desc>} and alt text. */
    public static String describe(ChartData data) {
        if (data instanceof ReliabilityDiagram d) {
            return String.format(Locale.ROOT, "Reliability diagram: accuracy against confidence in %d bins, "
                    + "n=%d, accuracy %.4f, ECE %.4f", d.numBins(), d.total(), d.overallAccuracy(), d.ece());
        }
        if (data instanceof ConfidenceHistogram h) {
            return String.format(Locale.ROOT, "Confidence histogram in %d bins, n=%d, accuracy %.4f, "
                    + "mean confidence %.4f", h.numBins(), h.total(), h.accuracy(), h.meanConfidence());
        }
        if (data instanceof ClasswiseReliability c) {
            return String.format(Locale.ROOT, "Per-class reliability diagrams, classwise ECE %.4f, classes: %s",
                    c.classwiseEce(), String.join(", ", c.classNames()));
        }
        if (data instanceof RiskCoverageChart r) {
            return String.format(Locale.ROOT, "Risk-coverage curves (error rate among the predictions kept against "
                    + "the share kept) of %s", String.join(", ", r.names()));
        }
        if (data instanceof SetSizeHistogram h) {
            StringBuilder b = new StringBuilder("Conformal set sizes 0.." + h.numClasses() + ":");
            for (SetSizeHistogram.Series s : h.series()) {
                b.append(String.format(Locale.ROOT, " %s (n=%d)", s.name(), s.total()));
            }
            return b.toString();
        }
        OodHistogram o = (OodHistogram) data;
        return String.format(Locale.ROOT, "Histogram of %s: %d in-distribution and %d out-of-distribution scores",
                o.scoreName(), o.inTotal(), o.outTotal());
    }

    /** Escapes text for XML content and attribute values. */
    static String xmlEscape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&apos;");
                default -> {
                    // characters XML 1.0 forbids are dropped rather than written
                    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String withTitle(String svg, String title, String desc) {
        int open = svg.indexOf("<svg");
        int end = open < 0 ? -1 : svg.indexOf('>', open);
        if (end < 0) {
            throw new IllegalStateException("SVG encoder produced no <svg> element");
        }
        if (svg.charAt(end - 1) == '/') {
            // an empty root element: open it
            return svg.substring(0, end - 1) + ">" + "<title>" + xmlEscape(title) + "</title><desc>"
                    + xmlEscape(desc) + "</desc></svg>" + svg.substring(end + 1);
        }
        return svg.substring(0, end + 1) + "\n<title>" + xmlEscape(title) + "</title>\n<desc>" + xmlEscape(desc)
                + "</desc>" + svg.substring(end + 1);
    }

    // ---- layout -------------------------------------------------------------------------------

    /** XChart charts placed on one canvas, plus an optional heading drawn above them. */
    private static final class Canvas {
        final int width;
        final int height;
        final String heading;
        final int headingSize;
        final List<Panel> panels = new ArrayList<>();

        Canvas(int width, int height, String heading, int headingSize) {
            this.width = width;
            this.height = height;
            this.heading = heading;
            this.headingSize = headingSize;
        }

        boolean single() {
            return heading == null && panels.size() == 1;
        }

        void paint(Graphics2D g) {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            if (heading != null && !heading.isBlank()) {
                g.setColor(Color.BLACK);
                g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, headingSize));
                FontMetrics fm = g.getFontMetrics();
                int tw = fm.stringWidth(heading);
                g.drawString(heading, Math.max(4, (width - tw) / 2), fm.getAscent() + headingSize / 3);
            }
            for (Panel p : panels) {
                Graphics2D sub = (Graphics2D) g.create();
                try {
                    sub.translate(p.x, p.y);
                    sub.clipRect(0, 0, p.w, p.h);
                    p.chart.paint(sub, p.w, p.h);
                } finally {
                    sub.dispose();
                }
            }
        }
    }

    private record Panel(XYChart chart, int x, int y, int w, int h) {
    }

    private static Canvas layout(ChartData data, int width, int height) {
        Objects.requireNonNull(data, "data");
        size("width", width);
        size("height", height);
        if (data instanceof ReliabilityDiagram d) {
            return reliabilityCanvas(d, width, height);
        }
        if (data instanceof ConfidenceHistogram h) {
            Canvas c = new Canvas(width, height, null, 0);
            c.panels.add(new Panel(confidenceChart(h, width, height), 0, 0, width, height));
            return c;
        }
        if (data instanceof ClasswiseReliability cr) {
            return classwiseCanvas(cr, width, height);
        }
        Canvas c = new Canvas(width, height, null, 0);
        if (data instanceof RiskCoverageChart r) {
            c.panels.add(new Panel(riskCoverageChart(r, width, height), 0, 0, width, height));
            return c;
        }
        if (data instanceof SetSizeHistogram h) {
            c.panels.add(new Panel(setSizeChart(h, width, height), 0, 0, width, height));
            return c;
        }
        OodHistogram o = (OodHistogram) data;
        c.panels.add(new Panel(oodChart(o, width, height), 0, 0, width, height));
        return c;
    }

    private static void size(String name, int v) {
        if (v < MIN_SIZE || v > MAX_SIZE) {
            throw new IllegalArgumentException("Expected chart " + name + " in [" + MIN_SIZE + ", " + MAX_SIZE
                    + "] pixels, but got " + v);
        }
    }

    private static Canvas reliabilityCanvas(ReliabilityDiagram d, int width, int height) {
        int top = (int) Math.round(height * 0.74);
        float font = fontSize(width, height);
        XYChart main = reliabilityChart(d, width, top, font, true);
        XYChart strip = shareStrip(d, width, height - top, font);
        Canvas c = new Canvas(width, height, null, 0);
        c.panels.add(new Panel(main, 0, 0, width, top));
        c.panels.add(new Panel(strip, 0, top, width, height - top));
        return c;
    }

    private static Canvas classwiseCanvas(ClasswiseReliability cr, int width, int height) {
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
        Canvas c = new Canvas(width, height, cr.title(), headingSize);
        for (int j = 0; j < k; j++) {
            ReliabilityDiagram d = cr.diagram(j);
            String t = String.format(Locale.ROOT, "%s (ECE %.3f)", d.title(), d.ece());
            XYChart chart = reliabilityChart(d.withTitle(t), pw, ph, font, false);
            c.panels.add(new Panel(chart, (j % cols) * pw, headingHeight + (j / cols) * ph, pw, ph));
        }
        return c;
    }

    private static float fontSize(int width, int height) {
        return Math.max(10f, Math.min(22f, Math.min(width, height * 1.2f) / 42f));
    }

    private static XYChart base(int w, int h, String title, String xTitle, String yTitle, float font) {
        XYChart c = new XYChartBuilder().width(w).height(h).title(title == null ? "" : title)
                .xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        XYStyler s = c.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(Color.GRAY);
        s.setPlotGridLinesColor(GRID);
        s.setChartTitleBoxVisible(false);
        s.setChartTitleVisible(title != null && !title.isBlank());
        s.setChartFontColor(Color.BLACK);
        s.setAxisTickLabelsColor(Color.DARK_GRAY);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, Math.round(font * 1.15f)));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(font)));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(font * 0.85f)));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, Math.round(font * 0.85f)));
        s.setLegendBackgroundColor(new Color(255, 255, 255, 225));
        s.setLegendBorderColor(Color.LIGHT_GRAY);
        s.setChartPadding(Math.max(4, Math.round(font * 0.6f)));
        s.setToolTipsEnabled(false);
        s.setPlotContentSize(0.96);
        s.setAxisTitlePadding(Math.max(2, Math.round(font * 0.3f)));
        return c;
    }

    private static XYSeries polygon(XYChart c, String name, double[] x, double[] y, Color fill, Color edge) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
        s.setFillColor(fill);
        s.setLineColor(edge);
        s.setLineStyle(new BasicStroke(1f));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    private static XYSeries line(XYChart c, String name, double[] x, double[] y, Color color, float width,
            boolean dashed) {
        XYSeries s = c.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setLineStyle(dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                        new float[] {width * 3, width * 2}, 0f)
                : new BasicStroke(width));
        s.setMarker(SeriesMarkers.NONE);
        return s;
    }

    /** Rectangles {@code [lo_b, hi_b] x [bottom_b, top_b]} as one polygon series separated by NaN. */
    private static double[][] boxes(double[] lo, double[] hi, double[] bottom, double[] top) {
        List<double[]> pts = new ArrayList<>();
        for (int b = 0; b < lo.length; b++) {
            if (Double.isNaN(top[b]) || Double.isNaN(bottom[b])) {
                continue;
            }
            pts.add(new double[] {lo[b], bottom[b]});
            pts.add(new double[] {lo[b], top[b]});
            pts.add(new double[] {hi[b], top[b]});
            pts.add(new double[] {hi[b], bottom[b]});
            pts.add(new double[] {lo[b], bottom[b]});
            pts.add(new double[] {Double.NaN, Double.NaN});
        }
        double[][] xy = new double[2][pts.size()];
        for (int i = 0; i < pts.size(); i++) {
            xy[0][i] = pts.get(i)[0];
            xy[1][i] = pts.get(i)[1];
        }
        return xy;
    }

    private static XYChart reliabilityChart(ReliabilityDiagram d, int w, int h, float font, boolean full) {
        // a full diagram shows top-label confidence; grid panels show one class's probability
        XYChart c = full ? base(w, h, d.title(), "", "Accuracy", font)
                : base(w, h, d.title(), "Predicted probability", "Observed frequency", font);
        XYStyler s = c.getStyler();
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(1.0);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern("0.0");
        s.setXAxisTitleVisible(!full);
        s.setLegendVisible(full);
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        int nb = d.numBins();
        double[] lo = new double[nb];
        double[] hi = new double[nb];
        double[] zero = new double[nb];
        double[] acc = new double[nb];
        double[] conf = new double[nb];
        for (int b = 0; b < nb; b++) {
            lo[b] = d.lower(b);
            hi[b] = d.upper(b);
            acc[b] = d.accuracy(b);
            conf[b] = d.meanConfidence(b);
        }
        double[][] bars = boxes(lo, hi, zero, acc);
        polygon(c, "Accuracy", bars[0], bars[1], BAR_FILL, BAR_EDGE);
        double[][] gaps = boxes(lo, hi, acc, conf);
        polygon(c, String.format(Locale.ROOT, "Gap to mean confidence (ECE %.3f)", d.ece()), gaps[0], gaps[1],
                GAP_FILL, GAP_EDGE);
        line(c, "Perfect calibration", new double[] {0, 1}, new double[] {0, 1}, Color.DARK_GRAY, 1.5f, true);
        if (d.hasIntervals()) {
            List<double[]> pts = new ArrayList<>();
            double cap = 0.18 * (hi[0] - lo[0]);
            for (int b = 0; b < nb; b++) {
                double l = d.intervalLow(b);
                double u = d.intervalHigh(b);
                if (Double.isNaN(l) || Double.isNaN(u) || d.count(b) == 0) {
                    continue;
                }
                double m = (lo[b] + hi[b]) / 2;
                pts.add(new double[] {m - cap, l});
                pts.add(new double[] {m + cap, l});
                pts.add(new double[] {Double.NaN, Double.NaN});
                pts.add(new double[] {m, l});
                pts.add(new double[] {m, u});
                pts.add(new double[] {Double.NaN, Double.NaN});
                pts.add(new double[] {m - cap, u});
                pts.add(new double[] {m + cap, u});
                pts.add(new double[] {Double.NaN, Double.NaN});
            }
            if (!pts.isEmpty()) {
                double[] x = new double[pts.size()];
                double[] y = new double[pts.size()];
                for (int i = 0; i < x.length; i++) {
                    x[i] = pts.get(i)[0];
                    y[i] = pts.get(i)[1];
                }
                line(c, String.format(Locale.ROOT, "%.0f%% %s interval", 100 * d.intervalLevel(), d.intervalMethod()), x, y,
                        Color.BLACK, 1.3f, false);
            }
        }
        return c;
    }

    private static XYChart shareStrip(ReliabilityDiagram d, int w, int h, float font) {
        XYChart c = base(w, h, null, "Confidence", "Share", font);
        XYStyler s = c.getStyler();
        s.setYAxisDecimalPattern("0.0");
        s.setLegendVisible(false);
        shareBars(c, d, SHARE_FILL, Color.DARK_GRAY);
        return c;
    }

    /**
     * Draws the share of predictions per bin as bars on x in [0, 1], y from 0 to the next tenth
     * above the highest bar, and returns that top.
     */
    private static double shareBars(XYChart c, BinShares d, Color fill, Color edge) {
        int nb = d.numBins();
        double[] lo = new double[nb];
        double[] hi = new double[nb];
        double[] share = new double[nb];
        double max = 0;
        for (int b = 0; b < nb; b++) {
            lo[b] = d.lower(b);
            hi[b] = d.upper(b);
            share[b] = d.share(b);
            max = Math.max(max, share[b]);
        }
        double top = Math.min(1.0, Math.ceil(max * 10 + 1e-9) / 10);
        XYStyler s = c.getStyler();
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(top);
        s.setXAxisDecimalPattern("0.0");
        double[][] bars = boxes(lo, hi, new double[nb], share);
        polygon(c, "Share of predictions", bars[0], bars[1], fill, edge);
        return top;
    }

    private static XYChart confidenceChart(ConfidenceHistogram hist, int w, int h) {
        float font = fontSize(w, h);
        XYChart c = base(w, h, hist.title(), "Confidence", "Share of predictions", font);
        XYStyler s = c.getStyler();
        s.setYAxisDecimalPattern("0.00");
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        double top = shareBars(c, hist, BAR_FILL, BAR_EDGE);
        line(c, String.format(Locale.ROOT, "Accuracy %.3f", hist.accuracy()),
                new double[] {hist.accuracy(), hist.accuracy()}, new double[] {0, top}, ACCURACY_LINE, 2f, true);
        line(c, String.format(Locale.ROOT, "Mean confidence %.3f", hist.meanConfidence()),
                new double[] {hist.meanConfidence(), hist.meanConfidence()}, new double[] {0, top}, CONFIDENCE_LINE,
                2f, true);
        return c;
    }

    private static XYChart oodChart(OodHistogram o, int w, int h) {
        float font = fontSize(w, h);
        XYChart c = base(w, h, o.title(), o.scoreName(), "Density", font);
        XYStyler s = c.getStyler();
        double[] e = o.edges();
        int nb = o.numBins();
        double max = 0;
        for (int b = 0; b < nb; b++) {
            max = Math.max(max, Math.max(o.inDensity(b), o.outDensity(b)));
        }
        s.setXAxisMin(e[0]);
        s.setXAxisMax(e[nb]);
        s.setYAxisMin(0.0);
        s.setYAxisMax(max * 1.08);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        double[][] in = steps(e, o, true);
        double[][] out = steps(e, o, false);
        polygon(c, String.format(Locale.ROOT, "In-distribution (n=%d)", o.inTotal()), in[0], in[1], IN_FILL,
                new Color(31, 64, 128));
        polygon(c, String.format(Locale.ROOT, "Out-of-distribution (n=%d)", o.outTotal()), out[0], out[1],
                OUT_FILL, new Color(170, 80, 0));
        return c;
    }

    /** Series colours of multi-series charts, in order (colour-blind safe, after Okabe and Ito). */
    private static final Color[] SERIES = {new Color(0, 114, 178), new Color(213, 94, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(230, 159, 0)};

    private static XYChart riskCoverageChart(RiskCoverageChart r, int w, int h) {
        float font = fontSize(w, h);
        XYChart c = base(w, h, r.title(), "Coverage (share of predictions kept)", "Risk (error rate among kept)", font);
        XYStyler s = c.getStyler();
        double top = Math.max(r.maxRisk(), 0);
        for (double t : r.targets()) {
            top = Math.max(top, t);
        }
        top = top <= 0 ? 0.01 : top * 1.08;
        s.setXAxisMin(0.0);
        s.setXAxisMax(1.0);
        s.setYAxisMin(0.0);
        s.setYAxisMax(top);
        s.setXAxisDecimalPattern("0.0");
        s.setYAxisDecimalPattern(top < 0.05 ? "0.000" : "0.00");
        s.setLegendPosition(Styler.LegendPosition.InsideNW);
        int i = 0;
        for (RiskCoverageChart.Curve curve : r.curves()) {
            line(c, curve.name(), curve.coverage(), curve.risk(), SERIES[i++ % SERIES.length], 2f, false);
        }
        for (double t : r.targets()) {
            line(c, String.format(Locale.ROOT, "Target risk %.3g", t), new double[] {0, 1}, new double[] {t, t},
                    Color.GRAY, 1.2f, true);
        }
        return c;
    }

    private static XYChart setSizeChart(SetSizeHistogram hist, int w, int h) {
        float font = fontSize(w, h);
        XYChart c = base(w, h, hist.title(), "Set size (classes in the prediction set)", "Share of images", font);
        XYStyler s = c.getStyler();
        int k = hist.numClasses();
        int m = hist.series().size();
        double max = 0;
        for (SetSizeHistogram.Series se : hist.series()) {
            for (int size = 0; size <= k; size++) {
                max = Math.max(max, se.share(size));
            }
        }
        s.setXAxisMin(-0.6);
        s.setXAxisMax(k + 0.6);
        s.setYAxisMin(0.0);
        s.setYAxisMax(Math.min(1.0, Math.ceil(max * 10 + 1e-9) / 10));
        s.setXAxisDecimalPattern("0");
        s.setYAxisDecimalPattern("0.0");
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        double width = 0.8 / m;
        for (int j = 0; j < m; j++) {
            SetSizeHistogram.Series se = hist.series().get(j);
            double[] lo = new double[k + 1];
            double[] hi = new double[k + 1];
            double[] top = new double[k + 1];
            for (int size = 0; size <= k; size++) {
                lo[size] = size - 0.4 + j * width;
                hi[size] = lo[size] + width;
                top[size] = se.share(size);
            }
            double[][] bars = boxes(lo, hi, new double[k + 1], top);
            Color col = SERIES[j % SERIES.length];
            polygon(c, se.name(), bars[0], bars[1], new Color(col.getRed(), col.getGreen(), col.getBlue(), 190), col.darker());
        }
        return c;
    }

    /** Outline of a histogram as one closed polygon: up and down along the bin edges. */
    private static double[][] steps(double[] e, OodHistogram o, boolean in) {
        int nb = o.numBins();
        double[] x = new double[2 * nb + 2];
        double[] y = new double[2 * nb + 2];
        x[0] = e[0];
        y[0] = 0;
        for (int b = 0; b < nb; b++) {
            double v = in ? o.inDensity(b) : o.outDensity(b);
            x[1 + 2 * b] = e[b];
            y[1 + 2 * b] = v;
            x[2 + 2 * b] = e[b + 1];
            y[2 + 2 * b] = v;
        }
        x[2 * nb + 1] = e[nb];
        y[2 * nb + 1] = 0;
        return new double[][] {x, y};
    }
}
