package org.calibkit.calibration.stats;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the small CSV fixtures next to reference_values.py ('#' lines are comments). */
final class Csv {
    private Csv() {
    }

    static List<String[]> read(String name) {
        try (InputStream in = Csv.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + name);
            }
            List<String[]> rows = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    rows.add(line.trim().split(","));
                }
            }
            return rows;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static double[] doubles(String[] row, int from) {
        double[] out = new double[row.length - from];
        for (int i = from; i < row.length; i++) {
            out[i - from] = Double.parseDouble(row[i]);
        }
        return out;
    }
}
