"""Plots for training runs: curves, decision boundaries, fits, gradients, trajectories.

Needs matplotlib (the ``plot`` extra), imported only when a
function is called.  Every function builds a :class:`matplotlib.figure.Figure`
directly (no pyplot: nothing accumulates in a global figure list, so a loop
making hundreds of plots leaks nothing), saves it as a PNG when ``path=`` is
given (creating the folders) and returns it.  Without a display the Agg backend
is selected, so everything works headless.

Evaluating a model on a grid costs one scalar forward pass per point: the
decision boundary uses a modest grid (``resolution=60`` → 3,600 passes) under
``no_grad()``.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import validate
from ..engine import Value
from ..install import install_hint
from ..modes import no_grad
from ..viz.labels import OKABE_ITO
from .metrics import History, Task, _accuracy, infer_task, predict

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["plot_decision_boundary", "plot_grad_norms", "plot_history", "plot_regression_1d",
           "plot_trajectories"]

Points = Sequence[Sequence[float]]
PALETTE = tuple(OKABE_ITO[name] for name in ("blue", "vermillion", "bluish_green", "orange",
                                              "reddish_purple", "sky_blue", "yellow", "black"))
"""Line and class colours: the diagrams' colour-blind-safe Okabe–Ito palette (class 0 blue,
class 1 vermillion …), so plots and diagrams share one palette."""


def _figure(ncols: int = 1, size: tuple[float, float] = (5.5, 4.5)) -> tuple[Figure, list[Axes]]:
    """A new Figure with ``ncols`` side-by-side axes (matplotlib imported lazily)."""
    try:
        import matplotlib
    except ImportError as e:
        raise ImportError("autograd.training.plot needs matplotlib: "
                          + install_hint("plot")) from e
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    in_kernel = "ipykernel" in sys.modules    # a notebook shows figures inline: keep its backend
    if headless and not in_kernel and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    from matplotlib.figure import Figure

    fig = Figure(figsize=(size[0] * ncols, size[1]), layout="constrained")
    axes = fig.subplots(1, ncols, squeeze=False)[0]
    return fig, list(axes)


def _finish(fig: Figure, path: str | os.PathLike[str] | None, title: str | None) -> Figure:
    if title:
        fig.suptitle(title)
    if path is not None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=100)
    return fig


def plot_history(history: History, path: str | os.PathLike[str] | None = None, *,
                 title: str | None = None, log_loss: bool = False) -> Figure:
    """Loss per epoch (and accuracy, when recorded), training and validation."""
    if not history.loss:
        raise ValueError("plot_history(): the history has no epochs yet")
    panels = [("loss", history.loss, history.val_loss)]
    if history.accuracy:
        panels.append(("accuracy", history.accuracy, history.val_accuracy))
    fig, axes = _figure(len(panels))
    for ax, (name, train, val) in zip(axes, panels):
        ax.plot(range(1, len(train) + 1), train, label=f"training {name}")
        if val:
            ax.plot(range(1, len(val) + 1), val, label=f"validation {name}")
        if name == "loss" and history.penalty:
            ax.plot(range(1, len(history.penalty) + 1), history.penalty, ":",
                    label="regularization")
        ax.set(xlabel="epoch", ylabel=name, yscale="log" if log_loss and name == "loss" else
               "linear")
        ax.grid(alpha=0.3)
        ax.legend()
    return _finish(fig, path, title)


def _bounds(values: Sequence[float], padding: float) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    return lo - padding, hi + padding


def _class_of(label: Any, task: str) -> int:
    """Colour index of a label: binary labels 1 → 1, anything else (0, −1) → 0."""
    return int(label) if task == "multiclass" else int(label == 1)


def _margins(grid: list[Any], kind: str, cut: float) -> list[list[float]]:
    """Per class k, ``s_k − max_{j≠k} s_j`` at every grid point (binary: ±(s − cut)):
    positive exactly where class k is predicted, so its zero contour is the boundary."""
    if kind == "binary":
        scores = [o if isinstance(o, float) else o[0] for o in grid]
        return [[cut - v for v in scores], [v - cut for v in scores]]
    rows = [o if isinstance(o, list) else [o] for o in grid]
    return [[r[k] - max(r[:k] + r[k + 1:], default=-math.inf) for r in rows]
            for k in range(len(rows[0]))]


def plot_decision_boundary(model: Any, X: Points, y: Sequence[Any],
                           path: str | os.PathLike[str] | None = None, *,
                           resolution: int = 60, padding: float = 0.5, task: Task = "auto",
                           threshold: float | None = None, title: str | None = None,
                           ax: Axes | None = None) -> Figure:
    """The regions a 2-D classifier assigns to each class, with the data on top.

    The model is evaluated on a ``resolution × resolution`` grid.  Binary: the
    boundary is where the output crosses ``threshold`` (by default 0 for ±1
    labels, 0.5 for 0/1 labels; pass ``history.threshold`` after a fit with a
    logits loss).  Multi-class: each point takes the class of its largest output.
    With ``ax`` (a matplotlib Axes) it draws there, titles that panel with
    ``title`` and returns the Axes' figure: panels side by side for comparisons.
    """
    if not X or len(X[0]) != 2:
        raise ValueError(f"plot_decision_boundary() needs 2-D inputs, got "
                         f"{len(X[0]) if X else 0} feature(s) per sample")
    validate.same_length("plot_decision_boundary", X, y)
    validate.count("plot_decision_boundary", "resolution", resolution, low=2)
    x0, x1 = _bounds([p[0] for p in X], padding)
    y0, y1 = _bounds([p[1] for p in X], padding)
    xs = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    ys = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    grid = predict(model, [[a, b] for b in ys for a in xs])
    found, auto = infer_task(grid[0], y)
    kind = found if task == "auto" else task
    cut = auto if threshold is None else threshold
    if kind == "regression":
        raise ValueError(f"plot_decision_boundary() needs a classifier; labels {list(y[:4])}… "
                         f"look like regression: pass task='binary' or 'multiclass'")
    cut = 0.5 if cut is None else cut
    if ax is None:
        fig, (ax,) = _figure()
    else:  # a panel of the caller's figure: the title goes on the panel
        fig = ax.get_figure(root=True)  # type: ignore[assignment]
        ax.set_title(title or "")
        title = None
    margins = _margins(grid, kind, cut)
    n_colors = max(len(margins), *(_class_of(t, kind) + 1 for t in y))
    colors = [PALETTE[k % len(PALETTE)] for k in range(n_colors)]
    for k, margin in enumerate(margins):     # class k wins where its margin is > 0
        rows = [margin[j * resolution:(j + 1) * resolution] for j in range(resolution)]
        if max(margin) > 0:
            ax.contourf(xs, ys, rows, levels=[0.0, max(margin) + 1.0], colors=[colors[k]],
                        alpha=0.25)
        if min(margin) < 0 < max(margin):
            ax.contour(xs, ys, rows, levels=[0.0], colors="k", linewidths=1.0)
    for k in sorted({_class_of(t, kind) for t in y}):
        pts = [p for p, t in zip(X, y) if _class_of(t, kind) == k]
        shown = sorted({t for t in y if _class_of(t, kind) == k})
        ax.scatter([p[0] for p in pts], [p[1] for p in pts], s=18, color=colors[k],
                   edgecolors="k", linewidths=0.4, label=f"class {shown[0]}")
    acc = _accuracy(predict(model, X), y, kind, cut)
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="x₁", ylabel="x₂")
    ax.legend(loc="upper right", fontsize="small", title=f"accuracy {acc:.1%}")
    return _finish(fig, path, title)


def plot_regression_1d(model: Any, X: Points, y: Sequence[float],
                       path: str | os.PathLike[str] | None = None, *, n_points: int = 200,
                       true_fn: Callable[[float], float] | None = None,
                       title: str | None = None) -> Figure:
    """Data points, the model's curve and (optionally) the true function ``true_fn``."""
    if not X or len(X[0]) != 1 or len(X) != len(y):
        raise ValueError("plot_regression_1d() needs X = [[x], …] and y of the same length")
    validate.count("plot_regression_1d", "n_points", n_points, low=2)
    lo, hi = _bounds([p[0] for p in X], 0.0)
    xs = [lo + (hi - lo) * i / (n_points - 1) for i in range(n_points)]
    fig, (ax,) = _figure()
    ax.scatter([p[0] for p in X], list(y), s=14, color=PALETTE[0], alpha=0.7, label="data")
    if true_fn is not None:
        ax.plot(xs, [true_fn(x) for x in xs], "--", color="gray", label="true function")
    fitted = predict(model, [[x] for x in xs])
    ax.plot(xs, [o if isinstance(o, float) else o[0] for o in fitted], color=PALETTE[1], lw=2,
            label="model")
    ax.set(xlabel="x", ylabel="y")
    ax.grid(alpha=0.3)
    ax.legend()
    return _finish(fig, path, title)


