"""Dying ReLU: a large learning rate switches ReLU units off for good; Leaky ReLU lets them back.

A hidden unit computes z = w·x + b and outputs relu(z) = max(0, z).  When z ≤ 0
for every training input the unit outputs 0 everywhere and its slope relu'(z)
is 0 everywhere, so every gradient through it is exactly 0 and no training step
moves its weights: unless the layers below change what it sees, it stays dead.
One large step is enough to push a unit's bias that far down.

Leaky ReLU, g(z) = max(α·z, z), keeps the slope α (here 0.1) for z < 0, so a unit
that is switched off on every input still receives a small gradient and can come
back.  Both kinds of network below start from the same weights and train the
same way; we count the units whose pre-activation z is ≤ 0 on every input.
"""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from autograd import MLP, no_grad
from autograd.nn import activation_fn
from autograd.nn.losses import hinge
from autograd.optim import SGD
from autograd.training.data import make_moons
from autograd.training.fit import fit
from autograd.training.plot import COLORS

from ._common import main_for, say
from ._figures import figure, save

NAME = "dying_relu"
DESCRIPTION = "Share of dead units after a large learning rate: ReLU vs Leaky ReLU"

KINDS = {"ReLU": "relu", "Leaky ReLU": "leaky_relu"}
ALPHA = 0.1
RATES = {"small": 0.1, "large": 1.0}


def peak_preactivations(model: MLP, X: list[list[float]]) -> list[float]:
    """For every hidden unit, its largest pre-activation z = w·x + b over the inputs X.

    A unit whose peak is ≤ 0 is switched off on every input (dead, for ReLU).
    """
    peaks: list[float] = []
    g = activation_fn(model.activation, model.alpha)
    with no_grad():
        h_all: list[Any] = [list(x) for x in X]
        for layer in model.layers[:-1]:
            z_all = [[n.preactivation(h) for n in layer.neurons] for h in h_all]
            peaks += [max(z.data for z in col) for col in zip(*z_all)]
            h_all = [[g(z) if g else z for z in row] for row in z_all]
    return peaks


def dead_share(peaks: list[float]) -> float:
    """The fraction of units whose peak pre-activation is ≤ 0."""
    return sum(p <= 0 for p in peaks) / len(peaks)


def train(kind: str, lr: float, seed: int, data: tuple[list[list[float]], list[int]],
          epochs: int) -> tuple[MLP, list[float]]:
    """MLP(2, [16, 16, 1]) of the given kind, trained with SGD at rate ``lr``; also its
    share of switched-off units at the start and after every epoch."""
    model = MLP(2, [16, 16, 1], activation=KINDS[kind], alpha=ALPHA, seed=seed)
    history = [dead_share(peak_preactivations(model, data[0]))]

    def count(epoch: int, _: Any) -> None:
        history.append(dead_share(peak_preactivations(model, data[0])))

    fit(model, hinge, data, SGD(model, lr=lr), epochs, batch_size=10, seed=0, callbacks=count,
        verbose=False)
    return model, history


def gradient_through_off_units(model: MLP, X: list[list[float]], y: list[int]) -> float:
    """Σ |∂L/∂θ| over the weights and biases of the units that are off on every input."""
    peaks = peak_preactivations(model, X)
    hinge([model(x) for x in X], y).backward()
    units = [n for layer in model.layers[:-1] for n in layer.neurons]
    return sum(abs(float(p.grad)) for n, peak in zip(units, peaks) if peak <= 0
               for p in n.parameters())


def plot(shares: dict[tuple[str, str], list[float]],
         curves: dict[tuple[str, str], list[float]], path: Path) -> Path:
    """Left: dead share per kind and learning rate (dots: single networks).
    Right: the mean dead share epoch by epoch."""
    fig, (bars, lines) = figure(2, (5.2, 4.4))
    for k, kind in enumerate(KINDS):
        for j, (rate, lr) in enumerate(RATES.items()):
            values = shares[(kind, rate)]
            x = j + (k - 0.5) * 0.36
            bars.bar(x, statistics.fmean(values), width=0.34, color=COLORS[k], alpha=0.8,
                     label=kind if j == 0 else None)
            bars.plot([x] * len(values), values, "k.", ms=6)
            curve = curves[(kind, rate)]
            lines.plot(range(len(curve)), curve, "-" if rate == "large" else ":",
                       color=COLORS[k], lw=2, label=f"{kind}, η = {lr:g}")
    bars.set_xticks(range(len(RATES)),
                    [f"{rate} learning rate\nη = {lr:g}" for rate, lr in RATES.items()])
    top = min(1.0, max(max(v) for v in (*shares.values(), *curves.values())) + 0.15)
    bars.set(ylabel="share of hidden units off on every input", ylim=(0, top),
             title="after training (dots: single networks)")
    bars.legend()
    lines.set(xlabel="epoch", ylabel="share of hidden units off on every input", ylim=(0, top),
              title="during training (mean over the networks)")
    lines.legend()
    lines.grid(alpha=0.3)
    return save(fig, path, "Dying ReLU: large steps switch units off for good")


def run(quick: bool, out: Path) -> dict[str, Any]:
    """Train ReLU and Leaky ReLU networks at a small and a large rate; count dead units."""
    say(__doc__.strip().splitlines()[0], "")
    n, epochs, seeds = (30, 15, range(2)) if quick else (50, 30, range(4))
    X, y = make_moons(n, noise=0.1, seed=0, labels="pm1")
    say(f"{len(seeds)} networks MLP(2, [16, 16, 1]) per kind (32 hidden units each), {n} moons "
        f"points,", f"hinge loss, SGD with mini-batches of 10 for {epochs} epochs.", "")
    shares: dict[tuple[str, str], list[float]] = {}
    curves: dict[tuple[str, str], list[float]] = {}
    leftover: dict[str, float] = {}
    for rate, lr in RATES.items():
        for kind in KINDS:
            runs = [train(kind, lr, seed, (X, y), epochs) for seed in seeds]
            shares[(kind, rate)] = [history[-1] for _, history in runs]
            curves[(kind, rate)] = [statistics.fmean(c) for c in zip(*(h for _, h in runs))]
            if rate == "large":
                leftover[kind] = sum(gradient_through_off_units(m, X, y) for m, _ in runs)
            each = ", ".join(f"{s:.0%}" for s in shares[(kind, rate)])
            say(f"  η = {lr:<4g} {kind:10s}  off on every input: "
                f"{statistics.fmean(shares[(kind, rate)]):4.0%}   (networks: {each})")
    say("", "Gradient reaching the weights of those switched-off units (η = 1, summed over all):",
        f"  ReLU        {leftover['ReLU']:.3g}   (exactly zero: no step moves their weights)",
        f"  Leaky ReLU  {leftover['Leaky ReLU']:.3g}   (small but not zero: they can come back)",
        "", "A small learning rate leaves most units alive either way; a large one kills many",
        "ReLU units, and Leaky ReLU ends up with fewer units switched off.")
    picture = plot(shares, curves, out / "dying_relu.png")
    say(f"picture: {picture}")
    mean = {f"{kind}/{rate}": statistics.fmean(v) for (kind, rate), v in shares.items()}
    return {"shares": {f"{k}/{r}": v for (k, r), v in shares.items()}, "mean_share": mean,
            "curves": {f"{k}/{r}": v for (k, r), v in curves.items()},
            "gradient_through_off_units": leftover, "picture": picture}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
