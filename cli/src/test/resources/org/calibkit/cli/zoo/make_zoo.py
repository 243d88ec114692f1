#!/usr/bin/python3
"""A third-party model zoo for calibkit's end-to-end tests (issue 18, section 4): small PyTorch
models, each exported to ONNX with one trait found in models downloaded from public repositories.

    /usr/bin/python3 make_zoo.py OUT_DIR MNIST_DIR [--test N]

MNIST_DIR holds the four uncompressed IDX files (calibkit's cache, ~/.cache/calibkit/mnist).
Needs Debian's python3-torch (1.13, CPU) and python3-numpy; python3-onnx (1.12) to write
metadata_props into one model (torch.onnx.export cannot). Every model trains in seconds on the
first 10,000 MNIST training images with a fixed seed; every file is well under 1 MB.

Writes OUT_DIR/<name>.onnx for each model below and OUT_DIR/zoo.json: for each model its trait,
its documented preprocessing (as a sentence and as calibkit flags), and the accuracy PyTorch
itself computes on the first N MNIST test images (default 500) with that preprocessing, done
here in numpy/torch independently of calibkit. That accuracy is the reference the Java test
(ZooTest) compares `calibkit audit` with.

The models ("documentation" = the preprocessing their author would state):
  batch1        CNN, input [1, 1, 28, 28] (fixed batch 1, NCHW), (x/255 - 0.1307)/0.3081
  n784x1        softmax regression, input [N, 784, 1] (3-D, trailing singleton), x/255
  n1x784        MLP 784-64-10, input [N, 1, 784] (3-D, leading singleton), x/255
  singletons    softmax regression, input [N, 1, 1, 28, 28] (extra singleton dims), x/255
  two_outputs   MLP whose first output 'features' is its 128-wide hidden layer and whose second
                'scores' is [N, 10] logits, x/255
  logsoftmax    MLP ending in LogSoftmax (outputs log-probabilities), x/255
  softmax       MLP ending in Softmax (outputs probabilities), x/255
  transposed    CNN, input [N, 1, 28, 28], trained on transposed images (image[c, r] where
                MNIST has image[r, c], i.e. flattened column-major), x/255
  metadata      softmax regression, input [N, 784], x/255 as documented, while its
                metadata_props say Image.NominalPixelRange = NominalRange_0_255 (the
                contradiction seen in a CNTK export)
  squared       MLP 784-64-10 trained with a squared loss on one-hot targets, linear outputs
                (scores roughly in [-0.2, 1.3] whose rows sum to about 1), x/255
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

MEAN, STD = 0.1307, 0.3081
TRAIN = 10000


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


class Cnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


class Mlp(nn.Module):
    """784 -> hidden -> 10; `last` is appended to the logits (LogSoftmax, Softmax or nothing)."""

    def __init__(self, hidden=64, last=None):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(784, hidden), nn.ReLU())
        self.out = nn.Linear(hidden, 10)
        self.last = last

    def forward(self, x):
        z = self.out(self.hidden(torch.flatten(x, 1)))
        return z if self.last is None else self.last(z)


class TwoOutputs(nn.Module):
    """A trained 784-128-10 Mlp that also hands out its hidden layer, as a first output."""

    def __init__(self, mlp):
        super().__init__()
        self.mlp = mlp

    def forward(self, x):
        h = self.mlp.hidden(torch.flatten(x, 1))
        return h, self.mlp.out(h)


class Regression(nn.Module):
    """Softmax regression (outputs logits) on whatever shape, flattened."""

    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(784, 10)

    def forward(self, x):
        return self.linear(torch.flatten(x, 1))


def train(model, x, y, epochs, loss="ce", lr=2e-3):
    """Adam, batches of 64; `loss` is cross-entropy on the logits or squared error on one-hot targets."""
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    model.train()
    for _ in range(epochs):
        perm = torch.randperm(len(x))
        for i in range(0, len(x), 64):
            idx = perm[i:i + 64]
            opt.zero_grad()
            out = model(x[idx])
            if loss == "ce":
                value = nn.functional.cross_entropy(out, y[idx])
            else:
                value = ((out - nn.functional.one_hot(y[idx], 10).float()) ** 2).sum(1).mean()
            value.backward()
            opt.step()
    model.eval()
    return model


def export(model, path, example, outputs, dynamic=True):
    names = {"image": {0: "batch"}}
    for o in outputs:
        names[o] = {0: "batch"}
    torch.onnx.export(model, example, path, input_names=["image"], output_names=outputs,
                      dynamic_axes=names if dynamic else None, opset_version=13)


def main():
    out, mnist = sys.argv[1], sys.argv[2]
    n_test = int(sys.argv[sys.argv.index("--test") + 1]) if "--test" in sys.argv else 500
    torch.manual_seed(0)
    torch.set_num_threads(1)
    xtr = read_idx(os.path.join(mnist, "train-images-idx3-ubyte"))[:TRAIN].astype(np.float32)
    ytr = torch.from_numpy(read_idx(os.path.join(mnist, "train-labels-idx1-ubyte"))[:TRAIN].astype(np.int64))
    xte = read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte"))[:n_test].astype(np.float32)
    yte = read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte"))[:n_test].astype(np.int64)

    # the documented preprocessings, on 0..255 images of shape (n, 28, 28)
    def unit(x):
        return x / 255.0

    def normalised(x):
        return (x / 255.0 - MEAN) / STD

    def transposed(x):
        return x.transpose(0, 2, 1) / 255.0

    os.makedirs(out, exist_ok=True)
    zoo = {}

    def record(name, model, prep, shape, trait, doc, flags, outputs=("scores",), dynamic=True, pick=None):
        """Exports `model`, then computes its accuracy on the test images as PyTorch sees them."""
        path = os.path.join(out, name + ".onnx")
        batch = 1 if not dynamic else 2
        export(model, path, torch.zeros((batch,) + shape), list(outputs), dynamic)
        with torch.no_grad():
            x = torch.from_numpy(prep(xte).astype(np.float32)).reshape((n_test,) + shape)
            if dynamic:
                res = model(x)
            else:  # the exported graph takes one image at a time; so does this
                res = torch.cat([model(x[i:i + 1]) for i in range(n_test)])
            scores = (res[pick] if pick is not None else res).numpy()
        pred = scores.argmax(1)
        correct = int((pred == yte).sum())
        zoo[name] = {"file": name + ".onnx", "trait": trait, "documentation": doc, "flags": flags,
                     "test_images": n_test, "correct": correct, "accuracy": correct / n_test,
                     "bytes": os.path.getsize(path),
                     "output_min": float(scores.min()), "output_max": float(scores.max()),
                     "mean_row_sum": float(scores.sum(1).mean())}
        print("%-12s %6d bytes  accuracy on the first %d test images %.4f  outputs in [%.3f, %.3f], rows sum to %.3f"
              % (name, zoo[name]["bytes"], n_test, correct / n_test, scores.min(), scores.max(), scores.sum(1).mean()))

    x_unit = torch.from_numpy(unit(xtr))
    x_norm = torch.from_numpy(normalised(xtr))
    x_t = torch.from_numpy(transposed(xtr))

    m = train(Cnn(), x_norm.reshape(-1, 1, 28, 28), ytr, 1)
    record("batch1", m, normalised, (1, 28, 28), "fixed batch 1: input [1, 1, 28, 28]",
           "NCHW [1, 1, 28, 28], one image per run, x = (pixel/255 - 0.1307)/0.3081",
           ["--scale", "1/255", "--mean", "0.1307", "--std", "0.3081"], dynamic=False)

    m = train(Regression(), x_unit.reshape(-1, 784, 1), ytr, 3)
    record("n784x1", m, unit, (784, 1), "3-D input [N, 784, 1]", "flat row-major images [N, 784, 1], x = pixel/255",
           ["--scale", "1/255"])

    m = train(Mlp(), x_unit.reshape(-1, 1, 784), ytr, 3)
    record("n1x784", m, unit, (1, 784), "3-D input [N, 1, 784]", "flat row-major images [N, 1, 784], x = pixel/255",
           ["--scale", "1/255"])

    m = train(Regression(), x_unit.reshape(-1, 1, 1, 28, 28), ytr, 3)
    record("singletons", m, unit, (1, 1, 28, 28), "extra singleton dimensions: input [N, 1, 1, 28, 28]",
           "images [N, 1, 1, 28, 28], x = pixel/255", ["--scale", "1/255"])

    m = TwoOutputs(train(Mlp(hidden=128), x_unit.reshape(-1, 784), ytr, 3))
    record("two_outputs", m, unit, (784,), "two float outputs: 'features' [N, 128] first, 'scores' [N, 10]",
           "flat images [N, 784], x = pixel/255; the scores are the second output", ["--scale", "1/255"],
           outputs=("features", "scores"), pick=1)

    m = train(Mlp(), x_unit.reshape(-1, 784), ytr, 3)
    m.last = nn.LogSoftmax(dim=1)
    record("logsoftmax", m, unit, (784,), "LogSoftmax inside: outputs log-probabilities",
           "flat images [N, 784], x = pixel/255", ["--scale", "1/255"])

    m = train(Mlp(), x_unit.reshape(-1, 784), ytr, 3)
    m.last = nn.Softmax(dim=1)
    record("softmax", m, unit, (784,), "Softmax inside: outputs probabilities",
           "flat images [N, 784], x = pixel/255", ["--scale", "1/255"])

    m = train(Cnn(), x_t.reshape(-1, 1, 28, 28), ytr, 1)
    record("transposed", m, transposed, (1, 28, 28), "trained on transposed (column-major flattened) images",
           "NCHW [N, 1, 28, 28] holding the transposed image, x = pixel/255", ["--scale", "1/255", "--layout", "nchw-t"])

    m = train(Regression(), x_unit.reshape(-1, 784), ytr, 3)
    record("metadata", m, unit, (784,), "metadata_props: Image.NominalPixelRange = NominalRange_0_255",
           "flat images [N, 784], x = pixel/255 (its metadata says 0..255)", ["--scale", "1/255"])
    import onnx  # Debian's python3-onnx: the ModelProto editor torch.onnx.export does not offer
    path = os.path.join(out, "metadata.onnx")
    proto = onnx.load(path)
    for key, value in (("Image.NominalPixelRange", "NominalRange_0_255"), ("Image.BitmapPixelFormat", "Gray8")):
        p = proto.metadata_props.add()
        p.key, p.value = key, value
    onnx.checker.check_model(proto)
    onnx.save(proto, path)
    zoo["metadata"]["bytes"] = os.path.getsize(path)
    zoo["metadata"]["metadata_props"] = {p.key: p.value for p in onnx.load(path).metadata_props}

    m = train(Mlp(), x_unit.reshape(-1, 784), ytr, 3, loss="squared", lr=1e-3)
    record("squared", m, unit, (784,), "squared loss on one-hot targets: scores, not logits",
           "flat images [N, 784], x = pixel/255; outputs are regression scores", ["--scale", "1/255"])

    with open(os.path.join(out, "zoo.json"), "w") as f:
        json.dump(zoo, f, indent=1)


if __name__ == "__main__":
    main()
