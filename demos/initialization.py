"""Initialization: the first weights' scale decides if a signal keeps its size through the layers.

A unit adds up n inputs, z = Σᵢ wᵢhᵢ, so with independent zero-mean weights each
layer multiplies the size of what passes through it by about n·Var(w) times the
square of the activation's slope, in both directions:

    forward    Var(z) = n · Var(w) · E[h²]              (h: the layer's inputs)
    backward   Var(∂L/∂h) = n · Var(w) · E[g′(z)²] · Var(∂L/∂(next h))

Over many layers a factor above 1 explodes and one below 1 fades away, so the
aim is a factor of 1 both ways.  ReLU zeroes half of z: E[relu(z)²] = Var(z)/2
and E[relu′(z)²] = 1/2, so Var(w) = 2/n (He) makes the factor exactly 1.  tanh
has slope 1 only at 0: Xavier's Var(w) = 2/(n_in + n_out) = 1/n here is right
while the signal is tiny, but a signal of size ~1 reaches where tanh′ < 1, so
each layer passes on less than all of it; a gain above 1 (He's 2/n is a gain of
√2) makes up for that.  U(−1, 1) has Var(w) = 1/3, so n·Var(w) ≈ 10.7: ReLU
explodes both ways; tanh cannot exceed ±1, it saturates, and its gradients grow.

We push the same random inputs through 10 layers of 32 units, send a random
gradient back from the last layer, and measure each layer's variance.
"""

from __future__ import annotations

import math
import random
import statistics
from pathlib import Path
from typing import Any

from autograd import MLP, Value
from autograd.training.plot import PALETTE

from ._common import DPI, main_for, say
from ._figures import Pictures, figure

NAME = "initialization"
DESCRIPTION = "Variance per layer, both ways: uniform vs Xavier vs He initialization"

INITS = ("uniform", "xavier", "he")
ACTIVATIONS = ("tanh", "relu")
DEPTH, WIDTH = 10, 32
KEEPS = {"tanh": "he", "relu": "he"}
"""The headline's claim: the scheme that keeps the signal's size best, both ways."""
HEADLINE = ("Signal size through 10 layers of 32 units, forward and backward (1 = kept)\n"
            "ReLU: He keeps it both ways.  tanh: Xavier fades, because tanh′ < 1 away from 0;"
            " He's gain of √2 keeps it best, both ways together.\n"
            "U(−1, 1) explodes (tanh: saturates)")


def one_network(activation: str, init: str, seed: int, X: list[list[float]],
                R: list[list[float]]) -> dict[str, list[list[float]]]:
    """Every layer's outputs h and gradients ∂L/∂h, all inputs pooled, for one network.

    For input x the backward pass starts from L = Σₖ rₖ·h_last,k (r: a row of R), so
    the last layer receives the random gradient r, as it would from some loss.
    """
    model = MLP(WIDTH, [WIDTH] * DEPTH, activation=activation, output=activation, init=init,
                seed=seed)
    outs: list[list[float]] = [[] for _ in range(DEPTH)]
    grads: list[list[float]] = [[] for _ in range(DEPTH)]
    for x, r in zip(X, R):
        h: Any = x
        kept: list[list[Value]] = []
        for layer in model.layers:
            h = layer.outputs(h)
            kept.append(h)
        loss = Value(0.0)
        for rk, hk in zip(r, kept[-1]):
            loss = loss + rk * hk
        loss.backward()
        for layer_outs, layer_grads, values in zip(outs, grads, kept):
            layer_outs.extend(v.data for v in values)
            layer_grads.extend(v.grad for v in values)
    return {"h": outs, "grad": grads}


def relative(variances: list[float], start: int) -> list[float]:
    """Each layer's variance ÷ the variance where the pass starts (layer ``start``)."""
    return [v / variances[start] for v in variances]


def geometric_mean(rows: list[list[float]]) -> list[float]:
    """Column-wise geometric mean: the average of sizes spread over decades."""
    return [math.exp(statistics.fmean(math.log(v) for v in col)) for col in zip(*rows)]


