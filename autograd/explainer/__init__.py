"""The explainer: backpropagation in words and numbers.

* :func:`names`: the display name of every node (labels, else ``v1``, ``v2``, …);
* :func:`trace` and :func:`tree`: the graph as a table and as an indented tree;
* :func:`backward_steps` and :class:`Stepper`: backprop one node at a time,
  each step a chain-rule sentence with the op's formula and the actual numbers;
* :func:`explain`: one gradient as the sum over every node that uses it;
* :func:`detect_anomaly`: the first NaN or ∞, named with the line that made it.

All output is plain text (no colour codes), the same in a terminal, a notebook
or a doctest.  Only the engine's backward generator computes gradients; this
layer reads the graph and writes about it.
"""

from __future__ import annotations

from .anomaly import AnomalyError, detect_anomaly
from .explanation import explain
from .stepper import Stepper
from .steps import Step, Steps, Term, backward_steps
from .textview import Text, fmt, names, trace, tree

__all__ = ["AnomalyError", "Step", "Stepper", "Steps", "Term", "Text", "backward_steps",
           "detect_anomaly", "explain", "fmt", "names", "trace", "tree"]
