package org.calibkit.calibration.calibrators;

import java.util.Objects;
import java.util.stream.IntStream;
import org.calibkit.calibration.Checks;
import org.calibkit.calibration.Logits;

/**
 * Temperature scaling (Guo, Pleiss, Sun and Weinberger 2017, "On Calibration of Modern Neural
 * Networks", ICML): one scalar T &gt; 0, calibrated probabilities {@code softmax(z / T)}. T is
 * chosen to minimise the mean negative log-likelihood of the labels under the <em>logits</em>
 * (never under probabilities).
 *
 * <p>The NLL is convex in {@code beta = 1/T}, so the fit is a safeguarded Halley (third-order)
 * iteration in log(beta), falling back to Newton: each step is one pass over the logits with
 * one {@code exp} per entry (z - max(z) taken on the fly), a bracket on the sign of the gradient
 * is kept, and a step that leaves the bracket becomes a geometric bisection. It stops when |dNLL/d(log T)| &lt;= {@code tolerance} (a
 * scale-free gradient). When the optimum lies beyond the allowed range of T (perfectly separable
 * data drive T to 0; data that are all wrong can drive T to infinity) the fit stops at the bound,
 * where the gradient points outward, and the map reports it in {@link TemperatureMap#bound()}.
 * A fit that does not reach the tolerance within {@code maxIterations} throws
 * {@link IllegalStateException} (or, with {@code strict = false}, returns a map whose
 * {@link TemperatureMap#converged()} is false); it never stops silently.
 *
 * <p>Defaults: T in [0.01, 100], tolerance 1e-9, 100 iterations, strict.
 */
public final class TemperatureScaling extends CheckedCalibrator<TemperatureMap> {
    /** Default smallest temperature (separable data stop here). */
    public static final double DEFAULT_MIN_TEMPERATURE = 0.01;
    /** Default largest temperature (all-wrong data stop here). */
    public static final double DEFAULT_MAX_TEMPERATURE = 100.0;
    /** Default tolerance on |dNLL/d(log T)|. */
    public static final double DEFAULT_TOLERANCE = 1e-9;
    /** Default iteration budget. */
    public static final int DEFAULT_MAX_ITERATIONS = 100;

    private final double minTemperature;
    private final double maxTemperature;
    private final StopRule stop;

    /** Temperature scaling with the default hyper-parameters. */
    public TemperatureScaling() {
        this(DEFAULT_MIN_TEMPERATURE, DEFAULT_MAX_TEMPERATURE, DEFAULT_TOLERANCE, DEFAULT_MAX_ITERATIONS, true);
    }

    /**
     * @param minTemperature smallest allowed T, &gt; 0
     * @param maxTemperature largest allowed T, &gt; minTemperature
     * @param tolerance      stop when |dNLL/d(log T)| is at most this, &gt; 0
     * @param maxIterations  Halley/Newton/bisection step budget, &gt; 0
     * @param strict         throw when the budget runs out before the tolerance is met
     */
    public TemperatureScaling(double minTemperature, double maxTemperature, double tolerance,
                              int maxIterations, boolean strict) {
        super(TemperatureMap.METHOD);
        Checks.positive("minTemperature", minTemperature);
        Checks.positive("maxTemperature", maxTemperature);
        if (!(maxTemperature > minTemperature)) {
            throw new IllegalArgumentException("Expected maxTemperature > minTemperature (" + minTemperature
                    + "), but got " + maxTemperature);
        }
        this.stop = new StopRule(tolerance, maxIterations, strict);
        this.minTemperature = minTemperature;
        this.maxTemperature = maxTemperature;
    }

    public double minTemperature() { return minTemperature; }
    public double maxTemperature() { return maxTemperature; }
    public double tolerance() { return stop.tolerance(); }
    public int maxIterations() { return stop.maxIterations(); }
    public boolean strict() { return stop.strict(); }

