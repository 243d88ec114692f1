#!/usr/bin/env python3
"""Check a calibkit audit of an ONNX model against the same metrics computed in Python.

Independent of calibkit and of ONNX Runtime: the ONNX file is parsed here (a small protobuf
reader, no `onnx` package needed), its graph run in numpy (float64; Conv, Relu, MaxPool, Flatten,
Gemm, MatMul, Add: enough for examples/python/train_export_mnist.py's CNN), and the metrics
computed with numpy, scipy and scikit-learn:

  accuracy   sklearn.metrics.accuracy_score
  nll        sklearn.metrics.log_loss on scipy.special.softmax (cross-checked against log_softmax)
  brier      mean over rows of sum over classes (p - onehot)^2  (calibkit's definition, docs/calibration-metrics.md)
  ece, mce   15 equal-width bins (lo, hi], a confidence of 0 in the first bin
  T          temperature minimising the validation NLL (scipy.optimize.minimize_scalar, bounded),
             then nll/ece/brier of the test logits divided by T

Validation is the last 5,000 MNIST training images (calibkit's split); test is t10k. With
--first N only the first N test and validation images are used (as `calibkit audit --limit N`).

Usage:
  python3 check_onnx_audit.py --onnx MODEL.onnx --audit-json r.json [--first N] [--mnist DIR]
      compares and prints a table; exit 1 if a value disagrees beyond its tolerance
  python3 check_onnx_audit.py --onnx MODEL.onnx --first 500 --write-reference ref.json
      writes the reference values a JUnit test pins
"""
import argparse
import json
import os
import struct
import sys

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.metrics import accuracy_score, log_loss

SCALE, MEAN, STD = 1 / 255.0, 0.1307, 0.3081  # the model's documented preprocessing
BINS = 15
VALIDATION = 5000


# ---------------------------------------------------------------- a minimal ONNX (protobuf) reader

def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if not c & 0x80:
            return r, i


def _fields(b):
    i, out = 0, []
    while i < len(b):
        key, i = _varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = _varint(b, i)
        elif w == 1:
            v, i = b[i:i + 8], i + 8
        elif w == 5:
            v, i = b[i:i + 4], i + 4
        elif w == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        else:
            raise ValueError(f"unsupported protobuf wire type {w}")
        out.append((f, w, v))
    return out


def _ints(entries):
    """Repeated int64 field, packed (wire 2) or not."""
    out = []
    for w, v in entries:
        if w == 0:
            out.append(v if v < 1 << 63 else v - (1 << 64))
        else:
            i = 0
            while i < len(v):
                x, i = _varint(v, i)
                out.append(x if x < 1 << 63 else x - (1 << 64))
    return out


def _tensor(b):
    f = _fields(b)
    dims = _ints([(w, v) for k, w, v in f if k == 1])
    dtype = next((v for k, w, v in f if k == 2), 1)
    name = next((v.decode() for k, w, v in f if k == 8), "")
    raw = next((v for k, w, v in f if k == 9), None)
    if dtype != 1:
        raise ValueError(f"initializer {name}: only float tensors are supported, got data_type {dtype}")
    if raw is not None:
        a = np.frombuffer(raw, "<f4")
    else:
        a = np.concatenate([np.frombuffer(v, "<f4") if w == 2 else np.frombuffer(v, "<f4")
                            for k, w, v in f if k == 4]) if any(k == 4 for k, _, _ in f) else np.zeros(0, "<f4")
    return name, a.reshape(dims).astype(np.float64)


def _attribute(b):
    f = _fields(b)
    name = next(v.decode() for k, w, v in f if k == 1)
    if any(k == 8 for k, _, _ in f):
        return name, _ints([(w, v) for k, w, v in f if k == 8])
    if any(k == 3 for k, _, _ in f):
        return name, _ints([(w, v) for k, w, v in f if k == 3])[0]
    if any(k == 2 for k, _, _ in f):
        return name, struct.unpack("<f", next(v for k, w, v in f if k == 2))[0]
    if any(k == 4 for k, _, _ in f):
        return name, next(v for k, w, v in f if k == 4).decode()
    return name, None


