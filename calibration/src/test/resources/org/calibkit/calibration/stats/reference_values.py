# Independent reference values for the tests of org.calibkit.calibration.stats.
# Run: /usr/bin/python3 reference_values.py   (Debian python3-scipy 1.10.1, numpy 1.24.2,
# scikit-learn 1.2.1, mpmath 1.2.1). Written from the papers' definitions with numpy/scipy,
# not from calibkit code. Prints the numbers pasted into the Java tests and writes
# conformal_calibration.csv, conformal_test.csv and bca_reference.csv next to this file.
import itertools
import math
import os

import mpmath
import numpy as np
import scipy.stats as st
from sklearn.metrics import auc

HERE = os.path.dirname(os.path.abspath(__file__))


def r(v):
    return repr(float(v))


def jarr(a, fmt=r):
    return "{" + ", ".join(fmt(v) for v in a) + "}"


# ------------------------------------------------------------------ 1. binomial intervals
print("// ---- Proportions: (x, n, level) -> Clopper-Pearson (beta.ppf), Wilson (binomtest)")
for x, n, level in [(0, 10, .95), (1, 10, .95), (3, 10, .95), (10, 10, .95), (7, 50, .90),
                    (1, 10000, .95), (9999, 10000, .99), (250, 1000, .95)]:
    a = 1 - level
    lo = 0.0 if x == 0 else st.beta.ppf(a / 2, x, n - x + 1)
    hi = 1.0 if x == n else st.beta.ppf(1 - a / 2, x + 1, n - x)
    ex = st.binomtest(x, n).proportion_ci(level, method="exact")
    assert abs(ex.low - lo) < 1e-12 and abs(ex.high - hi) < 1e-12
    w = st.binomtest(x, n).proportion_ci(level, method="wilson")
    print(f"{{{x}, {n}, {level}, {r(lo)}, {r(hi)}, {r(w.low)}, {r(w.high)}}},")

# ------------------------------------------------------------------ 2. calibration tests
def spiegelhalter(p, y):
    z = np.sum((y - p) * (1 - 2 * p)) / np.sqrt(np.sum((1 - 2 * p) ** 2 * p * (1 - p)))
    return z, 2 * st.norm.sf(abs(z)), st.norm.sf(z)


def hosmer_lemeshow(p, y, groups, df_minus):
    order = np.argsort(p, kind="stable")
    ps, ys = p[order], y[order]
    part = np.empty(len(p), dtype=int)
    for g, idx in enumerate(np.array_split(np.arange(len(p)), groups)):
        part[idx] = g
    # a run of equal p belongs to the part of its first position
    grp = part.copy()
    for i in range(1, len(ps)):
        if ps[i] == ps[i - 1]:
            grp[i] = grp[i - 1]
    h = 0.0
    used = np.unique(grp)
    for g in used:
        m = grp == g
        o, e, ng = ys[m].sum(), ps[m].sum(), m.sum()
        h += (o - e) ** 2 / (e * (1 - e / ng))
    df = len(used) - df_minus
    return h, df, len(used), st.chi2.sf(h, df)


def cumulative(p, y):
    # the curve after each distinct p (ties are one step), C_0 = 0 included in the range
    u, inv = np.unique(p, return_inverse=True)
    step = np.bincount(inv, weights=y - p)
    c = np.concatenate([[0.0], np.cumsum(step)])
    s = np.sqrt(np.sum(p * (1 - p)))
    return np.max(np.abs(c)) / s, (c.max() - c.min()) / s


def ks_cdf(x):   # Tygert / MAPIE, Darling-Siegert series
    eps = 7 / 3 - 4 / 3 - 1
    kmax = math.ceil(0.5 + x * math.sqrt(2) / math.pi * math.sqrt(math.log(4 / math.pi / eps)))
    return 2 / math.pi * sum((-1) ** k / (k + .5) * math.exp(-(k + .5) ** 2 * math.pi ** 2 / (2 * x * x))
                             for k in range(kmax))


