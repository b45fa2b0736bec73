"""n-ary nodes: a sum of many Values, and dot products, each as ONE node.

A neuron's ``w·x + b`` as a chain of 2n two-input nodes would make graphs large
and slow; as one ``dot`` node it keeps one gradient per weight
(∂/∂wᵢ = xᵢ, ∂/∂xᵢ = wᵢ, ∂/∂b = 1, the rule in :mod:`autograd.ops`) in a graph a
class can still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
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
         biases: Sequence[Value | None], scopes: Sequence[Scope | None] | None = None, *,
         labels: Sequence[str] | None = None,
         activation: Callable[[Value], Value] | None = None,
         activation_labels: Sequence[str] | None = None) -> list[Value]:
    """``[g(dot(w, inputs, b)) for w, b in zip(rows, biases)]``: a whole layer at once.

    The same nodes as separate :func:`dot` calls (same children, numbers and
    local derivatives), but the shared inputs are checked and read once, which
    makes a layer's forward pass about twice as fast.  Row ``i``'s nodes are
    tagged with ``scopes[i]`` and named ``labels[i]`` (the sum) and
    ``activation_labels[i]`` (``g`` of it); each row's sum and activation are made
    one after the other, so backpropagation finishes one neuron before the next.
    """
    ins = tuple(inputs)
    n = len(ins)
    k = len(rows)
    tags = scopes if scopes is not None else repeat(_current()[1], k)
    names = labels if labels is not None else repeat("", k)
    act_names = activation_labels if activation_labels is not None else repeat("", k)
    if not (_ONLY_VALUES.issuperset(map(type, ins)) and _ONLY_VALUES.issuperset(map(type, biases))
            and all(len(row) == n and _ONLY_VALUES.issuperset(map(type, row)) for row in rows)):
        out = []   # the general path (numbers, Value subclasses): one dot() per row
        for row, b, scope, name, act_name in zip(rows, biases, tags, names, act_names,
                                                 strict=True):
            v = dot(row, ins, b)
            v._scope, v._label = scope, name
            if activation is not None:
                v = activation(v)
                v._scope, v._label = scope, act_name
            out.append(v)
        return out
    xd = [a.data for a in cast("tuple[Value, ...]", ins)]
    st = _current()
    record = st[0]
    out = []
    for row, b, scope, name, act_name in zip(rows, biases, tags, names, act_names, strict=True):
        wd = [w.data for w in row]
        v = _node(dot_forward(wd, xd, b.data),  # type: ignore[union-attr]  # checked above
                  (*row, *ins, b), dot_local(wd, xd, True) if record else (),  # type: ignore[arg-type]
                  DOT, st, True, Value, name)   # positional arguments: measurably faster
        v._scope = scope
        if activation is not None:
            v = activation(v)
            v._scope, v._label = scope, act_name
        out.append(v)
    return out