def read_onnx(path):
    """(nodes, initializers, input name, output names) of an ONNX file."""
    with open(path, "rb") as fh:
        model = _fields(fh.read())
    graph = next(v for k, w, v in model if k == 7)
    nodes, inits, inputs, outputs = [], {}, [], []
    for k, w, v in _fields(graph):
        if k == 1:
            nf = _fields(v)
            nodes.append({
                "op": next(x.decode() for kk, ww, x in nf if kk == 4),
                "in": [x.decode() for kk, ww, x in nf if kk == 1],
                "out": [x.decode() for kk, ww, x in nf if kk == 2],
                "attr": dict(_attribute(x) for kk, ww, x in nf if kk == 5),
            })
        elif k == 5:
            name, a = _tensor(v)
            inits[name] = a
        elif k == 11:
            inputs.append(next(x.decode() for kk, ww, x in _fields(v) if kk == 1))
        elif k == 12:
            outputs.append(next(x.decode() for kk, ww, x in _fields(v) if kk == 1))
    inputs = [i for i in inputs if i not in inits]
    return nodes, inits, inputs[0], outputs


# ---------------------------------------------------------------- the graph in numpy

def _pad(x, pads):
    nd = x.ndim - 2
    if not pads or not any(pads):
        return x
    return np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + nd]) for i in range(nd)])


def _windows(x, kh, kw, sh, sw):
    n, c, h, w = x.shape
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    s = x.strides
    return np.lib.stride_tricks.as_strided(x, (n, c, oh, ow, kh, kw), (s[0], s[1], s[2] * sh, s[3] * sw, s[2], s[3]))


def conv(x, wt, b, a):
    if a.get("group", 1) != 1 or any(d != 1 for d in a.get("dilations", [1, 1])):
        raise ValueError("only group=1, dilation=1 convolutions are supported")
    kh, kw = wt.shape[2:]
    sh, sw = a.get("strides", [1, 1])
    win = _windows(np.ascontiguousarray(_pad(x, a.get("pads"))), kh, kw, sh, sw)
    y = np.einsum("nchwij,ocij->nohw", win, wt, optimize=True)
    return y + (b[None, :, None, None] if b is not None else 0)


def maxpool(x, a):
    kh, kw = a["kernel_shape"]
    sh, sw = a.get("strides", [1, 1])
    xp = x if not a.get("pads") or not any(a["pads"]) else np.pad(
        x, [(0, 0), (0, 0), (a["pads"][0], a["pads"][2]), (a["pads"][1], a["pads"][3])], constant_values=-np.inf)
    return _windows(np.ascontiguousarray(xp), kh, kw, sh, sw).max(axis=(4, 5))


def run(model, x):
    nodes, inits, inp, outs = model
    env = dict(inits)
    env[inp] = x
    for nd in nodes:
        i = [env[n] if n else None for n in nd["in"]]
        a, op = nd["attr"], nd["op"]
        if op == "Conv":
            y = conv(i[0], i[1], i[2] if len(i) > 2 else None, a)
        elif op == "Relu":
            y = np.maximum(i[0], 0)
        elif op == "MaxPool":
            y = maxpool(i[0], a)
        elif op == "Flatten":
            ax = a.get("axis", 1)
            y = i[0].reshape(int(np.prod(i[0].shape[:ax])), -1)
        elif op == "Gemm":
            A = i[0].T if a.get("transA", 0) else i[0]
            B = i[1].T if a.get("transB", 0) else i[1]
            y = a.get("alpha", 1.0) * A @ B + (a.get("beta", 1.0) * i[2] if len(i) > 2 else 0)
        elif op == "MatMul":
            y = i[0] @ i[1]
        elif op == "Add":
            y = i[0] + i[1]
        else:
            raise ValueError(f"op {op} is not supported by this checker")
        env[nd["out"][0]] = y
    return env[outs[0]]


# ---------------------------------------------------------------- data and metrics

def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = struct.unpack(">i", data[:4])[0] & 0xFF
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def logits(model, images):
    x = ((images.astype(np.float64) * SCALE - MEAN) / STD)[:, None, :, :]
    return np.concatenate([run(model, x[i:i + 1000]) for i in range(0, len(x), 1000)])