    @Override
    TemperatureMap fitChecked(Logits logits, int[] labels) {
        Objective f = new Objective(logits, labels);
        return fit(beta -> {
            f.eval(beta);
            return f;
        }, logits.k());
    }

    /**
     * Fits T over data seen only through passes: {@code pass.apply(beta)} gives the NLL's moments
     * at {@code beta = 1/T} (one pass over the data each), for data that do not fit in one array
     * (Spark partitions summed per pass). The same iteration, safeguards and stopping rule as
     * {@link #fit(Logits, int[])}, which calls it, so both reach the same optimum.
     *
     * @param pass       the moments at a beta; the first call is at beta = 1
     * @param numClasses K, for the map
     * @throws IllegalStateException when strict and the budget runs out before the tolerance is met
     */
    public TemperatureMap fit(java.util.function.DoubleFunction<? extends NllMoments> pass, int numClasses) {
        Objects.requireNonNull(pass, "pass");
        if (numClasses < 2) {
            throw new IllegalArgumentException("Expected numClasses to be at least 2, but got " + numClasses);
        }
        final double betaMin = 1.0 / maxTemperature;   // bounds of beta = 1/T
        final double betaMax = 1.0 / minTemperature;
        double lo = betaMin;                // bracket of the optimum, shrinks with each step
        double hi = betaMax;
        boolean loKnown = false;            // gradient sign at lo known (lo is a true bracket end)
        boolean hiKnown = false;

        NllMoments f = pass.apply(1.0);
        double nllBefore = f.nll();
        int iterations = 0;
        double beta = 1.0;
        // The limits of the gradient are known in closed form, so the two degenerate cases are
        // decided before iterating (the scale-free gradient vanishes at both ends and must not be
        // mistaken for an interior optimum):
        //   beta -> infinity: dNLL/dbeta -> -mean(a) >= 0, with equality iff every label is a
        //     row maximum (perfectly separable): the NLL falls all the way to T -> 0;
        //   beta -> 0: dNLL/dbeta -> mean(mean_j d - a); if >= 0 the NLL rises everywhere
        //     (e.g. all-wrong data): the optimum is T -> infinity.
        if (f.separable()) {
            beta = betaMax;
        } else if (f.gradientAtZero() >= 0) {
            beta = betaMin;
        } else if (beta < betaMin || beta > betaMax) {
            beta = Math.min(betaMax, Math.max(betaMin, beta));
        }
        if (beta != 1.0) {
            f = pass.apply(beta);
            iterations++;
        }
        TemperatureMap.Bound bound = TemperatureMap.Bound.NONE;
        boolean converged = false;
        while (true) {
            // Optimum at a bound: the gradient points outward there (KKT).
            if (beta == betaMax && f.grad() <= 0) {
                bound = TemperatureMap.Bound.MINIMUM_TEMPERATURE;
                converged = true;
                break;
            }
            if (beta == betaMin && f.grad() >= 0) {
                bound = TemperatureMap.Bound.MAXIMUM_TEMPERATURE;
                converged = true;
                break;
            }
            double gLog = -beta * f.grad();   // dNLL/d(log T)
            if (Math.abs(gLog) <= stop.tolerance()) {
                converged = true;
                break;
            }
            if (iterations >= stop.maxIterations()) {
                break;
            }
            if (f.grad() < 0) {
                lo = beta;
                loKnown = true;
            } else {
                hi = beta;
                hiKnown = true;
            }
            if (!(hi > lo) || (hi - lo) <= 4 * Math.ulp(hi)) {
                break;  // bracket collapsed in floating point without meeting the tolerance
            }
            // Halley (third order) in u = log(beta) where the NLL is locally convex in u: with
            // h = dNLL/du = beta g, h' = beta g + beta^2 g' > 0 and h'' = beta g + 3 beta^2 g'
            // + beta^3 g'', the step is Newton's -h/h' divided by (1 - L/2), L = h h'' / h'^2,
            // used while |L| < 1 (plain Newton in u otherwise). Where the NLL is not convex in u,
            // Newton in beta (where it is always convex). Each step costs one pass either way;
            // the cubic step saves passes (4 -> 3 on a typical CNN's 10k x 10 logits).
            double curvU = beta * beta * f.hess() + beta * f.grad();
            double next = Double.NaN;
            if (curvU > 0) {
                double h = beta * f.grad();
                double h2 = beta * f.grad() + 3 * beta * beta * f.hess() + beta * beta * beta * f.third();
                double newton = -h / curvU;
                double l = h * h2 / (curvU * curvU);
                double du = Math.abs(l) < 1 ? newton / (1 - l / 2) : newton;
                next = beta * Math.exp(Math.max(-20, Math.min(20, du)));
            }
            if (!(next > lo && next < hi)) {
                next = f.hess() > 0 ? beta - f.grad() / f.hess() : Double.NaN;
            }
            if (!(next > lo && next < hi)) {
                if (f.grad() < 0 && !hiKnown) {
                    next = hi;      // try the bound itself: separable data end here
                } else if (f.grad() > 0 && !loKnown) {
                    next = lo;
                } else {
                    next = Math.sqrt(lo * hi);  // geometric bisection (beta spans decades)
                    if (!(next > lo && next < hi)) {
                        next = 0.5 * (lo + hi);
                    }
                }
            }
            beta = next;
            f = pass.apply(beta);
            iterations++;
        }
        double gLog = -beta * f.grad();
        if (stop.mustThrow(converged)) {
            throw new IllegalStateException("temperature scaling did not converge: after " + iterations
                    + " iterations T = " + (1.0 / beta) + ", |dNLL/dlog T| = " + Math.abs(gLog)
                    + " > tolerance " + stop.tolerance() + " (raise maxIterations or tolerance)");
        }
        return new TemperatureMap(numClasses, 1.0 / beta, nllBefore, f.nll(), iterations, converged, bound, gLog);
    }

