"""The size guard: count boxes and edges before Graphviz runs, and refuse helpfully.

``dot`` lays out a few hundred boxes in well under a second, but its time grows
quickly with the number of boxes and, much faster, with dense edges (150 boxes
with 11,175 edges ran for minutes).  :func:`check_size` refuses such a drawing
with :class:`GraphTooLarge`, whose message names an option that makes the same
call work: a coarser ``collapse=`` when the graph has neurons or layers and that
brings it under the limits, else the exact ``max_nodes=``/``max_edges=`` needed
(with a longer ``timeout=`` when the edges are many).  The option is also in
``error.suggestion``, ready to pass back: ``draw_graph(y, **error.suggestion)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

from ..engine import Value

__all__ = ["Drawing", "GraphTooLarge", "check_size", "size"]

SLOW_EDGES = 3000
"""Above this many edges a retry is also told to allow Graphviz more time."""


class GraphTooLarge(ValueError):
    """The graph has more boxes than ``max_nodes`` or more edges than ``max_edges``.

    ``boxes`` and ``edges`` are the counts; ``suggestion`` the keyword arguments
    that make the refused call work (e.g. ``{'collapse': 'neuron'}``).
    """

    def __init__(self, message: str, boxes: int, edges: int,
                 suggestion: dict[str, Any]) -> None:
        super().__init__(message)
        self.boxes, self.edges, self.suggestion = boxes, edges, suggestion


class Drawing(Protocol):
    """What the guard counts (a :class:`~autograd.viz.model.Plan`)."""

    order: list[Value]

    @property
    def groups(self) -> Sequence[Any]:
        """The collapsed boxes."""
        ...

    def drawn(self) -> list[Value]:
        """The nodes drawn as their own box."""
        ...

    def edges(self) -> Sequence[Any]:
        """Every edge drawn."""
        ...


def size(p: Drawing) -> tuple[int, int]:
    """(boxes, edges) that drawing ``p`` takes (op circles are not counted as boxes)."""
    return len(p.drawn()) + len(p.groups), len(p.edges())


def _coarser(collapse: str | int | None) -> list[str]:
    if collapse is None:
        return ["neuron", "layer"]
    return [] if collapse == "layer" else ["layer"]


def _options(kwargs: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in kwargs.items())


def check_size(p: Drawing, collapsed: Callable[[str], Drawing], *, collapse: str | int | None,
               max_nodes: int, max_edges: int, who: str) -> None:
    """Raise :class:`GraphTooLarge` if ``p`` exceeds either limit, suggesting what works.

    ``collapsed(level)`` is the plan of the same graph collapsed at ``level``.
    """
    boxes, edges = size(p)
    if boxes <= max_nodes and edges <= max_edges:
        return
    over = []
    if boxes > max_nodes:
        over.append(f"more than max_nodes={max_nodes}")
    if edges > max_edges:
        over.append(f"more than max_edges={max_edges}")
    head = f"{who}: the graph has {boxes} boxes and {edges} edges to draw, {' and '.join(over)}"
    scoped = any(n._scope is not None for n in p.order)
    for level in _coarser(collapse) if scoped else []:
        b, e = size(collapsed(level))
        if b <= max_nodes and e <= max_edges:
            unit = "neuron" if level == "neuron" else "layer"
            suggestion: dict[str, Any] = {"collapse": level}
            raise GraphTooLarge(
                f"{head}. Pass {_options(suggestion)} to draw one box per {unit} ({b} boxes, "
                f"{e} edges), or draw a smaller part of the graph.", boxes, edges, suggestion)
    suggestion = {}
    if boxes > max_nodes:
        suggestion["max_nodes"] = boxes
    if edges > max_edges:
        suggestion["max_edges"] = edges
    if edges > SLOW_EDGES:
        suggestion["timeout"] = 600
    if not scoped:
        why = ("It has no neurons or layers to collapse (only graphs made by autograd.nn or "
               "inside scope() have them)")
    elif collapse in ("layer",):
        why = "It is already collapsed as far as it goes"
    else:
        why = "Even collapse='layer' leaves too much to draw"
    wait = (": Graphviz may take many minutes on this many edges" if edges > SLOW_EDGES
            else "")
    raise GraphTooLarge(
        f"{head}. {why}; pass {_options(suggestion)} to draw all of it{wait}, or draw a "
        "smaller part of the graph (a node nearer the inputs as the root).",
        boxes, edges, suggestion)