def off_by(ratio: float) -> float:
    """How far a ratio is from 1 as a factor ≥ 1: 8 for both 8 and 1/8."""
    return max(ratio, 1.0 / ratio)


def measure(activation: str, init: str, seeds: range, X: list[list[float]],
            R: list[list[float]]) -> dict[str, Any]:
    """Forward and backward relative variance per layer, per network and their geometric
    mean; the two ratios the picture shows; the share of saturated outputs (|h| > 0.99)."""
    forward, backward, saturated = [], [], []
    for seed in seeds:
        net = one_network(activation, init, seed, X, R)
        forward.append(relative([statistics.pvariance(v) for v in net["h"]], 0))
        backward.append(relative([statistics.pvariance(v) for v in net["grad"]], DEPTH - 1))
        last = net["h"][-1]
        saturated.append(sum(abs(a) > 0.99 for a in last) / len(last))
    fwd, bwd = geometric_mean(forward), geometric_mean(backward)
    return {"forward": forward, "backward": backward, "forward_mean": fwd,
            "backward_mean": bwd, "forward_ratio": fwd[-1], "backward_ratio": bwd[0],
            "off_by": max(off_by(fwd[-1]), off_by(bwd[0])),
            "saturated": statistics.fmean(saturated)}


def plot(results: dict[tuple[str, str], dict[str, Any]], pictures: Pictures) -> Path:
    """Rows tanh and ReLU; columns: forward variance, backward variance (both relative to
    where the pass starts, log scale; faint: single networks, bold: geometric mean) and
    the two end-to-end ratios per scheme (bars from 1, where the bold lines end)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig, axes = figure(3, (4.9, 4.1), nrows=2)
    layers = list(range(1, DEPTH + 1))
    for row, act in enumerate(ACTIVATIONS):
        fwd_ax, bwd_ax, bar_ax = axes[3 * row: 3 * row + 3]
        name = {"tanh": "tanh", "relu": "ReLU"}[act]
        for k, init in enumerate(INITS):
            r = results[(act, init)]
            for part, ax in (("forward", fwd_ax), ("backward", bwd_ax)):
                for line in r[part]:
                    ax.plot(layers, line, color=PALETTE[k], lw=0.8, alpha=0.35)
                ax.plot(layers, r[f"{part}_mean"], "o-", color=PALETTE[k], lw=2.2, ms=4,
                        gid=f"{act}/{init}/{part}")
            for dx, part, hatch in ((-0.2, "forward", None), (0.2, "backward", "//")):
                ratio = r[f"{part}_ratio"]
                bar_ax.bar(k + dx, ratio - 1.0, bottom=1.0, width=0.38, color=PALETTE[k],
                           edgecolor="k", hatch=hatch, gid=f"{act}/{init}/{part} bar")
                bar_ax.annotate(f"×{ratio:.2g}", (k + dx, ratio), ha="center", fontsize="small",
                                va="bottom" if ratio >= 1 else "top", textcoords="offset points",
                                xytext=(0, 2 if ratio >= 1 else -2))
        fwd_ax.set(title=f"{name}, forward: Var(h of layer l) ÷ layer 1's",
                   xlabel="layer l (the signal goes →)")
        bwd_ax.set(title=f"{name}, backward: Var(∂L/∂h of layer l) ÷ layer 10's",
                   xlabel="layer l (the gradient goes ←)")
        bar_ax.set(title=f"{name}: where each pass ends ÷ where it starts")
        bar_ax.set_xticks(range(len(INITS)), [
            f"{i}\n(off by ×{results[(act, i)]['off_by']:.2g})" for i in INITS])
        lows = [min(min(r["forward_mean"]), min(r["backward_mean"]))
                for (a, _), r in results.items() if a == act]
        highs = [max(max(r["forward_mean"]), max(r["backward_mean"]))
                 for (a, _), r in results.items() if a == act]
        for ax in (fwd_ax, bwd_ax, bar_ax):
            ax.set_yscale("log")
            ax.set_ylim(min(lows) / 4, max(highs) * 4)
            ax.axhline(1.0, color="k", lw=1, ls="--", zorder=0)
            ax.grid(alpha=0.3, which="major")
        for ax in (fwd_ax, bwd_ax):
            ax.set(xticks=layers, ylabel="variance ÷ where the pass starts")
        bar_ax.set_ylabel("variance at the end ÷ at the start")
    share = results[("tanh", "uniform")]["saturated"]
    axes[0].annotate(f"uniform is flat only because it saturates:\n{share:.0%} of layer 10's "
                     "outputs have |h| > 0.99", (0.98, 0.96), xycoords="axes fraction",
                     ha="right", va="top", fontsize="small", gid="saturated note",
                     bbox={"boxstyle": "round", "fc": "white", "ec": "0.7", "alpha": 0.9})
    handles: list[Any] = [Line2D([], [], color=PALETTE[k], lw=2.2, marker="o", ms=4)
                          for k in range(len(INITS))]
    handles += [Line2D([], [], color="0.4", lw=0.8, alpha=0.6),
                Line2D([], [], color="k", lw=1, ls="--"),
                Patch(fc="white", ec="k"), Patch(fc="white", ec="k", hatch="//")]
    labels = [*INITS, "faint: single networks, bold: their geometric mean",
              "1: the size is kept", "forward ratio", "backward ratio"]
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize="small")
    return pictures.save(fig, "initialization", HEADLINE)


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Measure every (activation, init) pair over a few networks; tabulate and plot."""
    say(__doc__.strip().splitlines()[0], "")
    rng = random.Random(1)
    n, seeds = (10, range(2)) if quick else (40, range(5))
    X = [[rng.gauss(0.0, 1.0) for _ in range(WIDTH)] for _ in range(n)]
    R = [[rng.gauss(0.0, 1.0) for _ in range(WIDTH)] for _ in range(n)]
    say(f"{n} random inputs x ~ N(0, 1) of size {WIDTH} through {DEPTH} layers of {WIDTH}, "
        f"{len(seeds)} networks per scheme;",
        "backward from a random gradient ∂L/∂h ~ N(0, 1) at the last layer.",
        "forward ratio  = Var(h of layer 10) ÷ Var(h of layer 1)",
        "backward ratio = Var(∂L/∂h of layer 1) ÷ Var(∂L/∂h of layer 10)",
        "off by = the larger of the two ratios' distances from 1, as a factor", "",
        f"{'':16s}{'forward':>10s}{'backward':>10s}{'off by':>10s}   saturated (|h| > 0.99)")
    results = {(a, i): measure(a, i, seeds, X, R) for a in ACTIVATIONS for i in INITS}
    for (act, init), r in results.items():
        say(f"{act + ' / ' + init:16s}{r['forward_ratio']:10.3g}{r['backward_ratio']:10.3g}"
            f"{r['off_by']:9.3g}×" + (f"   {r['saturated']:4.0%}" if act == "tanh" else ""))
    say("", "ReLU: He keeps both ratios near 1; Xavier's half-size weights halve the signal",
        "  at every layer; U(−1, 1) multiplies it by ~5 per layer, both ways.",
        "tanh: Xavier's rule assumes slope 1, but tanh′ < 1 away from 0, so the signal fades",
        "  both ways; He's larger weights (a gain of √2) keep it closest to its size.",
        "  U(−1, 1) looks steady forward only because its outputs pile up at ±1; its",
        "  gradients grow by about 2× per layer on the way back.")
    pictures = Pictures(out, fmt, dpi)
    picture = plot(results, pictures)
    say(f"picture: {picture}")
    return {"results": {f"{a}/{i}": r for (a, i), r in results.items()}, "keeps": KEEPS,
            "picture": picture, "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