def plot_grad_norms(source: History | Sequence[Sequence[float]] | Sequence[float],
                    path: str | os.PathLike[str] | None = None, *,
                    layer_names: Sequence[str] | None = None, title: str | None = None) -> Figure:
    """Gradient magnitude per layer on a log scale.

    ``source`` is a History from ``fit(..., track_grad_norms=True)`` or its
    ``grad_norms`` (one line per layer over the epochs), or one list of per-layer
    norms (a bar chart).  Vanishing gradients show as early layers far below late ones.
    """
    rows: list[Any] = source.grad_norms if isinstance(source, History) else list(source)
    if not rows:
        raise ValueError("plot_grad_norms(): no gradient norms; use "
                         "fit(..., track_grad_norms=True)")
    fig, (ax,) = _figure()
    if all(isinstance(v, (int, float)) for v in rows):
        bars = [float(v) for v in rows]
        names = list(layer_names or [f"layer {i + 1}" for i in range(len(bars))])
        ax.bar(names, bars, color=PALETTE[0])
        ax.set(ylabel="‖∂L/∂θ‖₂")
    else:
        lines = [[float(v) for v in row] for row in rows]
        names = list(layer_names or [f"layer {i + 1}" for i in range(len(lines[0]))])
        for i, name in enumerate(names):
            ax.plot(range(1, len(lines) + 1), [r[i] for r in lines], label=name)
        ax.set(xlabel="epoch", ylabel="‖∂L/∂θ‖₂ (mean over steps)")
        ax.legend()
    ax.set_yscale("log")
    ax.grid(alpha=0.3, which="both")
    return _finish(fig, path, title)


