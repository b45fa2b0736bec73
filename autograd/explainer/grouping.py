"""Stepping granularity: which nodes of a backward pass make one step.

``by="node"``: every node is its own step.  ``by="neuron"``: a neuron's nodes
(its activation ``h`` and weighted sum ``z``, tagged with a scope named
``Neuron …`` by :mod:`autograd.nn`) make one step; ``by="layer"``: every node of a
layer (scope ``Layer …``) makes one step.  Nodes outside any neuron or layer are
stepped one by one.  A step is a run of consecutive nodes of the engine's own
backward order, so grouping never changes what the engine does, only where the
explainer pauses; one call of the model on one sample is one group (a batch graph
has a step per neuron per sample).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from ..engine import Value
from ..state import Scope

__all__ = ["BY", "check_by", "group_of", "runs", "short_name"]

BY = ("node", "neuron", "layer")
"""The granularities of :class:`~autograd.explainer.Stepper` and ``backward_steps``."""

_NUMBERED = re.compile(r"(Layer|Neuron) (\d+)")


def check_by(by: object, who: str) -> str:
    """``by`` itself if it is one of :data:`BY`, else a ValueError naming ``who``."""
    if not isinstance(by, str) or by not in BY:
        raise ValueError(f"{who}: by must be 'node', 'neuron' or 'layer', got {by!r}")
    return by


def group_of(node: Value, by: str) -> Scope | None:
    """The scope whose nodes make one step with ``node`` at granularity ``by`` (None: alone).

    ``'neuron'``: the innermost scope of kind ``"neuron"``; ``'layer'``: the outermost
    of kind ``"layer"`` (:meth:`autograd.state.Scope.enclosing`).  The diagrams'
    ``collapse=`` groups the same way.
    """
    s = node._scope
    if s is None or by == "node":
        return None
    return s.enclosing(by)


def short_name(scope: Scope) -> str:
    """The prefix :mod:`autograd.nn` gives the scope's nodes: ``'Layer 1 · Neuron 2'`` →
    ``'L1.N2'`` (``''`` for an unnumbered scope such as a lone ``Neuron``)."""
    parts = [f"{m.group(1)[0]}{m.group(2)}" for s in scope.path
             if (m := _NUMBERED.fullmatch(s.name))]
    return ".".join(parts)


def runs(order: Sequence[Value], stops: Sequence[int], by: str,
         sample: Mapping[Value, int]) -> list[list[int]]:
    """Split the positions ``stops`` (nodes to explain, in the backward ``order``) into steps.

    Consecutive positions share a step when their nodes have the same group at
    ``by`` and belong to the same call of the model (``sample``).
    """
    out: list[list[int]] = []
    last: tuple[Scope, int] | None = None
    for pos in stops:
        node = order[pos]
        g = group_of(node, by)
        key = None if g is None else (g, sample.get(node, 0))
        if key is not None and key == last:
            out[-1].append(pos)
        else:
            out.append([pos])
        last = key
    return out
