"""Reference outputs of scikit-learn (Debian python3-sklearn 1.2.1, run with /usr/bin/python3)
for the one-vs-rest calibrators on fixture.csv. Run from this directory:
    /usr/bin/python3 make_sklearn_reference.py
Writes isotonic_expected.csv and histogram_expected.csv and prints the Platt parameters."""
import numpy as np
from scipy import optimize
from scipy.special import expit, softmax
from sklearn.isotonic import IsotonicRegression
from sklearn.calibration import _sigmoid_calibration

data = np.loadtxt("fixture.csv", delimiter=",", comments="#")
y = data[:, 0].astype(int)
z = data[:, 1:]
n, k = z.shape
p = softmax(z, axis=1)
# held-out inputs: the same logits at 0.7x scale (new probabilities: exercises interpolation and clipping)
p_new = softmax(0.7 * z, axis=1)

def renorm(q):
    s = q.sum(1, keepdims=True)
    return np.divide(q, s, out=np.full_like(q, 1.0 / q.shape[1]), where=s != 0)  # CalibratedClassifierCV

# ---- isotonic one-vs-rest on softmax probabilities, clip outside, renormalise
iso_fit = np.zeros_like(p)
iso_new = np.zeros_like(p)
for j in range(k):
    ir = IsotonicRegression(out_of_bounds="clip").fit(p[:, j], (y == j).astype(float))
    iso_fit[:, j] = ir.predict(p[:, j])
    iso_new[:, j] = ir.predict(p_new[:, j])
np.savetxt("isotonic_expected.csv", np.hstack([renorm(iso_fit), renorm(iso_new)]), delimiter=",",
           fmt="%.17g", header="calibrated softmax(z) (4 columns) then softmax(0.7 z) (4 columns); make_sklearn_reference.py")

# ---- histogram binning (numpy): 10 equal-width right-closed bins, 0 in the first, empty bin -> midpoint
M = 10
def bins(q):
    return np.clip(np.ceil(q * M).astype(int) - 1, 0, M - 1)
hist_fit = np.zeros_like(p)
hist_new = np.zeros_like(p)
for j in range(k):
    b = bins(p[:, j])
    vals = np.array([(y[b == m] == j).mean() if np.any(b == m) else (m + 0.5) / M for m in range(M)])
    hist_fit[:, j] = vals[b]
    hist_new[:, j] = vals[bins(p_new[:, j])]
np.savetxt("histogram_expected.csv", np.hstack([renorm(hist_fit), renorm(hist_new)]), delimiter=",",
           fmt="%.17g", header="calibrated softmax(z) (4 columns) then softmax(0.7 z) (4 columns); make_sklearn_reference.py")

# ---- Platt: sklearn's _sigmoid_calibration (BFGS, ~1e-5) and the same objective solved tightly
def tight(F, pos):
    prior1 = pos.sum(); prior0 = len(pos) - prior1
    T = np.where(pos, (prior1 + 1.0) / (prior1 + 2.0), 1.0 / (prior0 + 2.0))
    def fg(ab):
        x = ab[0] * F + ab[1]
        P = expit(-x)
        val = np.mean(np.logaddexp(0, x) - (1 - T) * x)
        d = T - P
        return val, np.array([np.mean(d * F), np.mean(d)])
    r = optimize.minimize(fg, [0.0, np.log((prior0 + 1.0) / (prior1 + 1.0))], jac=True, method="BFGS",
                          options={"gtol": 1e-13})
    return r.x
mask = y < 2   # binary: rows of classes 0 and 1, logits z0, z1
F = z[mask, 1] - z[mask, 0]
pos = y[mask] == 1
print("binary rows", int(mask.sum()), "sklearn A,B =", _sigmoid_calibration(F, pos.astype(int)),
      "tight A,B =", repr(tight(F, pos).tolist()))
for j in range(k):
    pos = y == j
    print("ovr class", j, "sklearn A,B =", _sigmoid_calibration(z[:, j], pos.astype(int)),
          "tight A,B =", repr(tight(z[:, j], pos).tolist()))
