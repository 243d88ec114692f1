"""Reads an IDX file (MNIST's format) into a numpy array; shared by rgb_cnn.py and write_zoo.py."""
import numpy as np


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)
