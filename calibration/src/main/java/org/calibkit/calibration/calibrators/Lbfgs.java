package org.calibkit.calibration.calibrators;

import java.util.Arrays;

/**
 * Limited-memory BFGS (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4,
 * two-loop recursion) with a strong-Wolfe line search (Algorithms 3.5 and 3.6, safeguarded cubic
 * interpolation) that also accepts Hager and Zhang's approximate Wolfe conditions once f no longer
 * resolves progress. Minimises a smooth function given value and analytic gradient. Stops when the
 * largest absolute gradient entry is at most {@code gradientTolerance}; otherwise (budget spent,
 * or no further decrease possible in floating point) the result says {@code converged = false}.
 * Immutable settings; each {@link #minimize} call is independent.
 */
final class Lbfgs {
    /** A differentiable function: returns f(x) and writes its gradient into {@code grad}. */
    interface Function {
        double valueAndGradient(double[] x, double[] grad);
    }

    /** The outcome of a minimisation. */
    static final class Result {
        final double[] x;
        final double value;
        final double gradientNorm;   // max |g_i|
        final int iterations;
        final int evaluations;
        final boolean converged;

        Result(double[] x, double value, double gradientNorm, int iterations, int evaluations, boolean converged) {
            this.x = x;
            this.value = value;
            this.gradientNorm = gradientNorm;
            this.iterations = iterations;
            this.evaluations = evaluations;
            this.converged = converged;
        }
    }

    private static final double C1 = 1e-4;
    private static final double C2 = 0.9;
    private static final int MAX_LINE_SEARCH = 40;
    /** Relative change of f treated as rounding noise by the approximate Wolfe test. */
    private static final double F_RESOLUTION = 1e-13;

    private final int memory;
    private final int maxIterations;
    private final double gradientTolerance;

    Lbfgs(int memory, int maxIterations, double gradientTolerance) {
        this.memory = memory;
        this.maxIterations = maxIterations;
        this.gradientTolerance = gradientTolerance;
    }

    Result minimize(Function fn, double[] start) {
        final int dim = start.length;
        double[] x = start.clone();
        double[] g = new double[dim];
        double f = fn.valueAndGradient(x, g);
        int evaluations = 1;
        checkFinite(f, x);
        double[][] s = new double[memory][dim];
        double[][] y = new double[memory][dim];
        double[] rho = new double[memory];
        double[] alphaBuf = new double[memory];
        int stored = 0;
        int head = 0;   // next slot to write
        double[] d = new double[dim];
        double[] xNew = new double[dim];
        double[] gNew = new double[dim];
        int iter = 0;
        boolean converged = false;
        boolean lastWasSteepest = false;
        while (true) {
            if (maxAbs(g) <= gradientTolerance) {
                converged = true;
                break;
            }
            if (iter >= maxIterations) {
                break;
            }
            // two-loop recursion: d = -H g
            for (int i = 0; i < dim; i++) {
                d[i] = -g[i];
            }
            for (int c = 0; c < stored; c++) {
                int idx = Math.floorMod(head - 1 - c, memory);
                double a = rho[idx] * dot(s[idx], d);
                alphaBuf[idx] = a;
                axpy(-a, y[idx], d);
            }
            if (stored > 0) {
                int last = Math.floorMod(head - 1, memory);
                double gamma = dot(s[last], y[last]) / dot(y[last], y[last]);
                for (int i = 0; i < dim; i++) {
                    d[i] *= gamma;
                }
            }
            for (int c = stored - 1; c >= 0; c--) {
                int idx = Math.floorMod(head - 1 - c, memory);
                double b = rho[idx] * dot(y[idx], d);
                axpy(alphaBuf[idx] - b, s[idx], d);
            }
            double dg = dot(d, g);
            boolean steepest = stored == 0;
            if (!(dg < 0)) {   // not a descent direction (or NaN): restart from steepest descent
                stored = 0;
                for (int i = 0; i < dim; i++) {
                    d[i] = -g[i];
                }
                dg = dot(d, g);
                steepest = true;
            }
            double alpha0 = stored == 0 ? Math.min(1.0, 1.0 / Math.sqrt(-dg)) : 1.0;
            LineSearch ls = new LineSearch(fn, x, f, dg, d, xNew, gNew);
            double fNew = ls.search(alpha0);
            evaluations += ls.evaluations;
            if (Double.isNaN(fNew)) {
                if (steepest && lastWasSteepest) {
                    break;      // no decrease possible along -g: floating-point floor reached
                }
                stored = 0;     // drop curvature pairs and retry along -g
                lastWasSteepest = true;
                iter++;
                continue;
            }
            lastWasSteepest = steepest;
            double[] sNew = s[head];
            double[] yNew = y[head];
            for (int i = 0; i < dim; i++) {
                sNew[i] = xNew[i] - x[i];
                yNew[i] = gNew[i] - g[i];
            }
            double sy = dot(sNew, yNew);
            if (sy > 1e-12 * Math.sqrt(dot(sNew, sNew) * dot(yNew, yNew))) {
                rho[head] = 1.0 / sy;
                head = (head + 1) % memory;
                stored = Math.min(stored + 1, memory);
            }
            System.arraycopy(xNew, 0, x, 0, dim);
            System.arraycopy(gNew, 0, g, 0, dim);
            f = fNew;
            iter++;
        }
        return new Result(x, f, maxAbs(g), iter, evaluations, converged);
    }

