"""Dying ReLU: after a large step a ReLU unit can be off on every input, and then it stays off.

A hidden unit computes z = w·x + b and outputs relu(z) = max(0, z).  When z ≤ 0
for every training input the unit outputs 0 everywhere and its slope relu′(z)
is 0 everywhere, so every gradient through it is exactly 0 and no training step
moves its weights.  Here the hidden layer reads the data directly, so what it
sees never changes either: once off on every input, the unit is dead for good.
A single large step can push a unit's bias that far down.

Leaky ReLU, g(z) = max(α·z, z), keeps the slope α (here 0.1) for z < 0, so a unit
that is off on every input still receives a small gradient and can come back.
Many networks with one hidden layer of 16 units start from different random
weights; each trains once as ReLU and once as Leaky ReLU, at a small and a large
learning rate.  After every epoch we count the units that are off on every input.
"""

from __future__ import annotations

import random
import statistics
from pathlib import Path
from typing import Any

from autograd import MLP
from autograd.nn.losses import hinge
from autograd.optim import SGD
from autograd.training.data import make_moons
from autograd.training.fit import fit
from autograd.training.plot import PALETTE

from ._common import DPI, main_for, say
from ._figures import Pictures, figure

NAME = "dying_relu"
DESCRIPTION = "Units switched off by a large learning rate: ReLU vs Leaky ReLU"

KINDS = {"ReLU": "relu", "Leaky ReLU": "leaky_relu"}
ALPHA = 0.1
HIDDEN = 16
RATES = {"small": 0.1, "large": 3.0}
EPOCHS = 15
HEADLINE = ("Dying ReLU: a large step switches ReLU units off on every input, and they never "
            "come back;\nLeaky ReLU's switched-off units still get a gradient, some come back, "
            "and on average fewer stay off")


def off_units(model: MLP, X: list[list[float]]) -> list[bool]:
    """For every hidden unit: is its pre-activation z = w·x + b ≤ 0 on every input of X?
    (Plain arithmetic on the current numbers: nothing to differentiate here.)"""
    units = [([w.data for w in n.w], n.b.data) for n in model.layers[0].neurons]
    return [all(sum(wi * xi for wi, xi in zip(w, x)) + b <= 0.0 for x in X) for w, b in units]


def train(kind: str, lr: float, seed: int,
          data: tuple[list[list[float]], list[int]]) -> tuple[MLP, list[list[bool]]]:
    """MLP(2, [16, 1]) of the given kind, trained with SGD at rate ``lr`` on mini-batches
    of 10; also which units are off on every input, at the start and after every epoch."""
    model = MLP(2, [HIDDEN, 1], activation=KINDS[kind], alpha=ALPHA, seed=seed)
    history = [off_units(model, data[0])]

    def count(epoch: int, _: Any) -> None:
        history.append(off_units(model, data[0]))

    fit(model, hinge, data, SGD(model, lr=lr), EPOCHS, batch_size=10, seed=seed,
        callbacks=count, verbose=False)
    return model, history


def gradient_through_off_units(model: MLP, X: list[list[float]], y: list[int]) -> float:
    """Σ |∂L/∂θ| over the weights and biases of the units that are off on every input."""
    off = off_units(model, X)
    model.zero_grad()
    hinge([model(x) for x in X], y).backward()
    return sum(abs(float(p.grad)) for n, dead in zip(model.layers[0].neurons, off) if dead
               for p in n.parameters())


def share(history: list[list[bool]]) -> list[float]:
    """The share of units off on every input, epoch by epoch."""
    return [sum(units) / len(units) for units in history]


def came_back(history: list[list[bool]]) -> int:
    """How many units were off on every input at some epoch but are on at the end."""
    return sum(any(h[i] for h in history) and not history[-1][i]
               for i in range(len(history[-1])))