def plot_trajectories(f: Callable[[float, float], float | Value],
                      paths: Mapping[str, Points] | Sequence[Points],
                      path: str | os.PathLike[str] | None = None, *,
                      labels: Sequence[str] | None = None,
                      xlim: tuple[float, float] | None = None,
                      ylim: tuple[float, float] | None = None, resolution: int = 100,
                      levels: int = 20, decades: float = 3.0,
                      minimum: Sequence[float] | None = None,
                      title: str | None = None) -> Figure:
    """Contours of a loss surface f(x, y) and the paths optimizers took on it.

    ``paths`` maps a label to a list of (x, y) points (or is a list of such lists,
    labelled by ``labels``).  ``f`` may return a number or a Value.  Contour
    levels are spaced geometrically above the lowest value on the grid, over
    ``decades`` powers of ten, so a narrow valley (Rosenbrock's) shows as clearly
    as a round bowl.  The view covers every path
    with a margin unless ``xlim``/``ylim`` are given.
    """
    validate.count("plot_trajectories", "resolution", resolution, low=2)
    validate.count("plot_trajectories", "levels", levels)
    named = dict(paths) if isinstance(paths, Mapping) else dict(
        zip(labels or [f"path {i + 1}" for i in range(len(paths))], paths))
    pts = [p for line in named.values() for p in line] + ([list(minimum)] if minimum else [])
    if not pts:
        raise ValueError("plot_trajectories() needs at least one point in paths")

    def span(values: list[float]) -> tuple[float, float]:
        lo, hi = min(values), max(values)
        pad = 0.15 * (hi - lo) or 1.0
        return lo - pad, hi + pad

    (x0, x1) = xlim or span([p[0] for p in pts])
    (y0, y1) = ylim or span([p[1] for p in pts])
    xs = [x0 + (x1 - x0) * i / (resolution - 1) for i in range(resolution)]
    ys = [y0 + (y1 - y0) * j / (resolution - 1) for j in range(resolution)]
    with no_grad():
        zs = [[float(f(a, b)) for a in xs] for b in ys]
    finite = [z for row in zs for z in row if math.isfinite(z)]
    if not finite:
        raise ValueError("plot_trajectories(): f is not finite anywhere on the grid")
    low, rise = min(finite), max(finite) - min(finite)
    marks = sorted({low + rise * 10 ** (-decades * (1 - k / levels)) for k in range(levels + 1)})
    fig, (ax,) = _figure(size=(6.0, 5.0))
    from matplotlib import colormaps

    shade = colormaps["viridis"]
    if rise > 0:
        ax.contour(xs, ys, zs, levels=marks, linewidths=0.8,
                   colors=[shade(i / max(1, len(marks) - 1)) for i in range(len(marks))])
    for i, (label, line) in enumerate((k, v) for k, v in named.items() if len(v)):
        color = PALETTE[i % len(PALETTE)]
        ax.plot([p[0] for p in line], [p[1] for p in line], "-o", color=color, ms=2.5, lw=1.2,
                label=label)
        ax.plot([line[0][0]], [line[0][1]], "s", color=color, ms=6)
    if minimum is not None:
        ax.plot([minimum[0]], [minimum[1]], "*", color="k", ms=12, label="minimum")
    ax.set(xlim=(x0, x1), ylim=(y0, y1), xlabel="x", ylabel="y")
    ax.legend(fontsize="small")
    return _finish(fig, path, title)
