"""The explainer: backpropagation in words and numbers.

* :func:`names`: the display name of every node (labels such as a network's
  ``L1.N2.w1``, else ``v1``, ``v2``, …), control characters shown by :func:`printable`;
* :func:`trace` and :func:`tree`: the graph as a table and as an indented tree
  (``to_markdown()``/``to_latex()`` for slides);
* :func:`backward_steps` and :class:`Stepper`: backprop a node, a neuron or a layer
  at a time (``by=``), each step chain-rule sentences with the op's formula and the
  actual numbers; :class:`GradState`: when a gradient is final (every use done);
* :func:`derivative`: THE ``∂y/∂x = …`` sentence, shared by every view;
* :func:`explain`: one gradient as the sum over every node that uses it;
* :func:`detect_anomaly`: the first NaN or ∞, named with the line that made it.

All output is plain text (no colour codes), the same in a terminal, a notebook
or a doctest.  Only the engine's backward generator computes gradients; this
layer reads the graph and writes about it.
"""

from __future__ import annotations

from .anomaly import AnomalyError, detect_anomaly
from .explanation import explain
from .grouping import BY
from .naming import names, printable
from .progress import GradState
from .sentences import Derivative, Text, derivative, fmt, needs_brackets
from .stepper import Stepper
from .steps import Part, Step, Steps, Term, backward_steps
from .textview import Table, trace, tree

__all__ = ["BY", "AnomalyError", "Derivative", "GradState", "Part", "Step", "Stepper", "Steps",
           "Table", "Term", "Text", "backward_steps", "derivative", "detect_anomaly", "explain",
           "fmt", "names", "needs_brackets", "printable", "trace", "tree"]
