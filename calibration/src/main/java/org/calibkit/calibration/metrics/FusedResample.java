package org.calibkit.calibration.metrics;

/**
 * Every metric of {@link Metrics#ALL} on a bootstrap resample of one {@link Predictions}, without
 * copying the resample's n x K probabilities and without sorting it: the values equal, bit for bit,
 * those of the pure metric functions on {@code predictions.select(idx)} (tested by
 * FusedResampleTest), because every sum runs over the resample's rows in the same order with the
 * same arithmetic. What is shared between resamples is computed once here:
 * <ul>
 * <li>the equal-mass metrics (equal-mass ECE, debiased ECE, ACE) sort once: the sorted values of a
 *     resample are the original sorted values, each repeated as often as its row was drawn, so
 *     the bin edges come from {@link EqualMass#edges} with those multiplicities as weights
 *     (edges depend only on the values, not on how ties are ordered);</li>
 * <li>only the row order is kept (no sorted copies), and the edges read the values at the group
 *     boundaries through it, so the predictions of 1M rows fit next to it in a 1 GiB heap;</li>
 * <li>ACE bins all K columns in one pass over the resample's rows, which also sums Brier's terms:
 *     the drawn rows are gathered a chunk at a time so their cache misses overlap, and each
 *     (row, class) first tries the bin it has under the edges of all rows;</li>
 * <li>the equal-width bins serve ECE and MCE, the top-label equal-mass stats equal-mass ECE and
 *     the debiased ECE, each built once per resample;</li>
 * <li>the classwise bins add each drawn row once with its multiplicity: their sums are exact
 *     fixed point, so the order and grouping of the additions do not change a bit;</li>
 * <li>Brier (in ACE's pass) and NLL read the original rows through the index array.</li>
 * </ul>
 * Metrics it does not know (a metric added to {@link Metrics#ALL} later) fall back to the pure
 * function on the selected rows. Immutable and thread-safe: one instance serves all resamples.
 */
final class FusedResample {
    private final Predictions p;
    private final int n;
    private final int k;
    /** The row of each position of the top-label confidences in ascending order. */
    private final int[] confOrder;
    /** Per class j: the rows in ascending order of their probability of class j (ACE). */
    private final int[][] colOrder;
    /** Drawn rows gathered at a time by the row pass (10 classes: 20 KiB, in the first-level cache). */
    static final int CHUNK = 256;
    /** Most bins for which {@link #guesses} are kept (a bin number must fit in a byte). */
    private static final int MAX_GUESSED_BINS = 256;
    /** Per number of bins: each (row, class)'s ACE bin under the edges of all rows, at row * k + class. */
    private final java.util.concurrent.ConcurrentHashMap<Integer, byte[]> guesses = new java.util.concurrent.ConcurrentHashMap<>();

    FusedResample(Predictions p) {
        this.p = p;
        this.n = p.n();
        this.k = p.k();
        confOrder = sortedOrder(p.topLabel().rawConfidences(), 1, 0, n);
        double[] v = p.probabilities().raw();
        colOrder = new int[k][];
        for (int j = 0; j < k; j++) {
            colOrder[j] = sortedOrder(v, k, j, n);
        }
    }

