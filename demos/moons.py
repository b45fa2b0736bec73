"""Two moons: train a 337-parameter network from scratch, micrograd's classic demo.

The data are two interleaving half circles (100 points, noise 0.1), labels y = ±1.
The model is MLP(2, [16, 16, 1]): two hidden layers of 16 ReLU neurons and one
linear output neuron whose sign is the predicted class.  The loss is the hinge
(max-margin) loss plus a small L2 penalty on all 337 parameters θ:

    L = mean over samples of max(0, 1 − y·s(x))  +  α·Σ θ²,    α = 1e-4

and each of the 100 steps is plain gradient descent on the full batch,
θ ← θ − η·∂L/∂θ, with the learning rate falling linearly η = 1.0 − 0.9·k/100.
The step is compiled (``fit(compile=True)``: the same numbers, several times
faster); ``--no-compile`` trains with the engine step by step.
"""

from __future__ import annotations

import copy
import sys
import time
from pathlib import Path
from typing import Any

from autograd import MLP
from autograd.nn.losses import hinge, l2_penalty
from autograd.optim import SGD, LinearLR
from autograd.training.data import make_moons
from autograd.training.fit import History, accuracy, fit
from autograd.training.plot import PALETTE, plot_decision_boundary

from ._common import DPI, DemoMain, Outcome, say
from ._figures import Pictures, figure, scores

NAME = "moons"
DESCRIPTION = "Train MLP(2, [16, 16, 1]) on two moons, micrograd's classic demo"

SEED = 1337
ALPHA = 1e-4
COMPILE = True   # fit(compile=True); --no-compile turns it off


def objective(history: History) -> list[float]:
    """The loss that training minimizes, step by step: hinge + α·Σθ² (the history keeps
    the two parts apart: ``loss`` is the hinge, ``penalty`` the L2 term)."""
    return [h + p for h, p in zip(history.loss, history.penalty)]


def progress_line(step: int, steps: int, history: History, lr: float) -> str:
    """One progress line: ``step  10/100  loss 0.3120 = hinge 0.3010 + L2 0.0110  accuracy
    88% █████████░  lr 0.919`` (the loss printed is the one minimized, penalty included)."""
    acc = history.accuracy[-1]
    bar = "█" * round(10 * acc) + "░" * (10 - round(10 * acc))
    return (f"step {step:3d}/{steps}  loss {objective(history)[-1]:.4f} = hinge "
            f"{history.loss[-1]:.4f} + L2 {history.penalty[-1]:.4f}  accuracy {acc:4.0%} {bar}"
            f"  lr {lr:.3f}")


def plot_training(history: History) -> Any:
    """Left: the loss minimized, hinge + α·Σθ², with its two parts; right: the accuracy."""
    fig, (left, right) = figure(2, (5.5, 4.5))
    steps = range(1, len(history.loss) + 1)
    left.plot(steps, objective(history), color=PALETTE[0], lw=2.5, gid="objective",
              label=f"loss = hinge + {ALPHA:g}·Σθ²")
    left.plot(steps, history.loss, "--", color=PALETTE[1], lw=1.5, label="hinge part")
    left.plot(steps, history.penalty, ":", color=PALETTE[2], lw=2, label=f"L2 part {ALPHA:g}·Σθ²")
    right.plot(steps, history.accuracy, color=PALETTE[0], lw=2)
    left.set(xlabel="step", ylabel="loss (log scale)", yscale="log",
             title="the loss SGD minimizes, and its two parts")
    right.set(xlabel="step", ylabel="accuracy", ylim=(0, 1.02),
              title="share of the points on the right side")
    for ax in (left, right):
        ax.grid(alpha=0.3)
    left.legend()
    return fig


