"""XOR: no straight line separates it, one hidden layer with a non-linearity does.

XOR labels the corners of a square: (0,0) → −1, (0,1) → +1, (1,0) → +1, (1,1) → −1.
A linear model  s = w·x + b  splits the plane with one straight line, and any
line leaves at least one corner on the wrong side: 3 of 4 (75%) is the best it
can do.  Stacking linear layers does not help, because a composition of linear
maps is still linear.  A hidden layer with a non-linear activation (tanh here)

    h = tanh(W₁x + b₁),   s = w₂·h + b₂

first bends the plane: in the hidden space (h₁, h₂) the four corners become
separable by a straight line, which the output neuron then draws.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from autograd.nn import MLP, Neuron
from autograd.nn.losses import mse
from autograd.optim import SGD
from autograd.training.data import make_xor
from autograd.training.fit import accuracy, fit, predict
from autograd.training.plot import plot_decision_boundary

from ._common import DPI, main_for, say
from ._figures import Pictures, enlarge_markers, figure

NAME = "nonlinearity_xor"
DESCRIPTION = "XOR: a line gets 3 of 4 at best, one tanh hidden layer gets all 4"


def best_line(X: list[list[float]], y: list[int], angles: int = 360,
              offsets: int = 81) -> tuple[float, tuple[float, float, float]]:
    """Try ``angles × offsets`` lines w·x + b = 0 (‖w‖ = 1, b in [−2, 2]); return the
    best accuracy and its (w₁, w₂, b).  Among equally accurate lines the one farthest
    from the points it gets right wins (the clearest picture)."""
    best = (-1.0, 0.0, (1.0, 0.0, 0.0))
    for i in range(angles):
        w1, w2 = math.cos(2 * math.pi * i / angles), math.sin(2 * math.pi * i / angles)
        for j in range(offsets):
            b = -2.0 + 4.0 * j / (offsets - 1)
            signed = [t * (w1 * p[0] + w2 * p[1] + b) for p, t in zip(X, y)]
            right = [d for d in signed if d > 0]
            key = (len(right) / len(y), min(right, default=0.0), (w1, w2, b))
            best = max(best, key, key=lambda k: k[:2])
    return best[0], best[2]


def line_neuron(w1: float, w2: float, b: float) -> Neuron:
    """A 2-input linear neuron with the given weights and bias."""
    n = Neuron(2, "linear", seed=0)
    n.w[0].data, n.w[1].data, n.b.data = w1, w2, b
    return n


def same_spot(X: list[list[float]], hidden: list[list[float]],
              tol: float = 0.05) -> list[list[int]]:
    """Group the points by where the hidden layer puts them: indices of the inputs whose
    hidden coordinates lie within ``tol`` of each other (one group per dot drawn)."""
    groups: list[list[int]] = []
    for i, h in enumerate(hidden):
        for group in groups:
            g = hidden[group[0]]
            if max(abs(h[0] - g[0]), abs(h[1] - g[1])) < tol:
                group.append(i)
                break
        else:
            groups.append([i])
    return groups


def label_hidden(ax: Any, X: list[list[float]], hidden: list[list[float]]) -> list[str]:
    """Write next to each dot of the hidden-space panel which input corner(s) it is; when
    two corners land on the same spot, say so.  Returns the labels written."""
    labels = []
    for group in same_spot(X, hidden):
        corners = " and ".join(f"({X[i][0]:g},{X[i][1]:g})" for i in group)
        text = corners + ("\nboth land here" if len(group) > 1 else "")
        h = hidden[group[0]]
        ax.annotate(text, (h[0], h[1]), textcoords="offset points", xytext=(0, -16),
                    ha="center", va="top", fontsize="small", gid="corner label",
                    bbox={"boxstyle": "round", "fc": "white", "alpha": 0.8, "lw": 0})
        labels.append(text)
    return labels


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Train a linear model and a 2-2-1 tanh network on XOR; draw both and the hidden space."""
    say(__doc__.strip().splitlines()[0], "")
    X, y = make_xor(labels="pm1")
    epochs = 150 if quick else 300
    say("data: (0,0) → −1, (0,1) → +1, (1,0) → +1, (1,1) → −1", "")

    linear = MLP(2, [1], seed=0)          # one linear neuron: s = w·x + b
    fit(linear, mse, (X, y), SGD(linear, lr=0.2), epochs, shuffle=False, verbose=False)
    lin_acc = accuracy(linear, X, y)
    scores = ", ".join(f"{s:+.3f}" for s in predict(linear, X))
    searched, (w1, w2, b) = best_line(X, y, 120 if quick else 360)
    say(f"linear model s = w·x + b, trained {epochs} steps (squared error, SGD):",
        f"  scores {scores}  → accuracy {lin_acc:.0%}",
        "  the squared-error optimum is w = 0, b = 0: it predicts 0 everywhere (the signs",
        "  of these near-zero scores are noise).",
        f"  the best of {(120 if quick else 360) * 81:,} lines we tried gets {searched:.0%}: "
        "one corner is always on the wrong side.", "")

    net = MLP(2, [2, 1], activation="tanh", seed=0)
    history = fit(net, mse, (X, y), SGD(net, lr=0.2), epochs, shuffle=False, verbose=False)
    net_acc = accuracy(net, X, y)
    scores = ", ".join(f"{s:+.3f}" for s in predict(net, X))
    say(f"MLP 2 → 2 (tanh) → 1, trained the same way: loss {history.loss[-1]:.2g}",
        f"  scores {scores}  → accuracy {net_acc:.0%}", "")

    hidden = [[float(v) for v in net.layers[0].outputs(x)] for x in X]
    say("the hidden layer moves the corners to:")
    for x, h, t in zip(X, hidden, y):
        say(f"  ({x[0]:g}, {x[1]:g}) → h = ({h[0]:+.2f}, {h[1]:+.2f})   label {t:+d}")

    fig, axes = figure(3, (4.4, 4.4))
    panels = [(line_neuron(w1, w2, b), X, "best straight line"),
              (net, X, "2 → 2 (tanh) → 1 network"),
              (net.layers[-1], hidden, "hidden space: now a line works")]
    for ax, (model, points, title) in zip(axes, panels):
        plot_decision_boundary(model, points, y, ax=ax, title=title, resolution=40,
                               padding=0.4, threshold=0.0)
        enlarge_markers(ax, 90)
    axes[2].set(xlabel="h₁", ylabel="h₂")
    labels = label_hidden(axes[2], X, hidden)
    for text in (t for t in labels if "\n" in t):
        say(f"  {text.splitlines()[0]} land on the same spot: the hidden panel shows "
            f"{len(labels)} dots for {len(X)} points.")
    pictures = Pictures(out, fmt, dpi)
    picture = pictures.save(fig, "xor", "XOR: a line fails, a hidden layer succeeds")
    say("", f"picture: {picture}")
    return {"linear_accuracy": lin_acc, "best_line_accuracy": searched, "mlp_accuracy": net_acc,
            "mlp_loss": history.loss[-1], "hidden": hidden, "hidden_labels": labels,
            "picture": picture, "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
