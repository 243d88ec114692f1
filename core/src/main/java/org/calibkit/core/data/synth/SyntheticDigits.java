// Over 400 lines: one generator: the stroke font of the ten digits, the distortions and both file layouts (IDX and SVHN .mat) it writes; split, the glyph table would lose its only reader.
package org.calibkit.core.data.synth;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;

/**
 * Synthetic house-number-like colour digits in SVHN's layout: 32x32 RGB, labels 0..9, pixel
 * values 0..255. They exist because the real SVHN files cannot be downloaded everywhere;
 * they are <b>not SVHN</b> and are always named {@code synthetic-svhn}.
 *
 * <p>Each image shows one centred digit (the label) drawn from one of 19 TrueType faces (see
 * {@link #fontFiles()}), with random digit and background colours of at least
 * {@value #MIN_CONTRAST} levels of luminance contrast (dark-on-light and light-on-dark both
 * occur), a background gradient and low-frequency texture, sometimes a shadow or a plate edge,
 * neighbouring digits partly visible at the left and right edges (as in SVHN's crops), a small
 * rotation, shear, scale and shift, then Gaussian blur and Gaussian pixel noise, rounded to
 * 8 bits.
 *
 * <p>Determinism: image {@code i} of a set depends only on {@code (seed, i)} (each image has its
 * own random stream), so generation is parallel yet byte-identical for a seed, whatever the
 * number of threads. Labels are exactly balanced: counts differ by at most one.
 */
public final class SyntheticDigits {
    /** Image height and width. */
    public static final int SIZE = 32;
    /** Colour channels. */
    public static final int CHANNELS = 3;
    /** Smallest luminance difference (0..255, Rec. 601 weights) between digit and background. */
    public static final int MIN_CONTRAST = 45;
    /** Class names, index = digit. */
    public static final List<String> CLASS_NAMES =
            List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    /**
     * Version of the drawing procedure. Bump it whenever a change alters the images a seed gives,
     * so that cached generated files from an older version are regenerated.
     */
    public static final int GENERATOR_VERSION = 1;

    private static final int PLANE = SIZE * SIZE;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private SyntheticDigits() { }

    /**
     * Generated images as unsigned bytes.
     *
     * @param pixels channels-first, (count, 3, 32, 32) row-major, values 0..255 as unsigned bytes
     * @param labels digit of each image, 0..9
     * @param seed   the seed they were generated from
     */
    public record Images(byte[] pixels, int[] labels, long seed) {
        /** Number of images. */
        public int count() {
            return labels.length;
        }

        /** The images as an {@link ImageSet} (floats 0..255, shape (n, 3, 32, 32)). */
        public ImageSet toImageSet(DataOrigin origin) {
            float[] f = new float[pixels.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = pixels[i] & 0xFF;
            }
            return new ImageSet(f, labels.clone(), CHANNELS, SIZE, SIZE, CLASS_NAMES, origin);
        }
    }

    /** The font files the digits are drawn with (Debian packages fonts-dejavu-core and fonts-liberation). */
    public static List<String> fontFiles() {
        return DigitFonts.FACES.stream().map(f -> f.file() + " (" + f.debianPackage() + ")").toList();
    }

    /** SHA-256 identifying the font files in use (see {@link #fontFiles()}); recorded with generated files. */
    public static String fontsDigest() {
        return DigitFonts.digest();
    }

    /**
     * The seed of the test set that goes with a training seed: a different, well-mixed stream,
     * so training and test images never coincide.
     */
    public static long testSeed(long seed) {
        return mix64(seed ^ (0x5DEECE66DL + GOLDEN));
    }

    /**
     * Generates {@code count} images for {@code seed}, in parallel.
     *
     * @throws CalibkitException when count is negative or a font file is missing
     */
    public static Images generate(int count, long seed) {
        if (count < 0) {
            throw new CalibkitException("count must be >= 0, got " + count);
        }
        List<DigitFonts.Glyphs> faces = DigitFonts.glyphs();
        int[] labels = balancedLabels(count, seed);
        byte[] pixels = new byte[Math.multiplyExact(count, CHANNELS * PLANE)];
        ThreadLocal<Painter> painters = ThreadLocal.withInitial(Painter::new);
        IntStream.range(0, count).parallel().forEach(i -> painters.get().paint(faces,
                new SplittableRandom(mix64(seed + GOLDEN * (i + 1L))), labels[i], pixels, i * CHANNELS * PLANE));
        return new Images(pixels, labels, seed);
    }