def text_map(model: MLP, X: list[list[float]], y: list[int], width: int = 56,
             height: int = 18) -> str:
    """The decision regions as text: blank where the model says −1, ``░`` where it says +1;
    the data on top as ``o`` (label −1) and ``x`` (label +1), upper-case when misclassified."""
    x0, x1 = min(p[0] for p in X) - 0.3, max(p[0] for p in X) + 0.3
    y0, y1 = min(p[1] for p in X) - 0.3, max(p[1] for p in X) + 0.3
    cells = [[x0 + (x1 - x0) * (i + 0.5) / width, y1 - (y1 - y0) * (j + 0.5) / height]
             for j in range(height) for i in range(width)]
    grid = ["░" if s > 0 else " " for s in scores(model, cells)]
    for p, t, s in zip(X, y, scores(model, X)):
        i = min(width - 1, int((p[0] - x0) / (x1 - x0) * width))
        j = min(height - 1, int((y1 - p[1]) / (y1 - y0) * height))
        mark = "x" if t == 1 else "o"
        grid[j * width + i] = mark if (s > 0) == (t == 1) else mark.upper()
    rows = ["  │" + "".join(grid[j * width:(j + 1) * width]) + "│" for j in range(height)]
    return "\n".join(["  ┌" + "─" * width + "┐", *rows, "  └" + "─" * width + "┘"])


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Train, printing progress; draw the decision boundary and the loss curve."""
    say(__doc__.strip().splitlines()[0], "")
    n, steps = (40, 40) if quick else (100, 100)
    X, y = make_moons(n, noise=0.1, seed=SEED, labels="pm1")
    model = MLP(2, [16, 16, 1], seed=SEED)
    say(f"data:  {n} points, two moons, labels ±1", f"model: {model!r}".replace("\n", "\n  "),
        f"loss:  hinge max(0, 1 − y·s) + {ALPHA:g}·Σθ²,  SGD with lr 1.0 → 0.1 over {steps} "
        "steps", "")
    opt = SGD(model, lr=1.0)
    schedule = LinearLR(opt, total_steps=steps, end_factor=0.1)
    every = max(1, steps // 10)

    def report(epoch: int, history: History) -> None:
        if epoch == 1 or epoch % every == 0:
            say(progress_line(epoch, steps, history, history.lr[-1]))

    start = time.perf_counter()
    history = fit(model, hinge, (X, y), opt, steps, regularization=lambda m: l2_penalty(m, ALPHA),
                  schedule=schedule, callbacks=report, shuffle=False, verbose=False,
                  compile=COMPILE)
    seconds = time.perf_counter() - start
    final = accuracy(model, X, y)
    say("", f"trained in {seconds:.1f} s ({1000 * seconds / steps:.0f} ms per step); "
        f"final accuracy {final:.0%} ({round(final * n)} of {n} points)")
    if COMPILE:                        # the speed-up: one eager step, timed on a copy
        twin, t = copy.deepcopy(model), time.perf_counter()
        (hinge([twin(x) for x in X], y) + l2_penalty(twin, ALPHA)).backward()
        eager = time.perf_counter() - t
        say(f"compiled: about {eager * steps / seconds:.1f}× faster than eager steps "
            f"({1000 * eager:.0f} ms each here; --no-compile trains without compiling)")
    say("",
        "what the network decided (blank: −1, ░: +1; o and x are the data, O and X mistakes):",
        text_map(model, X, y), "")
    pictures = Pictures(out, fmt, dpi)
    boundary = pictures.save(plot_decision_boundary(
        model, X, y, resolution=40 if quick else 60,
        title=f"MLP(2, [16, 16, 1]) on two moons: {final:.0%} correct"), "moons_boundary")
    curve = pictures.save(plot_training(history), "moons_loss", "Training: loss and accuracy "
                          "per step (full batch: 1 step = 1 epoch)")
    say(f"pictures: {boundary}", f"          {curve}")
    return {"accuracy": final, "loss": objective(history), "hinge": history.loss,
            "penalty": history.penalty, "train_accuracy": history.accuracy,
            "seconds": seconds, "steps": steps, "n": n, "picture": boundary,
            "pictures": pictures.written, "figures": pictures.figures}


class _Main(DemoMain):
    """Every demo's options, plus ``--compile`` (the default) / ``--no-compile``."""

    def outcome(self, argv: Any = None, *, show_hint: bool = True) -> Outcome:
        global COMPILE
        args = list(sys.argv[1:] if argv is None else argv)
        COMPILE = "--no-compile" not in args
        return super().outcome([a for a in args if a not in ("--compile", "--no-compile")],
                               show_hint=show_hint)


main = _Main(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
