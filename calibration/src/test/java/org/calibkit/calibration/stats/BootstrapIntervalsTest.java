package org.calibkit.calibration.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BootstrapIntervalsTest {

    // bca_reference.csv (reference_values.py, section 5): numpy.std of 40 exponential draws, its 999
    // bootstrap replicates from scipy.stats.bootstrap(random_state=default_rng(7)), and its 40 jackknife
    // values; scipy 1.10.1 at confidence_level 0.9 gives BCa [0.7253151065947259, 1.2079541016445614]
    // and percentile [0.6535376274445746, 1.1295319187725763] from those same replicates.
    private static final double ESTIMATE;
    private static final double[] JACKKNIFE;
    private static final double[] REPLICATES;

    static {
        List<String[]> rows = Csv.read("bca_reference.csv");
        ESTIMATE = Double.parseDouble(rows.get(0)[1]);
        JACKKNIFE = Csv.doubles(rows.get(1), 1);
        REPLICATES = Csv.doubles(rows.get(2), 1);
    }

    @Test
    void bcaMatchesScipyBootstrap() {
        BcaInterval bca = BcaInterval.of(ESTIMATE, REPLICATES, JACKKNIFE, 0.9);
        assertEquals(999, bca.resamples());
        assertEquals(0.7253151065947259, bca.lower(), 1e-12);
        assertEquals(1.2079541016445614, bca.upper(), 1e-12);
        assertTrue(bca.contains(ESTIMATE));
    }

    @Test
    void percentileMatchesScipyBootstrap() {
        PercentileInterval p = PercentileInterval.of(ESTIMATE, REPLICATES, 0.9);
        assertEquals(0.6535376274445746, p.lower(), 1e-12);
        assertEquals(1.1295319187725763, p.upper(), 1e-12);
    }

    /** 400 replicates spread evenly over [lo, lo + 0.002], as for a small, upward-biased ECE. */
    private static double[] evenReplicates(double lo) {
        double[] reps = new double[400];
        for (int r = 0; r < reps.length; r++) {
            reps[r] = lo + 0.0020 * (r + 0.5) / reps.length;
        }
        return reps;
    }

    @Test
    void bcaShiftsAnUpwardBiasedIntervalDown() {
        // an estimate of 0.0046 with 10% of the replicates below it: z0 = Phi^-1(0.1) = -1.28 (a ~ 0), so
        // BCa takes the quantiles at Phi(2 z0 -+ 1.96): ~0 and 0.27 -- below the percentile interval,
        // and still around the estimate
        double[] jack = new double[50];
        for (int i = 0; i < jack.length; i++) {
            jack[i] = 0.0046 + 1e-5 * Math.sin(i);
        }
        PercentileInterval pct = PercentileInterval.of(0.0046, evenReplicates(0.0044), 0.95);
        BcaInterval bca = BcaInterval.of(0.0046, evenReplicates(0.0044), jack, 0.95);
        assertEquals(-1.2815515655446004, bca.biasCorrection(), 1e-9);   // scipy.special.ndtri(0.1)
        assertTrue(bca.lower() < pct.lower() && bca.upper() < pct.upper(), bca + " vs " + pct);
        assertTrue(pct.contains(0.0046) && bca.contains(0.0046), bca::toString);
        // with only 2% of the replicates below the estimate the percentile interval lies above it, and BCa
        // (z0 = -2.05 < -1.96) lies below it: the bias correction moves the interval towards where the true
        // value is if the metric is biased upward, so it need not contain the estimate either
        PercentileInterval pct2 = PercentileInterval.of(0.0046, evenReplicates(0.00456), 0.95);
        BcaInterval bca2 = BcaInterval.of(0.0046, evenReplicates(0.00456), jack, 0.95);
        assertTrue(pct2.lower() > 0.0046, pct2::toString);
        assertTrue(bca2.upper() < 0.0046, bca2::toString);
    }

    @Test
    void withoutBiasOrAccelerationBcaIsThePercentileInterval() {
        // symmetric replicates around the estimate (z0 = 0) and equal jackknife values (a = 0)
        double[] reps = new double[201];
        for (int r = 0; r < reps.length; r++) {
            reps[r] = (r - 100) / 100.0;
        }
        BcaInterval bca = BcaInterval.of(0.0, reps, new double[] {1, 1, 1}, 0.8);
        PercentileInterval pct = PercentileInterval.of(0.0, reps, 0.8);
        assertEquals(0.0, bca.biasCorrection(), 0.0);
        assertEquals(0.0, bca.acceleration(), 0.0);
        assertEquals(pct.lower(), bca.lower(), 1e-12);
        assertEquals(pct.upper(), bca.upper(), 1e-12);
    }

    @Test
    void degenerateAndBadInput() {
        // every replicate above the estimate: z0 = -infinity, BCa undefined (scipy returns NaN too)
        BcaInterval b = BcaInterval.of(0.0, new double[] {1, 2, 3}, new double[] {0, 1}, 0.9);
        assertTrue(Double.isNaN(b.lower()) && Double.isNaN(b.upper()));
        assertEquals(Double.NEGATIVE_INFINITY, b.biasCorrection());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BcaInterval.of(0.0, new double[] {1, Double.NaN}, new double[] {0, 1}, 0.9));
        assertTrue(e.getMessage().contains("replicate 1 is NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BcaInterval.of(0.0, new double[] {1, 2}, new double[] {0}, 0.9));
        assertTrue(e.getMessage().contains("at least 2 jackknife values, but got 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PercentileInterval.of(0.0, new double[0], 0.9));
        assertTrue(e.getMessage().contains("at least one bootstrap replicate"), e.getMessage());
    }
}