def plot(runs: dict[tuple[str, str], list[list[list[bool]]]], pictures: Pictures) -> Path:
    """Left: the final share per network (one dot each, bar: the mean, line: min to max).
    Middle and right: every network's share epoch by epoch at the large rate."""
    fig, (dots, relu_ax, leaky_ax) = figure(3, (4.8, 4.4))
    jitter = random.Random(0)
    groups = [(kind, rate) for rate in RATES for kind in KINDS]
    for g, (kind, rate) in enumerate(groups):
        finals = [share(h)[-1] for h in runs[(kind, rate)]]
        color = PALETTE[list(KINDS).index(kind)]
        dots.bar(g, statistics.fmean(finals), width=0.7, color=color, alpha=0.25)
        dots.plot([g, g], [min(finals), max(finals)], color=color, lw=1)
        dots.plot([g + jitter.uniform(-0.25, 0.25) for _ in finals], finals, "o", ms=4,
                  color=color, mec="k", mew=0.4, alpha=0.8, gid=f"{kind}/{rate}")
    dots.set_xticks(range(len(groups)), [f"{kind}\nη = {RATES[rate]:g}"
                                         for kind, rate in groups])
    dots.set(ylabel="share of hidden units off on every input",
             title=f"after {EPOCHS} epochs (dot: one network)")
    for ax, kind in ((relu_ax, "ReLU"), (leaky_ax, "Leaky ReLU")):
        color = PALETTE[list(KINDS).index(kind)]
        curves = [share(h) for h in runs[(kind, "large")]]
        for c in curves:
            ax.plot(range(len(c)), c, color=color, lw=0.8, alpha=0.45)
        ax.plot(range(EPOCHS + 1), [statistics.fmean(col) for col in zip(*curves)], color=color,
                lw=2.5, label="mean", gid=f"{kind} mean")
        ax.set(xlabel="epoch", title=f"{kind}, η = {RATES['large']:g}: every network")
        ax.legend(loc="upper left")
    relu_ax.annotate("no line ever goes down:\nzero gradient, no way back", (0.97, 0.04),
                     xycoords="axes fraction", ha="right", va="bottom", fontsize="small")
    leaky_ax.annotate("lines can go down:\noff units still get α·gradient", (0.97, 0.04),
                      xycoords="axes fraction", ha="right", va="bottom", fontsize="small")
    top = max(max(share(h)) for hs in runs.values() for h in hs)
    for ax in (dots, relu_ax, leaky_ax):
        ax.set_ylim(-0.02, top + 0.1)
        ax.grid(alpha=0.3)
    return pictures.save(fig, "dying_relu", HEADLINE)


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Train every network both ways at both rates; count the units that are off."""
    say(__doc__.strip().splitlines()[0], "")
    seeds = range(8 if quick else 30)
    X, y = make_moons(50, noise=0.1, seed=0, labels="pm1")
    say(f"{len(seeds)} networks MLP(2, [{HIDDEN}, 1]), each trained as ReLU and as Leaky ReLU "
        f"(α = {ALPHA:g}),", f"hinge loss on 50 moons points, SGD on mini-batches of 10 for "
        f"{EPOCHS} epochs.", "", "share of hidden units off on every input after training:")
    runs: dict[tuple[str, str], list[list[list[bool]]]] = {}
    leftover: dict[str, float] = {}
    for rate, lr in RATES.items():
        for kind in KINDS:
            trained = [train(kind, lr, seed, (X, y)) for seed in seeds]
            runs[(kind, rate)] = [h for _, h in trained]
            finals = [share(h)[-1] for _, h in trained]
            if rate == "large":
                leftover[kind] = sum(gradient_through_off_units(m, X, y) for m, _ in trained)
            say(f"  η = {lr:<4g} {kind:10s}  mean {statistics.fmean(finals):4.0%}   "
                f"from {min(finals):.0%} to {max(finals):.0%}   units that came back: "
                f"{sum(came_back(h) for _, h in trained)}")
    final = {f"{k}/{r}": [share(h)[-1] for h in hs] for (k, r), hs in runs.items()}
    fewer = sum(a < b for a, b in zip(final["Leaky ReLU/large"], final["ReLU/large"]))
    say("", f"Gradient reaching the weights of the units that are off (η = {RATES['large']:g}, "
        "summed over all):",
        f"  ReLU        {leftover['ReLU']:.3g}   (exactly zero: no step moves their weights)",
        f"  Leaky ReLU  {leftover['Leaky ReLU']:.3g}   (small but not zero: they can come back)",
        "", f"At η = {RATES['small']:g} few units switch off; at η = {RATES['large']:g} many "
        "ReLU units do, and none ever comes back.",
        f"Leaky ReLU ends with fewer units off than ReLU in {fewer} of {len(seeds)} networks "
        "(same starting weights).")
    pictures = Pictures(out, fmt, dpi)
    picture = plot(runs, pictures)
    say(f"picture: {picture}")
    return {"final": final, "mean": {k: statistics.fmean(v) for k, v in final.items()},
            "curves": {f"{k}/{r}": [share(h) for h in hs] for (k, r), hs in runs.items()},
            "came_back": {f"{k}/{r}": sum(came_back(h) for h in hs)
                          for (k, r), hs in runs.items()},
            "gradient_through_off_units": leftover, "picture": picture,
            "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
