#!/usr/bin/env python3
"""calibkit next to its Python peers, on the same .npy files (issue 10, "speed of what exists").

  peers.py make DIR          seeded synthetic inputs (numpy default_rng(10)):
                             logits_10k.npy (10,000 x 10 float64) + labels_10k.npy  -> temperature scaling
                             logits_1m.npy (1,000,000 x 10 float64) + labels_1m.npy -> 15-bin ECE
                             scores_1m.npy (1,000,000 x 2: score, 1 = in-distribution) -> AUROC
  peers.py run DIR JAVA.txt  times the peers and prints them next to calibkit's times (JAVA.txt, written
                             by org.calibkit.examples.bench.stats.PeersBench) with the ratio peer / calibkit.

Peers: PyTorch L-BFGS with strong-Wolfe line search on T (as gpleiss/temperature_scaling; float64 and
float32, on 1 thread and on every core), scipy's bounded Brent (minimize_scalar) on T in [0.01, 100], a vectorised numpy ECE and
scikit-learn's roc_auc_score. Both sides: warm-up calls, then the median (and the minimum) of timed
calls on data already in memory, wall-clock, and process CPU time per call over the timed calls
(every thread's: calibkit's parallel work counts in full). Debian python3-numpy/scipy/sklearn/torch.
"""
import os
import sys
import time
from pathlib import Path

import numpy as np


def make(d):
    d.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(10)

    def logits(n, k=10):
        y = rng.integers(0, k, n)
        z = rng.normal(0.0, 2.0, (n, k))
        z[np.arange(n), y] += 9.0                       # ~99% accurate ...
        wrong = rng.random(n) < 0.012                   # ... with some confident mistakes
        z[np.nonzero(wrong)[0], rng.integers(0, k, wrong.sum())] += 10.0
        return z * 1.6, y.astype(np.int64)              # and overconfident (T > 1 helps)

    z, y = logits(10_000)
    np.save(d / "logits_10k.npy", z)
    np.save(d / "labels_10k.npy", y)
    z, y = logits(1_000_000)
    np.save(d / "logits_1m.npy", z)
    np.save(d / "labels_1m.npy", y)
    s = np.c_[np.r_[rng.normal(1.0, 1.0, 500_000), rng.normal(0.0, 1.0, 500_000)],
              np.r_[np.ones(500_000), np.zeros(500_000)]]
    np.save(d / "scores_1m.npy", s)
    print(f"wrote inputs to {d}")


def timed(fn, warmup, runs):
    for _ in range(warmup):
        value = fn()
    ts = []
    c0 = time.process_time()
    for _ in range(runs):
        t0 = time.perf_counter()
        value = fn()
        ts.append((time.perf_counter() - t0) * 1e3)
    cpu = (time.process_time() - c0) * 1e3 / runs
    return float(np.median(ts)), float(np.min(ts)), cpu, value


