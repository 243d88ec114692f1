#!/usr/bin/python3
"""A third-party-like colour model for DoctorChannelsTest, made at test time with Debian's
python3-torch (1.13) and exported with torch.onnx.export.

    /usr/bin/python3 rgb_cnn.py OUT_DIR MNIST_DIR SAMPLE_FILE

A tiny CNN (conv 3->8, 5x5, stride 2, ReLU, conv 8->16, 5x5, stride 2, ReLU, linear 256->10) that
takes 3-channel 28x28 images (NCHW, dynamic batch), trained for 2 epochs with Adam on the first
6,000 MNIST training images (never the validation split, the last 5,000), each grey image
replicated into three equal channels and scaled by 1/255: what a model trained on
torchvision's Grayscale(num_output_channels=3) + ToTensor() expects. Writes OUT_DIR/rgb_cnn.onnx
and prints one JSON line with torch's own accuracy (the independent reference) on
- "sample": the images in SAMPLE_FILE (n x 784 uint8 grey pixels, then n uint8 labels, n in the
  first 4 bytes, big-endian), fed the same way;
- "test_first_1000": the first 1,000 MNIST test images.
"""
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mnist_idx import idx  # noqa: E402 (copied next to this script)


def rgb(grey):
    """uint8 (n, 28, 28) -> float32 (n, 3, 28, 28) in [0, 1], the grey plane three times."""
    x = torch.from_numpy(grey.astype(np.float32) / 255).unsqueeze(1)
    return x.repeat(1, 3, 1, 1)


def accuracy(model, grey, labels):
    with torch.no_grad():
        pred = model(rgb(grey)).argmax(1).numpy()
    return float((pred == labels).mean())


def main():
    out, mnist, sample_file = sys.argv[1], sys.argv[2], sys.argv[3]
    torch.manual_seed(7)
    torch.set_num_threads(1)
    x = idx(os.path.join(mnist, "train-images-idx3-ubyte"))[:6000]
    y = torch.from_numpy(idx(os.path.join(mnist, "train-labels-idx1-ubyte"))[:6000].astype(np.int64))
    model = torch.nn.Sequential(
        torch.nn.Conv2d(3, 8, 5, stride=2), torch.nn.ReLU(),
        torch.nn.Conv2d(8, 16, 5, stride=2), torch.nn.ReLU(),
        torch.nn.Flatten(), torch.nn.Linear(16 * 4 * 4, 10))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    xs = rgb(x)
    for _ in range(2):
        perm = torch.randperm(len(xs))
        for i in range(0, len(xs), 64):
            b = perm[i:i + 64]
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(xs[b]), y[b]).backward()
            opt.step()
    model.eval()
    torch.onnx.export(model, torch.zeros(1, 3, 28, 28), os.path.join(out, "rgb_cnn.onnx"), input_names=["image"],
                      output_names=["logits"], dynamic_axes={"image": {0: "n"}, "logits": {0: "n"}}, opset_version=13)
    with open(sample_file, "rb") as f:
        data = f.read()
    n = int.from_bytes(data[:4], "big")
    grey = np.frombuffer(data, np.uint8, count=n * 784, offset=4).reshape(n, 28, 28)
    labels = np.frombuffer(data, np.uint8, count=n, offset=4 + n * 784)
    tx = idx(os.path.join(mnist, "t10k-images-idx3-ubyte"))[:1000]
    ty = idx(os.path.join(mnist, "t10k-labels-idx1-ubyte"))[:1000]
    print(json.dumps({"sample": accuracy(model, grey, labels), "test_first_1000": accuracy(model, tx, ty)}))


if __name__ == "__main__":
    main()
