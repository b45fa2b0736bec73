"""Initialization: the scale of the first random weights decides if a deep signal survives.

A unit adds up fan_in inputs, z = Σᵢ wᵢhᵢ, so with independent zero-mean weights

    Var(z) = fan_in · Var(w) · E[h²]

and each layer multiplies the signal's size by fan_in · Var(w) (ReLU then keeps
half of it: E[relu(z)²] = Var(z)/2).  With fan_in = fan_out = 32:

    uniform U(−1, 1)   Var(w) = 1/3                    ×10.7 per layer: explodes
    Xavier (Glorot)    Var(w) = 2/(fan_in + fan_out)   ×1: meant for tanh
    He (Kaiming)       Var(w) = 2/fan_in               ×2, halved by ReLU: meant for ReLU

tanh cannot explode, it saturates instead: |h| ≈ 1, where its slope is ≈ 0 and
gradients vanish.  Here 10 layers of 32 units see the same random inputs and we
measure the mean and variance of every layer's outputs.
"""

from __future__ import annotations

import random
import statistics
from pathlib import Path
from typing import Any

from autograd import MLP, no_grad
from autograd.training.plot import COLORS

from ._common import main_for, say
from ._figures import figure, save

NAME = "initialization"
DESCRIPTION = "Activation variance per layer: uniform vs Xavier vs He init"

INITS = ("uniform", "xavier", "he")
ACTIVATIONS = ("tanh", "relu")
DEPTH, WIDTH = 10, 32


def layer_outputs(activation: str, init: str, X: list[list[float]]) -> list[list[float]]:
    """Every output of every unit, layer by layer, for the inputs X (no graph recorded)."""
    model = MLP(WIDTH, [WIDTH] * DEPTH, activation=activation, output=activation, init=init,
                seed=0)
    per_layer: list[list[float]] = [[] for _ in range(DEPTH)]
    with no_grad():
        for x in X:
            h: Any = x
            for values, layer in zip(per_layer, model.layers):
                h = layer.outputs(h)
                values.extend(v.data for v in h)
    return per_layer


def layer_stats(outputs: list[list[float]]) -> list[dict[str, float]]:
    """Mean, variance and saturated share (|h| > 0.99) of each layer's outputs."""
    return [{"mean": statistics.fmean(v), "var": statistics.pvariance(v),
             "saturated": sum(abs(a) > 0.99 for a in v) / len(v)} for v in outputs]


def spread(stats: list[dict[str, float]]) -> float:
    """Largest ÷ smallest variance over the layers (1 = perfectly steady)."""
    variances = [s["var"] for s in stats]
    return max(variances) / min(variances)


def plot(results: dict[tuple[str, str], list[dict[str, float]]],
         last_tanh: dict[str, list[float]], path: Path) -> Path:
    """tanh: variance per layer and the last layer's histogram; ReLU: variance per layer."""
    fig, (tanh_var, tanh_hist, relu_var) = figure(3, (4.6, 4.4))
    layers = list(range(1, DEPTH + 1))
    for ax, act in ((tanh_var, "tanh"), (relu_var, "relu")):
        for k, init in enumerate(INITS):
            stats = results[(act, init)]
            ax.plot(layers, [s["var"] for s in stats], "o-", color=COLORS[k], lw=2,
                    label=f"{init} (largest ÷ smallest: {spread(stats):,.0f})")
        ax.set(xlabel="layer", ylabel="variance of the layer's outputs", xticks=layers)
        ax.grid(alpha=0.3)
        ax.legend(fontsize="small")
    tanh_var.set(ylim=(0, 1), title="tanh: variance per layer")
    relu_var.set(yscale="log", title="ReLU: variance per layer (log scale)")
    bins = [-1 + k / 20 for k in range(41)]
    for k, (init, values) in enumerate(last_tanh.items()):
        tanh_hist.hist(values, bins=bins, histtype="step", lw=2, color=COLORS[k],
                       density=True, label=init)
    tanh_hist.set(xlabel=f"output h of layer {DEPTH}", ylabel="density",
                  title=f"tanh: layer {DEPTH}'s outputs")
    tanh_hist.annotate("uniform: piled up\nnear ±1 (saturated)", (0.97, 0.6),
                       xycoords=("data", "axes fraction"), ha="right", fontsize="small")
    tanh_hist.legend(fontsize="small", loc="upper left")
    return save(fig, path, f"{DEPTH} layers of {WIDTH} units: does the signal keep its size?")


def run(quick: bool, out: Path) -> dict[str, Any]:
    """Push the same inputs through each (activation, init) network; tabulate and plot."""
    say(__doc__.strip().splitlines()[0], "")
    rng = random.Random(1)
    X = [[rng.gauss(0.0, 1.0) for _ in range(WIDTH)] for _ in range(30 if quick else 200)]
    say(f"{len(X)} random inputs x ~ N(0, 1) of size {WIDTH}, through {DEPTH} layers of {WIDTH}.",
        "")
    outputs = {(a, i): layer_outputs(a, i, X) for a in ACTIVATIONS for i in INITS}
    results = {key: layer_stats(values) for key, values in outputs.items()}
    for act in ACTIVATIONS:
        tanh = act == "tanh"
        say(f"{act}: variance and mean of each layer's outputs"
            + (", share saturated (|h| > 0.99)" if tanh else ""),
            "layer" + "".join(f"{i + ' var':>13s}{'mean':>10s}" for i in INITS)
            + ("   saturated: " + " ".join(f"{i[:3]:>4s}" for i in INITS) if tanh else ""))
        for layer in range(DEPTH):
            row = [results[(act, i)][layer] for i in INITS]
            say(f"{layer + 1:5d}" + "".join(f"{s['var']:13.3g}{s['mean']:+10.3g}" for s in row)
                + (" " * 14 + " ".join(f"{s['saturated']:4.0%}" for s in row) if tanh else ""))
        say("")
    say("uniform: ReLU's variance grows ~5× per layer (32 · 1/3 · 1/2); tanh cannot grow, it",
        "  saturates: a third of its outputs sit at ±1, where its slope (and gradient) is ~0.",
        "Xavier: tanh stays unsaturated; its variance drifts down slowly (tanh is flatter than",
        "  a line, so each layer passes a little less than all of it), not exponentially.",
        "He: ReLU's variance stays steady; with Xavier's half-size weights ReLU loses half",
        "  of it every layer.")
    picture = plot(results, {i: outputs[("tanh", i)][-1] for i in INITS},
                   out / "initialization.png")
    say(f"picture: {picture}")
    return {"stats": {f"{a}/{i}": s for (a, i), s in results.items()},
            "spread": {f"{a}/{i}": spread(s) for (a, i), s in results.items()},
            "picture": picture}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
