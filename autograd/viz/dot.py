"""``draw_graph``: a Value graph as a Graphviz diagram.

Each value is a box ``name | data | grad`` coloured by its role; each operation a
small circle between its inputs and its result, as in micrograd.  Nodes created in
a neuron or layer (``node.scope``) sit in nested labelled clusters (a neuron's
weights and bias inside it), or collapse into one box each.  Element ids are
stable (see :mod:`autograd.viz.builder`), so the SVG can be scripted and tested.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..engine import Value
from ..install import install_hint
from ..validate import choice, real
from .builder import Builder
from .labels import FORMATS, number_format
from .model import HasParameters, plan
from .process import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from .diagram import Diagram

__all__ = ["FORMATS", "draw_dot", "draw_graph", "load_diagram"]


RANKDIRS = ("LR", "TB", "RL", "BT")
EDGE_LABELS = (False, True, "value", "formula", "both")


def load_diagram() -> type[Diagram]:
    """The :class:`~autograd.viz.diagram.Diagram` class, importing graphviz on first use."""
    try:
        import graphviz  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "drawing diagrams needs the 'graphviz' Python package (the 'viz' extra): "
            f"{install_hint('viz')} (and the Graphviz program: apt-get install -y graphviz)"
        ) from e
    from .diagram import Diagram
    return Diagram


def draw_graph(root: Value, *, rankdir: str = "LR", show_grads: bool = True,
               fmt: str | None = None, edge_labels: bool | str = False,
               params: Iterable[Value] | HasParameters | None = None,
               highlight: Iterable[Value] = (),
               highlight_paths_from: Value | Iterable[Value] | None = None,
               clusters: bool = True, collapse: str | int | None = None,
               max_nodes: int = 300, max_edges: int = 1500, title: str | None = None,
               format: str = "svg", timeout: float | None = DEFAULT_TIMEOUT) -> Diagram:
    """Draw ``root``'s graph; returns a ``graphviz.Digraph`` with ``save(path)``.

    * ``rankdir``: ``"LR"`` (left to right, default) or ``"TB"`` (top to bottom);
    * ``show_grads``: show each node's ``grad``; ``fmt``: number format such as
      ``".4f"`` (default: 4 significant digits, as the explainer);
    * ``edge_labels``: label each input edge with the local derivative ∂out/∂in:
      ``True``/``"value"`` the number (``node._local[i]``), ``"formula"`` the op's
      text (``op.dshow``), ``"both"`` as ``w = -3.0``;
    * ``params``: the parameters (Values, or a model with ``parameters()``), drawn
      green; by default the weights and biases of neurons;
    * ``highlight``: nodes to outline in :data:`~autograd.viz.labels.HIGHLIGHT`;
      ``highlight_paths_from``: a leaf (or leaves): outline every path to the root;
    * ``clusters``: group nodes made inside a neuron/layer in labelled boxes;
      ``collapse="neuron"`` or ``"layer"`` draws each as ONE box instead;
    * ``max_nodes``, ``max_edges``: refuse (:class:`~autograd.viz.guard.GraphTooLarge`)
      to draw more boxes or edges than this, instead of leaving Graphviz running for
      minutes; the error names an option that works (``error.suggestion``);
    * ``timeout``: seconds Graphviz may take when the diagram is rendered (saved,
      piped, shown in Jupyter) before it is stopped (``None``: no limit).

    ``diagram.save("graph.svg")`` (``.png``, ``.pdf``, ``.dot``) writes a file;
    ``diagram.node_ids`` maps each drawn Value to its SVG element id.
    """
    who = "draw_graph"
    choice(who, "rankdir", rankdir, RANKDIRS)
    if not any(edge_labels == o and type(edge_labels) is type(o) for o in EDGE_LABELS):
        raise ValueError(f"{who}: edge_labels must be True, False, 'value', 'formula' or "
                         f"'both', got {edge_labels!r}")
    if timeout is not None:
        timeout = real(who, "timeout", timeout, low=0, low_open=True)
    number = number_format(fmt)
    p = plan(root, params=params, highlight=highlight,
             highlight_paths_from=highlight_paths_from, collapse=collapse, max_nodes=max_nodes,
             max_edges=max_edges, who=who)
    diagram = Builder(p, load_diagram(), number, show_grads=show_grads,
                      edge_labels="value" if edge_labels is True else edge_labels or None,
                      clusters=clusters).build(rankdir, title, format)
    diagram.timeout = timeout
    return diagram


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR", **options: Any) -> Diagram:
    """micrograd's name and signature for :func:`draw_graph` (same options)."""
    return draw_graph(root, format=format, rankdir=rankdir, **options)