    /**
     * One row's softmax(beta d) moments, {@code d = z - max(z)}: writes {@code {t0, mean, variance,
     * third central moment}} of d into {@code out}, where t0 is the normaliser (its log is the
     * row's log-partition at beta). The entries are summed in index order around the maximal one
     * (index {@code best}, value {@code max}), whose term is the 1 in t0. The single-machine fit's
     * chunks and a distributed fit's per-partition sums (calibkit-spark) both call this, so they
     * add the same doubles.
     *
     * @param off the row's first index in {@code z}
     */
    public static void rowMoments(double[] z, int off, int k, int best, double max, double beta, double[] out) {
        double t0 = 1;
        double t1 = 0;
        double t2 = 0;
        double t3 = 0;
        // two runs around the maximal entry instead of a test per entry
        for (int run = 0; run < 2; run++) {
            int lo = run == 0 ? off : off + best + 1;
            int hi = run == 0 ? off + best : off + k;
            for (int j = lo; j < hi; j++) {
                double dj = z[j] - max;
                double e = Math.exp(beta * dj);
                t0 += e;
                double de = dj * e;
                t1 += de;
                double dde = dj * de;
                t2 += dde;
                t3 += dj * dde;
            }
        }
        double inv = 1 / t0;
        double mean = t1 * inv;
        double m2 = t2 * inv;
        out[0] = t0;
        out[1] = mean;
        out[2] = m2 - mean * mean;
        out[3] = t3 * inv - mean * (3 * m2 - 2 * mean * mean);
    }

