#!/usr/bin/env python3
"""Reference values for np-engine, computed with NumPy in float64.

Writes golden.json beside this file: the inputs, forward values and gradients of small
networks (backpropagation written out by hand, as in the course), activation values, and
several steps of every optimizer following PyTorch's documented update rules with its
defaults. Regenerate with `python3 make_golden.py`; review the diff of golden.json.
"""
import json
import os

import numpy as np

rng = np.random.RandomState(0)


def arr(*shape, scale=1.0):
    # Rounded so the JSON inputs are exactly what both sides use.
    return np.round(rng.randn(*shape) * scale, 4)


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


ACT = {
    "tanh": (np.tanh, lambda z, a: 1 - a * a),
    "relu": (lambda z: np.maximum(z, 0), lambda z, a: (z > 0).astype(float)),
    "sigmoid": (sigmoid, lambda z, a: a * (1 - a)),
    "elu": (lambda z: np.where(z > 0, z, np.exp(z) - 1), lambda z, a: np.where(z > 0, 1.0, a + 1)),
}


def mlp_case(name, act, loss, outputs):
    x = arr(6, 3)
    w1, b1 = arr(3, 5, scale=0.5), arr(5, scale=0.1)
    w2, b2 = arr(5, outputs, scale=0.5), arr(outputs, scale=0.1)
    m = x.shape[0]
    if loss == "cce":
        labels = rng.randint(0, outputs, size=m)
        t = np.eye(outputs)[labels]
    elif loss == "bce":
        t = rng.randint(0, 2, size=(m, outputs)).astype(float)
    else:
        t = arr(m, outputs)
    f, df = ACT[act]
    z1 = x @ w1 + b1
    a1 = f(z1)
    z2 = a1 @ w2 + b2
    if loss == "cce":
        p = softmax(z2)
        value = -np.sum(t * np.log(p)) / m
        dz2 = (p - t) / m  # the output delta y_hat - y, averaged over the batch
    elif loss == "bce":
        p = sigmoid(z2)
        value = np.sum(np.maximum(z2, 0) - z2 * t + np.log1p(np.exp(-np.abs(z2)))) / m
        dz2 = (p - t) / m
    else:  # mse on a linear output
        value = np.mean((z2 - t) ** 2)
        dz2 = 2 * (z2 - t) / z2.size
    dw2 = a1.T @ dz2
    db2 = dz2.sum(axis=0)
    dz1 = (dz2 @ w2.T) * df(z1, a1)
    dw1 = x.T @ dz1
    db1 = dz1.sum(axis=0)
    return {
        "name": name, "activation": act, "loss": loss,
        "x": x, "t": t, "w1": w1, "b1": b1, "w2": w2, "b2": b2,
        "hidden": a1, "logits": z2, "value": value,
        "dw1": dw1, "db1": db1, "dw2": dw2, "db2": db2,
    }


def optimizer_runs():
    p0 = arr(6)
    grads = [arr(6) for _ in range(5)]
    runs = []

    def run(name, rule, update):
        p = p0.copy()
        state = {}
        steps = []
        for t, g in enumerate(grads, start=1):
            p = update(p, g, state, t)
            steps.append(p.copy())
        runs.append({"name": name, "rule": rule, "p0": p0, "grads": grads, "steps": steps})

    def sgd(lr, mom=0.0, nesterov=False):
        def u(p, g, s, t):
            if mom == 0:
                return p - lr * g
            s["b"] = mom * s.get("b", 0) + g if "b" in s else g.copy()
            d = g + mom * s["b"] if nesterov else s["b"]
            return p - lr * d
        return u

    def adagrad(lr, eps=1e-10):
        def u(p, g, s, t):
            s["sum"] = s.get("sum", 0) + g * g
            return p - lr * g / (np.sqrt(s["sum"]) + eps)
        return u

    def rmsprop(lr, alpha=0.99, eps=1e-8):
        def u(p, g, s, t):
            s["v"] = alpha * s.get("v", 0) + (1 - alpha) * g * g
            return p - lr * g / (np.sqrt(s["v"]) + eps)
        return u

    def adam(lr, b1=0.9, b2=0.999, eps=1e-8):
        def u(p, g, s, t):
            s["m"] = b1 * s.get("m", 0) + (1 - b1) * g
            s["v"] = b2 * s.get("v", 0) + (1 - b2) * g * g
            c1, c2 = 1 - b1 ** t, 1 - b2 ** t
            return p - (lr / c1) * s["m"] / (np.sqrt(s["v"]) / np.sqrt(c2) + eps)
        return u

    run("sgd", {"kind": "sgd", "lr": 0.1, "momentum": 0.0, "nesterov": False}, sgd(0.1))
    run("momentum", {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": False}, sgd(0.1, 0.9))
    run("nesterov", {"kind": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True}, sgd(0.1, 0.9, True))
    run("adagrad", {"kind": "ada_grad", "lr": 0.1, "eps": 1e-10, "initial_accumulator": 0.0}, adagrad(0.1))
    run("rmsprop", {"kind": "rms_prop", "lr": 0.01, "alpha": 0.99, "eps": 1e-8}, rmsprop(0.01))
    run("adam", {"kind": "adam", "lr": 0.001, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8}, adam(0.001))
    return runs


def activations():
    z = np.linspace(-3, 3, 13)
    return {
        "z": z,
        "sigmoid": sigmoid(z), "tanh": np.tanh(z), "relu": np.maximum(z, 0),
        "leaky_relu_0.1": np.where(z > 0, z, 0.1 * z),
        "elu_1": np.where(z > 0, z, np.exp(z) - 1),
        "softmax_row": softmax(z[None, :])[0],
        "log_softmax_row": np.log(softmax(z[None, :])[0]),
    }


def plain(o):
    if isinstance(o, np.ndarray):
        return {"dims": list(o.shape), "data": [float(v) for v in o.ravel()]}
    if isinstance(o, (np.floating, float)):
        return float(o)
    if isinstance(o, dict):
        return {k: plain(v) for k, v in o.items()}
    if isinstance(o, list):
        return [plain(v) for v in o]
    return o


golden = {
    "generator": "make_golden.py, NumPy " + np.__version__ + ", float64",
    "mlps": [
        mlp_case("tanh_softmax_cce", "tanh", "cce", 3),
        mlp_case("relu_sigmoid_bce", "relu", "bce", 1),
        mlp_case("sigmoid_linear_mse", "sigmoid", "mse", 2),
        mlp_case("elu_softmax_cce", "elu", "cce", 4),
    ],
    "optimizers": optimizer_runs(),
    "activations": activations(),
}
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "golden.json")
with open(out, "w") as f:
    json.dump(plain(golden), f, indent=1)
print("wrote", out)
