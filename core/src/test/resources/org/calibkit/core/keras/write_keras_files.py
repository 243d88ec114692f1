#!/usr/bin/python3
"""Writes Keras model files with h5py (Debian python3-h5py) and numpy only, no Keras, laid out
exactly as Keras writes them, plus the outputs of a numpy forward pass of the same weights.
KerasModelTest checks calibkit's reader (jhdf + TF-Java) against those numbers.

    /usr/bin/python3 write_keras_files.py OUT_DIR [--seed-mlp]

Layout, from Keras' own source:
- Keras 2.x `model.save('m.h5')` (tensorflow/python/keras/saving/hdf5_format.py,
  save_model_to_hdf5): root attributes `keras_version`, `backend` (bytes) and `model_config`
  (json.dumps({"class_name": ..., "config": ...}).encode('utf8'), a fixed-length string); a
  group `model_weights` written by save_weights_to_hdf5_group: attribute `layer_names` (array
  of utf-8 bytes, every layer, weightless ones too), and per layer a group named after the
  layer with attribute `weight_names` (e.g. b'dense/kernel:0') and one dataset per weight,
  created under its weight name, so the '/' in it makes the path
  model_weights/dense/dense/kernel:0.
- Keras 2.0 (keras/engine/topology.py): Sequential's `config` is a bare list of layers, the
  first one carrying `batch_input_shape`, no InputLayer.
- Keras 3 saving to .h5 (keras/src/legacy/saving/legacy_h5_format.py): weight names without
  ':0' and with the model's path (model_weights/conv2d_12/sequential_4/conv2d_12/kernel), an
  empty `top_level_model_weights` group, InputLayer with `batch_shape`, `dtype` as a
  DTypePolicy dict.
- Keras 3 `.keras` (keras/src/saving/saving_lib.py): a zip of metadata.json, config.json and
  model.weights.h5, whose variables sit at layers/<snake_case(class name)[_i]>/vars/<index>
  (kernel then bias; gamma, beta, moving_mean, moving_variance).
- `save_weights('w.h5')`: the weights layout at the root, no model_config.

Forward passes: Dense x @ W + b; Conv2D as TensorFlow computes it (NHWC, HWIO kernel, 'same'
padding puts the extra pixel after); pooling over windows; BatchNormalization in inference
((x - mean) / sqrt(var + eps) * gamma + beta); Flatten in row-major (H, W, C) order.
"""
import io
import json
import sys
import zipfile

import h5py
import numpy as np

rng = np.random.default_rng(20261202)


def s(x):
    return np.bytes_(x.encode("utf8"))


# --- numpy forward pass -------------------------------------------------------------------
def act(x, name):
    if name == "relu":
        return np.maximum(x, 0)
    if name == "tanh":
        return np.tanh(x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "softmax":
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)
    assert name == "linear", name
    return x