    /** Labels i mod 10, shuffled by a seeded Fisher-Yates shuffle. */
    static int[] balancedLabels(int count, long seed) {
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        SplittableRandom r = new SplittableRandom(mix64(seed ^ 0x2545F4914F6CDD1DL));
        for (int i = count - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = labels[i];
            labels[i] = labels[j];
            labels[j] = t;
        }
        return labels;
    }

    /** Stafford's variant 13 of the SplitMix64 finaliser. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Per-thread scratch buffers and the one image-drawing routine. */
    private static final class Painter {
        private final BufferedImage mask = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        private final byte[] maskBytes = ((DataBufferByte) mask.getRaster().getDataBuffer()).getData();
        private final Graphics2D g = mask.createGraphics();
        private final float[] alpha = new float[PLANE];
        private final float[] shadow = new float[PLANE];
        private final float[] img = new float[CHANNELS * PLANE];
        private final float[] tmp = new float[PLANE];
        private final float[] texture = new float[PLANE];
        private final float[] padded = new float[SIZE + 2 * 8];

        Painter() {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        }

        void paint(List<DigitFonts.Glyphs> faces, SplittableRandom r, int label, byte[] out, int offset) {
            DigitFonts.Glyphs face = faces.get(r.nextInt(faces.size()));
            drawDigits(face, r, label);

            // colours: background bg -> bg2 along a gradient, digit fg -> fg2, contrast >= MIN_CONTRAST
            double[] bg = colour(r);
            double[] bg2 = jitter(bg, r, 45);
            double[] fg;
            double[] fg2;
            double minContrast = MIN_CONTRAST + 60 * r.nextDouble();
            int tries = 0;
            do {
                fg = colour(r);
                fg2 = jitter(fg, r, 20);
                tries++;
            } while (tries < 200 && contrast(fg, fg2, bg, bg2) < minContrast);
            if (contrast(fg, fg2, bg, bg2) < MIN_CONTRAST) {
                // pathological background (mid grey with a steep gradient): fall back to its opposite extreme
                double lum = luminance(bg);
                double v = lum < 128 ? 250 : 5;
                fg = new double[] {v, v, v};
                fg2 = fg;
                bg2 = bg;
            }

            // background: linear gradient + low-frequency luminance texture
            double angle = 2 * Math.PI * r.nextDouble();
            double ux = StrictMath.cos(angle);
            double uy = StrictMath.sin(angle);
            double fgAngle = 2 * Math.PI * r.nextDouble();
            double fx = StrictMath.cos(fgAngle);
            double fy = StrictMath.sin(fgAngle);
            valueNoise(r, 15 * r.nextDouble());
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int p = y * SIZE + x;
                    double t = ramp(x, y, ux, uy);
                    double tf = ramp(x, y, fx, fy);
                    float a = alpha[p];
                    for (int c = 0; c < CHANNELS; c++) {
                        double b = bg[c] + (bg2[c] - bg[c]) * t + texture[p];
                        double f = fg[c] + (fg2[c] - fg[c]) * tf;
                        img[c * PLANE + p] = (float) (b * (1 - a) + f * a);
                    }
                }
            }

            // sometimes the edge of the plate: a band of another colour along one border
            if (r.nextDouble() < 0.15) {
                plateEdge(r);
            }
            // sometimes a drop shadow, drawn under the digit
            if (r.nextDouble() < 0.15) {
                dropShadow(r, fg, bg);
            }

