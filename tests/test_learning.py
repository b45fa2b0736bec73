"""End to end: networks of Values actually learn (fixed seeds, fully deterministic)."""

import math
import random

from autograd.nn import MLP
from autograd.nn.losses import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    l2_penalty,
    mse,
)
from autograd.optim import SGD, Adam, LinearLR


def two_moons(n=100, noise=0.1, seed=0):
    """Two interleaving half circles (like sklearn's make_moons), labels −1 / +1."""
    rng, half = random.Random(seed), n // 2
    xs, ys = [], []
    for i in range(n):
        t = math.pi * (i % half) / (half - 1)
        if i < half:
            x, y, label = math.cos(t), math.sin(t), -1
        else:
            x, y, label = 1 - math.cos(t), 0.5 - math.sin(t), 1
        xs.append([x + rng.gauss(0, noise), y + rng.gauss(0, noise)])
        ys.append(label)
    return xs, ys


def accuracy(scores, labels):
    return sum((s.data > 0) == (y > 0) for s, y in zip(scores, labels)) / len(labels)


def test_tanh_mlp_learns_xor():
    xs, ys = [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1]
    model = MLP(2, [4, 1], activation="tanh", output="tanh", init="xavier", seed=0)
    opt = SGD(model, lr=0.2)
    for _ in range(300):
        loss = mse([model(x) for x in xs], ys)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert loss.data < 0.05
    assert accuracy([model(x) for x in xs], ys) == 1.0


def train_moons(steps, seed=0, stop_at=2.0):
    """karpathy's micrograd demo: MLP(2, [16, 16, 1]), hinge loss + 1e-4·L2,
    full-batch SGD with lr = 1.0 − 0.9·k/100; stops early once accuracy ≥ stop_at."""
    xs, ys = two_moons(seed=0)
    model = MLP(2, [16, 16, 1], seed=seed)
    opt = SGD(model, lr=1.0)
    sched = LinearLR(opt, total_steps=100, end_factor=0.1)
    history = []
    for _ in range(steps):
        scores = [model(x) for x in xs]
        loss = hinge(scores, ys) + l2_penalty(model, 1e-4)
        history.append((loss.data, accuracy(scores, ys)))
        if history[-1][1] >= stop_at:
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step()
    return model, history, (xs, ys)


def test_micrograd_demo_reaches_97_percent_on_two_moons():
    model, history, (xs, ys) = train_moons(100, stop_at=0.97)
    assert history[-1][1] >= 0.97, history[-1]       # reached within 100 steps (about 20)
    assert accuracy([model(x) for x in xs], ys) >= 0.97
    assert history[-1][0] < 0.5 * history[0][0]


def test_training_is_deterministic():
    assert train_moons(3, seed=1)[1] == train_moons(3, seed=1)[1]


def test_softmax_classifier_learns_three_blobs():
    rng = random.Random(3)
    centers = [(-2.0, 0.0), (2.0, 0.0), (0.0, 2.5)]
    xs = [[cx + rng.gauss(0, 0.4), cy + rng.gauss(0, 0.4)] for cx, cy in centers for _ in range(8)]
    ys = [k for k in range(3) for _ in range(8)]
    model = MLP(2, [8, 3], output="softmax", init="he", seed=0)
    opt = Adam(model, lr=0.05)
    for _ in range(40):
        loss = cross_entropy([model.logits(x) for x in xs], ys)
        opt.zero_grad()
        loss.backward()
        opt.step()
    probs = [[p.data for p in model(x)] for x in xs]
    predicted = [row.index(max(row)) for row in probs]
    assert predicted == ys


def test_sigmoid_classifier_with_logits_loss_learns_moons():
    xs, ys = two_moons(n=40, seed=2)
    targets = [(y + 1) / 2 for y in ys]
    model = MLP(2, [8, 8, 1], activation="tanh", output="sigmoid", init="xavier", seed=0)
    opt = Adam(model, lr=0.05)
    for _ in range(60):
        loss = binary_cross_entropy_with_logits([model.logits(x)[0] for x in xs], targets)
        opt.zero_grad()
        loss.backward()
        opt.step()
    assert accuracy([model(x) - 0.5 for x in xs], ys) >= 0.95