def kuiper_cdf(x):   # Tygert / MAPIE, Feller's range series
    eps = 7 / 3 - 4 / 3 - 1
    kmax = math.ceil(0.5 + x / math.pi / math.sqrt(2)
                     * math.sqrt(math.log(4 / math.sqrt(2 * math.pi) / eps * (1 / x + x / math.pi ** 2))))
    return sum((8 / x ** 2 + 2 / (k + .5) ** 2 / math.pi ** 2) * math.exp(-2 * (k + .5) ** 2 * math.pi ** 2 / x ** 2)
               for k in range(kmax))


mpmath.mp.dps = 60


def ks_sf_mp(x):   # 1 - Darling-Siegert, 60 digits
    x = mpmath.mpf(x)
    c = sum((-1) ** k / (k + mpmath.mpf(1) / 2) * mpmath.exp(-(k + mpmath.mpf(1) / 2) ** 2 * mpmath.pi ** 2 / (2 * x * x))
            for k in range(200))
    return 1 - c * 2 / mpmath.pi


def kuiper_sf_mp(x):
    x = mpmath.mpf(x)
    c = sum((8 / x ** 2 + 2 / (k + mpmath.mpf(1) / 2) ** 2 / mpmath.pi ** 2)
            * mpmath.exp(-2 * (k + mpmath.mpf(1) / 2) ** 2 * mpmath.pi ** 2 / x ** 2) for k in range(200))
    return 1 - c


print("// ---- Brownian tails: x, P(max|B| > x), P(range > x) (60-digit mpmath sums of Tygert's series)")
for x in [0.3, 0.8, 1.0, 1.2, 1.5, 2.0, 3.0, 5.0, 8.0]:
    print(f"{{{x}, {mpmath.nstr(ks_sf_mp(x), 17)}, {mpmath.nstr(kuiper_sf_mp(x), 17)}}},")
print("// MAPIE docstrings: kolmogorov_smirnov_cdf(1) ->", round(ks_cdf(1), 4), " kuiper_cdf(1) ->", round(kuiper_cdf(1), 4))

# MAPIE's docstring example with a tie at 0.5 (one right, one wrong): its jittered order decides
pm, ym = np.array([0.8, 0.3, 0.5, 0.5, 0.7, 0.1]), np.array([1, 0, 1, 0, 1, 0.0])
ks_tie, _ = cumulative(pm, ym)
print("MAPIE tie example, ties as one step: ks", r(ks_tie), "p", r(1 - ks_cdf(ks_tie)))
for order in ([5, 1, 2, 3, 4, 0], [5, 1, 3, 2, 4, 0]):
    c = np.cumsum((ym - pm)[order])
    k = np.abs(c).max() / np.sqrt(np.sum(pm * (1 - pm)))
    print("  row order", order, "-> ks", r(k), "p", r(1 - ks_cdf(k)))

rng = np.random.default_rng(20240610)
n = 40
P1 = np.round(rng.uniform(0.05, 0.99, n), 4)
assert len(np.unique(P1)) == n
# mildly overconfident: outcomes follow p^1.4
Y1 = (rng.uniform(size=n) < P1 ** 1.4).astype(float)
print("// ---- calibration tests, data set 1 (no ties)")
print("P1 =", jarr(P1, lambda v: f"{v:.4f}"))
print("Y1 =", jarr(Y1.astype(int), str))
z, p2, p1 = spiegelhalter(P1, Y1)
print("spiegelhalter z, two-sided, greater:", r(z), r(p2), r(p1))
for groups in (5, 10):
    print(f"hosmer_lemeshow G={groups} held-out:", [r(v) if isinstance(v, float) else v for v in hosmer_lemeshow(P1, Y1, groups, 0)])
    print(f"hosmer_lemeshow G={groups} fitted:", [r(v) if isinstance(v, float) else v for v in hosmer_lemeshow(P1, Y1, groups, 2)])
ks, ku = cumulative(P1, Y1)
print("ks stat, p:", r(ks), r(1 - ks_cdf(ks)), " kuiper stat, p:", r(ku), r(1 - kuiper_cdf(ku)))

