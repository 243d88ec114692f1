#!/usr/bin/python3
"""Logits of an overconfident 10-class model, saved the way a PyTorch or Keras user saves them
(np.save of float32 logits and int64 labels), for the CalibratePythonLogits example.

The data is synthetic and its answer is known: labels are drawn from softmax(g) for Gaussian
scores g, so softmax(g) is perfectly calibrated, and the "model" reports 2.5 * g: too sure of
itself by a temperature of 2.5. Temperature scaling fitted on the validation split should find
T close to 2.5.

Run from this directory:  /usr/bin/python3 make_logits.py   (numpy and scipy; deterministic)
It writes val_logits.npy, val_labels.npy, test_logits.npy, test_labels.npy and prints the
reference values the example's test pins: the temperature minimising the validation NLL
(scipy.optimize.minimize_scalar, bounded) and the 15-bin ECE of the test split before and after.
"""
import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax

K = 10
TRUE_T = 2.5
rng = np.random.default_rng(20261130)


def split(n):
    g = rng.normal(0.0, 2.0, size=(n, K))
    p = softmax(g, axis=1)
    y = np.array([rng.choice(K, p=row) for row in p], dtype=np.int64)
    return (TRUE_T * g).astype(np.float32), y


def nll(z, y, t):
    return -log_softmax(z.astype(np.float64) / t, axis=1)[np.arange(len(y)), y].mean()


def ece(z, y, t, bins=15):
    """Top-label ECE, equal-width bins (lo, hi], a confidence of 0 in the first bin, 1.0 in the last."""
    p = softmax(z.astype(np.float64) / t, axis=1)
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(np.float64)
    b = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)
    total = 0.0
    for i in range(bins):
        m = b == i
        if m.any():
            total += m.sum() / len(y) * abs(correct[m].mean() - conf[m].mean())
    return total


val_z, val_y = split(1000)
test_z, test_y = split(2000)
for name, a in [("val_logits", val_z), ("val_labels", val_y), ("test_logits", test_z), ("test_labels", test_y)]:
    np.save(name + ".npy", a)

fit = minimize_scalar(lambda t: nll(val_z, val_y, t), bounds=(0.05, 20.0), method="bounded",
                      options={"xatol": 1e-10})
t = fit.x
print(f"temperature (validation NLL minimum): {t:.6f}")
print(f"validation NLL: {nll(val_z, val_y, 1.0):.6f} -> {nll(val_z, val_y, t):.6f}")
print(f"test ECE (15 bins): {ece(test_z, test_y, 1.0):.6f} -> {ece(test_z, test_y, t):.6f}")
print(f"test accuracy: {(test_z.argmax(axis=1) == test_y).mean():.4f}")
