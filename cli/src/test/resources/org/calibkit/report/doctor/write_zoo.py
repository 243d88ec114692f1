#!/usr/bin/python3
"""Third-party-like Keras models for DoctorTest, trained here with numpy (no Keras) and written by
h5py exactly as Keras 2.x model.save writes them (the writer and its layout notes are in
core/src/test/resources/org/calibkit/core/keras/write_keras_files.py).

    /usr/bin/python3 write_zoo.py OUT_DIR [MNIST_DIR]   # MNIST_DIR default ~/.cache/calibkit/mnist

Softmax regression (Dense 784 -> 10, softmax) on the first 10,000 MNIST training images, full-batch
gradient descent:
- lr_unit.h5:       trained on x / 255 (what its "documentation" says: --scale 1/255)
- lr_transposed.h5: the same weights for images flattened column-major (trained on transposed
                    images): audited as documented (--scale 1/255) it is near chance
- lr_n1x784.h5:     the same model behind an input of shape [N, 1, 784] (Reshape to 784)
- lr_1x784x1.h5:    the same behind a fixed-batch input [1, 784, 1] (Keras 3 batch_shape)
Prints each model's accuracy on MNIST's test split under its own convention (the independent
reference DoctorTest compares with).
"""
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "../../../../../../../../core/src/test/resources/org/calibkit/core/keras"))
from write_keras_files import sequential_config, write_keras2  # noqa: E402
sys.path.insert(0, here)
from mnist_idx import idx  # noqa: E402


def main():
    out = sys.argv[1]
    mnist = sys.argv[2] if len(sys.argv) > 2 else os.path.expanduser("~/.cache/calibkit/mnist")
    x = idx(mnist + "/train-images-idx3-ubyte")[:10000].reshape(-1, 784).astype(np.float64) / 255
    y = idx(mnist + "/train-labels-idx1-ubyte")[:10000]
    tx = idx(mnist + "/t10k-images-idx3-ubyte").reshape(-1, 784).astype(np.float64) / 255
    ty = idx(mnist + "/t10k-labels-idx1-ubyte")
    onehot = np.eye(10)[y]
    w = np.zeros((784, 10))
    b = np.zeros(10)
    for _ in range(300):
        z = x @ w + b
        p = np.exp(z - z.max(1, keepdims=True))
        p /= p.sum(1, keepdims=True)
        g = (p - onehot) / len(x)
        w -= 0.5 * (x.T @ g + 1e-4 * w)
        b -= 0.5 * g.sum(0)
    w = w.astype(np.float32)
    b = b.astype(np.float32)
    # the transposed model: its input position x*28+y holds what the normal one reads at y*28+x
    perm = np.arange(784).reshape(28, 28).T.reshape(-1)
    wt = np.empty_like(w)
    wt[perm] = w
    for name, weights in (("lr_unit.h5", w), ("lr_transposed.h5", wt)):
        layers = [["Dense", {"name": "dense", "trainable": True, "dtype": "float32", "units": 10,
                             "activation": "softmax", "use_bias": True}, {"kernel": weights, "bias": b}]]
        write_keras2(os.path.join(out, name), layers, (784,), sequential_config(layers, (784,), "dense_input"))
    dense = ["Dense", {"name": "dense", "trainable": True, "dtype": "float32", "units": 10, "activation": "softmax",
                       "use_bias": True}, {"kernel": w, "bias": b}]
    reshape = ["Reshape", {"name": "reshape", "trainable": True, "dtype": "float32", "target_shape": [784]}, {}]
    for name, shape, batch in (("lr_n1x784.h5", [1, 784], None), ("lr_1x784x1.h5", [784, 1], 1)):
        layers = [reshape, dense]
        cfg = sequential_config(layers, tuple(shape), "input_layer", keras3=True)
        cfg["config"]["layers"][0]["config"]["batch_shape"] = [batch] + shape
        write_keras2(os.path.join(out, name), layers, tuple(shape), cfg, weight_prefix="sequential", colon=False,
                     keras_version="3.3.3")
    acc = ((tx @ w + b).argmax(1) == ty).mean()
    txt = tx.reshape(-1, 28, 28).transpose(0, 2, 1).reshape(-1, 784)
    acc_t = ((txt @ wt + b).argmax(1) == ty).mean()

    print("lr_unit.h5 test accuracy (x/255): %.4f" % acc)
    for n in (300, 1000):
        print("lr_unit.h5 accuracy on the first %d test images: %.4f" % (n, ((tx[:n] @ w + b).argmax(1) == ty[:n]).mean()))
        print("lr_transposed.h5 accuracy on the first %d test images, transposed: %.4f"
              % (n, ((txt[:n] @ wt + b).argmax(1) == ty[:n]).mean()))
    print("lr_transposed.h5 test accuracy (x/255, transposed): %.4f" % acc_t)


if __name__ == "__main__":
    main()
