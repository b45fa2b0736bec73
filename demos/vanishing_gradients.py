"""Vanishing gradients: in a deep sigmoid network the first layers hardly get any gradient.

Backpropagation multiplies one factor per layer on the way back.  Through a
layer h = g(W·x + b) the gradient is multiplied by the weights and by the
activation's slope g'(z):

    sigmoid   σ'(z) = σ(z)(1 − σ(z)) ≤ 1/4       tanh'(z) = 1 − tanh²(z) ≤ 1
    relu      relu'(z) = 1 for z > 0 (0 otherwise)

With sigmoid every layer can shrink the gradient by 4× or more, so after ten
layers the first one gets a gradient thousands of times smaller than the last:
it barely learns.  tanh (slope 1 at 0) and ReLU (slope exactly 1 where active)
pass the gradient back at about the same size.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from autograd import MLP
from autograd.nn.losses import binary_cross_entropy_with_logits
from autograd.training.data import make_moons
from autograd.training.plot import PALETTE

from ._common import DPI, main_for, say
from ._figures import Pictures, figure

NAME = "vanishing_gradients"
DESCRIPTION = "Gradient size per layer in 10-layer sigmoid, tanh and ReLU networks"

ACTIVATIONS = ("sigmoid", "tanh", "relu")
DEPTH, WIDTH = 10, 8
REASON = ("why: on the way back every layer multiplies the gradient by its slope g′(z)\n"
          "sigmoid: σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4: each layer cuts it 4× or more,\n"
          "unless its weights happen to make up for it\n"
          "tanh: tanh′(0) = 1;  ReLU: relu′(z) = 1 wherever the unit is on")


def layer_grad_norms(activation: str, seed: int, X: list[list[float]], y: list[int]) -> list[float]:
    """‖∂L/∂θ‖ over each layer's parameters after one backward pass at initialization."""
    model = MLP(2, [WIDTH] * (DEPTH - 1) + [1], activation=activation, seed=seed)
    loss = binary_cross_entropy_with_logits([model(x) for x in X], y)
    loss.backward()
    return [math.sqrt(sum(p.grad ** 2 for p in layer.parameters())) for layer in model.layers]


def geometric_mean(rows: list[list[float]]) -> list[float]:
    """Column-wise geometric mean (the natural average of sizes spread over decades)."""
    return [math.exp(sum(math.log(v) for v in col) / len(col)) for col in zip(*rows)]


def plot(norms: dict[str, list[list[float]]], pictures: Pictures) -> Path:
    """Per-layer gradient norm, log scale: one faint line per network, their geometric mean
    in bold, and the reason written on the picture."""
    fig, (ax,) = figure(1, (7.2, 5.4))
    layers = list(range(1, DEPTH + 1))
    for k, (act, rows) in enumerate(norms.items()):
        for row in rows:
            ax.plot(layers, row, color=PALETTE[k], lw=0.8, alpha=0.3)
        ax.plot(layers, geometric_mean(rows), "o-", color=PALETTE[k], lw=2.5, label=act,
                gid=f"{act} geometric mean")
    ax.set(yscale="log", xlabel="layer (1 = next to the input, 10 = output)",
           ylabel="‖∂L/∂θ‖ of the layer's parameters", xticks=layers,
           title=f"{DEPTH} layers of width {WIDTH}: gradient size at initialization")
    ax.grid(alpha=0.3)
    ax.legend(title=f"{len(next(iter(norms.values())))} networks each\n(bold: geometric mean)",
              loc="center left", bbox_to_anchor=(0.0, 0.45))
    ax.text(0.98, 0.03, REASON, transform=ax.transAxes, ha="right", va="bottom",
            fontsize="small", gid="reason",
            bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.9})
    return pictures.save(fig, "vanishing_gradients")


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Measure per-layer gradient norms for each activation over a few seeds."""
    say(__doc__.strip().splitlines()[0], "")
    seeds = range(2 if quick else 5)
    X, y = make_moons(16 if quick else 32, noise=0.1, seed=0)
    say(f"{len(seeds)} networks MLP(2, [{WIDTH}] × {DEPTH - 1} + [1]) per activation, same "
        "weights (U(−1, 1)),", f"one backward pass of the logistic loss on {len(X)} points.",
        "", f"{'layer':<10s}" + "".join(f"{a:>12s}" for a in ACTIVATIONS))
    norms = {a: [layer_grad_norms(a, s, X, y) for s in seeds] for a in ACTIVATIONS}
    means = {a: geometric_mean(rows) for a, rows in norms.items()}
    for i in range(DEPTH):
        say(f"{i + 1:<10d}" + "".join(f"{means[a][i]:12.2e}" for a in ACTIVATIONS))
    ratios = {a: means[a][0] / means[a][-1] for a in ACTIVATIONS}
    spread = max(max(r, 1 / r) for a, r in ratios.items() if a != "sigmoid")
    say(f"{'1st ÷ 10th':<10s}" + "".join(f"{ratios[a]:12.1e}" for a in ACTIVATIONS), "",
        f"sigmoid: the first layer's gradient is {1 / ratios['sigmoid']:,.0f} times smaller "
        "than the last layer's;", f"tanh and ReLU: within a factor of {spread:.1f}.")
    pictures = Pictures(out, fmt, dpi)
    picture = plot(norms, pictures)
    say(f"picture: {picture}")
    return {"norms": norms, "mean_norms": means, "ratio_first_last": ratios, "picture": picture,
            "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
