package org.calibkit.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;

import org.calibkit.core.CalibkitException;
import org.calibkit.core.DataOrigin;
import org.calibkit.core.ImageSet;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class PreprocessingTest {
    private static ImageSet images(float[] px, int n, int c, int h, int w) {
        return new ImageSet(px, new int[n], c, h, w, List.of("a", "b"), new DataOrigin("t", "s", "mem", null, false));
    }

    @Test
    void applyScalesStandardisesAndReordersToChannelsLast() {
        // one image, 2 channels, 1x2 pixels: channel 0 = [0, 255], channel 1 = [51, 102]
        ImageSet im = images(new float[] {0, 255, 51, 102}, 1, 2, 1, 2);
        Preprocessing p = new Preprocessing(1 / 255.0, new double[] {0.5, 0.0}, new double[] {0.5, 2.0}, 2, 1, 2, 0, 255);
        // by hand: c0: (0-0.5)/0.5 = -1, (1-0.5)/0.5 = 1; c1: 0.2/2 = 0.1, 0.4/2 = 0.2; order (x, c)
        assertArrayEquals(new float[] {-1f, 0.1f, 1f, 0.2f}, p.apply(im), 1e-6f);
    }

    @Test
    void standardisationIsMeasuredOnTheGivenImages() {
        // half the pixels 0, half 255: scaled values {0, 1}, mean 0.5, population std 0.5
        float[] px = new float[2 * 16];
        for (int i = 0; i < px.length; i += 2) {
            px[i] = 255;
        }
        Preprocessing p = Preprocessing.standardizedFrom(images(px, 2, 1, 4, 4));
        assertEquals(0.5, p.mean()[0], 1e-12);
        assertEquals(0.5, p.std()[0], 1e-12);
        assertEquals(1 / 255.0, p.scale(), 0);
    }

    @Test
    void featureNamesSortInPixelOrder() {
        for (int[] shape : new int[][] {{1, 28, 28}, {3, 32, 32}, {1, 3, 3}}) {
            Preprocessing p = Preprocessing.unitScale(shape[0], shape[1], shape[2]);
            String[] names = p.featureNames();
            String[] sorted = names.clone();
            Arrays.sort(sorted);
            assertArrayEquals(names, sorted, "Tribuo sorts feature names; they must sort in pixel order");
        }
        assertEquals("p000", Preprocessing.unitScale(1, 28, 28).featureName(0));
        assertEquals("p3071", Preprocessing.unitScale(3, 32, 32).featureName(3071));
    }

    @Test
    void jsonRoundTripAndBadJson() {
        ObjectMapper m = new ObjectMapper();
        Preprocessing p = new Preprocessing(1 / 255.0, new double[] {0.1, 0.2, 0.3}, new double[] {1, 2, 3}, 3, 32, 32, 0, 255);
        assertEquals(p, Preprocessing.fromJson(p.toJson(m)));
        ObjectNode broken = p.toJson(m);
        broken.remove("std");
        CalibkitException e = assertThrows(CalibkitException.class, () -> Preprocessing.fromJson(broken));
        assertTrue(e.getMessage().contains("'std'"), e.getMessage());
        ObjectNode negative = p.toJson(m);
        negative.withArray("std").set(1, m.getNodeFactory().numberNode(-1.0));
        e = assertThrows(CalibkitException.class, () -> Preprocessing.fromJson(negative));
        assertTrue(e.getMessage().contains("std[1]") && e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void rangeCheckCatchesPreScaledAndOutOfRangePixels() {
        Preprocessing eightBit = Preprocessing.unitScale(1, 2, 2);
        assertTrue(eightBit.checkRange(images(new float[] {0, 10, 200, 255}, 1, 1, 2, 2)).ok());
        // blank probes cannot be judged by statistics and pass
        assertTrue(eightBit.checkRange(images(new float[4], 1, 1, 2, 2)).ok());
        Preprocessing.RangeCheck scaled = eightBit.checkRange(images(new float[] {0, 0.04f, 0.5f, 1f}, 1, 1, 2, 2));
        assertFalse(scaled.ok());
        assertEquals(1.0, scaled.max(), 0);
        assertEquals(0.385, scaled.mean(), 1e-6); // (0 + 0.04 + 0.5 + 1) / 4
        assertTrue(scaled.message().contains("max 1") && scaled.message().contains("mean 0.385")
                && scaled.message().contains("already scaled"), scaled.message());
        Preprocessing.RangeCheck over = eightBit.checkRange(images(new float[] {0, 10, 300, 255}, 1, 1, 2, 2));
        assertFalse(over.ok());
        assertTrue(over.message().contains("max 300"), over.message());
        // a model trained on inputs already in 0..1 given raw 0..255 pixels
        Preprocessing unit = new Preprocessing(1, new double[] {0}, new double[] {1}, 1, 2, 2, 0, 1);
        Preprocessing.RangeCheck raw = unit.checkRange(images(new float[] {0, 10, 200, 255}, 1, 1, 2, 2));
        assertFalse(raw.ok());
        assertTrue(raw.message().contains("max 255") && raw.message().contains("[0, 1]"), raw.message());
    }

    @Test
    void badArgumentsNameThemselves() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Preprocessing(0, new double[] {0}, new double[] {1}, 1, 2, 2, 0, 255));
        assertTrue(e.getMessage().contains("scale") && e.getMessage().contains("0.0"), e.getMessage());
        CalibkitException s = assertThrows(CalibkitException.class,
                () -> Preprocessing.unitScale(1, 3, 3).apply(images(new float[4], 1, 1, 2, 2)));
        assertTrue(s.getMessage().contains("1x2x2") && s.getMessage().contains("1x3x3"), s.getMessage());
    }
}