    /**
     * Mean NLL of softmax(beta * z) and its first three derivatives in beta, straight from the
     * logits: per row only the arg-max, the maximum and {@code a = z_y - max} are kept, and a pass
     * takes {@code d = z - max} on the fly, skipping the maximal entry (it contributes exp(0) = 1).
     * Large inputs are split into a fixed number of row chunks summed in parallel and combined in
     * chunk order, so the result does not depend on the number of threads. The log of each row's
     * normaliser is only taken when the NLL is asked for ({@link #nll()}).
     */
    static final class Objective implements NllMoments {
        private static final int CHUNK_ROWS = 1024;
        private final double[] z;      // the logits, row-major n * k (not copied)
        private final double[] max;    // per row
        private final int[] best;      // per row: index of the (first) maximum, skipped in a pass
        private final double[] s0;     // per-row normaliser sum exp(beta * d) of the last eval
        private final int n;
        private final int k;
        private final double sumA;     // sum over rows of z_y - max
        private final double sumMeanD;  // sum over rows of the mean of z - max(z) over all K classes
        private final boolean separable;
        private final int chunks;
        private final double[] partial; // 3 per chunk: sums of E[d], Var[d], third central moment of d
        private double beta = Double.NaN;
        private double grad;
        private double hess;
        private double third;

        Objective(Logits logits, int[] labels) {
            k = logits.k();
            n = logits.n();
            z = logits.raw();
            max = new double[n];
            best = new int[n];
            s0 = new double[n];
            double sa = 0;
            double smd = 0;
            boolean sep = true;
            for (int i = 0; i < n; i++) {
                int off = i * k;
                int b = 0;
                double mx = z[off];
                double rowSum = z[off];
                for (int j = 1; j < k; j++) {
                    double v = z[off + j];
                    rowSum += v;
                    if (v > mx) {
                        mx = v;
                        b = j;
                    }
                }
                max[i] = mx;
                best[i] = b;
                double ai = z[off + labels[i]] - mx;
                sa += ai;
                smd += (rowSum - k * mx) / k;
                sep &= ai == 0;
            }
            sumA = sa;
            sumMeanD = smd;
            separable = sep;
            chunks = (n + CHUNK_ROWS - 1) / CHUNK_ROWS;
            partial = new double[3 * chunks];
        }

        @Override
        public boolean separable() {
            return separable;
        }

        @Override
        public double gradientAtZero() {
            return (sumMeanD - sumA) / n;
        }

        @Override
        public double grad() {
            return grad;
        }

        @Override
        public double hess() {
            return hess;
        }

        @Override
        public double third() {
            return third;
        }

        /** Evaluates the first three derivatives at beta. */
        void eval(double beta) {
            this.beta = beta;
            if (chunks == 1) {
                chunk(0, beta);
            } else {
                IntStream.range(0, chunks).parallel().forEach(c -> chunk(c, beta));
            }
            double sG = 0;
            double sH = 0;
            double sT = 0;
            for (int c = 0; c < chunks; c++) {
                sG += partial[3 * c];
                sH += partial[3 * c + 1];
                sT += partial[3 * c + 2];
            }
            grad = (sG - sumA) / n;
            hess = Math.max(0, sH / n);
            third = sT / n;
        }

        private void chunk(int c, double beta) {
            int from = c * CHUNK_ROWS;
            int to = Math.min(n, from + CHUNK_ROWS);
            double sG = 0;
            double sH = 0;
            double sT = 0;
            double[] row = new double[4];
            for (int i = from; i < to; i++) {
                rowMoments(z, i * k, k, best[i], max[i], beta, row);
                s0[i] = row[0];
                sG += row[1];
                sH += row[2];
                sT += row[3];
            }
            partial[3 * c] = sG;
            partial[3 * c + 1] = sH;
            partial[3 * c + 2] = sT;
        }

        /** Mean NLL at the beta of the last {@link #eval(double)} (chunks summed as in eval). */
        @Override
        public double nll() {
            double[] logs = new double[chunks];
            IntStream range = IntStream.range(0, chunks);
            if (chunks > 1) {
                range = range.parallel();
            }
            range.forEach(c -> {
                double s = 0;
                for (int i = c * CHUNK_ROWS; i < Math.min(n, (c + 1) * CHUNK_ROWS); i++) {
                    s += Math.log(s0[i]);
                }
                logs[c] = s;
            });
            double s = 0;
            for (double v : logs) {
                s += v;
            }
            return (s - beta * sumA) / n;
        }
    }
}
