package org.calibkit.calibration.calibrators;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.calibkit.calibration.Logits;

/** Test data: the committed fixture.csv (made by make_fixture.py) and seeded synthetic sets. */
final class Fixture {
    final Logits logits;
    final int[] labels;

    Fixture(Logits logits, int[] labels) {
        this.logits = logits;
        this.labels = labels;
    }

    /** 300 x 4 overconfident logits and labels from fixture.csv (see make_fixture.py beside it). */
    static Fixture csv() {
        try (InputStream in = Fixture.class.getResourceAsStream("fixture.csv")) {
            if (in == null) {
                throw new IllegalStateException("fixture.csv not on the test classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<double[]> rows = new ArrayList<>();
            List<Integer> ys = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                ys.add(Integer.parseInt(f[0]));
                double[] z = new double[f.length - 1];
                for (int j = 1; j < f.length; j++) {
                    z[j - 1] = Double.parseDouble(f[j]);
                }
                rows.add(z);
            }
            return new Fixture(Logits.of(rows.toArray(new double[0][])), ys.stream().mapToInt(Integer::intValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A numeric CSV resource beside this class ('#' lines skipped), as rows. */
    static double[][] csvResource(String name) {
        try (InputStream in = Fixture.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " not on the test classpath");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<double[]> rows = new ArrayList<>();
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(",");
                double[] v = new double[f.length];
                for (int j = 0; j < f.length; j++) {
                    v[j] = Double.parseDouble(f[j]);
                }
                rows.add(v);
            }
            return rows.toArray(new double[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fixture's logits times {@code c}. */
    Logits scaled(double c) {
        double[] z = logits.raw().clone();
        for (int i = 0; i < z.length; i++) {
            z[i] *= c;
        }
        return Logits.of(z, logits.n(), logits.k());
    }

    /**
     * n x k logits z ~ N(0, scale^2) with labels sampled from softmax(z / trueTemperature),
     * so the NLL-optimal temperature converges to trueTemperature as n grows.
     */
    static Fixture withTemperature(long seed, int n, int k, double scale, double trueTemperature) {
        Random rnd = new Random(seed);
        double[] z = new double[n * k];
        int[] y = new int[n];
        double[] p = new double[k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                z[i * k + j] = rnd.nextGaussian() * scale;
                max = Math.max(max, z[i * k + j]);
            }
            double s = 0;
            for (int j = 0; j < k; j++) {
                p[j] = Math.exp((z[i * k + j] - max) / trueTemperature);
                s += p[j];
            }
            double u = rnd.nextDouble() * s;
            int label = k - 1;
            for (int j = 0; j < k; j++) {
                u -= p[j];
                if (u < 0) {
                    label = j;
                    break;
                }
            }
            y[i] = label;
        }
        return new Fixture(Logits.of(z, n, k), y);
    }
}
