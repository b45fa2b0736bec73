"""Universal approximation: one hidden layer fits sin(x) better and better as it widens.

The universal approximation theorem says that one hidden layer of n units,

    f(x) = Σᵢ αᵢ·tanh(wᵢ·x + bᵢ) + c,      i = 1 … n,

can approximate any continuous function on an interval as closely as we like,
given enough units.  Each unit is a smooth step at x = −bᵢ/wᵢ, of height αᵢ; a
sum of steps can follow any curve, and more steps follow it more closely.

Here networks of width 1, 2, 4, 8 and 16 learn sin(x) on [−2π, 2π] (two full
waves) from the same 60 points with the same training: squared error, Adam with
a cosine-decaying learning rate.  Each unit's step starts at a different x,
spread evenly over the interval (its bias is set to bᵢ = −wᵢ·cᵢ), and training
moves it from there.  The error is measured against sin(x) on 200 points.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from autograd import MLP
from autograd.nn.losses import mse
from autograd.optim import Adam, CosineLR
from autograd.training.data import make_sine
from autograd.training.fit import fit
from autograd.training.plot import PALETTE

from ._common import DPI, main_for, say
from ._figures import Pictures, figure, scores

NAME = "universal_approximation"
DESCRIPTION = "One hidden layer of growing width fits sin(x) ever better"

LOW, HIGH = -2 * math.pi, 2 * math.pi
SEED = 0


def spread_steps(model: MLP) -> None:
    """Put hidden unit i's step tanh(w·x + b) at cᵢ, evenly spaced over [LOW, HIGH]."""
    units = model.layers[0].neurons
    for i, unit in enumerate(units):
        c = LOW + (HIGH - LOW) * (i + 0.5) / len(units)
        unit.b.data = -unit.w[0].data * c


def train_width(width: int, X: list[list[float]], y: list[float], epochs: int) -> MLP:
    """An MLP(1, [width, 1]) with tanh hidden units, trained on (X, y)."""
    model = MLP(1, [width, 1], activation="tanh", seed=SEED)
    spread_steps(model)
    opt = Adam(model, lr=0.05)
    fit(model, mse, (X, y), opt, epochs, schedule=CosineLR(opt, epochs), shuffle=False,
        verbose=False)
    return model


def rms_error(model: MLP, xs: list[float]) -> float:
    """√(mean (f(x) − sin x)²) over ``xs``."""
    fx = scores(model, [[x] for x in xs])
    return math.sqrt(sum((f - math.sin(x)) ** 2 for f, x in zip(fx, xs)) / len(xs))


def plot(fits: dict[int, list[float]], errors: dict[int, float], xs: list[float],
         X: list[list[float]], y: list[float], pictures: Pictures) -> Path:
    """Left: the fits over the data and sin(x); right: the error against the width."""
    fig, (left, right) = figure(2, (5.6, 4.4))
    left.plot(xs, [math.sin(x) for x in xs], "--", color="0.3", lw=2, label="sin(x)")
    left.scatter([p[0] for p in X], y, s=12, color="0.5", zorder=3, label="training points")
    for k, (width, fx) in enumerate(fits.items()):
        left.plot(xs, fx, color=PALETTE[k % len(PALETTE)], lw=1.6, label=f"{width} unit"
                  + "s" * (width > 1))
    left.set(xlabel="x", ylabel="f(x)", ylim=(-1.5, 2.2), title="fits of growing width")
    left.legend(fontsize="small", ncol=4, loc="upper center", columnspacing=0.8)
    left.grid(alpha=0.3)
    widths = list(errors)
    right.plot(widths, [errors[w] for w in widths], "o-", color=PALETTE[1], lw=2)
    for w in widths:
        right.annotate(f"{errors[w]:.3f}", (w, errors[w]), textcoords="offset points",
                       xytext=(6, 4), fontsize="small")
    right.set(xscale="log", yscale="log", xlabel="hidden units (width)",
              ylabel="RMS error against sin(x)", title="error falls as the width grows")
    right.set_xticks(widths, [str(w) for w in widths])
    right.set_xlim(widths[0] / 1.4, widths[-1] * 1.8)
    right.set_yticks([0.01, 0.03, 0.1, 0.3, 1.0], ["0.01", "0.03", "0.1", "0.3", "1"])
    right.minorticks_off()
    right.grid(alpha=0.3, which="both")
    return pictures.save(fig, "universal_approximation",
                         "One hidden layer of tanh units approximating sin(x) on [−2π, 2π]")


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Train one network per width, report the errors, plot the fits."""
    say(__doc__.strip().splitlines()[0], "")
    widths, epochs, n = ([1, 4, 16], 200, 40) if quick else ([1, 2, 4, 8, 16], 600, 60)
    X, y = make_sine(n, noise=0.0, low=LOW, high=HIGH, seed=SEED)
    xs = [LOW + (HIGH - LOW) * i / 199 for i in range(200)]
    say(f"target sin(x) on [−2π, 2π], {n} training points; Adam lr 0.05 → 0 over {epochs} "
        "epochs", "")
    fits, errors = {}, {}
    for width in widths:
        model = train_width(width, X, y, epochs)
        errors[width] = rms_error(model, xs)
        fits[width] = scores(model, [[x] for x in xs])
        say(f"  width {width:2d}  ({model.num_parameters():3d} parameters)   "
            f"RMS error {errors[width]:.4f}  {'█' * max(1, round(40 * errors[width]))}")
    pictures = Pictures(out, fmt, dpi)
    picture = plot(fits, errors, xs, X, y, pictures)
    say("", "Width 1 is a single smooth step.  Each extra unit adds a step that bends the",
        "curve somewhere else, so wider layers follow both waves more and more closely.",
        f"picture: {picture}")
    return {"errors": errors, "widths": widths, "picture": picture,
            "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
