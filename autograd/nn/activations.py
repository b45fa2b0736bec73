"""Activation functions of neurons, and softmax for a network's output.

A neuron computes ``g(w·x + b)``; ``g`` is one node of the graph (none for ``linear``):

=========== ======================= ==========================================
activation  g(z)                    g'(z)
=========== ======================= ==========================================
relu        max(0, z)               1 if z > 0 else 0
leaky_relu  z if z > 0 else α·z     1 if z > 0 else α   (α = ``alpha``, 0.01)
sigmoid     σ(z) = 1 / (1 + e⁻ᶻ)    σ(z)·(1 − σ(z))
tanh        tanh z                  1 − tanh² z
linear      z                       1                   (no node at all)
=========== ======================= ==========================================

Without a non-linear ``g`` between them, stacked layers would collapse into a
single linear map, however deep the network.

Any op registered with ``activation=True`` works as an activation too:
:func:`activation_fn` looks names up in the op table (:func:`autograd.ops.activations`).

Softmax turns a network's last-layer numbers (logits) into probabilities; it is
computed with the maximum subtracted first, so that no ``exp`` overflows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from .. import validate
from ..engine import Value
from ..nary import sum
from ..ops import activations
from .module import as_inputs, is_number

__all__ = ["ACTIVATIONS", "OUTPUTS", "activation_fn", "exp_shifted", "log_softmax", "softmax"]


ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh", "linear")
"""The built-in activations (a model using them can be saved and exported); any op
registered with ``activation=True`` (``autograd.define_op(..., activation=True)``) works
too, in memory."""

OUTPUTS = (*ACTIVATIONS, "softmax")
"""Output units accepted by :class:`MLP`: an activation of the last layer, or softmax."""


def activation_fn(name: str, alpha: float = 0.01) -> Callable[[Value], Value] | None:
    """The function applying activation ``name`` to a node (None for ``linear``).

    Read from the op table (:func:`autograd.ops.activations`): an op's parameter
    (``leaky_relu``'s α) is ``alpha``.
    """
    table = activations()
    if name == "linear":
        return None
    if not isinstance(name, str) or name not in table:
        known = ", ".join([*table, "linear"])
        raise ValueError(f"activation must be one of {known}; got {validate.got(name)}")
    op = table[name]
    method: Callable[..., Value] = getattr(Value, op.method or name)
    if not op.param_names:
        return method
    a = validate.real("activation", "alpha", alpha)
    return lambda z: method(z, a)


def exp_shifted(values: Sequence[Value | float], stem: str = "softmax",
                 ) -> tuple[list[Value], list[Value], Value]:
    """``dᵢ = zᵢ − max z``, ``eᵢ = exp dᵢ`` and ``Σ eᵢ``: the stable pieces of softmax.

    Subtracting the maximum (a constant, used as a plain number) changes nothing
    mathematically but keeps every ``exp`` ≤ 1, so logits of ±1000 are fine.  The
    nodes are labelled ``<stem>.d1 …``, ``<stem>.e1 …`` and ``<stem>.sum``.
    """
    if isinstance(values, Value) or is_number(values) or not values:
        raise ValueError(f"softmax needs a non-empty list of logits, got {values!r}")
    z = as_inputs(values, len(values), "softmax")
    m = max(v.data for v in z)
    d = [v - m for v in z]
    e = [di.exp() for di in d]
    total = sum(e)
    for i, (di, ei) in enumerate(zip(d, e), 1):
        di._label, ei._label = f"{stem}.d{i}", f"{stem}.e{i}"
    total._label = f"{stem}.sum"
    return d, e, total


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """``softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ)``, computed as ``exp(zᵢ − m) / Σⱼ exp(zⱼ − m)``.

    The nodes are named ``softmax.d1`` (z₁ − max z), ``softmax.e1`` (its exp),
    ``softmax.sum`` and ``softmax.p1`` (the probability).

    >>> [round(p.data, 4) for p in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    """
    _, e, total = exp_shifted(values)
    out = [ei / total for ei in e]
    for i, p in enumerate(out, 1):
        p._label = f"softmax.p{i}"
    return out


def log_softmax(values: Sequence[Value | float]) -> list[Value]:
    """``log softmax(z)ᵢ = (zᵢ − m) − log Σⱼ exp(zⱼ − m)``, with ``m = max z``.

    The nodes are named as in :func:`softmax` with the stem ``log_softmax``, plus
    ``log_softmax.lse`` (log Σ) and the outputs ``log_softmax.y1`` …

    >>> [round(v.data, 4) for v in log_softmax([1000.0, 0.0])]
    [0.0, -1000.0]
    """
    d, _, total = exp_shifted(values, "log_softmax")
    lse = total.log()
    lse._label = "log_softmax.lse"
    out = [di - lse for di in d]
    for i, y in enumerate(out, 1):
        y._label = f"log_softmax.y{i}"
    return out