def pad_same(x, k, st):
    n, h, w, c = x.shape
    oh, ow = -(-h // st), -(-w // st)
    ph = max((oh - 1) * st + k - h, 0)
    pw = max((ow - 1) * st + k - w, 0)
    return np.pad(x, ((0, 0), (ph // 2, ph - ph // 2), (pw // 2, pw - pw // 2), (0, 0)))


def conv2d(x, w, b, st, padding):
    k = w.shape[0]
    if padding == "same":
        x = pad_same(x, k, st)
    n, h, wd, c = x.shape
    oh, ow = (h - k) // st + 1, (wd - k) // st + 1
    out = np.zeros((n, oh, ow, w.shape[3]))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * st:i * st + k, j * st:j * st + k, :]
            out[:, i, j, :] = np.einsum("nhwc,hwco->no", patch, w)
    return out + b


def pool(x, k, st, kind):
    n, h, w, c = x.shape
    oh, ow = (h - k) // st + 1, (w - k) // st + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            patch = x[:, i * st:i * st + k, j * st:j * st + k, :]
            out[:, i, j, :] = patch.max(axis=(1, 2)) if kind == "max" else patch.mean(axis=(1, 2))
    return out


def forward(layers, x):
    """layers: list of (class_name, config, weights dict); returns (pre-last-softmax, output)."""
    pre = None
    for i, (cls, cfg, wts) in enumerate(layers):
        a = cfg.get("activation", "linear")
        if cls == "Dense":
            z = x @ wts["kernel"] + wts["bias"]
            pre = z
            x = act(z, a)
        elif cls == "Conv2D":
            z = conv2d(x, wts["kernel"], wts["bias"], cfg["strides"][0], cfg["padding"])
            pre = z
            x = act(z, a)
        elif cls in ("MaxPooling2D", "AveragePooling2D"):
            x = pool(x, cfg["pool_size"][0], cfg["strides"][0], "max" if cls.startswith("Max") else "avg")
        elif cls == "Flatten":
            x = x.reshape(x.shape[0], -1)
        elif cls == "Reshape":
            x = x.reshape((x.shape[0],) + tuple(cfg["target_shape"]))
        elif cls == "Dropout":
            pass
        elif cls == "Activation":
            pre = x
            x = act(x, a)
        elif cls == "BatchNormalization":
            x = (x - wts["moving_mean"]) / np.sqrt(wts["moving_variance"] + cfg["epsilon"]) * wts["gamma"] + wts["beta"]
        else:
            raise ValueError(cls)
    return pre, x


# --- layer builders -----------------------------------------------------------------------
def dense(name, fan_in, units, activation, **extra):
    cfg = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
           "use_bias": True, "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
           "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": None,
           "bias_regularizer": None, "activity_regularizer": None, "kernel_constraint": None, "bias_constraint": None}
    cfg.update(extra)
    lim = np.sqrt(6 / (fan_in + units))
    w = {"kernel": rng.uniform(-lim, lim, (fan_in, units)).astype(np.float32),
         "bias": rng.normal(0, 0.1, units).astype(np.float32)}
    return ["Dense", cfg, w]


def conv(name, k, cin, filters, activation, padding="valid", strides=1):
    cfg = {"name": name, "trainable": True, "dtype": "float32", "filters": filters, "kernel_size": [k, k],
           "strides": [strides, strides], "padding": padding, "data_format": "channels_last",
           "dilation_rate": [1, 1], "groups": 1, "activation": activation, "use_bias": True}
    lim = np.sqrt(6 / (k * k * cin + filters))
    w = {"kernel": rng.uniform(-lim, lim, (k, k, cin, filters)).astype(np.float32),
         "bias": rng.normal(0, 0.1, filters).astype(np.float32)}
    return ["Conv2D", cfg, w]


def bn(name, width):
    cfg = {"name": name, "trainable": True, "dtype": "float32", "axis": -1, "momentum": 0.99, "epsilon": 0.001,
           "center": True, "scale": True}
    w = {"gamma": rng.uniform(0.5, 1.5, width).astype(np.float32), "beta": rng.normal(0, 0.2, width).astype(np.float32),
         "moving_mean": rng.normal(0, 0.5, width).astype(np.float32),
         "moving_variance": rng.uniform(0.5, 2.0, width).astype(np.float32)}
    return ["BatchNormalization", cfg, w]


def plain(cls, name, **cfg):
    c = {"name": name, "trainable": True, "dtype": "float32"}
    c.update(cfg)
    return [cls, c, {}]


WEIGHT_ORDER = {"Dense": ["kernel", "bias"], "Conv2D": ["kernel", "bias"],
                "BatchNormalization": ["gamma", "beta", "moving_mean", "moving_variance"]}


# --- writers ------------------------------------------------------------------------------
def write_keras2(path, layers, input_shape, model_config, weight_prefix=None, colon=True, keras_version="2.4.0"):
    """Keras 2.x (or, with weight_prefix and colon=False, Keras 3 legacy) model.save('m.h5')."""
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = s(keras_version)
        f.attrs["backend"] = s("tensorflow")
        f.attrs["model_config"] = s(json.dumps(model_config))
        g = f.create_group("model_weights")
        write_weight_groups(g, layers, weight_prefix, colon, keras_version)
        if not colon:
            g.create_group("top_level_model_weights")


def write_weight_groups(g, layers, weight_prefix, colon, keras_version):
    g.attrs["layer_names"] = np.array([s(l[1]["name"]) for l in layers])
    g.attrs["backend"] = s("tensorflow")
    g.attrs["keras_version"] = s(keras_version)
    for cls, cfg, w in layers:
        lg = g.create_group(cfg["name"])
        names = []
        for key in WEIGHT_ORDER.get(cls, []):
            inner = cfg["name"] + "/" + key + (":0" if colon else "")
            if weight_prefix:
                inner = weight_prefix + "/" + inner
            names.append(s(inner))
            lg.create_dataset(inner, data=w[key])
        lg.attrs["weight_names"] = np.array(names, dtype="S") if names else np.array([], dtype="S1")


def sequential_config(layers, input_shape, input_name, keras3=False, bare_list=False):
    entries = []
    for cls, cfg, _ in layers:
        c = dict(cfg)
        if keras3:
            c["dtype"] = {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"},
                          "registered_name": None}
        entries.append({"module": "keras.layers", "class_name": cls, "config": c, "registered_name": None}
                       if keras3 else {"class_name": cls, "config": c})
    if bare_list:
        entries[0]["config"]["batch_input_shape"] = [None] + list(input_shape)
        return {"class_name": "Sequential", "config": entries}
    if keras3:
        inp = {"module": "keras.layers", "class_name": "InputLayer",
               "config": {"batch_shape": [None] + list(input_shape), "dtype": "float32", "sparse": False,
                          "name": input_name}, "registered_name": None}
        return {"module": "keras", "class_name": "Sequential",
                "config": {"name": "sequential_4", "trainable": True, "layers": [inp] + entries}}
    inp = {"class_name": "InputLayer", "config": {"batch_input_shape": [None] + list(input_shape), "dtype": "float32",
                                                   "sparse": False, "ragged": False, "name": input_name}}
    return {"class_name": "Sequential", "config": {"name": "sequential", "layers": [inp] + entries}}


def functional_config_keras3(layers, input_shape):
    """A chain written as a Keras 3 functional model (inbound_nodes with __keras_tensor__ args)."""
    inp = {"module": "keras.layers", "class_name": "InputLayer",
           "config": {"batch_shape": [None] + list(input_shape), "dtype": "float32", "sparse": False,
                      "name": "input_layer"}, "registered_name": None, "name": "input_layer", "inbound_nodes": []}
    entries = [inp]
    prev = "input_layer"
    for cls, cfg, _ in layers:
        entries.append({"module": "keras.layers", "class_name": cls, "config": cfg, "registered_name": None,
                        "name": cfg["name"], "inbound_nodes": [{"args": [{"class_name": "__keras_tensor__", "config": {
                            "shape": None, "dtype": "float32", "keras_history": [prev, 0, 0]}}], "kwargs": {}}]})
        prev = cfg["name"]
    return {"module": "keras.src.models.functional", "class_name": "Functional",
            "config": {"name": "functional", "trainable": True, "layers": entries,
                       "input_layers": [["input_layer", 0, 0]], "output_layers": [[prev, 0, 0]]}}


def snake(cls):
    out = ""
    for i, ch in enumerate(cls):
        if ch.isupper() and i > 0 and (not cls[i - 1].isupper() or (i + 1 < len(cls) and cls[i + 1].islower())):
            out += "_"
        out += ch.lower()
    return out


def write_dot_keras(path, layers, config):
    buf = io.BytesIO()
    with h5py.File(buf, "w") as f:
        used = {}
        lg = f.create_group("layers")
        for cls, cfg, w in layers:
            name = snake(cls)
            if name in used:
                used[name] += 1
                name = name + "_" + str(used[name])
            else:
                used[name] = 0
            v = lg.create_group(name).create_group("vars")
            for i, key in enumerate(WEIGHT_ORDER.get(cls, [])):
                v.create_dataset(str(i), data=w[key])
        f.create_group("optimizer").create_group("vars")
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.3.3", "date_saved": "2024-05-01@10:00:00"}))
        z.writestr("config.json", json.dumps(config))
        z.writestr("model.weights.h5", buf.getvalue())


def images(n, shape):
    # digit-like: mostly dark with some bright strokes, integers 0..255
    x = rng.integers(0, 256, (n,) + shape).astype(np.float32)
    x[rng.random((n,) + shape) < 0.6] = 0
    return x


def reference(name, layers, x_raw, scale, out):
    x = x_raw * scale
    pre, prob = forward(layers, x)
    out[name] = {"pixels": x_raw.reshape(len(x_raw), -1).tolist(), "shape": list(x_raw.shape[1:]),
                 "scale": scale, "pre_activation": pre.tolist(), "output": prob.tolist()}


def main():
    d = sys.argv[1]
    ref = {}
    if "--seed-mlp" in sys.argv:
        # the seed's MLP: 784-512-512-10, relu, softmax, inputs / 255 (Keras 2.x model.save)
        layers = [dense("dense", 784, 512, "relu"), plain("Dropout", "dropout", rate=0.2),
                  dense("dense_1", 512, 512, "relu"), plain("Dropout", "dropout_1", rate=0.2),
                  dense("dense_2", 512, 10, "softmax")]
        write_keras2(d + "/test_model.h5", layers, (784,), sequential_config(layers, (784,), "dense_input"))
        reference("test_model.h5", layers, images(6, (784,)), 1 / 255, ref)
        json.dump(ref, open(d + "/seed_reference.json", "w"))
        return

    # 1. Keras 2.x MLP with BatchNormalization, softmax last
    mlp = [dense("dense", 784, 24, "relu"), bn("batch_normalization", 24), dense("dense_1", 24, 16, "tanh"),
           plain("Dropout", "dropout", rate=0.5), dense("dense_2", 16, 10, "softmax")]
    write_keras2(d + "/mlp_bn.h5", mlp, (784,), sequential_config(mlp, (784,), "dense_input"))
    reference("mlp_bn.h5", mlp, images(5, (784,)), 1 / 255, ref)

    # 2. Keras 2.0: bare list of layers, no InputLayer, weights dense_1/dense_1/kernel:0, logits out
    old = [dense("dense_1", 784, 20, "sigmoid"), dense("dense_2", 20, 10, "linear")]
    write_keras2(d + "/keras20_bare.h5", old, (784,), sequential_config(old, (784,), None, bare_list=True),
                 keras_version="2.0.8")
    reference("keras20_bare.h5", old, images(4, (784,)), 1 / 255, ref)

    # 3. Keras 3 saved as .h5: CNN with Reshape from a flat input, pooling, Flatten, softmax
    cnn = [plain("Reshape", "reshape", target_shape=[28, 28, 1]),
           conv("conv2d_12", 3, 1, 4, "relu"), plain("MaxPooling2D", "max_pooling2d", pool_size=[2, 2],
                                                    strides=[2, 2], padding="valid", data_format="channels_last"),
           conv("conv2d_13", 3, 4, 6, "relu", padding="same", strides=2),
           plain("AveragePooling2D", "average_pooling2d", pool_size=[2, 2], strides=[2, 2], padding="valid",
                 data_format="channels_last"),
           plain("Flatten", "flatten", data_format="channels_last"), plain("Dropout", "dropout", rate=0.25),
           dense("dense", 54, 10, "softmax")]
    write_keras2(d + "/cnn_keras3.h5", cnn, (784,), sequential_config(cnn, (784,), "input_layer", keras3=True),
                 weight_prefix="sequential_4", colon=False, keras_version="3.3.3")
    reference("cnn_keras3.h5", cnn, images(4, (784,)), 1 / 255, ref)

    # 4. Keras 3 .keras zip, functional: NHWC input, Conv2D, BN, Activation, pool, Flatten, Dense, Activation(softmax)
    fn = [conv("conv2d", 3, 1, 4, "linear", padding="same"), bn("batch_normalization", 4),
          plain("Activation", "activation", activation="relu"),
          plain("MaxPooling2D", "max_pooling2d", pool_size=[2, 2], strides=[2, 2], padding="valid",
                data_format="channels_last"),
          plain("Flatten", "flatten", data_format="channels_last"), dense("dense", 196 * 4, 10, "linear"),
          plain("Activation", "activation_1", activation="softmax")]
    write_dot_keras(d + "/functional.keras", fn, functional_config_keras3(fn, (28, 28, 1)))
    reference("functional.keras", fn, images(4, (28, 28, 1)), 1 / 255, ref)

    # 5. save_weights: no model_config
    with h5py.File(d + "/weights_only.h5", "w") as f:
        write_weight_groups(f, old, None, True, "2.4.0")
    # 6. a layer outside the supported set
    lstm = [dense("dense", 784, 8, "relu"), plain("LSTM", "lstm", units=4), dense("dense_1", 4, 10, "softmax")]
    write_keras2(d + "/lstm.h5", [lstm[0], lstm[2]], (784,), sequential_config(lstm, (784,), "dense_input"))
    # 7. a kernel whose shape does not match the config (dense_1: units 12, kernel 10 x 10)
    bad = [dense("dense", 784, 10, "relu"), dense("dense_1", 10, 10, "softmax")]
    cfg = sequential_config(bad, (784,), "dense_input")
    cfg["config"]["layers"][2]["config"]["units"] = 12  # [0] is the InputLayer
    write_keras2(d + "/shape_mismatch.h5", bad, (784,), cfg)
    # 8. an HDF5 file that is not a Keras model
    with h5py.File(d + "/not_keras.h5", "w") as f:
        f.create_dataset("images", data=np.zeros((2, 3), np.float32))

    with open(d + "/reference.json", "w") as f:
        json.dump(ref, f)


if __name__ == "__main__":
    main()