    /** The values of every metric of {@link Metrics#ALL} on rows {@code idx}, in that order. */
    double[] values(int[] idx, int bins) {
        if (idx.length != n) {
            throw new IllegalArgumentException("a bootstrap resample has " + n + " rows, but got " + idx.length);
        }
        int[] counts = new int[n];
        for (int i : idx) {
            counts[i]++;
        }
        TopLabel t = p.topLabel().select(idx);
        Predictions selected = null;
        // shared between metrics: the equal-width bins (ECE, MCE) and the equal-mass stats of the
        // top label (equal-mass ECE, debiased ECE), each built once per resample
        org.calibkit.calibration.ReliabilityBins widthBins = null;
        EqualMass.Stats massStats = null;
        double[] rowPass = null; // {brier, ace}: one pass over the resample's rows gives both
        double[] out = new double[Metrics.ALL.size()];
        for (int m = 0; m < out.length; m++) {
            Metric metric = Metrics.ALL.get(m);
            String key = metric.key();
            if ((key.equals("ece") || key.equals("mce")) && widthBins == null) {
                widthBins = org.calibkit.calibration.ReliabilityBins.of(t.rawConfidences(), t.rawCorrect(), bins);
            }
            if ((key.equals("brier") || key.equals("ace")) && rowPass == null) {
                rowPass = brierAndAce(idx, counts, bins);
            }
            if ((key.equals("ece_equal_mass") || key.equals("debiased_ece")) && massStats == null) {
                massStats = topStats(t, counts, bins);
            }
            out[m] = switch (key) {
                case "accuracy" -> CalibrationMetrics.accuracy(t);
                case "nll" -> meanAt(p.rowNll(), idx);
                case "brier" -> rowPass[0];
                case "ece" -> CalibrationMetrics.ece(widthBins);
                case "mce" -> CalibrationMetrics.mce(widthBins);
                case "signed_ece" -> CalibrationMetrics.signedEce(t);
                case "ece_equal_mass" -> CalibrationMetrics.eceFromStats(massStats);
                case "debiased_ece" -> CalibrationMetrics.debiasedFromStats(massStats);
                case "classwise_ece" -> CalibrationMetrics.classwiseEce(new ClasswiseBins.Accumulator(k, bins)
                        .addRowsTimes(p.probabilities().raw(), p.labels(), counts).toBins());
                case "ace" -> rowPass[1];
                case "smooth_ece" -> CalibrationMetrics.smoothEce(t);
                default -> {
                    if (selected == null) {
                        selected = p.select(idx);
                    }
                    yield metric.compute(selected, bins);
                }
            };
        }
        return out;
    }

    /** {@code Metrics.mean} of {@code v[idx[r]]}: the same sum in the same order. */
    private static double meanAt(double[] v, int[] idx) {
        double s = 0;
        for (int i : idx) {
            s += v[i];
        }
        return s / idx.length;
    }

    /** {@link EqualMass#stats} of the resample's top-label confidences (t is the resample). */
    private EqualMass.Stats topStats(TopLabel t, int[] counts, int bins) {
        double[] edges = EqualMass.edges(p.topLabel().rawConfidences(), 1, 0, confOrder, counts, n, bins);
        return EqualMass.binStats(edges, t.rawConfidences(), t.rawCorrect());
    }

    /**
     * {@link CalibrationMetrics#brier(org.calibkit.calibration.Probabilities, int[])} and
     * {@link CalibrationMetrics#ace} of rows idx in one pass over the resample's rows in their
     * order. ACE: per class, the edges from the sorted column with the rows' multiplicities, then
     * every class binned at once; each (class, bin) sum and the Brier sum see the same values in
     * the same order, with the same operations, as on a copy of the rows. The drawn rows are
     * first gathered {@value #CHUNK} at a time into a small buffer by a loop that does nothing
     * else, so the processor has many of their cache misses in flight at once (a resample of 1M
     * rows reads 80 MB in random order), and the arithmetic then runs on rows in cache.
     *
     * @return {brier, ace}
     */
    private double[] brierAndAce(int[] idx, int[] counts, int bins) {
        double[] v = p.probabilities().raw();
        int[] labels = p.labels();
        // every class's edges padded with 1.0 (its last edge) to a power of two, width, behind a
        // -infinity: at stride = width + 1, class j's edges start at j * stride + 1. A bin b is the
        // lower bound of x exactly when edge b - 1 < x <= edge b (padding and sentinel included),
        // so the bin x had under the edges of all rows (a resample's edges are close to them) is
        // checked with two comparisons, and only a miss runs the lower-bound search, in log2(width)
        // steps for every class (no exit the data could make the processor mispredict)
        int width = bins <= 1 ? 1 : Integer.highestOneBit(bins - 1) << 1;
        int stride = width + 1;
        double[] edges = new double[k * stride];
        int[] used = new int[k];
        for (int j = 0; j < k; j++) {
            double[] e = EqualMass.edges(v, k, j, colOrder[j], counts, n, bins);
            used[j] = e.length;
            edges[j * stride] = Double.NEGATIVE_INFINITY;
            System.arraycopy(e, 0, edges, j * stride + 1, e.length);
            java.util.Arrays.fill(edges, j * stride + 1 + e.length, (j + 1) * stride, 1.0);
        }
        byte[] guess = bins <= MAX_GUESSED_BINS ? guesses.computeIfAbsent(bins, this::baseBins) : null;
        byte[] rowGuess = new byte[CHUNK * k];
        // (class j, bin b) at j * width + b
        double[] count = new double[k * width];
        double[] vs = new double[k * width];
        double[] ts = new double[k * width];
        double[] rows = new double[CHUNK * k];
        int[] rowLabels = new int[CHUNK];
        double brier = 0;
        for (int from = 0; from < idx.length; from += CHUNK) {
            int len = Math.min(CHUNK, idx.length - from);
            for (int r = 0; r < len; r++) {
                int i = idx[from + r];
                System.arraycopy(v, i * k, rows, r * k, k);
                if (guess != null) {
                    System.arraycopy(guess, i * k, rowGuess, r * k, k);
                }
                rowLabels[r] = labels[i];
            }
            for (int r = 0; r < len; r++) {
                int off = r * k;
                int label = rowLabels[r];
                for (int j = 0; j < k; j++) {
                    double x = rows[off + j];
                    double d = x - (label == j ? 1.0 : 0.0);
                    brier += d * d;
                    int first = j * stride + 1;
                    int e = first + (rowGuess[off + j] & 0xFF);
                    if (!(edges[e - 1] < x && x <= edges[e])) {
                        e = first;
                        for (int half = width >> 1; half > 0; half >>= 1) {
                            e = edges[e + half - 1] < x ? e + half : e;
                        }
                    }
                    int c = j * width + (e - first);
                    count[c]++;
                    vs[c] += x;
                    if (label == j) {
                        ts[c]++;
                    }
                }
            }
        }
        double sum = 0;
        long[] pairs = {0};
        for (int j = 0; j < k; j++) {
            int nb = used[j];
            int at = j * width;
            sum = CalibrationMetrics.aceAdd(new EqualMass.Stats(java.util.Arrays.copyOfRange(count, at, at + nb),
                    java.util.Arrays.copyOfRange(vs, at, at + nb), java.util.Arrays.copyOfRange(ts, at, at + nb)), sum, pairs);
        }
        return new double[] {brier / idx.length, sum / pairs[0]};
    }