def run(d, java_file):
    import torch
    import torch.nn.functional as F
    from scipy.optimize import minimize_scalar
    from scipy.special import log_softmax
    from sklearn.metrics import roc_auc_score

    java = {}
    for line in Path(java_file).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, med, mn, cpu, val = line.split()
            java[name] = (float(med), float(mn), float(cpu), float(val))

    z10 = np.load(d / "logits_10k.npy")
    y10 = np.load(d / "labels_10k.npy")
    z1m = np.load(d / "logits_1m.npy")
    y1m = np.load(d / "labels_1m.npy")
    s1m = np.load(d / "scores_1m.npy")
    rows = []

    def torch_lbfgs(dtype, threads):
        zt = torch.from_numpy(z10).to(dtype)
        yt = torch.from_numpy(y10)

        def fit():
            torch.set_num_threads(threads)
            t = torch.ones(1, dtype=dtype, requires_grad=True)
            opt = torch.optim.LBFGS([t], lr=1.0, max_iter=100, line_search_fn="strong_wolfe")

            def closure():
                opt.zero_grad()
                loss = F.cross_entropy(zt / t, yt)
                loss.backward()
                return loss

            opt.step(closure)
            return t.item()
        return fit

    def scipy_brent():
        def nll(t):
            return -log_softmax(z10 / t, axis=1)[np.arange(len(y10)), y10].mean()
        return minimize_scalar(nll, bounds=(0.01, 100), method="bounded").x

    def numpy_ece(bins=15):
        m = z1m.max(1, keepdims=True)
        s = np.exp(z1m - m).sum(1)
        conf = 1.0 / s
        ok = z1m.argmax(1) == y1m
        b = np.clip(np.ceil(conf * bins).astype(np.int64) - 1, 0, bins - 1)
        tot = np.bincount(b, weights=conf, minlength=bins)
        cor = np.bincount(b, weights=ok, minlength=bins)
        return np.abs(cor - tot).sum() / len(conf)

    def numpy_ece_equal_mass(bins=15):
        # Kumar et al.'s get_equal_bins convention, as calibkit: sort (argsort), numpy.array_split
        # into bins, edges half-way between neighbouring groups and 1.0, searchsorted side='left'
        m = z1m.max(1, keepdims=True)
        conf = 1.0 / np.exp(z1m - m).sum(1)
        ok = z1m.argmax(1) == y1m
        s = conf[np.argsort(conf, kind="stable")]
        sizes = np.full(bins, len(s) // bins)
        sizes[: len(s) % bins] += 1
        ends = np.cumsum(sizes)[:-1]
        edges = np.unique(np.r_[(s[ends - 1] + s[ends]) / 2.0, 1.0])
        b = np.searchsorted(edges, conf, side="left")
        tot = np.bincount(b, weights=conf, minlength=len(edges))
        cor = np.bincount(b, weights=ok, minlength=len(edges))
        return np.abs(cor - tot).sum() / len(conf)

    def numpy_conformal(alpha=0.1):
        # softmax, LAC scores 1 - p_y, the ceil((n+1)(1-alpha))-th smallest = numpy quantile "higher"
        p = np.exp(z10 - z10.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        scores = 1.0 - p[np.arange(len(y10)), y10]
        n = len(scores)
        rank = int(np.ceil((n + 1) * (1 - alpha) - 1e-9))
        return float(np.quantile(scores, (rank - 1) / (n - 1), method="higher"))

    def numpy_conformal_aps(alpha=0.1):
        # APS scores without randomisation (as calibkit's aps(false)): classes by decreasing
        # probability (stable, lower index first on ties), the mass ranked above the label plus its own
        p = np.exp(z10 - z10.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        order = np.argsort(-p, axis=1, kind="stable")
        cum = np.cumsum(np.take_along_axis(p, order, axis=1), axis=1)
        pos = np.argmax(order == y10[:, None], axis=1)
        scores = cum[np.arange(len(y10)), pos]
        n = len(scores)
        rank = int(np.ceil((n + 1) * (1 - alpha) - 1e-9))
        return float(np.quantile(scores, (rank - 1) / (n - 1), method="higher"))

    def sklearn_auroc():
        return roc_auc_score(s1m[:, 1], s1m[:, 0])

    print(f"torch {torch.__version__} (default {torch.get_num_threads()} thread(s)), numpy {np.__version__}")
    peers = [
        # Debian's torch starts with 1 thread here; calibkit uses every core, so time torch both ways
        ("temperature10k", "torch L-BFGS f64 1 thr", torch_lbfgs(torch.float64, 1), 5, 60),
        ("temperature10k", "torch L-BFGS f32 1 thr", torch_lbfgs(torch.float32, 1), 5, 60),
        ("temperature10k", f"torch L-BFGS f32 {os.cpu_count()} thr", torch_lbfgs(torch.float32, os.cpu_count()), 5, 60),
        ("temperature10k", "scipy bounded Brent", scipy_brent, 5, 60),
        ("ece1M", "numpy", numpy_ece, 1, 7),
        ("auroc1M", "scikit-learn", sklearn_auroc, 1, 7),
        ("eceEqualMass1M", "numpy argsort", numpy_ece_equal_mass, 1, 7),
        ("conformal10k", "numpy quantile", numpy_conformal, 5, 60),
        ("conformalAps10k", "numpy argsort+quantile", numpy_conformal_aps, 5, 60),
    ]
    # the exact optimum: root of dNLL/dbeta = mean(E_softmax(beta z)[z] - z_y) by brentq to 1e-15
    from scipy.optimize import brentq
    from scipy.special import softmax

    def grad_beta(b):
        return float(np.mean((softmax(b * z10, axis=1) * z10).sum(1) - z10[np.arange(len(y10)), y10]))

    t_exact = 1 / brentq(grad_beta, 1e-2, 1e2, xtol=1e-15, rtol=4 * np.finfo(float).eps)
    print(f"exact optimum T* = {t_exact!r} (brentq on the gradient); |T - T*| / T* is shown for each fit")
    print(f"{'task':16s} {'implementation':24s} {'median ms':>9s} {'min ms':>8s} {'cpu ms':>8s} {'value':>18s} "
          f"{'peer/calibkit wall':>18s} {'cpu':>6s}")
    best, best_cpu = {}, {}
    for task, name, fn, w, r in peers:
        med, mn, cpu, val = timed(fn, w, r)
        rows.append((task, name, med, mn, cpu, val))
        best[task] = min(best.get(task, float("inf")), med)
        best_cpu[task] = min(best_cpu.get(task, float("inf")), cpu)
    tasks = ("temperature10k", "ece1M", "auroc1M", "eceEqualMass1M", "conformal10k", "conformalAps10k")
    for task in tasks:
        jm, jmin, jcpu, jv = java[task]

        def err(v):
            return f"  |T-T*|/T* {abs(v - t_exact) / t_exact:.1e}" if task == "temperature10k" else ""
        print(f"{task:16s} {'calibkit':24s} {jm:9.3f} {jmin:8.3f} {jcpu:8.3f} {jv:18.12g} {'':>18s} {'':>6s}{err(jv)}")
        for t, name, med, mn, cpu, val in rows:
            if t == task:
                print(f"{'':16s} {name:24s} {med:9.3f} {mn:8.3f} {cpu:8.3f} {val:18.12g} {med / jm:17.2f}x "
                      f"{cpu / jcpu:5.2f}x{err(val)}")
    print("calibkit over the best peer, wall-clock medians: "
          + ", ".join(f"{t} {best[t] / java[t][0]:.2f}x" for t in tasks))
    print("calibkit over the best peer, CPU time per call:   "
          + ", ".join(f"{t} {best_cpu[t] / java[t][2]:.2f}x" for t in tasks))
    for t in tasks:
        ratio = best[t] / java[t][0]
        print(f"[{'PASS' if ratio >= 4 else 'MISS'}] {t}: calibkit {ratio:.2f}x faster than the best Python peer (target >= 4x)")


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "make":
        make(Path(sys.argv[2]))
    elif len(sys.argv) >= 4 and sys.argv[1] == "run":
        run(Path(sys.argv[2]), sys.argv[3])
    else:
        sys.exit(__doc__)
