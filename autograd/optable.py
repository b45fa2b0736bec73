"""The op record and the op table: what one operation is, and where every op is kept.

An :class:`Op` is a small record, in the spirit of minitorch's ``scalar_functions``
and tinygrad's op table (the rows themselves are in :mod:`autograd.ops`):

* ``forward(*xs, *params)`` computes the output from the input numbers (n-ary
  ops such as ``sum`` and ``dot`` take them as one list: ``forward(xs)``);
* ``derivative(F, out, *xs, *params)`` returns the local derivatives
  ``∂out/∂xᵢ``, one per input.  ``F`` is a math namespace: with
  :data:`FLOAT_MATH` the rule computes plain numbers (stored on each node at
  creation time), with the engine's Value namespace the very same rule builds a
  differentiable graph (``backward(create_graph=True)``, higher-order gradients);
* ``show`` / ``dshow`` are the human-readable templates of the output and of each
  derivative; the explainer and the diagrams print them, and
  :meth:`Op.formula` turns them into ``∂(a·b)/∂a = b``;
* ``code`` (a :class:`Code`) is the same rule as Python source, from which
  :func:`autograd.compile.compile` writes a traced step as straight-line code;
* ``method``, ``activation``, ``glyph``, ``torch``: how the op is called
  (``x.tanh()``, ``tanh(x)`` on the command line), whether a neuron may use it,
  its diagram symbol and its PyTorch twin.

:func:`register` puts an op in :data:`OPS`, the one table every consumer reads.

This module imports nothing from the package: it is the bottom layer.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Callable, Sequence
from types import SimpleNamespace
from typing import Any, NamedTuple

__all__ = ["BOUND_CACHE", "FLOAT_MATH", "OPS", "Code", "DivisionByZero", "DomainError", "Op",
           "activations", "functions", "needs_brackets", "register"]


class DomainError(ValueError):
    """An input outside an operation's domain, e.g. ``log() of -1.0 at node 'x'``."""


class DivisionByZero(DomainError, ZeroDivisionError):
    """Division by zero (also a :class:`ZeroDivisionError`)."""


class _OutOfDomain(Exception):
    """Raised by a forward rule; the engine adds the node label and re-raises.

    ``index`` is the input whose value is at fault; ``kind`` is the exception
    class the user finally sees.
    """

    def __init__(self, message: str, index: int = 0, kind: type[Exception] = DomainError):
        super().__init__(message)
        self.index, self.kind = index, kind


def _sin(x: float) -> float:
    """sin x; NaN for ±∞ (IEEE, as PyTorch; ``math.sin`` would raise)."""
    return math.sin(x) if x - x == 0 else math.nan


def _cos(x: float) -> float:
    """cos x; NaN for ±∞ (IEEE, as PyTorch)."""
    return math.cos(x) if x - x == 0 else math.nan


FLOAT_MATH = SimpleNamespace(
    exp=math.exp, log=math.log, sin=_sin, cos=_cos, val=float,
    kink=lambda x, slope, second: slope,
)
"""Math namespace for derivative rules on plain numbers (``val`` reads the number).

``kink(x, slope, second)``: a derivative that is infinite at a point (``sqrt`` at 0):
the number ``slope`` here; in the Value namespace, a node whose own derivative is
``second``, so that a second derivative there is never a silent 0.
"""

GENERIC_NAMES = ("a", "b", "c", "d")


class Code(NamedTuple):
    """An op's rule as Python source, for :func:`autograd.compile.compile`.

    ``forward`` is an expression of the inputs ``{0}``, ``{1}`` … (and of the
    parameters ``{p[0]}`` of a bound op) giving the output; ``grads[i]`` gives the
    local derivative ∂out/∂inputᵢ and may also use the output ``{out}``.  Each must
    compute exactly the numbers of the op's ``forward`` / ``derivative`` (the same
    float operations in the same order), or raise where they raise.  An n-ary op,
    or one whose code depends on its parameter, gives functions instead:
    ``forward(names, p, params)`` and ``grads(i, names, out, p, params)``, where
    ``p`` are the parameters as source text and ``params`` their values; an n-ary
    op's ``forward`` returns the terms ``[start, t₁, t₂, …]`` of a sum added left
    to right (so that a long sum can be written over several lines).

    ``finite`` is a cheap condition under which every local derivative is finite
    (``"True"`` when they are constants), so that a node whose gradient is 0 has
    nothing to push; ``""`` if there is none.  ``helpers`` are the functions (and
    constants) the code uses, by name: ``("exp", math.exp)``, ``("inf", math.inf)``.
    """

    forward: str | Callable[..., Any]
    grads: tuple[str, ...] | Callable[..., str]
    finite: str = ""
    helpers: tuple[tuple[str, Any], ...] = ()


