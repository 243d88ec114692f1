#!/usr/bin/env python3
"""Train a tiny PyTorch CNN on MNIST, export it to ONNX, and save its test-set logits.

A model calibkit did not train, for calibkit's ONNX source (docs/sources.md) and its test
(core/src/test/java/org/calibkit/core/sources/PyTorchOnnxTest.java). Needs only PyTorch and
numpy (Debian: python3-torch, python3-numpy); torch.onnx.export writes the file without the
`onnx` pip package.

The model's contract, which is what its author would document:
  input  'image'  float32 [batch, 1, 28, 28] (NCHW, dynamic batch)
  output 'logits' float32 [batch, 10], raw logits (no softmax), classes "0".."9"
  preprocessing   x = (pixel / 255 - 0.1307) / 0.3081, pixels 0..255 white ink on black
                  (torchvision's ToTensor() then Normalize((0.1307,), (0.3081,)))

With calibkit that is:
  ModelOptions.defaults().withPixels(new PixelTransform(1 / 255.0, new double[] {0.1307},
      new double[] {0.3081}, false))

MNIST is read from calibkit's cache (`calibkit data fetch mnist` puts the four uncompressed IDX
files in $XDG_CACHE_HOME/calibkit/mnist, default ~/.cache/calibkit/mnist), or --mnist DIR.

Usage: python3 train_export_mnist.py [--mnist DIR] [--out DIR] [--train N] [--test N]
Writes OUT/pytorch_mnist_cnn.onnx and OUT/pytorch_mnist_cnn_test_logits.npy (float32, the
first --test test images, computed by PyTorch on the same preprocessing).
"""
import argparse
import os
import struct

import numpy as np
import torch
import torch.nn as nn

MEAN, STD = 0.1307, 0.3081


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic, = struct.unpack(">i", data[:4])
    dims = magic & 0xFF
    shape = struct.unpack(">" + "i" * dims, data[4:4 + 4 * dims])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def preprocess(images_uint8):
    x = images_uint8.astype(np.float32)[:, None, :, :]  # N,1,28,28 on 0..255
    return torch.from_numpy((x / 255.0 - MEAN) / STD)


class TinyCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Linear(16 * 7 * 7, 10)

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def main():
    cache = os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "calibkit", "mnist")
    ap = argparse.ArgumentParser()
    ap.add_argument("--mnist", default=cache)
    ap.add_argument("--out", default=".")
    ap.add_argument("--train", type=int, default=20000, help="training images (first N)")
    ap.add_argument("--test", type=int, default=500, help="test images whose logits are saved (first N)")
    a = ap.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(2)
    xtr = preprocess(read_idx(os.path.join(a.mnist, "train-images-idx3-ubyte"))[:a.train])
    ytr = torch.from_numpy(read_idx(os.path.join(a.mnist, "train-labels-idx1-ubyte"))[:a.train].astype(np.int64))
    xte_all = read_idx(os.path.join(a.mnist, "t10k-images-idx3-ubyte"))
    yte_all = read_idx(os.path.join(a.mnist, "t10k-labels-idx1-ubyte")).astype(np.int64)

    model = TinyCnn()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 64):  # one epoch
        idx = perm[i:i + 64]
        opt.zero_grad()
        loss = loss_fn(model(xtr[idx]), ytr[idx])
        loss.backward()
        opt.step()
    model.eval()

    with torch.no_grad():
        acc = (model(preprocess(xte_all)).argmax(1).numpy() == yte_all).mean()
        logits = model(preprocess(xte_all[:a.test])).numpy().astype(np.float32)
    print(f"test accuracy {acc:.4f} after 1 epoch on {a.train} images; last loss {loss.item():.4f}")

    os.makedirs(a.out, exist_ok=True)
    onnx_path = os.path.join(a.out, "pytorch_mnist_cnn.onnx")
    torch.onnx.export(model, torch.zeros(1, 1, 28, 28), onnx_path, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=13)
    np.save(os.path.join(a.out, "pytorch_mnist_cnn_test_logits.npy"), logits)
    print(f"wrote {onnx_path} ({os.path.getsize(onnx_path)} bytes) and the logits of the first {a.test} test images")


if __name__ == "__main__":
    main()
