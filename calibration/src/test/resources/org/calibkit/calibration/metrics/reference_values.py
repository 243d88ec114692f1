# Independent reference values for CalibrationMetricsReferenceTest.
# Run: /usr/bin/python3 reference_values.py   (Debian numpy 1.24.2, scipy, scikit-learn 1.2.1)
# Everything below is written from the papers' definitions with numpy, not from calibkit code.
import numpy as np
from scipy.special import softmax, logsumexp

rng = np.random.default_rng(20231123)
n, k = 40, 4
# logits rounded to 3 decimals so Java parses exactly the same doubles
Z = np.round(rng.normal(size=(n, k)) * 2.0, 3)
Z[np.arange(n), rng.integers(0, k, n)] += 1.5
y = rng.integers(0, k, n)
# make the model better than chance: 60% of labels follow the argmax
follow = rng.random(n) < 0.6
y[follow] = Z.argmax(1)[follow]
P = softmax(Z, axis=1)

def fmt(a):
    return ", ".join(repr(float(v)) for v in a)

print("// logits (rows)")
for row in Z:
    print("{" + ", ".join(f"{v:.3f}" for v in row) + "},")
print("// labels")
print("{" + ", ".join(str(int(v)) for v in y) + "}")

conf = P.max(1)
correct = (P.argmax(1) == y).astype(float)

def equal_width(conf, correct, B):
    # right-closed bins, 0 in the first, 1 in the last
    b = np.clip(np.ceil(conf * B).astype(int) - 1, 0, B - 1)
    ece = 0.0; mce = 0.0; l2 = 0.0
    for i in range(B):
        m = b == i
        if m.any():
            gap = abs(correct[m].mean() - conf[m].mean())
            ece += m.mean() * gap; l2 += m.mean() * gap ** 2; mce = max(mce, gap)
    return ece, mce, np.sqrt(l2)

def equal_mass_edges(values, B):
    # Kumar et al. 2019 get_equal_bins: array_split of the sorted values, midpoints, last edge 1.0
    s = np.sort(values)
    groups = np.array_split(s, B)
    edges = []
    for a, b in zip(groups[:-1], groups[1:]):
        if len(a) and len(b):
            edges.append((a[-1] + b[0]) / 2.0)
    edges.append(1.0)
    return np.array(sorted(set(edges)))

def equal_mass_bins(values, B):
    return np.searchsorted(equal_mass_edges(values, B), values, side="left")

def ece_equal_mass(conf, correct, B):
    b = equal_mass_bins(conf, B)
    return sum((b == i).mean() * abs(correct[b == i].mean() - conf[b == i].mean())
               for i in np.unique(b))

def debiased(conf, correct, B):
    b = equal_mass_bins(conf, B)
    tot = 0.0
    for i in np.unique(b):
        m = b == i
        nb = m.sum()
        if nb < 2:
            continue
        acc = correct[m].mean()
        tot += m.mean() * ((conf[m].mean() - acc) ** 2 - acc * (1 - acc) / (nb - 1))
    return np.sqrt(max(tot, 0.0))

def ace(P, y, R):
    gaps = []
    for j in range(P.shape[1]):
        p = P[:, j]; t = (y == j).astype(float)
        b = equal_mass_bins(p, R)
        for i in np.unique(b):
            gaps.append(abs(t[b == i].mean() - p[b == i].mean()))
    return np.mean(gaps)

def classwise(P, y, B):
    tot = 0.0
    for j in range(P.shape[1]):
        p = P[:, j]; t = (y == j).astype(float)
        b = np.clip(np.ceil(p * B).astype(int) - 1, 0, B - 1)
        for i in range(B):
            m = b == i
            if m.any():
                tot += m.mean() * abs(t[m].mean() - p[m].mean())
    return tot / P.shape[1]

def smooth_ece_sigma(f, yy, sigma, grid=200001):
    # direct definition: integral_0^1 |(1/n) sum_i (y_i - f_i) K(t, f_i)| dt, K the Gaussian
    # reflected at 0 and 1 (images up to |k| <= 3), trapezoid on a fine grid
    t = np.linspace(0, 1, grid)
    r = yy - f
    h = np.zeros_like(t)
    phi = lambda d: np.exp(-0.5 * (d / sigma) ** 2) / (sigma * np.sqrt(2 * np.pi))
    for fi, ri in zip(f, r):
        for kk in range(-3, 4):
            h += ri * (phi(t - fi - 2 * kk) + phi(t + fi - 2 * kk))
    return np.trapz(np.abs(h / len(f)), t)

def smooth_ece(f, yy, grid=200001):
    from scipy.optimize import brentq
    s = brentq(lambda s: smooth_ece_sigma(f, yy, s, grid) - s, 1e-3, 1.0, xtol=1e-9)
    return smooth_ece_sigma(f, yy, s, grid), s

B = 5
e, m, l2 = equal_width(conf, correct, B)
print("accuracy", repr(correct.mean()))
print("signed_ece", repr(conf.mean() - correct.mean()))
print("nll", repr(np.mean(logsumexp(Z, axis=1) - Z[np.arange(n), y])))
onehot = np.eye(k)[y]
print("brier", repr(np.mean(np.sum((P - onehot) ** 2, axis=1))))
print("ece5", repr(e), "mce5", repr(m), "l2_5", repr(l2))
print("ece_equal_mass5", repr(ece_equal_mass(conf, correct, B)))
print("debiased5", repr(debiased(conf, correct, B)))
print("ace5", repr(ace(P, y, B)))
print("classwise5", repr(classwise(P, y, B)))
sm, sig = smooth_ece(conf, correct)
print("smooth_ece", repr(sm), "sigma", repr(sig))

# equal-mass with ties: 9 confidences, 3 bins
c2 = np.array([0.5, 0.5, 0.5, 0.5, 0.7, 0.7, 0.9, 0.9, 1.0])
k2 = np.array([1, 0, 0, 1, 1, 0, 1, 1, 1], dtype=float)
print("tie edges", equal_mass_edges(c2, 3), "ece_em", repr(ece_equal_mass(c2, k2, 3)),
      "debiased", repr(debiased(c2, k2, 3)))

# SmoothECE on nearly calibrated data (small bandwidth): confidences and outcomes from integer
# arithmetic so Java builds exactly the same doubles: f_i = (37 i mod 1000) / 1000 and
# y_i = [(61 i mod 997) / 997 < f_i], i = 0..399
i = np.arange(400)
f2 = ((37 * i) % 1000) / 1000.0
y2 = (((61 * i) % 997) / 997.0 < f2).astype(float)
sm2, sig2 = smooth_ece(f2, y2, grid=40001)
print("smooth_ece calibrated", repr(sm2), "sigma", repr(sig2))
