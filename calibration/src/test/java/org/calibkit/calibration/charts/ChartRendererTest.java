package org.calibkit.calibration.charts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.calibkit.calibration.Logits;
import org.calibkit.calibration.Probabilities;
import org.calibkit.calibration.ReliabilityBins;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.xml.sax.InputSource;

class ChartRendererTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final String EVIL = "<script>&\"'";

    private static Probabilities probabilities;
    private static int[] labels;
    private static double[] confidences;
    private static boolean[] correct;

    @BeforeAll
    static void data() {
        Random r = new Random(42);
        int n = 600;
        int k = 3;
        double[] z = new double[n * k];
        labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(k);
            for (int j = 0; j < k; j++) {
                z[i * k + j] = 3 * r.nextGaussian() + (j == labels[i] ? 2 : 0);
            }
        }
        probabilities = Logits.of(z, n, k).softmax();
        confidences = probabilities.maxProbability();
        int[] am = probabilities.argmax();
        correct = new boolean[n];
        for (int i = 0; i < n; i++) {
            correct[i] = am[i] == labels[i];
        }
    }

    private static List<ChartData> allCharts() {
        ReliabilityBins bins = ReliabilityBins.of(confidences, correct, 15);
        return List.of(
                ReliabilityDiagram.of(bins, EVIL).withIntervals(
                        BinAccuracyIntervals.bootstrap(confidences, correct, 15, 50, 0.95, 1)),
                ConfidenceHistogram.of(bins, EVIL),
                ClasswiseReliability.of(probabilities, labels, List.of("cat", EVIL, "dog"), 10, EVIL),
                OodHistogram.of(confidences, new double[] {0.4, 0.5, 0.5, 0.9}, 20, "max probability", EVIL));
    }

    @Test
    void pngHasSignatureAndRequestedSize() throws IOException {
        for (ChartData c : allCharts()) {
            byte[] png = ChartRenderer.png(c, 640, 480);
            assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(png, 8), c.getClass().getSimpleName());
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            assertEquals(640, img.getWidth());
            assertEquals(480, img.getHeight());
            // the data are drawn: the bars' fill over the white plot, alpha-blended by hand:
            // accuracy bars (66, 114, 196) at alpha 200/255 -> (107, 144, 209); the in-distribution
            // outline (66, 114, 196) at alpha 110/255 -> (173, 194, 230)
            int[] fill = c instanceof OodHistogram ? new int[] {173, 194, 230} : new int[] {107, 144, 209};
            int filled = 0;
            for (int y = 0; y < img.getHeight(); y++) {
                for (int x = 0; x < img.getWidth(); x++) {
                    int rgb = img.getRGB(x, y);
                    if (Math.abs((rgb >> 16 & 0xff) - fill[0]) <= 2 && Math.abs((rgb >> 8 & 0xff) - fill[1]) <= 2
                            && Math.abs((rgb & 0xff) - fill[2]) <= 2) {
                        filled++;
                    }
                }
            }
            assertTrue(filled > 200, c.getClass().getSimpleName() + ": only " + filled + " pixels of the bar fill");
        }
    }

    @Test
    void svgIsXmlWithEscapedUserText() throws Exception {
        for (ChartData c : allCharts()) {
            String svg = ChartRenderer.svg(c, 700, 500);
            Document doc = parse(svg);
            assertEquals("svg", doc.getDocumentElement().getLocalName() == null
                    ? doc.getDocumentElement().getNodeName() : doc.getDocumentElement().getLocalName());
            assertEquals(EVIL, doc.getElementsByTagName("title").item(0).getTextContent());
            assertTrue(svg.contains("&lt;script&gt;&amp;"), "escaped title in the SVG text");
            assertFalse(svg.contains("<script"), "no raw user markup in the SVG");
            assertTrue(doc.getElementsByTagName("desc").item(0).getTextContent().length() > 10);
        }
        String grid = ChartRenderer.svg(allCharts().get(2), 700, 500);
        assertTrue(parse(grid).getElementsByTagName("desc").item(0).getTextContent().contains(EVIL),
                "class names listed in the description");
    }

    private static Document parse(String svg) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        DocumentBuilder b = f.newDocumentBuilder();
        return b.parse(new InputSource(new StringReader(svg)));
    }

    @Test
    void xmlEscapeCoversMarkupAndControlCharacters() {
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&apos;b", ChartRenderer.xmlEscape("<a href=\"x\">&'b\u0001"));
    }

    @Test
    void sizesAreChecked() {
        ChartData c = allCharts().get(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChartRenderer.png(c, 10, 400));
        assertTrue(e.getMessage().contains("width") && e.getMessage().contains("10"), e.getMessage());
        ClasswiseReliability many = ClasswiseReliability.of(Probabilities.of(new double[200], 2, 100, false),
                new int[2], null, 10, "t");
        e = assertThrows(IllegalArgumentException.class, () -> ChartRenderer.png(many, 300, 300));
        assertTrue(e.getMessage().contains("100 classes"), e.getMessage());
    }

    @Test
    void writeAllWritesPngAndSvgAtomically(@TempDir Path dir) throws IOException {
        Map<String, ChartData> charts = new LinkedHashMap<>();
        charts.put("reliability", allCharts().get(0));
        charts.put("ood", allCharts().get(3));
        Path out = dir.resolve("sub");
        Files.createDirectories(out);
        Files.writeString(out.resolve("ood.svg"), "old");
        List<Path> written = Charts.writeAll(out, charts, 400, 300);
        assertEquals(List.of(out.resolve("reliability.png"), out.resolve("reliability.svg"), out.resolve("ood.png"),
                out.resolve("ood.svg")), written);
        assertTrue(Files.readString(out.resolve("ood.svg")).contains("<svg"), "replaced the old file");
        assertEquals(400, ImageIO.read(out.resolve("reliability.png").toFile()).getWidth());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(4, files.count(), "no temporary files left behind");
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Charts.writeAll(out, Map.of("../escape", allCharts().get(1)), 400, 300));
        assertTrue(e.getMessage().contains("../escape"), e.getMessage());
    }
}
