"""Figure helpers the demos share: side-by-side panels, saving, one-output scores.

matplotlib is imported only when a figure is made; a missing matplotlib becomes an
ImportError naming the extra to install (``main_for`` prints it and exits 1).
Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot), so
nothing accumulates between demos run in one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd.training.fit import predict

Points = Sequence[Sequence[float]]


def scores(model: Any, X: Points) -> list[float]:
    """A one-output model's output at each point of X, as floats (no graph recorded)."""
    return [o if isinstance(o, float) else o[0] for o in predict(model, X)]


def figure(ncols: int = 1, size: tuple[float, float] = (5.0, 4.2), *,
           nrows: int = 1) -> tuple[Any, list[Any]]:
    """A new Figure and its ``nrows × ncols`` axes as a flat list (row by row)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as e:
        raise ImportError("the demos' pictures need matplotlib: "
                          "pip install 'backprop-lab[plot]'") from e
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, [ax for row in axes for ax in row]


def save(fig: Any, path: Path, title: str | None = None) -> Path:
    """Give ``fig`` its title, write it as a PNG at ``path`` and return the path."""
    if title:
        fig.suptitle(title, fontsize="large")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return path


def enlarge_markers(ax: Any, size: float) -> None:
    """Make the data points of a scatter plot on ``ax`` bigger (for a handful of points)."""
    from matplotlib.collections import PathCollection

    for collection in ax.collections:
        if isinstance(collection, PathCollection):
            collection.set_sizes([size])
    legend = ax.get_legend()
    for handle in getattr(legend, "legend_handles", []):
        if isinstance(handle, PathCollection):
            handle.set_sizes([size / 2])