print("// ---- calibration tests, data set 2 (p in tenths: ties)")
P2 = np.round(rng.uniform(0.1, 0.9, 30), 1)
Y2 = (rng.uniform(size=30) < P2).astype(float)
print("P2 =", jarr(P2, lambda v: f"{v:.1f}"))
print("Y2 =", jarr(Y2.astype(int), str))
print("hosmer_lemeshow G=4 held-out:", [r(v) if isinstance(v, float) else v for v in hosmer_lemeshow(P2, Y2, 4, 0)])
ks, ku = cumulative(P2, Y2)
print("ks stat, p:", r(ks), r(1 - ks_cdf(ks)), " kuiper stat, p:", r(ku), r(1 - kuiper_cdf(ku)))

# ------------------------------------------------------------------ 3. conformal
rng = np.random.default_rng(77)
K = 4


def make(n):
    logits = rng.normal(size=(n, K)) * 1.5
    probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    labels = np.array([rng.choice(K, p=row) for row in probs])
    return probs, labels


Pc, Yc = make(60)
Pt, Yt = make(25)
np.savetxt(os.path.join(HERE, "conformal_calibration.csv"), np.c_[Pc, Yc], delimiter=",", fmt="%.17g",
           header="p0,p1,p2,p3,label (reference_values.py, default_rng(77))")
np.savetxt(os.path.join(HERE, "conformal_test.csv"), np.c_[Pt, Yt], delimiter=",", fmt="%.17g",
           header="p0,p1,p2,p3,label (reference_values.py, default_rng(77), after the calibration rows)")


def order_of(row):
    # decreasing probability, lower class index first on ties
    return np.lexsort((np.arange(K), -row))


def score_all(row, kind, k_reg=0, lam=0.0):
    """score of every label of one row, u = 1 (non-randomised)"""
    if kind == "lac":
        return 1 - row
    o = order_of(row)
    cum = np.concatenate([[0.0], np.cumsum(row[o])[:-1]])
    s = np.empty(K)
    for rank, j in enumerate(o):
        s[j] = cum[rank] + row[j] + (lam * max(0, rank + 1 - k_reg) if kind == "raps" else 0.0)
    return s


print("// ---- conformal (conformal_calibration.csv: 60 rows, conformal_test.csv: 25 rows, K = 4)")
for kind, k_reg, lam in [("lac", 0, 0.0), ("aps", 0, 0.0), ("raps", 1, 0.05)]:
    for alpha in (0.1, 0.2):
        cal = np.array([score_all(row, kind, k_reg, lam)[y] for row, y in zip(Pc, Yc)])
        ncal = len(cal)
        k = math.ceil((ncal + 1) * (1 - alpha) - 1e-9)
        # the k-th smallest score, i.e. numpy's "inverted_cdf" quantile at k/n; numpy's "higher" at
        # k/n (as in several tutorials and MAPIE) interpolates over n - 1 gaps and returns the
        # (k+1)-th smallest, one rank more conservative
        q = np.sort(cal)[k - 1]
        assert q == np.quantile(cal, k / ncal, method="inverted_cdf")
        higher = np.quantile(cal, k / ncal, method="higher")
        sets = np.array([score_all(row, kind, k_reg, lam) <= q for row in Pt])
        sizes = sets.sum(1)
        covered = sets[np.arange(len(Yt)), Yt.astype(int)]
        print(f"{kind} kReg={k_reg} lambda={lam} alpha={alpha}: k={k} q={r(q)} (numpy 'higher': {r(higher)}) sizes={jarr(sizes, str)} "
              f"covered={int(covered.sum())} mask={jarr([int(''.join('1' if b else '0' for b in row), 2) for row in sets], str)}")

# ------------------------------------------------------------------ 4. selective prediction
def tu_aurc(conf, err):
    # torch-uncertainty AURC: errors sorted by decreasing confidence, cumulative error rate at
    # coverage k/n, trapezoid (sklearn auc) over k = 1..n, divided by 1 - 1/n
    n = len(conf)
    e = err[np.argsort(-conf, kind="stable")]
    risk = np.cumsum(e) / np.arange(1, n + 1)
    return auc(np.arange(1, n + 1) / n, risk) / (1 - 1 / n)