    /**
     * Each (row, class)'s ACE bin under the equal-mass edges of all rows (every multiplicity 1),
     * at {@code row * k + class}: the first guess of the bin in a resample, whose edges differ
     * little. Only a guess: the row pass checks it against the resample's own edges.
     */
    private byte[] baseBins(int bins) {
        double[] v = p.probabilities().raw();
        byte[] out = new byte[n * k];
        for (int j = 0; j < k; j++) {
            double[] e = EqualMass.edges(v, k, j, colOrder[j], null, n, bins);
            for (int i = 0; i < n; i++) {
                out[i * k + j] = (byte) EqualMass.bin(e, v[i * k + j]);
            }
        }
        return out;
    }

    /**
     * Rows in ascending order of {@code v[row * stride + offset]} (ties in row order): a stable
     * bottom-up merge sort of (value, row) pairs, no boxing (the columns of 1M rows sort in a
     * 1 GiB heap). The values are copied out of the row-major array once, so the merges compare
     * values read in sequence instead of through the row numbers at random.
     */
    static int[] sortedOrder(double[] v, int stride, int offset, int rows) {
        double[] key = new double[rows];
        int[] row = new int[rows];
        for (int i = 0; i < rows; i++) {
            key[i] = v[i * stride + offset];
            row[i] = i;
        }
        double[] key2 = new double[rows];
        int[] row2 = new int[rows];
        for (int width = 1; width < rows; width *= 2) {
            for (int lo = 0; lo < rows; lo += 2 * width) {
                int mid = Math.min(lo + width, rows);
                int hi = Math.min(lo + 2 * width, rows);
                int x = lo;
                int y = mid;
                int w = lo;
                if (mid < hi && Double.compare(key[mid - 1], key[mid]) > 0) {
                    while (x < mid && y < hi) {
                        if (Double.compare(key[y], key[x]) < 0) {
                            key2[w] = key[y];
                            row2[w++] = row[y++];
                        } else {
                            key2[w] = key[x];
                            row2[w++] = row[x++];
                        }
                    }
                }
                // the rest (all of it when the two runs are already in order) in one piece
                System.arraycopy(key, x, key2, w, mid - x);
                System.arraycopy(row, x, row2, w, mid - x);
                w += mid - x;
                System.arraycopy(key, y, key2, w, hi - y);
                System.arraycopy(row, y, row2, w, hi - y);
            }
            double[] tk = key;
            key = key2;
            key2 = tk;
            int[] tr = row;
            row = row2;
            row2 = tr;
        }
        return row;
    }
}
