"""Diagrams of the computation graph (Graphviz) and the backprop stepper page.

* :func:`draw_graph` (alias :func:`draw_dot`, micrograd's name): a
  ``graphviz.Digraph`` shown inline in Jupyter, saved with ``.save("graph.svg")``;
* :func:`save_stepper`: one self-contained HTML page that replays the forward pass,
  the backward pass (a node, neuron or layer a step, with the chain-rule sentence of
  each step) and the parameter update, with zoom and pan for lecture-size graphs;
* :func:`save_frames`: the same frames as numbered SVG, PNG or PDF slides.

Needs the ``graphviz`` Python package (the ``viz`` extra: the error says the
command that installs it here, :func:`autograd.install.install_hint`) and the
Graphviz ``dot`` program (``apt-get install -y graphviz``); both are loaded only
when a diagram is drawn, so ``import autograd`` never needs them.  Every saving
function returns a :class:`pathlib.Path` (``save_frames`` a list of them).
"""

from __future__ import annotations

from typing import Any

from .dot import FORMATS, draw_dot, draw_graph
from .guard import GraphTooLarge
from .labels import COLORS, HIGHLIGHT, OKABE_ITO
from .model import ROLES
from .process import GraphvizError, GraphvizTimeout
from .slides import FRAME_FORMATS, TooManyFrames, save_frames
from .stepper_page import save_stepper, stepper_html

__all__ = ["COLORS", "FORMATS", "FRAME_FORMATS", "HIGHLIGHT", "OKABE_ITO", "ROLES", "Diagram",
           "GraphTooLarge", "GraphvizError", "GraphvizNotFound", "GraphvizTimeout", "TooManyFrames",
           "draw_dot", "draw_graph", "save_frames", "save_stepper", "stepper_html"]


def __getattr__(name: str) -> Any:
    """``Diagram`` and ``GraphvizNotFound`` need graphviz: imported on first use."""
    if name in ("Diagram", "GraphvizNotFound"):
        from . import diagram, dot
        dot.load_diagram()
        return getattr(diagram, name)
    raise AttributeError(f"module 'autograd.viz' has no attribute {name!r}")