def ece_mce(conf, correct, bins=BINS):
    b = np.clip(np.ceil(conf * bins).astype(int) - 1, 0, bins - 1)  # (lo, hi], 0 in the first bin
    ece, mce = 0.0, 0.0
    for k in range(bins):
        m = b == k
        if m.any():
            gap = abs(correct[m].mean() - conf[m].mean())
            ece += m.sum() / len(conf) * gap
            mce = max(mce, gap)
    return ece, mce


def metrics(z, y):
    p = softmax(z, axis=1)
    nll = -log_softmax(z, axis=1)[np.arange(len(y)), y].mean()
    nll_sk = log_loss(y, p, labels=list(range(z.shape[1])))
    assert abs(nll - nll_sk) < 1e-6 * max(1, nll), (nll, nll_sk)
    onehot = np.eye(z.shape[1])[y]
    conf, pred = p.max(axis=1), p.argmax(axis=1)
    ece, mce = ece_mce(conf, (pred == y).astype(float))
    return {"accuracy": accuracy_score(y, pred), "nll": nll, "brier": ((p - onehot) ** 2).sum(axis=1).mean(),
            "ece": ece, "mce": mce}


def temperature(z, y):
    nll = lambda t: -log_softmax(z / t, axis=1)[np.arange(len(y)), y].mean()
    r = minimize_scalar(nll, bounds=(0.05, 20), method="bounded", options={"xatol": 1e-7})
    return r.x


def reference(onnx_path, mnist, first):
    model = read_onnx(onnx_path)
    xt = read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte"))
    yt = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")).astype(int)
    xtr = read_idx(os.path.join(mnist, "train-images-idx3-ubyte"))
    ytr = read_idx(os.path.join(mnist, "train-labels-idx1-ubyte")).astype(int)
    xv, yv = xtr[-VALIDATION:], ytr[-VALIDATION:]
    if first:
        xt, yt, xv, yv = xt[:first], yt[:first], xv[:first], yv[:first]
    zt, zv = logits(model, xt), logits(model, xv)
    t = temperature(zv, yv)
    return {"test_count": len(yt), "validation_count": len(yv), "uncalibrated": metrics(zt, yt), "temperature": t,
            "calibrated": metrics(zt / t, yt)}


TOLERANCE = {"accuracy": 0, "nll": 1e-5, "brier": 1e-5, "ece": 1e-4, "mce": 1e-3}


def compare(ref, audit):
    rows, ok = [], True
    test = audit["test"]
    pairs = [("test_count", ref["test_count"], test["n"], 0),
             ("validation_count", ref["validation_count"], audit["data"]["validation_count"], 0)]
    for side in ("uncalibrated", "calibrated"):
        for k, tol in TOLERANCE.items():
            pairs.append((f"{side}.{k}", ref[side][k], test[side][k], tol))
    pairs.append(("temperature", ref["temperature"], test.get("temperature"), 1e-3))
    for name, py, ck, tol in pairs:
        good = ck is not None and abs(py - ck) <= tol + 1e-12
        ok &= good
        rows.append(f"{name:24s} python {py:12.6f}   calibkit {ck if ck is None else format(ck, '12.6f')}   "
                    f"|diff| {abs(py - ck) if ck is not None else float('nan'):.2e}  (tol {tol:g}) {'ok' if good else 'DIFFERS'}")
    return ok, rows


def main():
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "calibkit", "mnist")
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--onnx", required=True)
    ap.add_argument("--mnist", default=cache)
    ap.add_argument("--first", type=int, default=0, help="only the first N test and validation images")
    ap.add_argument("--audit-json", help="calibkit audit --json output to compare with")
    ap.add_argument("--write-reference", help="write the Python values as JSON here")
    a = ap.parse_args()
    ref = reference(a.onnx, a.mnist, a.first)
    if a.write_reference:
        with open(a.write_reference, "w") as f:
            json.dump(ref, f, indent=2, sort_keys=True)
            f.write("\n")
        print(f"wrote {a.write_reference}")
    if a.audit_json:
        with open(a.audit_json) as f:
            audit = json.load(f)
        ok, rows = compare(ref, audit)
        print("\n".join(rows))
        print("AGREE" if ok else "DISAGREE")
        sys.exit(0 if ok else 1)
    if not a.write_reference:
        print(json.dumps(ref, indent=2, sort_keys=True))


if __name__ == "__main__":
    main()
