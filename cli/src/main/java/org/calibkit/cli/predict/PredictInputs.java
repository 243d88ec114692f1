package org.calibkit.cli.predict;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.calibkit.calibration.io.Npy;
import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.calibkit.core.data.IdxFiles;
import org.calibkit.core.data.images.ImageFolders;
import org.calibkit.core.data.images.ImageFormat;

/**
 * Reads what a user hands {@code calibkit predict}: image files (PNG, JPEG), IDX image files
 * (MNIST's format, gzipped or not) and NumPy {@code .npy} batches. Pixels stay as they are in the
 * file (an 8-bit PNG or a uint8 array is 0..255, calibkit's convention; a float array in 0..1 is
 * kept as 0..1, so the model's pixel-range check can refuse it with the numbers).
 *
 * <p>{@code .npy} layouts: {@code (n, h, w)} one channel; {@code (n, c, h, w)} or
 * {@code (n, h, w, c)} with c = 1 or 3 (channels-first when the second axis is 1 or 3 and the last
 * is not); {@code (h, w)} one image; {@code (n, c*h*w)} flat rows in height-width-channel order
 * when the model's image shape is known. dtypes uint8, int32, int64, float32, float64.
 */
public final class PredictInputs {

    private PredictInputs() {
    }

    /**
     * One input argument's images and a name per image for the output rows.
     *
     * @param images   the images (placeholder labels, the model's class names)
     * @param rowNames {@code file.png}, or {@code batch.npy[3]} for an image of a batch
     */
    public record Batch(ImageSet images, List<String> rowNames) {
    }

