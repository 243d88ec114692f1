package org.calibkit.core;

/**
 * Greyscale to colour and back, for a model that takes another number of channels than the
 * data has: grey is replicated into three equal channels (what {@code torchvision}'s
 * {@code Grayscale(num_output_channels=3)} and PIL's {@code convert("RGB")} do), colour becomes
 * grey by the Rec. 601 luma {@code 0.299 R + 0.587 G + 0.114 B} (PIL's {@code convert("L")}).
 * The one implementation: image folders use it too.
 */
public final class Channels {
    private Channels() {
    }

    /**
     * The pixels of images of {@code from} channels of {@code plane} pixels each, converted to
     * {@code to} channels; {@code px} itself when they agree.
     *
     * @throws IllegalArgumentException unless both are 1 or 3, or when {@code px} is not whole images
     */
    public static float[] convert(float[] px, int from, int to, int plane) {
        if (from == to) {
            return px;
        }
        if ((from != 1 && from != 3) || (to != 1 && to != 3)) {
            throw new IllegalArgumentException("channels convert between 1 (grey) and 3 (RGB), but got " + from + " -> " + to);
        }
        if (plane < 1 || px.length % (from * plane) != 0) {
            throw new IllegalArgumentException(px.length + " values are not whole images of " + from + " x " + plane);
        }
        int n = px.length / (from * plane);
        float[] out = new float[n * to * plane];
        for (int i = 0; i < n; i++) {
            int s = i * from * plane;
            int d = i * to * plane;
            if (from == 1) {                 // grey -> RGB: three copies
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(px, s, out, d + c * plane, plane);
                }
            } else {                         // RGB -> grey, Rec. 601 luma
                for (int p = 0; p < plane; p++) {
                    out[d + p] = (float) (0.299 * px[s + p] + 0.587 * px[s + plane + p] + 0.114 * px[s + 2 * plane + p]);
                }
            }
        }
        return out;
    }

    /** The images with {@code to} channels (themselves when they have that many). */
    public static ImageSet convert(ImageSet images, int to) {
        if (images.channels() == to) {
            return images;
        }
        float[] px = convert(images.rawPixels(), images.channels(), to, images.height() * images.width());
        return new ImageSet(px, images.labels(), to, images.height(), images.width(), images.classNames(), images.origin());
    }

    /** In words: "grey replicated to 3 channels" or "colour to grey (Rec. 601 luma)". */
    public static String describe(int from, int to) {
        return from == to ? "unchanged" : to == 3 ? "grey replicated to 3 channels (RGB)" : "colour to grey (Rec. 601 luma)";
    }
}
