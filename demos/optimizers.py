"""SGD, Momentum, RMSProp and Adam: the same gradients, four ways of stepping.

With g = ∂L/∂θ, each optimizer turns the gradient into a step (β ≈ 0.9):

    SGD        θ ← θ − η·g
    Momentum   v ← β·v + (1 − β)·g;          θ ← θ − η·v
    RMSProp    s ← β·s + (1 − β)·g²;         θ ← θ − η·g / √(s + ε)
    Adam       m, v: running means of g and g² (bias-corrected m̂, v̂);  θ ← θ − η·m̂ / (√v̂ + ε)

Plain SGD's learning rate is capped by the steepest direction (on a valley with
curvature λ, η must stay below 2/λ), so it crawls along the flat direction.
Momentum lets steps that agree add up and steps that flip sign cancel, so it
can use a larger η; RMSProp and Adam divide each parameter's step by the size
of its own recent gradients, so steep and flat directions advance alike.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from autograd import MLP, Value
from autograd.nn.losses import mse
from autograd.optim import SGD, Adam, Momentum, Optimizer, RMSProp
from autograd.training.data import make_sine
from autograd.training.fit import fit
from autograd.training.plot import PALETTE, plot_trajectories

from ._common import DPI, main_for, say
from ._figures import Pictures, figure

NAME = "optimizers"
DESCRIPTION = "SGD, Momentum, RMSProp, Adam on a network and a narrow valley"

OPTIMIZERS: dict[str, Callable[[Any, float], Optimizer]] = {
    "SGD": lambda params, lr: SGD(params, lr=lr),
    "Momentum": lambda params, lr: Momentum(params, lr=lr, beta=0.9),
    "RMSProp": lambda params, lr: RMSProp(params, lr=lr, beta=0.9),
    "Adam": lambda params, lr: Adam(params, lr=lr),
}
VALLEY_LR = {"SGD": 0.19, "Momentum": 0.5, "RMSProp": 0.3, "Adam": 0.3}
"""Step sizes on the valley; 0.19 is just below SGD's limit 2/λ = 2/10."""
START = (-8.0, 1.0)


def valley(x: Any, y: Any) -> Any:
    """A narrow valley f(x, y) = 0.05·x² + 5·y²: curvature 0.1 along x, 10 along y."""
    return 0.05 * x * x + 5 * y * y


def descend(name: str, steps: int) -> list[list[float]]:
    """The points one optimizer visits on the valley from START."""
    x, y = Value(START[0], label="x"), Value(START[1], label="y")
    opt = OPTIMIZERS[name]([x, y], VALLEY_LR[name])
    path = [[x.data, y.data]]
    for _ in range(steps):
        opt.zero_grad()
        valley(x, y).backward()
        opt.step()
        path.append([x.data, y.data])
    return path


def train_curve(name: str, lr: float, data: tuple[list[list[float]], list[float]],
                steps: int) -> list[float]:
    """The loss per step of MLP(1, [8, 8, 1]) (tanh) fitting noisy sin(x); [inf] if it blew up."""
    model = MLP(1, [8, 8, 1], activation="tanh", seed=0)
    try:
        return fit(model, mse, data, OPTIMIZERS[name](model, lr), steps, shuffle=False,
                   verbose=False).loss
    except (OverflowError, ArithmeticError):     # a learning rate far too large
        return [float("inf")]


def plot_curves(curves: dict[str, tuple[float, list[float]]], pictures: Pictures) -> Path:
    """The best loss curve of each optimizer, log scale."""
    fig, (ax,) = figure(1, (6.4, 4.4))
    for k, (name, (lr, losses)) in enumerate(curves.items()):
        ax.plot(range(1, len(losses) + 1), losses, color=PALETTE[k], lw=2,
                label=f"{name} (η = {lr:g}): {losses[-1]:.4f}")
    ax.set(yscale="log", xlabel="step (full batch)", ylabel="mean squared error",
           title="MLP(1, [8, 8, 1]) fitting noisy sin(x)")
    ax.grid(alpha=0.3, which="both")
    ax.legend(title="each with its best η")
    return pictures.save(fig, "optimizers_training")


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Tune and train each optimizer on the same network; then race them down the valley."""
    say(__doc__.strip().splitlines()[0], "")
    n, steps, rates = ((30, 30, [0.01, 0.1, 0.3]) if quick else
                       (40, 100, [0.003, 0.01, 0.03, 0.1, 0.3, 1.0]))
    data = make_sine(n, noise=0.1, seed=0)
    say(f"1. The same network MLP(1, [8, 8, 1]) (tanh) fits {n} noisy points of sin(x),",
        f"   {steps} full-batch steps, from the same starting weights, for each η below.",
        "   Final loss (the noise alone costs about 0.01):", "",
        "   η          " + "".join(f"{lr:>9g}" for lr in rates))
    curves: dict[str, tuple[float, list[float]]] = {}
    for name in OPTIMIZERS:
        runs = {lr: train_curve(name, lr, data, steps) for lr in rates}
        say(f"   {name:10s} " + "".join(f"{r[-1]:9.4f}" if r[-1] < 1e3 else "  diverged"
                                       for r in runs.values()))
        best = min(runs, key=lambda lr: runs[lr][-1])
        curves[name] = (best, runs[best])
    say("", "   best of each: " + ", ".join(f"{n} {c[1][-1]:.4f} (η = {c[0]:g})"
                                           for n, c in curves.items()))
    pictures = Pictures(out, fmt, dpi)
    curve_png = plot_curves(curves, pictures)

    valley_steps = 30 if quick else 60
    paths = {name: descend(name, valley_steps) for name in OPTIMIZERS}
    final = {name: float(valley(*p[-1])) for name, p in paths.items()}
    say("", f"2. The valley f(x, y) = 0.05·x² + 5·y² from {START}, {valley_steps} steps each:")
    for name, value in final.items():
        say(f"   {name:10s} η = {VALLEY_LR[name]:<5g} f = {value:.2e}   ends at "
            f"({paths[name][-1][0]:+.3f}, {paths[name][-1][1]:+.3f})")
    valley_png = pictures.save(plot_trajectories(
        valley, {f"{n} (η = {VALLEY_LR[n]:g})": p for n, p in paths.items()},
        minimum=(0.0, 0.0), xlim=(-9.0, 2.0), ylim=(-1.6, 1.6),
        title="Four optimizers in a narrow valley f = 0.05x² + 5y²"), "optimizers_valley")
    say("", "SGD zig-zags across the steep y direction and crawls along x.  Momentum builds",
        "up speed along the valley floor; RMSProp and Adam move every coordinate about η per",
        "step whatever its slope, so they rush along x too (and jitter near the minimum).",
        f"pictures: {valley_png}", f"          {curve_png}")
    return {"task_loss": {n: c[1][-1] for n, c in curves.items()},
            "task_lr": {n: c[0] for n, c in curves.items()},
            "valley": final, "paths": paths, "picture": valley_png,
            "pictures": pictures.written, "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
