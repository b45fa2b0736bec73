"""n-ary nodes: a sum of many Values, and dot products, each as ONE node.

A neuron's ``w·x + b`` as a chain of 2n two-input nodes would make graphs large
and slow; as one ``dot`` node it keeps one gradient per weight
(∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1, the rule in :mod:`autograd.ops`) in a graph a
class can still read.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import cast

from .engine import _ONLY_VALUES, Number, Value, _apply, _const, _current, _node
from .ops import DOT, SUM, dot_forward, dot_local
from .state import Scope

__all__ = ["dot", "dots", "sum"]


def sum(values: Iterable[Value | Number], start: Value | Number = 0.0) -> Value:
    """Σ values as ONE node with many children (∂/∂xᵢ = 1): small, fast graphs.

    Unlike the built-in ``sum()``, which makes a chain of n two-input additions.
    """
    items = list(values)
    if isinstance(start, Value) or start != 0.0:
        items.append(start)
    if not items:
        return _const(0.0)
    return _apply(SUM, tuple(items))  # _apply rejects anything that is not a Value or number


def dot(weights: Sequence[Value | Number], inputs: Sequence[Value | Number],
        bias: Value | Number | None = None) -> Value:
    """Σ wᵢ·xᵢ (+ b) as ONE node; ∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1.

    Neurons are built on it: one node per neuron, yet one gradient per weight.
    """
    n = len(weights)
    if n != len(inputs):
        raise ValueError(f"dot() needs as many weights as inputs, got {n} "
                         f"weights and {len(inputs)} inputs")
    if not n and bias is None:
        return _const(0.0)
    args = (*weights, *inputs) if bias is None else (*weights, *inputs, bias)
    return _apply(DOT, args)  # _apply rejects anything that is not a Value or number


def dots(rows: Sequence[Sequence[Value]], inputs: Sequence[Value | Number],
         biases: Sequence[Value | None], scopes: Sequence[Scope | None] | None = None,
         ) -> list[Value]:
    """``[dot(w, inputs, b) for w, b in zip(rows, biases)]``: a whole layer's sums.

    The same nodes as separate :func:`dot` calls (same children, numbers and
    local derivatives), but the shared inputs are checked and read once, which
    makes a layer's forward pass about twice as fast.  ``scopes[i]`` tags node i.
    """
    ins = tuple(inputs)
    n = len(ins)
    if not (_ONLY_VALUES.issuperset(map(type, ins)) and _ONLY_VALUES.issuperset(map(type, biases))
            and all(len(row) == n and _ONLY_VALUES.issuperset(map(type, row)) for row in rows)):
        out = [dot(row, ins, b) for row, b in zip(rows, biases, strict=True)]  # the general path
    else:
        xd = [a.data for a in cast("tuple[Value, ...]", ins)]
        out = []
        st = _current()
        record = st[0]
        for row, b in zip(rows, biases, strict=True):
            wd = [w.data for w in row]
            data = dot_forward(wd, xd, b.data)  # type: ignore[union-attr]  # checked above
            out.append(_node(data, (*row, *ins, b), dot_local(wd, xd, True)  # type: ignore[arg-type]
                             if record else (), DOT, st))
    if scopes is not None:
        for v, sc in zip(out, scopes):
            v._scope = sc
    return out
