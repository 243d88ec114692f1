package org.calibkit.core.data.synth;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.Shape;
import java.awt.font.FontRenderContext;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.data.Checksums;

/**
 * The fixed list of TrueType faces the synthetic digits are drawn with, and their digit
 * outlines.
 *
 * <p>Why font files and not Java's logical fonts ({@code Serif}, {@code SansSerif},
 * {@code Monospaced}, {@code Dialog}): OpenJDK on Debian bundles no fonts and maps the logical
 * names through fontconfig to whatever happens to be installed, so the same seed could draw
 * different glyphs on two machines. Reading named files from two Debian packages
 * ({@code fonts-dejavu-core}, which fontconfig itself pulls in, and {@code fonts-liberation};
 * {@code .ci/run} installs both when missing) makes the images a function of the seed alone.
 * Glyphs are used as vector outlines (no hinting) and filled by Java2D's own rasteriser.
 */
final class DigitFonts {
    /** Debian package and file of each face. */
    record Face(String debianPackage, Path file) { }

    static final Path DEJAVU = Path.of("/usr/share/fonts/truetype/dejavu");
    static final Path LIBERATION = Path.of("/usr/share/fonts/truetype/liberation");

    static final List<Face> FACES = List.of(
            new Face("fonts-dejavu-core", DEJAVU.resolve("DejaVuSans.ttf")),
            new Face("fonts-dejavu-core", DEJAVU.resolve("DejaVuSans-Bold.ttf")),
            new Face("fonts-dejavu-core", DEJAVU.resolve("DejaVuSerif.ttf")),
            new Face("fonts-dejavu-core", DEJAVU.resolve("DejaVuSerif-Bold.ttf")),
            new Face("fonts-dejavu-core", DEJAVU.resolve("DejaVuSansMono.ttf")),
            new Face("fonts-dejavu-core", DEJAVU.resolve("DejaVuSansMono-Bold.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSans-Regular.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSans-Bold.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSans-Italic.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSans-BoldItalic.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSansNarrow-Regular.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSansNarrow-Bold.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSerif-Regular.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSerif-Bold.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSerif-Italic.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationSerif-BoldItalic.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationMono-Regular.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationMono-Bold.ttf")),
            new Face("fonts-liberation", LIBERATION.resolve("LiberationMono-Italic.ttf")));

    /** Outline size in font units used for the cached glyphs. */
    private static final float REFERENCE_SIZE = 100f;

    /** One face's ten digit outlines (baseline at y = 0, y growing downwards) and their bounds. */
    record Glyphs(String name, Shape[] digits, Rectangle2D[] bounds) { }

    private static volatile List<Glyphs> loaded;
    private static volatile String digest;

    private DigitFonts() { }

    /** The digit outlines of every face, loaded once. */
    static List<Glyphs> glyphs() {
        List<Glyphs> g = loaded;
        if (g == null) {
            synchronized (DigitFonts.class) {
                g = loaded;
                if (g == null) {
                    g = load();
                    loaded = g;
                }
            }
        }
        return g;
    }

    /**
     * SHA-256 over the SHA-256 of every face file, in list order: identifies the exact glyphs, so a
     * machine with other font versions (which would draw other bytes for a seed) is recognised.
     */
    static String digest() {
        String d = digest;
        if (d == null) {
            glyphs();   // fails clearly when a file is missing
            StringBuilder all = new StringBuilder();
            for (Face f : FACES) {
                all.append(Checksums.sha256(f.file())).append('\n');
            }
            d = Checksums.sha256(all.toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            digest = d;
        }
        return d;
    }

    private static List<Glyphs> load() {
        List<Glyphs> out = new ArrayList<>();
        FontRenderContext frc = new FontRenderContext(new AffineTransform(), true, true);
        for (Face face : FACES) {
            if (!Files.isRegularFile(face.file())) {
                throw new CalibkitException("synthetic digits need the font file " + face.file()
                        + " from the Debian package " + face.debianPackage()
                        + " (install it: apt-get install " + face.debianPackage() + ")");
            }
            Font font;
            try {
                font = Font.createFont(Font.TRUETYPE_FONT, face.file().toFile()).deriveFont(REFERENCE_SIZE);
            } catch (FontFormatException | IOException e) {
                throw new CalibkitException("cannot read font file " + face.file() + ": " + e.getMessage(), e);
            }
            Shape[] shapes = new Shape[10];
            Rectangle2D[] bounds = new Rectangle2D[10];
            for (int d = 0; d < 10; d++) {
                GlyphVector gv = font.createGlyphVector(frc, Character.toString((char) ('0' + d)));
                Shape outline = new Path2D.Float(gv.getGlyphOutline(0));
                Rectangle2D b = outline.getBounds2D();
                if (b.isEmpty()) {
                    throw new CalibkitException("font file " + face.file() + " has no outline for digit " + d);
                }
                shapes[d] = outline;
                bounds[d] = b;
            }
            String name = face.file().getFileName().toString().replace(".ttf", "");
            out.add(new Glyphs(name, shapes, bounds));
        }
        return List.copyOf(out);
    }
}
