package org.calibkit.core.sources;

/** Fills a model's input tensor from 0..255 pixels held as (n, channels, height*width). */
final class ImageInput {
    private ImageInput() {
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
