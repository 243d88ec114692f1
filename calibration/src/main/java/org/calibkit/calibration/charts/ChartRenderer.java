package org.calibkit.calibration.charts;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;

import de.erichseifert.vectorgraphics2d.Document;
import de.erichseifert.vectorgraphics2d.VectorGraphics2D;
import de.erichseifert.vectorgraphics2d.svg.SVGProcessor;
import de.erichseifert.vectorgraphics2d.util.PageSize;

/**
 * Renders {@link ChartData} with XChart, headless: {@link #png} gives PNG bytes and {@link #svg}
 * SVG text of the requested size. A chart of one panel goes through XChart's own encoders
 * ({@code BitmapEncoder.getBitmapBytes}, {@code VectorGraphicsEncoder}); charts of several panels
 * (the reliability diagram with its share-of-samples strip, the per-class grid) paint XChart
 * charts side by side onto one canvas ({@code ChartCanvas}). Each chart type has its renderer
 * ({@code ReliabilityRenderer}, ...), reached through {@link ChartData.Visitor}; the shared look is
 * {@code ChartStyle}, the SVG post-processing {@code SvgText}.
 *
 * <p>User text (titles, class names) is safe in both formats: XChart draws text as glyph outlines,
 * and everything written as SVG text, including the {@code <title>} and {@code <desc>} elements
 * this renderer adds for screen readers, is XML-escaped.
 */
public final class ChartRenderer {
    private static final int MIN_SIZE = 100;
    private static final int MAX_SIZE = 20_000;

    /** One chart bound to its type's renderer. */
    private interface Bound {
        String describe();

        ChartCanvas canvas(int width, int height);
    }

    /** The one dispatch on the chart's type. */
    private static final ChartData.Visitor<Bound> RENDERER = new ChartData.Visitor<>() {
        @Override
        public Bound reliability(ReliabilityDiagram d) {
            return bound(() -> ReliabilityRenderer.describe(d), (w, h) -> ReliabilityRenderer.canvas(d, w, h));
        }

        @Override
        public Bound confidence(ConfidenceHistogram c) {
            return bound(() -> ConfidenceRenderer.describe(c), (w, h) -> ChartCanvas.of(ConfidenceRenderer.chart(c, w, h), w, h));
        }

        @Override
        public Bound classwise(ClasswiseReliability c) {
            return bound(() -> ClasswiseRenderer.describe(c), (w, h) -> ClasswiseRenderer.canvas(c, w, h));
        }

        @Override
        public Bound ood(OodHistogram o) {
            return bound(() -> OodRenderer.describe(o), (w, h) -> ChartCanvas.of(OodRenderer.chart(o, w, h), w, h));
        }

        @Override
        public Bound riskCoverage(RiskCoverageChart r) {
            return bound(() -> RiskCoverageRenderer.describe(r), (w, h) -> ChartCanvas.of(RiskCoverageRenderer.chart(r, w, h), w, h));
        }

        @Override
        public Bound setSize(SetSizeHistogram s) {
            return bound(() -> SetSizeRenderer.describe(s), (w, h) -> ChartCanvas.of(SetSizeRenderer.chart(s, w, h), w, h));
        }

        @Override
        public Bound line(LineChart l) {
            return bound(() -> LineRenderer.describe(l), (w, h) -> ChartCanvas.of(LineRenderer.chart(l, w, h), w, h));
        }
    };

    private static Bound bound(java.util.function.Supplier<String> describe,
                               java.util.function.BiFunction<Integer, Integer, ChartCanvas> canvas) {
        return new Bound() {
            @Override
            public String describe() {
                return describe.get();
            }

            @Override
            public ChartCanvas canvas(int width, int height) {
                return canvas.apply(width, height);
            }
        };
    }

    private ChartRenderer() {
    }

    /**
     * The chart as PNG bytes of exactly {@code width x height} pixels.
     *
     * @throws IllegalArgumentException for a size outside [100, 20000]
     */
    public static byte[] png(ChartData data, int width, int height) {
        ChartCanvas canvas = layout(data, width, height);
        try {
            if (canvas.single()) {
                return BitmapEncoder.getBitmapBytes(canvas.panels.get(0).chart(), BitmapEncoder.BitmapFormat.PNG);
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
        ChartCanvas canvas = layout(data, width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (canvas.single()) {
                VectorGraphicsEncoder.saveVectorGraphic(canvas.panels.get(0).chart(), out,
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
        return SvgText.withTitle(out.toString(StandardCharsets.UTF_8), data.title(), describe(data));
    }

    /** One-line plain-text description of the chart, for the SVG {@code <desc>} and alt text. */
    public static String describe(ChartData data) {
        return Objects.requireNonNull(data, "data").accept(RENDERER).describe();
    }

    /** Escapes text for XML content and attribute values. */
    static String xmlEscape(String s) {
        return SvgText.xmlEscape(s);
    }

    private static ChartCanvas layout(ChartData data, int width, int height) {
        Objects.requireNonNull(data, "data");
        size("width", width);
        size("height", height);
        return data.accept(RENDERER).canvas(width, height);
    }

    private static void size(String name, int v) {
        if (v < MIN_SIZE || v > MAX_SIZE) {
            throw new IllegalArgumentException("Expected chart " + name + " in [" + MIN_SIZE + ", " + MAX_SIZE
                    + "] pixels, but got " + v);
        }
    }
}
