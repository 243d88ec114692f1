package org.calibkit.core.sources;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;

import org.calibkit.core.CalibkitException;
import org.junit.jupiter.api.Test;

/** Transposed layouts and inputs padded with singleton dimensions. */
class LayoutShapesTest {
    @Test
    void inputsWithExtraSingletonDimensionsAreFedByReshaping() {
        assertEquals(List.of(Layout.FLAT_HWC), Layout.matching(new long[] {1, 784, 1}, 1, 28, 28));
        assertEquals(List.of(Layout.FLAT_HWC), Layout.matching(new long[] {-1, 1, 784}, 1, 28, 28));
        assertArrayEquals(new long[] {1, 784, 1}, Layout.FLAT_HWC.feedShape(new long[] {1, 784, 1}, 1, 1, 28, 28));
        assertArrayEquals(new long[] {64, 1, 784}, Layout.FLAT_HWC.feedShape(new long[] {-1, 1, 784}, 64, 1, 28, 28));
        // exact fits are unchanged: a one-channel NCHW input is NCHW only, not also "NHW padded"
        assertEquals(List.of(Layout.NCHW), Layout.matching(new long[] {-1, 1, 28, 28}, 1, 28, 28));
        assertEquals(List.of(Layout.NHW), Layout.matching(new long[] {-1, 28, 28}, 1, 28, 28));
        assertArrayEquals(new long[] {5, 1, 28, 28}, Layout.NCHW.feedShape(new long[] {-1, 1, 28, 28}, 5, 1, 28, 28));
        // a singleton that is not padding (784 values do not fit 3 x 28 x 28) still fits nothing
        assertEquals(List.of(), Layout.matching(new long[] {-1, 1, 784}, 3, 28, 28));
    }

    @Test
    void transposedLayoutsParseAndSwapHeightAndWidth() {
        assertEquals(Layout.FLAT_HWC_T, Layout.parse("flat-t"));
        assertEquals(Layout.NHW_T, Layout.parse("nhw-t"));
        assertEquals(Layout.FLAT_HWC_T, Layout.parse(Layout.FLAT_HWC_T.id()));
        assertEquals(Layout.NHWC, Layout.NHWC_T.base());
        assertArrayEquals(new long[] {2, 3, 5, 1}, Layout.NHWC_T.shape(2, 1, 5, 3));
        assertEquals(Layout.FLAT_HWC_T, Layout.resolve(Layout.FLAT_HWC_T, new long[] {-1, 784}, 1, 28, 28, "m"));
        assertThrows(CalibkitException.class, () -> Layout.resolve(Layout.NCHW_T, new long[] {-1, 784}, 1, 28, 28, "m"));
        // transposition is never detected
        assertEquals(List.of(Layout.FLAT_HWC), Layout.matching(new long[] {-1, 784}, 1, 28, 28));
    }

    @Test
    void fillTransposesEachImage() {
        // one 2 x 3 image 0..5, row-major; transposed it reads 0 3 1 4 2 5
        float[] px = {0, 1, 2, 3, 4, 5};
        float[] out = new float[6];
        ImageInput.fill(px, 1, 2, 3, 0, 1, Layout.FLAT_HWC_T, new float[][] {{1}, {0}}, out);
        assertArrayEquals(new float[] {0, 3, 1, 4, 2, 5}, out);
        ImageInput.fill(px, 1, 2, 3, 0, 1, Layout.FLAT_HWC, new float[][] {{2}, {1}}, out);
        assertArrayEquals(new float[] {1, 3, 5, 7, 9, 11}, out);
    }
}