class Op(str):
    """One operation.  A ``str`` subclass, so ``node._op == '*'`` as in micrograd.

    Ops with a parameter (``x**3``, ``leaky_relu(x, 0.2)``) are bound copies made
    by :meth:`bind`; ``params`` holds the parameter values and ``base`` the
    unbound op.
    """

    name: str
    arity: int | None
    forward: Callable[..., float]
    derivative: Callable[..., Sequence[Any]]
    show: Callable[[Sequence[str]], str]
    dshow: Callable[[int, Sequence[str], str], str]
    params: tuple[float, ...]
    base: Op
    code: Code | None
    method: str | None
    activation: bool
    glyph: str
    torch: Callable[..., Any] | None
    user: bool

    def __new__(cls, symbol: str, *args: Any, **kwargs: Any) -> Op:
        return super().__new__(cls, symbol)

    def __init__(
        self,
        symbol: str,
        name: str,
        forward: Callable[..., float],
        derivative: Callable[..., Sequence[Any]],
        show: str | Callable[[Sequence[str]], str],
        dshow: Sequence[str] | Callable[[int, Sequence[str], str], str],
        arity: int | None = 1,
        params: tuple[float, ...] = (),
        param_names: tuple[str, ...] = (),
        generic_names: tuple[str, ...] = (),
        code: Code | None = None,
        *,
        method: str | None = None,
        activation: bool = False,
        glyph: str = "",
        torch: Callable[..., Any] | None = None,
        user: bool = False,
    ) -> None:
        self.generic_names, self.code = generic_names, code
        self.method, self.activation, self.glyph = method, activation, glyph or symbol
        self.torch, self.user = torch, user
        self.name, self.arity, self.params, self.base = name, arity, params, self
        self._show_src, self._dshow_src, self.param_names = show, dshow, param_names
        self.forward, self.derivative = forward, derivative
        shown = [_num(x) for x in params] or list(param_names)
        self.show = show if callable(show) else _template(show, shown)
        self.dshow = dshow if callable(dshow) else _dtemplate(dshow, shown)
        self._bound: OrderedDict[tuple[Any, ...], Op] = OrderedDict()

    def bind(self, *params: float) -> Op:
        """This op with parameter values fixed: ``POW_CONST.bind(2)`` is ``'**2'``.

        Parameters are read as floats (a numpy ``float64(1.5)`` binds the same op
        as ``1.5``, shown ``**1.5``).  The latest :data:`BOUND_CACHE` bindings of
        each op are kept for reuse; older ones are dropped (memory stays bounded).
        """
        values = tuple(float(p) for p in params)
        key = tuple(_key(v) for v in values)
        cache = self._bound
        op = cache.get(key)
        if op is not None:
            cache.move_to_end(key)
            return op
        shown = ", ".join(_num(p) for p in values)
        symbol = self.name + shown if self.name == "**" else f"{self.name}({shown})"
        forward, derivative = self.forward, self.derivative
        op = Op(symbol, self.name,
                lambda *xs: forward(*xs, *values),
                lambda F, out, *xs: derivative(F, out, *xs, *values),
                self._show_src, self._dshow_src, self.arity, values, self.param_names,
                self.generic_names, self.code, method=self.method, activation=self.activation,
                glyph=self.glyph if not values else symbol, torch=self.torch, user=self.user)
        op.base = self
        cache[key] = op
        if len(cache) > BOUND_CACHE:
            cache.popitem(last=False)
        return op

    def __reduce__(self) -> tuple[Any, ...]:  # pickling/copying an op keeps its identity
        return (_lookup, (self.base.name, self.params))

    def local_derivatives(self, F: Any, out: Any, inputs: Sequence[Any]) -> Sequence[Any]:
        """∂out/∂inputᵢ for every input, from this op's derivative rule."""
        if self.arity is None:
            return self.derivative(F, out, list(inputs))
        return self.derivative(F, out, *inputs)

    def formula(self, i: int = 0) -> str:
        """The derivative rule for input ``i`` in words, e.g. ``∂(a·b)/∂a = b``."""
        names = self.generic_names or _generic(self.arity or 2)
        out = self.show(names)
        wrapped = f"({out})" if needs_brackets(out) else out
        return f"∂{wrapped}/∂{names[i]} = {self.dshow(i, names, wrapped)}"

    def formulas(self) -> list[str]:
        """All derivative rules of this op, one per (generic) input."""
        return [self.formula(i) for i in range(len(self.generic_names or
                                                   _generic(self.arity or 2)))]