    /** Strong-Wolfe line search along d from x; leaves the accepted point in xOut/gOut. */
    private static final class LineSearch {
        private final Function fn;
        private final double[] x;
        private final double f0;
        private final double dg0;
        private final double[] d;
        private final double[] xOut;
        private final double[] gOut;
        int evaluations;
        private double lastDg;

        LineSearch(Function fn, double[] x, double f0, double dg0, double[] d, double[] xOut, double[] gOut) {
            this.fn = fn;
            this.x = x;
            this.f0 = f0;
            this.dg0 = dg0;
            this.d = d;
            this.xOut = xOut;
            this.gOut = gOut;
        }

        private double eval(double alpha) {
            for (int i = 0; i < x.length; i++) {
                xOut[i] = x[i] + alpha * d[i];
            }
            double f = fn.valueAndGradient(xOut, gOut);
            evaluations++;
            lastDg = Double.isFinite(f) ? dot(gOut, d) : Double.NaN;
            return Double.isFinite(f) ? f : Double.POSITIVE_INFINITY;
        }

        /** Returns the new value, or NaN when no acceptable step was found. */
        double search(double alpha) {
            double aPrev = 0;
            double fPrev = f0;
            double dgPrev = dg0;
            for (int i = 0; i < MAX_LINE_SEARCH; i++) {
                double f = eval(alpha);
                double dg = lastDg;
                if (f > f0 + C1 * alpha * dg0 || (i > 0 && f >= fPrev) || Double.isNaN(dg)) {
                    if (approximateWolfe(f, dg)) {
                        return f;
                    }
                    return zoom(aPrev, fPrev, dgPrev, alpha, f, dg);
                }
                if (Math.abs(dg) <= -C2 * dg0) {
                    return f;
                }
                if (dg >= 0) {
                    return zoom(alpha, f, dg, aPrev, fPrev, dgPrev);
                }
                aPrev = alpha;
                fPrev = f;
                dgPrev = dg;
                alpha *= 4;
            }
            return Double.NaN;
        }

        private double zoom(double aLo, double fLo, double dgLo, double aHi, double fHi, double dgHi) {
            for (int j = 0; j < MAX_LINE_SEARCH; j++) {
                double a = interpolate(aLo, fLo, dgLo, aHi, fHi, dgHi);
                if (a == aLo || a == aHi) {
                    break;   // interval collapsed in floating point
                }
                double f = eval(a);
                double dg = lastDg;
                if (approximateWolfe(f, dg)) {
                    return f;
                }
                if (f > f0 + C1 * a * dg0 || f >= fLo || Double.isNaN(dg)) {
                    aHi = a;
                    fHi = f;
                    dgHi = dg;
                } else {
                    if (Math.abs(dg) <= -C2 * dg0) {
                        return f;
                    }
                    if (dg * (aHi - aLo) >= 0) {
                        aHi = aLo;
                        fHi = fLo;
                        dgHi = dgLo;
                    }
                    aLo = a;
                    fLo = f;
                    dgLo = dg;
                }
            }
            // No strong-Wolfe point; accept the best point with sufficient decrease, if any.
            if (aLo > 0 && fLo < f0) {
                return eval(aLo);
            }
            return Double.NaN;
        }

        /**
         * The approximate Wolfe conditions of Hager and Zhang (2005): near the optimum, differences of
         * f drown in rounding while the gradient is still informative, so a step whose value is within
         * rounding of f0 is accepted on its slope alone (flatter than at 0, not turned steeply uphill).
         */
        private boolean approximateWolfe(double f, double dg) {
            return f <= f0 + F_RESOLUTION * Math.abs(f0) && dg >= C2 * dg0 && dg <= (2 * C1 - 1) * dg0;
        }

        /** Safeguarded cubic interpolation minimiser on [aLo, aHi] (either order); bisection fallback. */
        private static double interpolate(double aLo, double fLo, double dgLo, double aHi, double fHi, double dgHi) {
            double lo = Math.min(aLo, aHi);
            double hi = Math.max(aLo, aHi);
            double w = hi - lo;
            double a = Double.NaN;
            if (Double.isFinite(fHi) && Double.isFinite(dgHi)) {
                double d1 = dgLo + dgHi - 3 * (fLo - fHi) / (aLo - aHi);
                double disc = d1 * d1 - dgLo * dgHi;
                if (disc >= 0) {
                    double d2 = Math.signum(aHi - aLo) * Math.sqrt(disc);
                    a = aHi - (aHi - aLo) * (dgHi + d2 - d1) / (dgHi - dgLo + 2 * d2);
                }
            }
            if (!(a >= lo + 0.1 * w && a <= hi - 0.1 * w)) {
                a = 0.5 * (lo + hi);
            }
            return a;
        }
    }

    private static void checkFinite(double f, double[] x) {
        if (!Double.isFinite(f)) {
            throw new IllegalStateException("objective is not finite (" + f + ") at the starting point "
                    + Arrays.toString(Arrays.copyOf(x, Math.min(x.length, 8))) + (x.length > 8 ? "..." : ""));
        }
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < x.length; i++) {
            y[i] += a * x[i];
        }
    }

    static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
