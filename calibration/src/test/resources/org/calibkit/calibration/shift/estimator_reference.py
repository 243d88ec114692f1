#!/usr/bin/python3
"""Reference values for EstimatorReferenceTest, computed with numpy only, from the papers'
definitions (not from calibkit's code):

  AC   (Kivimaki et al. 2024): mean max-probability; exact Poisson-binomial quantiles by
        the product of the trials' generating polynomials (numpy.polynomial), smallest k with
        CDF(k) >= alpha/2 and >= 1 - alpha/2; normal approximation mean +- z sqrt(sum p(1-p)) / n.
  ATC  (Garg et al. 2022): find_ATC_threshold of saurabhgarg1996/ATC_code (initial threshold =
        the smallest score), estimate mean(score >= t); scores max p and sum p log(p + 1e-20).
  DoC  (Guillory et al. 2021): acc_val - (conf_val - conf_target).
  CBPE (NannyML): expected confusion C[j,k] = sum_i p_ij [pred_i = k], recall, precision, macro F1.

Run:  /usr/bin/python3 estimator_reference.py   (writes estimator_logits.csv and estimator_reference.txt)
numpy 2.4; logits rounded to 3 decimals so that Java reads exactly the same numbers.
"""
import numpy as np
from numpy.polynomial import polynomial as P
from statistics import NormalDist

rng = np.random.default_rng(20261202)
K = 4


def make(n, signal, noise, flip):
    y = rng.integers(0, K, n)
    z = signal * np.eye(K)[y] + rng.normal(0, noise, (n, K))
    # a share of the labels moved to another class: the shift the confidence cannot see
    m = rng.random(n) < flip
    y = np.where(m, (y + 1 + rng.integers(0, K - 1, n)) % K, y)
    return np.round(z, 3), y


sets = {'validation': make(300, 2.5, 1.2, 0.0), 'shift-a': make(200, 1.2, 1.6, 0.0),
        'shift-b': make(150, 2.5, 1.2, 0.25)}
with open('estimator_logits.csv', 'w') as f:
    for name, (z, y) in sets.items():
        for zi, yi in zip(z, y):
            f.write(name + ',' + str(int(yi)) + ',' + ','.join('%.3f' % v for v in zi) + '\n')


def softmax(z, T=1.0):
    a = z / T
    a = a - a.max(axis=1, keepdims=True)
    e = np.exp(a)
    return e / e.sum(axis=1, keepdims=True)


def negent(p):
    return np.sum(p * np.log(p + 1e-20), axis=1)


def atc_threshold(scores, correct):
    order = np.argsort(scores, kind='stable')
    s, c = scores[order], correct[order]
    fp = np.sum(~correct)
    fn = 0
    best = abs(fp - fn)
    t = s[0]
    for i in range(len(s)):
        if not c[i]:
            fp -= 1
        else:
            fn += 1
        if abs(fp - fn) < best:
            best = abs(fp - fn)
            t = s[i]
    return t


def pb_quantiles(p, lo, hi):
    poly = np.array([1.0])
    for q in p:
        poly = P.polymul(poly, [1 - q, q])
    cdf = np.cumsum(poly)
    return int(np.argmax(cdf >= lo - 1e-12)), int(np.argmax(cdf >= hi - 1e-12))


out = {}
T = 1.5
zv, yv = sets['validation']
pv = softmax(zv)
okv = pv.argmax(1) == yv
for name in ('shift-a', 'shift-b'):
    z, y = sets[name]
    p, pt = softmax(z), softmax(z, T)
    out[name + '.truth'] = np.mean(p.argmax(1) == y)
    out[name + '.ac'] = p.max(1).mean()
    out[name + '.ac_t'] = pt.max(1).mean()
    lo, hi = pb_quantiles(pt.max(1), 0.025, 0.975)
    out[name + '.ac_t.lower'] = lo / len(y)
    out[name + '.ac_t.upper'] = hi / len(y)
    zq = NormalDist().inv_cdf(0.975)
    half = zq * np.sqrt(np.sum(pt.max(1) * (1 - pt.max(1)))) / len(y)
    out[name + '.ac_t.normal_lower'] = pt.max(1).mean() - half
    out[name + '.ac_t.normal_upper'] = pt.max(1).mean() + half
    t_mc = atc_threshold(pv.max(1), okv)
    t_ne = atc_threshold(negent(pv), okv)
    out['atc_mc.threshold'] = t_mc
    out['atc_ne.threshold'] = t_ne
    out[name + '.atc_mc'] = np.mean(p.max(1) >= t_mc)
    out[name + '.atc_ne'] = np.mean(negent(p) >= t_ne)
    out[name + '.doc'] = okv.mean() - (pv.max(1).mean() - p.max(1).mean())
    pred = pt.argmax(1)
    C = np.zeros((K, K))
    for j in range(K):
        for k in range(K):
            C[j, k] = pt[pred == k, j].sum()
    rec = np.diag(C) / C.sum(1)
    prec = np.diag(C) / C.sum(0)
    f1 = 2 * prec * rec / (prec + rec)
    for k in range(K):
        out['%s.cbpe_t.recall%d' % (name, k)] = rec[k]
        out['%s.cbpe_t.precision%d' % (name, k)] = prec[k]
    out[name + '.cbpe_t.macro_f1'] = f1.mean()
    out[name + '.cbpe_t.accuracy'] = np.trace(C) / len(y)
errs_ac = [abs(out[s + '.ac'] - out[s + '.truth']) for s in ('shift-a', 'shift-b')]
errs_ne = [abs(out[s + '.atc_ne'] - out[s + '.truth']) for s in ('shift-a', 'shift-b')]
out['check.ac.mae'] = np.mean(errs_ac)
out['check.ac.worst'] = np.max(errs_ac)
out['check.atc_ne.mae'] = np.mean(errs_ne)
out['check.atc_ne.worst'] = np.max(errs_ne)
with open('estimator_reference.txt', 'w') as f:
    for k, v in out.items():
        f.write('%s=%r\n' % (k, float(v)))
