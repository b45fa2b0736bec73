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

The quick run (``--quick``) trains a smaller network for fewer steps, on the same
data, and makes the same point: both regularizers score better on the test points.
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
from autograd.training.plot import PALETTE, plot_decision_boundary

from ._common import DPI, main_for, say
from ._figures import Pictures, enlarge_markers, figure

NAME = "regularization"
DESCRIPTION = "Overfitting 30 noisy points; L2 and dropout close the gap"

LAMBDA = 0.01
DROPOUT = 0.5
NOISE = 0.3
TEST_POINTS = 300
LABELS = {"none": "none", "L2": f"L2 λ = {LAMBDA:g}", "dropout": f"dropout p = {DROPOUT:g}"}
HEADLINE = ("The same network three ways: alone it memorizes the 30 training points (filled "
            "dots);\nL2 and dropout make it generalize: more of the {n} new test points "
            "(rings) are right")
"""The figure's fixed title (``{n}``: the number of test points); the claim it makes holds in
both runs: L2 and dropout each score better on the test points than no regularization."""
SETTINGS = {True: (16, 150, 0.02), False: (24, 300, 0.01)}
"""quick → (hidden width, Adam steps, learning rate)."""


def variants() -> dict[str, tuple[dict[str, Any], Callable[[Any], Value] | None]]:
    """name → (extra MLP arguments, regularization term added to the loss)."""
    return {"none": ({}, None),
            "L2": ({}, lambda model: l2_penalty(model, LAMBDA)),
            "dropout": ({"dropout": DROPOUT}, None)}


def overhang(X: list[list[float]], Xt: list[list[float]]) -> float:
    """How far the test points reach beyond the box around the training points (so the
    panels, sized by the training points, can be widened to show every test point)."""
    reach = 0.0
    for i in (0, 1):
        lo, hi = min(p[i] for p in X), max(p[i] for p in X)
        reach = max(reach, *(max(lo - p[i], p[i] - hi) for p in Xt))
    return reach


def draw_test_points(ax: Any, Xt: list[list[float]], yt: list[int], train: float,
                     test: float) -> None:
    """Add the test points to a decision-boundary panel as hollow rings in their class's
    colour (the training points are the filled dots), with a legend saying which is which."""
    from matplotlib.lines import Line2D

    for k in (0, 1):
        pts = [p for p, t in zip(Xt, yt) if t == k]
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=16, facecolors="none",
                   edgecolors=PALETTE[k], linewidths=1.0, gid=f"test class {k}", zorder=2)
    handles = [Line2D([], [], ls="", marker="o", ms=7, color="0.3", mec="k"),
               Line2D([], [], ls="", marker="o", ms=5, mfc="none", mec="0.3")]
    ax.legend(handles, [f"train ({train:.0%} right)", f"test ({test:.0%} right)"],
              loc="upper right", fontsize="small")


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Train the same big network three ways; compare training and test performance."""
    say(__doc__.strip().splitlines()[0], "")
    width, epochs, lr = SETTINGS[quick]
    X, y = make_moons(30, noise=NOISE, seed=2)
    Xt, yt = make_moons(TEST_POINTS, noise=NOISE, seed=99)
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
    fig, axes = figure(3, (4.4, 4.6))
    for ax, (name, model) in zip(axes, models.items()):
        train, test = table[name]
        plot_decision_boundary(model, X, y, ax=ax, resolution=30 if quick else 45,
                               threshold=0.0, padding=max(0.3, overhang(X, Xt) + 0.1),
                               title=f"{LABELS[name]}: train "
                               f"{train['accuracy']:.0%}, test {test['accuracy']:.0%}")
        enlarge_markers(ax, 40)
        draw_test_points(ax, Xt, yt, train["accuracy"], test["accuracy"])
    pictures = Pictures(out, fmt, dpi)
    picture = pictures.save(fig, "regularization", HEADLINE.format(n=len(Xt)))
    say(f"picture: {picture}")
    return {"accuracy": {n: (t[0]["accuracy"], t[1]["accuracy"]) for n, t in table.items()},
            "loss": {n: (t[0]["loss"], t[1]["loss"]) for n, t in table.items()},
            "loss_gap": {n: t[1]["loss"] - t[0]["loss"] for n, t in table.items()},
            "accuracy_gap": {n: t[0]["accuracy"] - t[1]["accuracy"] for n, t in table.items()},
            "test_set": (Xt, yt), "picture": picture, "pictures": pictures.written,
            "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
