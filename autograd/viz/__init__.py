"""Diagrams of the computation graph (Graphviz) and the backprop stepper page.

* :func:`draw_graph` (alias :func:`draw_dot`, micrograd's name): a
  ``graphviz.Digraph`` shown inline in Jupyter, saved with ``.save("graph.svg")``;
* :func:`save_stepper`: one self-contained HTML page that replays the backward
  pass node by node, with the chain-rule sentence of each step.

Needs the ``graphviz`` Python package (``pip install 'backprop-lab[viz]'``) and the
Graphviz ``dot`` program (``apt-get install -y graphviz``); both are loaded only
when a diagram is drawn, so ``import autograd`` never needs them.
"""

from __future__ import annotations

from typing import Any

from .dot import FORMATS, draw_dot, draw_graph
from .labels import COLORS, HIGHLIGHT
from .model import ROLES, GraphTooLarge
from .stepper_page import save_stepper, stepper_html

__all__ = ["COLORS", "FORMATS", "HIGHLIGHT", "ROLES", "Diagram", "GraphTooLarge",
           "GraphvizNotFound", "draw_dot", "draw_graph", "save_stepper", "stepper_html"]


def __getattr__(name: str) -> Any:
    """``Diagram`` and ``GraphvizNotFound`` need graphviz: imported on first use."""
    if name in ("Diagram", "GraphvizNotFound"):
        from . import diagram, dot
        dot.load_diagram()
        return getattr(diagram, name)
    raise AttributeError(f"module 'autograd.viz' has no attribute {name!r}")
