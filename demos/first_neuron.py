"""One neuron: a weighted sum plus a bias, its gradients, and the line it draws.

A neuron scores its inputs with one dot product and one addition:

    score = w·x + b = w₁x₁ + w₂x₂ + w₃x₃ + b

and says "yes" when the score is above a threshold.  Backpropagation gives the
gradient of the score with respect to every number in it:

    ∂score/∂wᵢ = xᵢ      ∂score/∂b = 1      ∂score/∂xᵢ = wᵢ

The days where the score equals the threshold, w·x + b = 0.5, form the neuron's
decision boundary.  Holding one input fixed, it is a line in the plane of the
other two: changing the weights turns the line (w is perpendicular to it) and
changing the bias slides it without turning it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.nn import Neuron
from autograd.training.plot import PALETTE
from autograd.viz.labels import OKABE_ITO

from ._common import DPI, main_for, say
from ._figures import Pictures, figure

NAME = "first_neuron"
DESCRIPTION = "One neuron scores a sunny day: weights, bias, gradients, its line"

FEATURES = ("sky clear", "warm", "clouds")
WEIGHTS = (0.6, 0.3, -0.4)
BIAS = 0.2
THRESHOLD = 0.5
SUNNY_DAY = (1.0, 1.0, 1.0)
CLOUDY_DAY = (0.0, 1.0, 1.0)
CLOUDS = 1.0
"""The clouds input x₃ held fixed in the picture (both days have clouds = 1)."""


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
        say(f"    w{i}.grad = {w.grad:<4g} (= x{i})    x{i}.grad = {xi.grad:<4g} (= w{i})")
    say(f"    b.grad  = {neuron.b.grad:<4g} (the bias is added as it is: ∂score/∂b = 1)", "")
    return {"score": score.data, "sunny": sunny, "grad_w": [w.grad for w in neuron.w],
            "grad_b": neuron.b.grad, "grad_x": [v.grad for v in x], "inputs": list(day)}


def boundary(w: tuple[float, float], b: float, span: tuple[float, float]) -> list[list[float]]:
    """Two points of the line where the score reaches the threshold with clouds = 1:
    w₁x₁ + w₂x₂ + w₃·1 + b = THRESHOLD, the neuron's boundary in the (x₁, x₂) plane."""
    rest = THRESHOLD - b - WEIGHTS[2] * CLOUDS
    if abs(w[1]) >= abs(w[0]):     # solve for x₂ (the line is not vertical) or for x₁
        return [[t, (rest - w[0] * t) / w[1]] for t in span]
    return [[(rest - w[1] * t) / w[0], t] for t in span]


def draw_lines(ax: Any, lines: list[tuple[tuple[float, float], float, str]], heading: str,
               span: tuple[float, float]) -> None:
    """Draw each neuron's boundary (weights w₁, w₂, bias b) in its own colour; the first
    is the sunny-day neuron, drawn thickest."""
    for k, (w, b, label) in enumerate(lines):
        (a, c) = boundary(w, b, span)
        ax.plot([a[0], c[0]], [a[1], c[1]], color=PALETTE[k], lw=3 if k == 0 else 2,
                label=label, gid=f"line {k}")
    ax.set(xlim=span, ylim=span, aspect="equal", xlabel="x₁  sky clear",
           ylabel="x₂  warm", title=heading)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize="small")


def plot_boundaries(pictures: Pictures, days: Mapping[str, tuple[float, ...]]) -> Path:
    """Three panels in the (sky clear, warm) plane with clouds = 1: the sunny-day neuron's
    boundary and its two days; changing the bias slides the line; changing w turns it."""
    fig, (main, slide, turn) = figure(3, (4.6, 4.8))
    span = (-0.5, 2.0)
    w, b = (WEIGHTS[0], WEIGHTS[1]), BIAS
    grid = [span[0] + (span[1] - span[0]) * i / 60 for i in range(61)]
    rows = [[w[0] * u + w[1] * v + WEIGHTS[2] * CLOUDS + b for u in grid] for v in grid]
    main.contourf(grid, grid, rows, levels=[THRESHOLD, 10.0], colors=[OKABE_ITO["yellow"]],
                  alpha=0.35)
    draw_lines(main, [(w, b, f"score = {THRESHOLD} (the threshold)")],
               "the sunny-day neuron", span)
    main.text(1.95, 1.95, "score > 0.5: sunny", ha="right", va="top", color="#b07800")
    for name, day in days.items():
        score = sum(wi * xi for wi, xi in zip(WEIGHTS, day)) + BIAS
        sunny = score > THRESHOLD
        main.plot([day[0]], [day[1]], "o", ms=11, color=OKABE_ITO["orange"] if sunny else "0.45",
                  markeredgecolor="k", gid=name)
        main.annotate(f"{name}\nscore {score:.1f}: {'sunny' if sunny else 'not sunny'}",
                      (day[0], day[1]), textcoords="offset points",
                      xytext=(10, 8) if sunny else (-8, -30), fontsize="small")
    slide_lines = [(w, bias, f"b = {bias:g}".replace("-", "−")
                    + (" (the neuron)" if bias == b else "")) for bias in (b, 0.5, -0.1)]
    draw_lines(slide, slide_lines, "changing the bias b slides it", span)
    turn_lines = [(w, b, f"w₁, w₂ = {w[0]:g}, {w[1]:g} (the neuron)"),
                  ((0.3, 0.6), b, "w₁, w₂ = 0.3, 0.6"), ((0.6, -0.3), b, "w₁, w₂ = 0.6, −0.3")]
    draw_lines(turn, turn_lines, "changing the weights turns it", span)
    return pictures.save(fig, "decision_lines", "The sunny-day neuron's boundary "
                         "w₁x₁ + w₂x₂ + w₃x₃ + b = 0.5, seen with clouds x₃ = 1")


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Score a sunny and a cloudy day, show the gradients, draw the boundaries."""
    say(__doc__.strip().splitlines()[0], "")
    neuron = sunny_neuron()
    say(f"weights w = {WEIGHTS} for ({', '.join(FEATURES)}), bias b = {BIAS}", "")
    days = {"clear, warm day": SUNNY_DAY, "cloudy warm day": CLOUDY_DAY}
    sunny = describe(neuron, SUNNY_DAY, "a clear, warm day")
    cloudy = describe(neuron, CLOUDY_DAY, "a cloudy warm day")
    say("Each weight's gradient is its own input: a weight whose input is 0 (the sky,",
        "on the cloudy day) cannot change the score, so it gets no gradient at all.",
        "Training uses exactly these numbers to decide which weights to move.", "")
    pictures = Pictures(out, fmt, dpi)
    picture = plot_boundaries(pictures, days)
    say("With the clouds input held at 1, the days where the score is exactly 0.5 form a line",
        "in the (sky clear, warm) plane: changing b slides it, changing w turns it.",
        f"picture: {picture}")
    return {"score": sunny["score"], "sunny": sunny["sunny"], "grad_w": sunny["grad_w"],
            "grad_b": sunny["grad_b"], "grad_x": sunny["grad_x"], "inputs": sunny["inputs"],
            "cloudy": cloudy, "picture": picture, "pictures": pictures.written,
            "figures": pictures.figures}


main = main_for(NAME, DESCRIPTION, run)

if __name__ == "__main__":
    raise SystemExit(main())
