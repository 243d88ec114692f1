package org.calibkit.core.sources;

/** Fills a model's input tensor from 0..255 pixels held as (n, channels, height*width). */
final class ImageInput {
    private ImageInput() {
    }

    /**
     * {@link #fill(float[], int, int, int, int, Layout, float[][], float[])} for images of
     * {@code height x width}, swapping rows and columns first when the layout is transposed.
     */
    static void fill(float[] px, int channels, int height, int width, int from, int to, Layout layout, float[][] affine,
                     float[] out) {
        int plane = height * width;
        if (!layout.transposed()) {
            fill(px, channels, plane, from, to, layout, affine, out);
            return;
        }
        int per = channels * plane;
        float[] t = new float[(to - from) * per];
        for (int i = from; i < to; i++) {
            for (int c = 0; c < channels; c++) {
                int s = i * per + c * plane;
                int d = (i - from) * per + c * plane;
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        t[d + x * height + y] = px[s + y * width + x];
                    }
                }
            }
        }
        fill(t, channels, plane, 0, to - from, layout.base(), affine, out);
    }

    /**
     * Writes images {@code from..to-1} of {@code px} into {@code out} (from index 0) in
     * {@code layout}, applying {@code x * a[c] + b[c]} per channel.
     */
    static void fill(float[] px, int channels, int plane, int from, int to, Layout layout, float[][] affine, float[] out) {
        float[] a = affine[0];
        float[] b = affine[1];
        int per = channels * plane;
        boolean last = layout.channelsLast();
        for (int i = from; i < to; i++) {
            int src = i * per;
            int dst = (i - from) * per;
            for (int c = 0; c < channels; c++) {
                int s = src + c * plane;
                float ac = a[c];
                float bc = b[c];
                if (last) {
                    for (int p = 0; p < plane; p++) {
                        out[dst + p * channels + c] = px[s + p] * ac + bc;
                    }
                } else {
                    int d = dst + c * plane;
                    for (int p = 0; p < plane; p++) {
                        out[d + p] = px[s + p] * ac + bc;
                    }
                }
            }
        }
    }
}