BOUND_CACHE = 256
"""How many parameter values of one op (``x**c``, ``leaky_relu(x, α)``) are kept bound."""


def _key(v: float) -> Any:
    """A cache key equal for equal numbers: NaN (never equal to itself) maps to one key."""
    return v if v == v else "nan"


def _num(p: float) -> str:
    return str(int(p)) if float(p).is_integer() else repr(p)


def _generic(n: int) -> tuple[str, ...]:
    return ("x",) if n == 1 else GENERIC_NAMES[:n]


def needs_brackets(text: str) -> bool:
    """THE brackets rule: False for text that reads as one unit inside a formula.

    One unit: a name (``x1``, ``L1.N2.z``, ``a_2``, ``v#1024``), a number that is not
    negative, a call (``tanh(z)``) or text already wrapped in one pair of brackets.  The
    op formulas here and every sentence of the explainer use it.

    >>> [needs_brackets(t) for t in ('x1', 'L1.N2.z', 'v#7', '2.5', '-3.0', 'tanh(z)', 'x·w')]
    [False, False, False, False, True, False, True]
    """
    if not text:
        return False
    head = text.split("(", 1)[0]
    if head == text:
        return not _is_name(text)
    if head and not _is_name(head):
        return True
    return not _wrapped(text)


def _is_name(text: str) -> bool:
    return text.replace(".", "").replace("_", "").replace("#", "").isalnum()


def _wrapped(text: str) -> bool:
    """True when the first ``(`` of ``text`` closes at its very end: ``tanh(z)``, ``(a + b)``."""
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


def _template(src: str, p: list[str]) -> Callable[[Sequence[str]], str]:
    return lambda names: src.format(*names, p=p)


def _dtemplate(srcs: Sequence[str], p: list[str]) -> Callable[[int, Sequence[str], str], str]:
    return lambda i, names, out: srcs[i].format(*names, out=out, p=p)


def _lookup(name: str, params: tuple[float, ...]) -> Op:
    op = OPS[name]
    return op.bind(*params) if params else op


OPS: dict[str, Op] = {}
"""Every op by name: the one table that every consumer reads (the engine's pickling,
the command line's functions and help, the networks' activations, the PyTorch
export, the diagrams' symbols, compilation).  Fill it with :func:`register`."""


def register(op: Op, *, replace: bool = False) -> Op:
    """Add ``op`` to :data:`OPS`: one call makes it known to every consumer.

    A name already taken is refused, unless ``replace=True`` and the op there is a
    user op (``user=True``: re-running a notebook cell that defines an op).
    """
    if not isinstance(op, Op):
        raise TypeError(f"register(): op must be an Op, got {type(op).__name__}")
    old = OPS.get(op.name)
    if old is not None and not (replace and old.user and op.user):
        what = "a built-in op" if not old.user else "an op (pass replace=True to redefine it)"
        raise ValueError(f"register(): {op.name!r} is already {what}")
    OPS[op.name] = op
    return op


def functions() -> dict[str, Op]:
    """The ops callable by name as functions of Values (``tanh``, ``leaky_relu`` …)."""
    return {op.method: op for op in OPS.values() if op.method}


def activations() -> dict[str, Op]:
    """The ops usable as a neuron's activation (``relu``, ``tanh`` …), by name."""
    return {op.method or op.name: op for op in OPS.values() if op.activation}