    /**
     * Reads every argument, in order; consecutive image files make one batch.
     *
     * @param files      image, IDX or .npy files
     * @param classNames the model's class names (carried by the image sets)
     * @param shape      the model's image shape {channels, height, width} when known (image files are
     *                   resized to it, flat .npy rows are shaped by it), else null (image files keep their size)
     * @throws CalibkitException naming the file and what does not fit
     */
    public static List<Batch> read(List<Path> files, List<String> classNames, int[] shape) {
        if (files.isEmpty()) {
            throw new CalibkitException("no input files given (" + ImageFormat.NAMES + " images, an IDX file or a .npy batch)");
        }
        List<Batch> out = new ArrayList<>();
        List<Path> images = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) {
                throw new CalibkitException("input " + f + (Files.exists(f) ? " is not a file" : " does not exist"));
            }
            String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
            if (ImageFormat.of(f) != null) { // by content: a GIF named .png and one named .gif are both GIFs
                images.add(f);
                continue;
            }
            if (ImageFormat.hasImageName(f)) {
                throw new CalibkitException("input " + f + " is named like an image but is not a " + ImageFormat.NAMES
                        + " image (by its first bytes)");
            }
            if (!images.isEmpty()) {
                out.add(imageFiles(images, classNames, shape));
                images = new ArrayList<>();
            }
            if (n.endsWith(".npy")) {
                out.add(npy(f, classNames, shape));
            } else if (n.contains("idx") || n.endsWith("-ubyte") || n.endsWith("-ubyte.gz")) {
                out.add(idx(f, classNames));
            } else {
                throw new CalibkitException("input " + f + " is not a " + ImageFormat.NAMES + " image, an IDX file "
                        + "(name with 'idx' or '-ubyte') or a .npy batch");
            }
        }
        if (!images.isEmpty()) {
            out.add(imageFiles(images, classNames, shape));
        }
        return out;
    }

    private static Batch imageFiles(List<Path> files, List<String> classNames, int[] shape) {
        ImageFolders.Options o = ImageFolders.Options.defaults();
        if (shape != null) {
            for (Path f : files) {
                refuseDistortion(f, shape);
            }
            o = new ImageFolders.Options(shape[1], shape[2], false,
                    shape[0] == 1 ? ImageFolders.Options.Channels.GRAY : ImageFolders.Options.Channels.RGB);
        }
        ImageSet s = ImageFolders.readFiles(files, classNames, null, o);
        return new Batch(s, files.stream().map(Path::toString).toList());
    }

    /** Largest relative difference of aspect ratio resized without a word (28x28 from 29x28 is fine). */
    static final double ASPECT_TOLERANCE = 0.05;

    /**
     * Refuses an image whose aspect ratio is not the model's: resizing 300x200 to 28x28 stretches
     * it by half, and the model answers just as surely about the distorted digit. (Colour to grey
     * is done without a word: a grey digit saved as RGB is common and loses nothing.)
     */
    private static void refuseDistortion(Path f, int[] shape) {
        int[] wh = ImageFormat.size(f);
        double image = (double) wh[0] / wh[1];
        double model = (double) shape[2] / shape[1];
        if (Math.abs(image / model - 1) > ASPECT_TOLERANCE) {
            throw new CalibkitException(String.format(Locale.ROOT, "image %s is %dx%d (width/height %.2f), but the model "
                    + "takes %dx%d (%.2f): resizing would distort it; crop or pad it to the model's shape first",
                    f, wh[0], wh[1], image, shape[2], shape[1], model));
        }
    }

    private static Batch idx(Path f, List<String> classNames) {
        IdxFiles.Images im = IdxFiles.parseImages(f, IdxFiles.readBytes(f));
        int per = im.rows() * im.cols();
        float[] px = new float[Math.multiplyExact(im.count(), per)];
        byte[] d = im.data();
        for (int i = 0; i < px.length; i++) {
            px[i] = d[im.offset() + i] & 0xFF;
        }
        if (im.count() == 0) {
            throw new CalibkitException("IDX file " + f + " holds no images");
        }
        return new Batch(new ImageSet(px, new int[im.count()], 1, im.rows(), im.cols(), classNames, origin(f)), names(f, im.count()));
    }

    private static DataOrigin origin(Path f) {
        return new DataOrigin(f.getFileName().toString(), "predict", f.toString(), null, false);
    }

    private static List<String> names(Path f, int n) {
        List<String> r = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            r.add(f + "[" + i + "]");
        }
        return r;
    }

    /** Reads a .npy image batch (see the class comment). */
    static Batch npy(Path f, List<String> classNames, int[] shape) {
        Npy.Array a;
        try {
            a = Npy.read(f);
        } catch (IllegalArgumentException e) {
            throw new CalibkitException(e.getMessage());
        }
        List<Long> dims = new ArrayList<>();
        for (long d : a.shape()) {
            dims.add(d);
        }
        double[] values = a.doubles();
        int n;
        int c;
        int h;
        int w;
        boolean channelsLast = false;
        int rank = dims.size();
        if (rank == 2 && shape != null && dims.get(1) == (long) shape[0] * shape[1] * shape[2]) {
            n = (int) (long) dims.get(0);
            c = shape[0];
            h = shape[1];
            w = shape[2];
            channelsLast = true;
        } else if (rank == 2) {
            n = 1;
            c = 1;
            h = (int) (long) dims.get(0);
            w = (int) (long) dims.get(1);
        } else if (rank == 3) {
            n = (int) (long) dims.get(0);
            c = 1;
            h = (int) (long) dims.get(1);
            w = (int) (long) dims.get(2);
        } else if (rank == 4 && (dims.get(1) == 1 || dims.get(1) == 3) && dims.get(3) != 1 && dims.get(3) != 3) {
            n = (int) (long) dims.get(0);
            c = (int) (long) dims.get(1);
            h = (int) (long) dims.get(2);
            w = (int) (long) dims.get(3);
        } else if (rank == 4 && (dims.get(3) == 1 || dims.get(3) == 3)) {
            n = (int) (long) dims.get(0);
            h = (int) (long) dims.get(1);
            w = (int) (long) dims.get(2);
            c = (int) (long) dims.get(3);
            channelsLast = true;
        } else {
            throw new CalibkitException(f + " has shape " + dims + ", which is not a batch of images: expected (n, h, w), "
                    + "(n, c, h, w) or (n, h, w, c) with c = 1 or 3, (h, w), or (n, " + (shape == null ? "c*h*w"
                    : (long) shape[0] * shape[1] * shape[2]) + ") flat rows");
        }
        if (n == 0) {
            throw new CalibkitException(f + " holds no images (shape " + dims + ")");
        }
        float[] px = new float[values.length];
        int plane = h * w;
        for (int i = 0; i < px.length; i++) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                throw new CalibkitException(f + ": pixel " + v + " at flat index " + i + " (image " + i / (c * plane)
                        + ") is not finite");
            }
            int dst = i;
            if (channelsLast && c > 1) {
                int img = i / (c * plane);
                int rest = i % (c * plane);
                int pix = rest / c;
                int ch = rest % c;
                dst = img * c * plane + ch * plane + pix;
            }
            px[dst] = (float) v;
        }
        return new Batch(new ImageSet(px, new int[n], c, h, w, classNames, origin(f)), names(f, n));
    }
}
