#!/usr/bin/python3
"""The calibkit default CNN in PyTorch (Debian's python3-torch 1.13), for bench/train.sh --vs-pytorch.

Same network (conv 5x5x32 same -> relu -> maxpool 2 -> conv 5x5x64 same -> relu -> maxpool 2 ->
dense 1024 relu -> dropout 0.4 -> dense 10), He-normal weights truncated at 2 std, zero biases,
Adam (lr 1e-3, betas 0.9/0.999, eps 1e-7 as TensorFlow's), the learning rate times DECAY after
every epoch, batch 64, the same data: MNIST train = first 55,000 training images, validation =
the last 5,000, test = t10k, pixels /255 standardised by the training mean and std. 2 threads.

Usage: train_pytorch.py MNIST_DIR EPOCHS [LIMIT] [DECAY] [BATCH] [LR]
Prints one line per epoch: `pytorch: epoch E seconds S cpu C val_acc A`, then `pytorch: test_acc A`.
"""
import os
import resource
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


class Net(nn.Module):
    def __init__(self, k=10):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 5, padding=2)
        self.conv2 = nn.Conv2d(32, 64, 5, padding=2)
        self.fc1 = nn.Linear(7 * 7 * 64, 1024)
        self.fc2 = nn.Linear(1024, k)
        for m in (self.conv1, self.conv2, self.fc1, self.fc2):
            fan_in = m.weight[0].numel()
            nn.init.trunc_normal_(m.weight, std=(2.0 / fan_in) ** 0.5, a=-2 * (2.0 / fan_in) ** 0.5, b=2 * (2.0 / fan_in) ** 0.5)
            nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.relu(self.fc1(x.flatten(1)))
        x = F.dropout(x, 0.4, self.training)
        return self.fc2(x)


def accuracy(net, x, y):
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(x), 500):
            correct += (net(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item()
    net.train()
    return correct / len(x)


def main():
    d, epochs = sys.argv[1], int(sys.argv[2])
    limit = int(sys.argv[3]) if len(sys.argv) > 3 and int(sys.argv[3]) > 0 else 55000
    decay = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 64
    lr = float(sys.argv[6]) if len(sys.argv) > 6 else 1e-3
    torch.set_num_threads(2)
    torch.manual_seed(1)
    images = idx(os.path.join(d, "train-images-idx3-ubyte")).astype(np.float32) / 255.0
    labels = idx(os.path.join(d, "train-labels-idx1-ubyte")).astype(np.int64)
    test_x = idx(os.path.join(d, "t10k-images-idx3-ubyte")).astype(np.float32) / 255.0
    test_y = idx(os.path.join(d, "t10k-labels-idx1-ubyte")).astype(np.int64)
    train_x, train_y = images[:55000][:limit], labels[:55000][:limit]
    val_x, val_y = images[55000:], labels[55000:]
    mean, std = float(images[:55000].mean()), float(images[:55000].std())
    t = lambda a: torch.from_numpy(((a - mean) / std)[:, None, :, :].copy())
    tx, vx, sx = t(train_x), t(val_x), t(test_x)
    ty, vy, sy = torch.from_numpy(train_y), torch.from_numpy(val_y), torch.from_numpy(test_y)
    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-7)
    print(f"pytorch: torch {torch.__version__}, {torch.get_num_threads()} threads, {len(tx)} images, "
          f"{epochs} epochs, batch {batch}, Adam {lr} x{decay} per epoch, mkldnn {torch.backends.mkldnn.is_available()}", flush=True)
    g = torch.Generator().manual_seed(1)
    for epoch in range(epochs):
        for group in opt.param_groups:
            group["lr"] = lr * decay ** epoch
        order = torch.randperm(len(tx), generator=g)
        t0, c0 = time.perf_counter(), cpu_seconds()
        for i in range(0, len(tx), batch):
            b = order[i:i + batch]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(net(tx[b]), ty[b])
            loss.backward()
            opt.step()
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - c0
        print(f"pytorch: epoch {epoch + 1} seconds {seconds:.2f} cpu {cpu:.2f} val_acc {accuracy(net, vx, vy):.4f}", flush=True)
    print(f"pytorch: test_acc {accuracy(net, sx, sy):.4f}", flush=True)


if __name__ == "__main__":
    main()