print("// ---- selective")
conf = np.array([0.9, 0.8, 0.7, 0.6, 0.8])
err = np.array([0, 0, 1, 1, 0.0])
print("torch-uncertainty vector:", r(tu_aurc(conf, err)))
rng = np.random.default_rng(31)
S = np.round(rng.normal(size=200), 6)
assert len(np.unique(S)) == 200
C = rng.uniform(size=200) < 1 / (1 + np.exp(-1.5 * S - 1))   # correct more often when the score is high
np.savetxt(os.path.join(HERE, "selective.csv"), np.c_[S, C.astype(int)], delimiter=",", fmt="%.6f,%d",
           header="score,correct (reference_values.py, default_rng(31))")
E = (~C).astype(float)
a = tu_aurc(S, E)
opt = tu_aurc(np.where(C, 1.0, 0.0) + 0 * S, E)   # oracle: correct rows first (ties among equals do not matter)
print("selective.csv: aurc", r(a), "optimal", r(opt), "eaurc", r(a - opt))
order = np.argsort(-S)
cum_err = np.cumsum(E[order])
k = np.arange(1, 201)
risk = cum_err / k
for cov in (0.5, 0.8):
    m = math.ceil(cov * 200)
    print(f"risk at coverage {cov}: threshold {r(S[order][m - 1])} risk {r(risk[m - 1])}")
for target in (0.05, 0.1):
    ok = np.nonzero(risk <= target)[0]
    m = ok.max() + 1
    print(f"coverage at risk {target}: threshold {r(S[order][m - 1])} coverage {r(m / 200)} risk {r(risk[m - 1])}")

# ties: the AURC averaged over every order of the tied rows
conf_t = np.array([0.9, 0.9, 0.9, 0.7, 0.7, 0.5, 0.5, 0.5])
err_t = np.array([0, 1, 0, 1, 0, 0, 1, 1.0])
groups = [np.nonzero(conf_t == v)[0] for v in sorted(set(conf_t), reverse=True)]
vals = []
for perms in itertools.product(*[list(itertools.permutations(g)) for g in groups]):
    idx = np.concatenate(perms)
    e = err_t[idx]
    n = len(e)
    risk = np.cumsum(e) / np.arange(1, n + 1)
    vals.append(auc(np.arange(1, n + 1) / n, risk) / (1 - 1 / n))
print("ties", jarr(conf_t), jarr(err_t), "-> mean AURC over", len(vals), "orders:", r(np.mean(vals)))

# ------------------------------------------------------------------ 5. BCa
rng = np.random.default_rng(2023)
x = rng.exponential(size=40)
kw = dict(n_resamples=999, confidence_level=0.9)
bca = st.bootstrap((x,), np.std, method="BCa", random_state=np.random.default_rng(7), **kw)
pct = st.bootstrap((x,), np.std, method="percentile", random_state=np.random.default_rng(7), **kw)
assert np.array_equal(bca.bootstrap_distribution, pct.bootstrap_distribution)
jack = np.array([np.std(np.delete(x, i)) for i in range(len(x))])
est = np.std(x)
with open(os.path.join(HERE, "bca_reference.csv"), "w") as f:
    f.write("# reference_values.py: np.std of 40 exponential draws (default_rng(2023)); scipy.stats.bootstrap, "
            "999 resamples, default_rng(7)\n")
    f.write("estimate," + r(est) + "\n")
    f.write("jackknife," + ",".join(r(v) for v in jack) + "\n")
    f.write("replicates," + ",".join(r(v) for v in bca.bootstrap_distribution) + "\n")
print("// ---- BCa (bca_reference.csv), level 0.9")
print("scipy BCa:", r(bca.confidence_interval.low), r(bca.confidence_interval.high))
print("scipy percentile:", r(pct.confidence_interval.low), r(pct.confidence_interval.high))
