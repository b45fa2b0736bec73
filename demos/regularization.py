"""Regularization: a big network memorizes 30 noisy points; L2 and dropout make it generalize.

With far more parameters than data points, a network can fit every training
point, noise included, and draw a wild boundary that fails on new points: it
overfits.  The gap between its training and its test performance shows it.

L2 regularization adds the squared size of every parameter to the loss,

    L_reg = L + λ·Σ θ²,

so each step also pulls every weight toward 0 (gradient 2λθ) and large weights
must earn their keep.  Dropout zeroes each hidden unit with probability p at
every training step (scaling the survivors by 1/(1 − p)), so no unit can rely on
particular others; at test time every unit is used.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd import MLP, Value
from autograd.nn.losses import binary_cross_entropy_with_logits, l2_penalty
from autograd.optim import Adam
from autograd.training.data import make_moons
from autograd.training.fit import evaluate, fit
from autograd.training.plot import plot_decision_boundary

from ._common import main_for, say
from ._figures import enlarge_markers, figure, save

NAME = "regularization"
DESCRIPTION = "Overfitting 30 noisy points; L2 and dropout close the gap"

LAMBDA = 0.01
DROPOUT = 0.5
NOISE = 0.3
LABELS = {"none": "none", "L2": f"L2 λ = {LAMBDA:g}", "dropout": f"dropout p = {DROPOUT:g}"}


def variants() -> dict[str, tuple[dict[str, Any], Callable[[Any], Value] | None]]:
    """name → (extra MLP arguments, regularization term added to the loss)."""
    return {"none": ({}, None),
            "L2": ({}, lambda model: l2_penalty(model, LAMBDA)),
            "dropout": ({"dropout": DROPOUT}, None)}


def run(quick: bool, out: Path) -> dict[str, Any]:
    """Train the same big network three ways; compare training and test performance."""
    say(__doc__.strip().splitlines()[0], "")
    width, epochs, lr = (16, 100, 0.03) if quick else (24, 300, 0.01)
    X, y = make_moons(30, noise=NOISE, seed=2)
    Xt, yt = make_moons(100 if quick else 300, noise=NOISE, seed=99)
    loss = binary_cross_entropy_with_logits
    say(f"train: 30 moons points with noise {NOISE}; test: {len(Xt)} new points from the same "
        "moons.", f"model: MLP(2, [{width}, {width}, 1]), "
        f"{MLP(2, [width, width, 1], seed=0).num_parameters()} parameters; logistic loss, "
        f"Adam (lr {lr:g}), {epochs} full-batch steps.", "",
        f"{'':16s}{'train acc':>10s}{'test acc':>10s}{'train loss':>12s}{'test loss':>11s}"
        f"{'gap (loss)':>12s}")
    models, table = {}, {}
    for name, (extra, penalty) in variants().items():
        model = MLP(2, [width, width, 1], seed=0, **extra)
        fit(model, loss, (X, y), Adam(model, lr=lr), epochs, regularization=penalty,
            shuffle=False, verbose=False)
        train, test = evaluate(model, X, y, loss), evaluate(model, Xt, yt, loss)
        models[name], table[name] = model, (train, test)
        say(f"{LABELS[name]:16s}{train['accuracy']:10.0%}{test['accuracy']:10.0%}"
            f"{train['loss']:12.3f}{test['loss']:11.3f}{test['loss'] - train['loss']:12.3f}")
    say("", "Without regularization the training loss is near 0 but the test loss is large:",
        "the network is confidently wrong on new points.  L2 and dropout give up a little on",
        "the training set and the two numbers come together.")
    fig, axes = figure(3, (4.4, 4.4))
    for ax, (name, model) in zip(axes, models.items()):
        train, test = table[name]
        plot_decision_boundary(model, X, y, ax=ax, resolution=30 if quick else 45,
                               threshold=0.0, title=f"{LABELS[name]}: train "
                               f"{train['accuracy']:.0%}, test {test['accuracy']:.0%}")
        enlarge_markers(ax, 30)
    picture = save(fig, out / "regularization.png",
                   "The same network on the same 30 points: plain, with L2, with dropout")
    say(f"picture: {picture}")
    return {"accuracy": {n: (t[0]["accuracy"], t[1]["accuracy"]) for n, t in table.items()},
            "loss": {n: (t[0]["loss"], t[1]["loss"]) for n, t in table.items()},
            "loss_gap": {n: t[1]["loss"] - t[0]["loss"] for n, t in table.items()},
            "accuracy_gap": {n: t[0]["accuracy"] - t[1]["accuracy"] for n, t in table.items()},
            "picture": picture}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
