"""One neuron: a weighted sum plus a bias, its gradients, and the line it draws.

A neuron scores its inputs with one dot product and one addition:

    score = w·x + b = w₁x₁ + w₂x₂ + w₃x₃ + b

and says "yes" when the score is above a threshold.  Backpropagation gives the
gradient of the score with respect to every number in it:

    ∂score/∂wᵢ = xᵢ      ∂score/∂b = 1      ∂score/∂xᵢ = wᵢ

With two inputs the points where w·x + b = 0 form a line, the neuron's decision
boundary: the weights set its direction (w is perpendicular to it) and the bias
moves it, to a distance |b| / ‖w‖ from the origin.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.nn import Neuron

from ._common import main_for, say
from ._figures import figure, save

NAME = "first_neuron"
DESCRIPTION = "One neuron scores a sunny day: weights, bias, gradients, its line"

FEATURES = ("sky clear", "warm", "clouds")
WEIGHTS = (0.6, 0.3, -0.4)
BIAS = 0.2
THRESHOLD = 0.5


def sunny_neuron() -> Neuron:
    """A 3-input linear neuron with the weights (0.6, 0.3, −0.4) and bias 0.2."""
    neuron = Neuron(3, "linear", seed=0)
    for w, value in zip(neuron.w, WEIGHTS):
        w.data = value
    neuron.b.data = BIAS
    return neuron


def score_day(neuron: Neuron, day: tuple[float, ...]) -> tuple[Value, list[Value]]:
    """The neuron's score for one day, after ``backward()``; also the input Values."""
    neuron.zero_grad()
    x = [Value(v, label=f"x{i + 1}") for i, v in enumerate(day)]
    score = neuron(x)
    score.backward()
    return score, x


def describe(neuron: Neuron, day: tuple[float, ...], name: str) -> dict[str, Any]:
    """Print the score of ``day`` with its sum written out, the verdict and the gradients."""
    score, x = score_day(neuron, day)
    terms = " + ".join(f"{w.data:g}·{v:g}" if w.data >= 0 else f"({w.data:g})·{v:g}"
                       for w, v in zip(neuron.w, day))
    sunny = score.data > THRESHOLD
    verdict = "sunny" if sunny else "not sunny"
    say(f"{name}: x = {day}  ({', '.join(FEATURES)})",
        f"  score = w·x + b = {terms} + {neuron.b.data:g} = {score.data:.4g}",
        f"  {score.data:.4g} {'>' if sunny else '≤'} {THRESHOLD} (the threshold): {verdict}",
        "  score.backward() fills in one gradient per number in the sum (v.grad = ∂score/∂v):")
    for i, (w, xi) in enumerate(zip(neuron.w, x), 1):
        say(f"    w{i}.grad = x{i} = {w.grad:<4g}    x{i}.grad = w{i} = {xi.grad:g}")
    say(f"    b.grad  = 1  = {neuron.b.grad:g}", "")
    return {"score": score.data, "sunny": sunny, "grad_w": [w.grad for w in neuron.w],
            "grad_b": neuron.b.grad, "grad_x": [v.grad for v in x], "inputs": list(day)}


def boundary_panel(ax: Any, lines: list[tuple[tuple[float, float], float, str]],
                   heading: str) -> None:
    """Draw the lines w·x + b = 0 with their normal w drawn from the line's nearest point
    to the origin, pointing to the side where the score is positive."""
    span = [-2.5, 2.5]
    colors = ["tab:blue", "tab:red", "tab:green", "tab:orange", "tab:purple"]
    for ((w1, w2), b, label), color in zip(lines, colors):
        if abs(w2) > abs(w1):     # solve for x₂ (not vertical) or for x₁
            ax.plot(span, [-(b + w1 * t) / w2 for t in span], color=color, lw=2, label=label)
        else:
            ax.plot([-(b + w2 * t) / w1 for t in span], span, color=color, lw=2, label=label)
        norm2 = w1 * w1 + w2 * w2
        foot = (-b * w1 / norm2, -b * w2 / norm2)   # the point of the line nearest (0, 0)
        ax.annotate("", xy=(foot[0] + w1 / math.sqrt(norm2), foot[1] + w2 / math.sqrt(norm2)),
                    xytext=foot, arrowprops={"arrowstyle": "->", "color": color, "lw": 1.5})
    ax.plot([0], [0], "k+", ms=10)
    ax.set(xlim=span, ylim=span, aspect="equal", xlabel="x₁", ylabel="x₂", title=heading)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize="small")


def plot_boundaries(path: Path) -> Path:
    """Two panels: rotating w turns the line; changing b slides it."""
    fig, (left, right) = figure(2, (5.0, 5.0))
    turned = [((math.cos(a), math.sin(a)), -1.0, f"w = ({math.cos(a):.2f}, {math.sin(a):.2f})")
              for a in (0.0, math.pi / 3, 2 * math.pi / 3, math.pi)]
    boundary_panel(left, turned, "weights turn the line (b = −1)")
    circle = [2 * math.pi * k / 100 for k in range(101)]
    left.plot([math.cos(t) for t in circle], [math.sin(t) for t in circle], ":", color="0.5",
              lw=1)
    left.text(0.0, -1.2, "all at distance\n|b| / ‖w‖ = 1", color="0.35", fontsize="small",
              ha="center", va="top")
    shifted = [((1.0, 1.0), b, f"b = {b:g}") for b in (-2.0, -1.0, 0.0, 1.0)]
    boundary_panel(right, shifted, "the bias slides it (w = (1, 1))")
    return save(fig, path, "A 2-input neuron's boundary  w·x + b = 0  (arrow: w, toward score > 0)")


def run(quick: bool, out: Path) -> dict[str, Any]:
    """Score a sunny and a cloudy day, show the gradients, draw the boundaries."""
    say(__doc__.strip().splitlines()[0], "")
    neuron = sunny_neuron()
    say(f"weights w = {WEIGHTS} for ({', '.join(FEATURES)}), bias b = {BIAS}", "")
    sunny = describe(neuron, (1.0, 1.0, 1.0), "a clear, warm day")
    cloudy = describe(neuron, (0.0, 1.0, 1.0), "a cloudy warm day")
    say("Each weight's gradient is its own input: a weight whose input is 0 (the sky,",
        "on the cloudy day) cannot change the score, so it gets no gradient at all.",
        "Training uses exactly these numbers to decide which weights to move.", "")
    picture = plot_boundaries(out / "decision_lines.png")
    say("With two inputs, w·x + b = 0 is a line: turning w turns it, b slides it along w.",
        f"picture: {picture}")
    return {"score": sunny["score"], "sunny": sunny["sunny"], "grad_w": sunny["grad_w"],
            "grad_b": sunny["grad_b"], "grad_x": sunny["grad_x"], "inputs": sunny["inputs"],
            "cloudy": cloudy, "picture": picture}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