            blur(0.2 + 1.1 * r.nextDouble());
            double noise = 9 * r.nextDouble();
            for (int i = 0; i < img.length; i++) {
                double v = img[i] + noise * r.nextGaussian();
                long q = Math.round(v);
                out[offset + i] = (byte) (q < 0 ? 0 : q > 255 ? 255 : q);
            }
        }

        /** Renders the digit string's coverage into {@link #alpha} (0..1). */
        private void drawDigits(DigitFonts.Glyphs face, SplittableRandom r, int label) {
            Rectangle2D zero = face.bounds()[0];
            Rectangle2D cb = face.bounds()[label];
            double height = 15 + 10 * r.nextDouble();          // digit height in pixels
            double s = height / zero.getHeight();
            double aspect = 0.8 + 0.45 * r.nextDouble();
            double rot = Math.toRadians(-10 + 20 * r.nextDouble());
            double shear = r.nextDouble() < 0.25 ? -0.3 * r.nextDouble() : 0;
            double dx = -2 + 4 * r.nextDouble();
            double dy = -2 + 4 * r.nextDouble();

            Path2D.Float string = new Path2D.Float(face.digits()[label]);
            double sx = s * aspect;
            if (r.nextDouble() < 0.6) {               // left neighbour
                int d = r.nextInt(10);
                Rectangle2D nb = face.bounds()[d];
                double gap = (0.5 + 3.5 * r.nextDouble()) / sx;
                string.append(AffineTransform.getTranslateInstance(cb.getMinX() - gap - nb.getMaxX(), 0)
                        .createTransformedShape(face.digits()[d]), false);
            }
            if (r.nextDouble() < 0.6) {               // right neighbour
                int d = r.nextInt(10);
                Rectangle2D nb = face.bounds()[d];
                double gap = (0.5 + 3.5 * r.nextDouble()) / sx;
                string.append(AffineTransform.getTranslateInstance(cb.getMaxX() + gap - nb.getMinX(), 0)
                        .createTransformedShape(face.digits()[d]), false);
            }
            AffineTransform t = new AffineTransform();
            t.translate(SIZE / 2.0 + dx, SIZE / 2.0 + dy);
            t.rotate(rot);
            t.shear(shear, 0);
            t.scale(sx, s);
            t.translate(-cb.getCenterX(), -zero.getCenterY());
            Shape device = t.createTransformedShape(string);

            g.setColor(Color.BLACK);
            g.fillRect(0, 0, SIZE, SIZE);
            g.setColor(Color.WHITE);
            g.fill(device);
            if (r.nextDouble() < 0.3) {               // heavier strokes
                g.setStroke(new BasicStroke((float) (0.3 + 0.9 * r.nextDouble())));
                g.draw(device);
            }
            for (int p = 0; p < PLANE; p++) {
                alpha[p] = (maskBytes[p] & 0xFF) / 255f;
            }
        }

        private void plateEdge(SplittableRandom r) {
            double[] c = colour(r);
            int width = 1 + r.nextInt(3);
            int side = r.nextInt(4);
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    boolean in = switch (side) {
                        case 0 -> y < width;
                        case 1 -> y >= SIZE - width;
                        case 2 -> x < width;
                        default -> x >= SIZE - width;
                    };
                    if (in) {
                        int p = y * SIZE + x;
                        for (int ch = 0; ch < CHANNELS; ch++) {
                            img[ch * PLANE + p] = (float) c[ch];
                        }
                    }
                }
            }
        }

        /** Darkens (or lightens, for dark digits) the background where the shifted digit falls. */
        private void dropShadow(SplittableRandom r, double[] fg, double[] bg) {
            int ox = 1 + r.nextInt(2);
            int oy = 1 + r.nextInt(2);
            boolean darken = luminance(fg) > luminance(bg);
            double strength = 0.3 + 0.4 * r.nextDouble();
            for (int y = 0; y < SIZE; y++) {
                for (int x = 0; x < SIZE; x++) {
                    int sx = x - ox;
                    int sy = y - oy;
                    shadow[y * SIZE + x] = sx >= 0 && sy >= 0 ? alpha[sy * SIZE + sx] : 0f;
                }
            }
            for (int p = 0; p < PLANE; p++) {
                double k = shadow[p] * (1 - alpha[p]) * strength;
                for (int c = 0; c < CHANNELS; c++) {
                    float v = img[c * PLANE + p];
                    img[c * PLANE + p] = (float) (darken ? v * (1 - k) : v + (255 - v) * k);
                }
            }
        }

        /** Bilinearly upsampled 5x5 random grid, amplitude {@code amp}, into {@link #texture}. */
        private void valueNoise(SplittableRandom r, double amp) {
            double[] grid = new double[25];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = amp * (2 * r.nextDouble() - 1);
            }
            for (int y = 0; y < SIZE; y++) {
                double gy = y * 4.0 / (SIZE - 1);
                int y0 = Math.min((int) gy, 3);
                double wy = gy - y0;
                for (int x = 0; x < SIZE; x++) {
                    double gx = x * 4.0 / (SIZE - 1);
                    int x0 = Math.min((int) gx, 3);
                    double wx = gx - x0;
                    double top = grid[y0 * 5 + x0] * (1 - wx) + grid[y0 * 5 + x0 + 1] * wx;
                    double bot = grid[(y0 + 1) * 5 + x0] * (1 - wx) + grid[(y0 + 1) * 5 + x0 + 1] * wx;
                    texture[y * SIZE + x] = (float) (top * (1 - wy) + bot * wy);
                }
            }
        }

        /** Separable Gaussian blur of every channel, edges clamped (replicated). */
        private void blur(double sigma) {
            int radius = (int) Math.ceil(2.5 * sigma);
            int taps = 2 * radius + 1;
            float[] k = new float[taps];
            double sum = 0;
            for (int i = -radius; i <= radius; i++) {
                double v = StrictMath.exp(-(i * i) / (2 * sigma * sigma));
                k[i + radius] = (float) v;
                sum += v;
            }
            for (int i = 0; i < taps; i++) {
                k[i] /= (float) sum;
            }
            float[] line = padded;
            for (int c = 0; c < CHANNELS; c++) {
                int base = c * PLANE;
                for (int y = 0; y < SIZE; y++) {           // rows into tmp
                    int row = base + y * SIZE;
                    for (int i = 0; i < radius; i++) {
                        line[i] = img[row];
                        line[radius + SIZE + i] = img[row + SIZE - 1];
                    }
                    System.arraycopy(img, row, line, radius, SIZE);
                    for (int x = 0; x < SIZE; x++) {
                        float acc = 0;
                        for (int i = 0; i < taps; i++) {
                            acc += k[i] * line[x + i];
                        }
                        tmp[y * SIZE + x] = acc;
                    }
                }
                for (int x = 0; x < SIZE; x++) {           // columns back into img
                    for (int i = 0; i < radius; i++) {
                        line[i] = tmp[x];
                        line[radius + SIZE + i] = tmp[(SIZE - 1) * SIZE + x];
                    }
                    for (int y = 0; y < SIZE; y++) {
                        line[radius + y] = tmp[y * SIZE + x];
                    }
                    for (int y = 0; y < SIZE; y++) {
                        float acc = 0;
                        for (int i = 0; i < taps; i++) {
                            acc += k[i] * line[y + i];
                        }
                        img[base + y * SIZE + x] = acc;
                    }
                }
            }
        }
    }

    /** 0 at one corner of the image, 1 at the opposite one, along direction (ux, uy). */
    private static double ramp(int x, int y, double ux, double uy) {
        double half = (SIZE - 1) / 2.0;
        double extent = half * (Math.abs(ux) + Math.abs(uy));
        return 0.5 + ((x - half) * ux + (y - half) * uy) / (2 * extent);
    }

    /** A random colour; half of them desaturated towards their grey, as painted plates often are. */
    private static double[] colour(SplittableRandom r) {
        double[] c = {255 * r.nextDouble(), 255 * r.nextDouble(), 255 * r.nextDouble()};
        if (r.nextBoolean()) {
            double lum = luminance(c);
            double keep = 0.4 * r.nextDouble();
            for (int i = 0; i < 3; i++) {
                c[i] = lum + (c[i] - lum) * keep;
            }
        }
        return c;
    }

    private static double[] jitter(double[] c, SplittableRandom r, double amount) {
        double[] out = new double[3];
        for (int i = 0; i < 3; i++) {
            out[i] = Math.max(0, Math.min(255, c[i] + amount * (2 * r.nextDouble() - 1)));
        }
        return out;
    }

    /** Rec. 601 luma of an RGB colour on the 0..255 scale. */
    static double luminance(double[] c) {
        return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
    }

    /** Smallest luminance difference between the digit's and the background's extreme colours. */
    private static double contrast(double[] fg, double[] fg2, double[] bg, double[] bg2) {
        double f1 = luminance(fg);
        double f2 = luminance(fg2);
        double b1 = luminance(bg);
        double b2 = luminance(bg2);
        double fLo = Math.min(f1, f2);
        double fHi = Math.max(f1, f2);
        double bLo = Math.min(b1, b2) - 15;  // texture amplitude bound
        double bHi = Math.max(b1, b2) + 15;
        if (fLo >= bHi) {
            return fLo - bHi;
        }
        if (bLo >= fHi) {
            return bLo - fHi;
        }
        return 0;
    }
}
