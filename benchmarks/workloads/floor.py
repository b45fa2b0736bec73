"""The pure-float floor of W1: micrograd's demo step written by hand, no graph at all.

The network is lists of floats; the forward pass keeps each sample's activations,
the backward pass is the chain rule written out for this network (hinge + L2,
ReLU hidden layers, linear output), then SGD.  Nothing is built, nothing is
walked: this is what straight-line Python costs, the floor a compiled step can
approach.

It computes the engine's numbers bit for bit — the same float operations in the
same order (sums left to right from the bias; the L2 term's gradient first, then
the samples from the last to the first, each neuron's pushes in the engine's
order) — which :func:`check_against_engine` verifies.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from operator import mul
from time import perf_counter
from typing import Any

from ..common import ALPHA, split_weights

if sys.version_info >= (3, 12):       # sum() of floats is compensated there: add in order
    def _sum(xs: Iterable[float], start: float) -> float:
        for x in xs:
            start = start + x
        return start
else:
    _sum = sum                        # left to right, in C

Net = list[tuple[list[list[float]], list[float]]]     # per layer: weight rows, biases


def make_net(layers: Sequence[int], flat: Sequence[float]) -> Net:
    """The network as lists: ``net[l] = (W, B)`` with ``W[j]`` neuron j's weights."""
    return [([list(w) for w, _ in layer], [b for _, b in layer])
            for layer in split_weights(layers, flat)]


def flat_params(net: Net) -> list[float]:
    """Every parameter in micrograd's order (neuron by neuron: weights, then bias)."""
    return [x for W, B in net for w, b in zip(W, B) for x in (*w, b)]


def step(net: Net, X: Sequence[Sequence[float]], y: Sequence[int], k: int
         ) -> tuple[float, float, list[float], tuple[float, float, float, float]]:
    """One demo step: (loss, accuracy, gradients in micrograd's order, timestamps)."""
    t0 = perf_counter()
    last = len(net) - 1
    acts: list[list[list[float]]] = []        # per sample: the input of every layer
    pres: list[list[list[float]]] = []        # per sample: every layer's pre-activations
    scores = []
    for x in X:
        h = list(x)
        a, p = [], []
        for depth, (W, B) in enumerate(net):
            a.append(h)
            zs = [_sum(map(mul, w, h), b) for w, b in zip(W, B)]   # b + w₁h₁ + w₂h₂ + …
            p.append(zs)
            h = zs if depth == last else [z if z > 0 else 0.0 for z in zs]
        acts.append(a)
        pres.append(p)
        scores.append(h[0])
    margins = [1.0 + (-yi) * s for yi, s in zip(y, scores)]
    data_loss = 0.0
    for m in margins:
        data_loss = data_loss + (m if m > 0 else 0.0)
    scale = 1.0 / len(margins)
    data_loss = data_loss * scale
    reg = 0.0
    for W, B in net:
        for w, b in zip(W, B):
            for v in w:
                reg = reg + v * v
            reg = reg + b * b
    loss = data_loss + ALPHA * reg
    acc = sum((yi > 0) == (s > 0) for yi, s in zip(y, scores)) / len(y)
    t1 = perf_counter()
    # backward: ∂loss/∂θ = 2αθ (as the engine adds it: αθ + αθ), then the samples, last first
    grads = [([[0.0 + v * ALPHA + v * ALPHA for v in w] for w in W],
              [0.0 + b * ALPHA + b * ALPHA for b in B]) for W, B in net]
    for i in range(len(X) - 1, -1, -1):
        g = (-y[i]) * scale if margins[i] > 0 else 0.0      # ∂loss/∂score of sample i
        if g == 0.0:
            continue
        g_out = [g]
        for depth in range(last, -1, -1):
            W, B = net[depth]
            GW, GB = grads[depth]
            h, zs = acts[i][depth], pres[i][depth]
            g_z = g_out if depth == last else [gz if z > 0 else 0.0 for gz, z in zip(g_out, zs)]
            g_in = [0.0] * len(h)
            for j in range(len(W) - 1, -1, -1):
                gj = g_z[j]
                if gj == 0.0:
                    continue
                GW[j] = [g + x * gj for g, x in zip(GW[j], h)]
                if depth:                    # the inputs need no gradient
                    g_in = [g + w * gj for g, w in zip(g_in, W[j])]
                GB[j] += gj
            g_out = g_in
    flat = [x for GW, GB in grads for gw, gb in zip(GW, GB) for x in (*gw, gb)]
    t2 = perf_counter()
    lr = 1.0 - 0.9 * (k % 100) / 100
    for (W, B), (GW, GB) in zip(net, grads):
        for j, (w, gw) in enumerate(zip(W, GW)):
            for q in range(len(w)):
                w[q] -= lr * gw[q]
            B[j] -= lr * GB[j]
    return loss, acc, flat, (t0, t1, t2, perf_counter())


def check_against_engine(data: dict[str, Any]) -> dict[str, Any]:
    """The floor's first loss and gradients against the engine's W1 step: equal bit for bit?"""
    from autograd import Value

    from ..engines import load
    from .training import demo_step

    engine = load("autograd")
    model = engine.own_mlp(data["layers"], data["weights"])
    loss, _, _ = demo_step(model, Value, data["X"], data["y"], 0)   # steps too: grads stay
    ours = [p.grad for p in model.parameters()]
    f_loss, _, f_grads, _ = step(make_net(data["layers"], data["weights"]), data["X"],
                                 data["y"], 0)
    diff = max(abs(a - b) for a, b in zip(ours, f_grads))
    return {"loss_equal": loss.data == f_loss, "grads_equal": ours == f_grads,
            "max_grad_diff": diff}
