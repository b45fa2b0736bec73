"""Numbers and derivatives in words: :func:`fmt`, the brackets rule, the derivative sentence.

Every ``∂y/∂x = …`` the package prints is made here, by :func:`derivative`:
the stepper's and ``explain()``'s chain-rule lines, anomaly messages and the
diagrams' edge labels (``formula``, ``value`` or both, see :class:`Derivative`).
Whether a piece of text needs brackets inside a formula is decided by ONE rule,
:func:`needs_brackets` (:func:`operand` applies it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from ..optable import needs_brackets

__all__ = ["Derivative", "Text", "derivative", "fmt", "needs_brackets", "operand"]

Number = Callable[[Any], str]


class Text(str):
    """A string whose ``repr`` is itself, so the REPL and Jupyter show it as printed text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:   # Jupyter: the same text, as HTML (explainer/html.py)
        from .html import text_html
        return text_html(self)


def fmt(x: object) -> str:
    """A short, stable text for a number: 4 significant digits, floats keep a ``.0``.

    A Value (a gradient after ``backward(create_graph=True)``) shows its number.
    Negative zero (``0.0 · -0.03``, a dead ReLU's product) shows as ``0.0``: the sign
    of a zero means nothing to a reader.

    >>> fmt(-3.0), fmt(0.7071067811865476), fmt(0.9999999999999998), fmt(1e-9), fmt(-0.0)
    ('-3.0', '0.7071', '1.0', '1e-09', '0.0')
    """
    if isinstance(x, Value):
        x = x.data
    if not isinstance(x, (int, float)):
        return str(x)
    if x == 0:
        x = abs(x)
    s = f"{x:.4g}"
    return s + ".0" if s.lstrip("-").isdigit() else s


def operand(text: str) -> str:
    """``text`` ready to sit inside a formula: bracketed when :func:`needs_brackets` says so.

    >>> operand('x1'), operand('-3.0'), operand('x1*w1')
    ('x1', '(-3.0)', '(x1*w1)')
    """
    return f"({text})" if needs_brackets(text) else text


@dataclass(frozen=True)
class Derivative:
    """∂out/∂input along one edge of the graph, in words and as a number.

    ``out`` and ``wrt`` are display names, ``formula`` the op's own derivative text
    written with the actual names (``x1``, ``1 − o²``), ``value`` the local derivative
    the engine stored and uses.  Diagrams label an edge with ``formula``,
    ``number(value)`` or :meth:`equation`.
    """

    out: str
    wrt: str
    formula: str
    value: float

    @property
    def symbol(self) -> str:
        """``∂o/∂n``."""
        return f"∂{operand(self.out)}/∂{operand(self.wrt)}"

    def equation(self, number: Number = fmt) -> str:
        """``∂o/∂n = 1 − o² = 0.5`` (the formula is left out when it is just the number)."""
        value = number(self.value)
        if self.formula == value or _is_number(self.formula):
            return f"{self.symbol} = {value}"
        return f"{self.symbol} = {self.formula} = {value}"

    def product(self, grad: str | None = None) -> str:
        """The chain-rule product in symbols: ``∂o/∂n · o.grad = (1 − o²) · o.grad``.

        ``grad`` names the upstream gradient (default ``o.grad``; a pass on gradients
        that were not zero writes this pass's part, ``Δo.grad``)."""
        g = f"{self.out}.grad" if grad is None else grad
        return f"{self.symbol} · {g} = {operand(self.formula)} · {g}"

    def chain(self, upstream: Any, number: Number = fmt, grad: str | None = None) -> str:
        """The chain-rule product sent to the input, with its numbers:
        ``∂o/∂n · o.grad = (1 − o²) · o.grad = (0.5)(1.0) = 0.5``.

        ``upstream`` is the number the name ``grad`` (see :meth:`product`) stands for,
        so the equation holds as written."""
        return (f"{self.product(grad)} = "
                f"({number(self.value)})({number(upstream)}) = {number(self.value * upstream)}")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def derivative(node: Value, i: int, shown: Mapping[Value, str]) -> Derivative:
    """THE derivative sentence: ∂node/∂(input ``i``) with the names in ``shown``.

    ``shown`` maps the node and its inputs to the names to print (usually
    :func:`autograd.explainer.names`); the formula is the op's ``dshow`` text.
    The stepper, ``explain()``, anomaly messages and diagram edge labels all use it.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b'); c = a * b; c.label = 'c'
    >>> d = derivative(c, 0, {a: 'a', b: 'b', c: 'c'})
    >>> d.equation(), d.chain(1.0)
    ('∂c/∂a = b = -3.0', '∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0')
    """
    kids = node._prev
    out = shown[node]
    text = node._op.dshow(i, [operand(shown[c]) for c in kids], operand(out))
    return Derivative(out, shown[kids[i]], text, node._local[i])
