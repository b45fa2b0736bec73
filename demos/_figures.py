"""Figure helpers the demos share: panels, saving in the chosen format, one-output scores.

matplotlib is imported only when a figure is made (a demo's ``main`` checks that it is
installed before any work; a missing matplotlib here is an ImportError with the hint).
Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot), so
nothing accumulates between demos run in one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from autograd.training.fit import predict

from ._common import DPI, FORMATS, hint

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
        raise ImportError(f"the demos' pictures need matplotlib; {hint()}",
                          name="matplotlib") from e
    fig = Figure(figsize=(size[0] * ncols, size[1] * nrows), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    return fig, [ax for row in axes for ax in row]


class Pictures:
    """Where and how a demo writes its pictures: folder, format (png, svg or pdf) and the
    resolution of a PNG; it remembers every file written and every figure saved."""

    def __init__(self, folder: Path, fmt: str = "png", dpi: int = DPI) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"Pictures: fmt must be one of {', '.join(FORMATS)}, got {fmt!r}")
        if isinstance(dpi, bool) or not isinstance(dpi, int) or dpi <= 0:
            raise ValueError(f"Pictures: dpi must be a positive whole number, got {dpi!r}")
        self.folder, self.fmt, self.dpi = Path(folder), fmt, dpi
        self.written: list[Path] = []
        self.figures: dict[str, Any] = {}

    def path(self, stem: str) -> Path:
        """The file for the picture called ``stem``: ``folder/stem.fmt``."""
        return self.folder / f"{stem}.{self.fmt}"

    def save(self, fig: Any, stem: str, title: str | None = None) -> Path:
        """Give ``fig`` its title, write it as ``folder/stem.fmt`` and return the path."""
        if title:
            fig.suptitle(title, fontsize="large")
        path = self.path(stem)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, dpi=self.dpi, format=self.fmt)
        self.figures[stem] = fig
        return self.add(path)

    def add(self, path: Path) -> Path:
        """Record a file written some other way (a Graphviz diagram, a web page)."""
        self.written.append(path)
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
