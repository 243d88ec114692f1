"""Reference values for MetricsCommandTest.statisticsMatchNumpyAndScipy, written from the
definitions with numpy/scipy, not from calibkit.  Run: /usr/bin/python3 metrics_statistics_reference.py

Data: the Z, Y (evaluation) and ZC, YC (fit set) of MetricsCommandTest, softmax of the logits as given.
"""
import numpy as np
from scipy import stats
from scipy.special import softmax

Z = np.array([[0.1, 2.7, 0.5], [-1.2, 2.5, 0.7], [0.2, -1.9, 1.4], [1.4, -2.7, 0.6],
              [-3.8, -1.1, -3.7], [-0.5, -2.5, 2.0], [0.3, -0.4, -3.5], [0.4, -0.1, 0.2], [-1.6, -1.0, -2.0],
              [-0.1, 2.1, -1.6], [1.4, 1.8, -1.2], [-0.2, 0.2, 1.6]])
Y = np.array([2, 1, 2, 2, 1, 2, 2, 0, 0, 0, 0, 2])
ZC = np.array([[1.5, -2.4, 1.6], [1.2, -0.4, 2.9], [-0.1, 1.3, 4.4], [-1.4, 1.9, -0.9],
               [1.8, -2.4, -1.2], [-0.4, 1.8, 3.8], [-2.6, -0.1, 1.3], [-2.5, -0.9, -0.2], [4.0, 1.4, -0.7],
               [-0.7, 1.0, 3.0], [-0.9, -0.6, 2.2], [-0.2, 1.1, -2.2], [-0.0, 0.6, 2.3], [1.3, -0.0, 2.8],
               [-0.7, 2.1, 1.5], [1.2, -1.1, 0.7]])
YC = np.array([2, 2, 2, 1, 0, 2, 1, 0, 0, 1, 2, 1, 1, 2, 2, 1])
ALPHA = 0.2

p = softmax(Z, axis=1)
pc = softmax(ZC, axis=1)
n = len(Y)

# split conformal, LAC: threshold = ceil((m+1)(1-alpha))-th smallest calibration score 1 - p_y
cal = 1 - pc[np.arange(len(YC)), YC]
k = int(np.ceil((len(YC) + 1) * (1 - ALPHA)))
q = np.sort(cal)[k - 1]
sets = (1 - p) <= q
covered = sets[np.arange(n), Y]
print("lac rank", k, "threshold", repr(q))
print("lac coverage", covered.mean(), "mean size", sets.sum(1).mean(), "size histogram",
      np.bincount(sets.sum(1), minlength=4))
ci = stats.binomtest(int(covered.sum()), n).proportion_ci(0.95, method="exact")
print("lac coverage interval", repr(ci.low), repr(ci.high))

# Spiegelhalter Z of top-label confidences, two-sided
conf = p.max(1)
right = (p.argmax(1) == Y).astype(float)
z = np.sum((right - conf) * (1 - 2 * conf)) / np.sqrt(np.sum((1 - 2 * conf) ** 2 * conf * (1 - conf)))
print("spiegelhalter z", repr(z), "p", repr(2 * stats.norm.sf(abs(z))))

# AURC of msp, torch-uncertainty's convention: trapezoid over (k/n, risk_k), k = 1..n, / (1 - 1/n);
# msp has no ties here
assert len(np.unique(conf)) == n
order = np.argsort(-conf, kind="stable")
risk = np.cumsum(1 - right[order]) / np.arange(1, n + 1)
aurc = (risk.sum() - (risk[0] + risk[-1]) / 2) / (n - 1)
print("aurc msp", repr(aurc))
# Clopper-Pearson of the top reliability bin (5 equal-width bins, right-closed): (0.8, 1]
b = np.clip(np.ceil(conf * 5) - 1, 0, 4).astype(int)
top = b == 4
ci = stats.binomtest(int(right[top].sum()), int(top.sum())).proportion_ci(0.95, method="exact")
print("bin 4 count", int(top.sum()), "correct", int(right[top].sum()), "cp", repr(ci.low), repr(ci.high))
