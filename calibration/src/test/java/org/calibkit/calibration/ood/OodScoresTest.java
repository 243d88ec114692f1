package org.calibkit.calibration.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.calibkit.calibration.Logits;
import org.junit.jupiter.api.Test;

class OodScoresTest {
    // Expected values by hand / numpy:
    //   python3 -c "import numpy as np; from scipy.special import softmax, logsumexp
    //   z=np.array([[2.,1.,0.],[0.,0.,0.],[1e4,0,-1e4]]); p=softmax(z,1)
    //   np.set_printoptions(precision=17)
    //   print(p.max(1), logsumexp(z,1), 2*logsumexp(z/2,1), (p*np.log(np.where(p>0,p,1))).sum(1))"
    //   -> [0.6652409557748218 0.333.. 1.] [2.4076059644443801 1.0986.. 1e4] [3.36053934 2.19722458 1e4]
    //      [-0.8323955818399389 -1.0986122886681096 0.]
    private static final Logits Z = Logits.of(new double[][] {{2, 1, 0}, {0, 0, 0}, {1e4, 0, -1e4}});

    @Test
    void scoresMatchNumpy() {
        assertArrayEquals(new double[] {0.6652409557748218, 1.0 / 3, 1.0}, OodScores.maxSoftmax(Z), 1e-12);
        assertArrayEquals(new double[] {2, 0, 1e4}, OodScores.maxLogit(Z), 0.0);
        assertArrayEquals(new double[] {2.4076059644443801, Math.log(3), 1e4}, OodScores.energy(Z), 1e-12);
        double t2 = 2 * Math.log(Math.exp(1) + Math.exp(0.5) + 1);
        assertArrayEquals(new double[] {t2, 2 * Math.log(3), 1e4}, OodScores.energy(Z, 2.0), 1e-9);
        assertArrayEquals(new double[] {-0.8323955818399389, -Math.log(3), 0.0}, OodScores.negativeEntropy(Z), 1e-12);
    }

    @Test
    void higherMeansMoreInDistributionForEveryScore() {
        // a peaked row versus a flat row: every score ranks the peaked one higher
        Logits z = Logits.of(new double[][] {{8, 0, 0, 0}, {0.1, 0, 0, 0}});
        for (double[] s : new double[][] {OodScores.maxSoftmax(z), OodScores.maxLogit(z), OodScores.energy(z),
            OodScores.negativeEntropy(z)}) {
            assertTrue(s[0] > s[1]);
            assertTrue(Double.isFinite(s[0]) && Double.isFinite(s[1]));
        }
    }
}
