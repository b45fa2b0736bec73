"""Every operation of the engine, each written once: forward, derivative, formula.

An :class:`Op` is a small record, in the spirit of minitorch's ``scalar_functions``:

* ``forward(*xs, *params)`` computes the output from the input numbers (n-ary
  ops such as ``sum`` and ``dot`` take them as one list: ``forward(xs)``);
* ``derivative(F, out, *xs, *params)`` returns the local derivatives
  ``∂out/∂xᵢ``, one per input.  ``F`` is a math namespace: with
  :data:`FLOAT_MATH` the rule computes plain numbers (stored on each node at
  creation time), with the engine's Value namespace the very same rule builds a
  differentiable graph (``backward(create_graph=True)``, higher-order gradients);
* ``show`` / ``dshow`` are the human-readable templates of the output and of each
  derivative; the explainer and the diagrams print them, and
  :meth:`Op.formula` turns them into ``∂(a·b)/∂a = b``.

This module imports nothing from the package: it is the bottom layer.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from operator import mul
from types import SimpleNamespace
from typing import Any

__all__ = ["FLOAT_MATH", "LEAF", "OPS", "DivisionByZero", "DomainError", "Op", "dot_forward",
           "dot_local"]


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


FLOAT_MATH = SimpleNamespace(
    exp=math.exp, log=math.log, sin=math.sin, cos=math.cos, val=float,
)
"""Math namespace for derivative rules on plain numbers (``val`` reads the number)."""

GENERIC_NAMES = ("a", "b", "c", "d")


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
    ) -> None:
        self.generic_names = generic_names
        self.name, self.arity, self.params, self.base = name, arity, params, self
        self._show_src, self._dshow_src, self.param_names = show, dshow, param_names
        self.forward, self.derivative = forward, derivative
        shown = [_num(x) for x in params] or list(param_names)
        self.show = show if callable(show) else _template(show, shown)
        self.dshow = dshow if callable(dshow) else _dtemplate(dshow, shown)
        self._bound: dict[tuple[float, ...], Op] = {}

    def bind(self, *params: float) -> Op:
        """This op with parameter values fixed (cached): ``POW_CONST.bind(2)`` is ``'**2'``."""
        op = self._bound.get(params)
        if op is None:
            shown = ", ".join(_num(p) for p in params)
            symbol = self.name + shown if self.name == "**" else f"{self.name}({shown})"
            forward, derivative = self.forward, self.derivative
            op = Op(symbol, self.name,
                    lambda *xs: forward(*xs, *params),
                    lambda F, out, *xs: derivative(F, out, *xs, *params),
                    self._show_src, self._dshow_src, self.arity, params, self.param_names,
                    self.generic_names)
            op.base = self
            self._bound[params] = op
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
        wrapped = out if _atomic(out) else f"({out})"
        return f"∂{wrapped}/∂{names[i]} = {self.dshow(i, names, wrapped)}"

    def formulas(self) -> list[str]:
        """All derivative rules of this op, one per (generic) input."""
        return [self.formula(i) for i in range(len(self.generic_names or
                                                   _generic(self.arity or 2)))]


def _num(p: float) -> str:
    return str(int(p)) if float(p).is_integer() else repr(p)


def _generic(n: int) -> tuple[str, ...]:
    return ("x",) if n == 1 else GENERIC_NAMES[:n]


def _atomic(s: str) -> bool:
    """True for a plain name or one call such as ``tanh(x)``: no parentheses needed."""
    head = s.split("(", 1)[0]
    if not head.replace("_", "").isalnum():
        return False
    if head == s:
        return True
    depth = 0
    for i, ch in enumerate(s):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and ch == ")":
            return i == len(s) - 1
    return False


def _template(src: str, p: list[str]) -> Callable[[Sequence[str]], str]:
    return lambda names: src.format(*names, p=p)


def _dtemplate(srcs: Sequence[str], p: list[str]) -> Callable[[int, Sequence[str], str], str]:
    return lambda i, names, out: srcs[i].format(*names, out=out, p=p)


def _lookup(name: str, params: tuple[float, ...]) -> Op:
    op = OPS[name]
    return op.bind(*params) if params else op


def _make(symbol: str, forward: Callable[..., float], derivative: Callable[..., Sequence[Any]],
          show: Any, dshow: Any, arity: int | None = 1, name: str | None = None,
          param_names: tuple[str, ...] = (), generic_names: tuple[str, ...] = ()) -> Op:
    return Op(symbol, name or symbol, forward, derivative, show, dshow, arity, (), param_names,
              generic_names)


# ---------------------------------------------------------------------------
# The rules.  Each block: forward, derivative ∂out/∂input, display templates.
# In templates {0}, {1} are the input names, {out} the output, {p[0]} a parameter.
# ---------------------------------------------------------------------------

LEAF = _make("", lambda: 0.0, lambda F, out: (), "{0}", (), arity=0, name="")
"""The 'op' of a leaf: no inputs, nothing to differentiate."""

# c = a + b            ∂c/∂a = 1, ∂c/∂b = 1
ADD = _make("+", lambda a, b: a + b, lambda F, out, a, b: (1.0, 1.0),
            "{0} + {1}", ("1", "1"), arity=2)

# c = a − b            ∂c/∂a = 1, ∂c/∂b = −1
SUB = _make("-", lambda a, b: a - b, lambda F, out, a, b: (1.0, -1.0),
            "{0} − {1}", ("1", "−1"), arity=2)

# c = a·b              ∂c/∂a = b, ∂c/∂b = a
MUL = _make("*", lambda a, b: a * b, lambda F, out, a, b: (b, a),
            "{0}·{1}", ("{1}", "{0}"), arity=2)


# c = a / b            ∂c/∂a = 1/b, ∂c/∂b = −a/b² = −c/b
def _div(a: float, b: float) -> float:
    if b == 0:
        raise _OutOfDomain(f"division by zero: {a!r} / {b!r}", 1, DivisionByZero)
    return a / b


DIV = _make("/", _div, lambda F, out, a, b: (1.0 / b, -out / b),
            "{0} / {1}", ("1 / {1}", "−{out} / {1}"), arity=2)

# c = −a               ∂c/∂a = −1
NEG = _make("neg", lambda a: -a, lambda F, out, a: (-1.0,), "−{0}", ("−1",))


# c = xⁿ (n a number)  ∂c/∂x = n·xⁿ⁻¹
def _pow_const(x: float, n: float) -> float:
    if x == 0 and n < 0:
        raise _OutOfDomain(f"{x!r} ** {n!r} (zero to a negative power)", 0, DivisionByZero)
    if x < 0 and not float(n).is_integer():
        raise _OutOfDomain(f"{x!r} ** {n!r} (negative base, fractional power)")
    try:
        return float(x ** n)
    except OverflowError:
        raise _OutOfDomain(f"{x!r} ** {n!r} overflows", 0, OverflowError) from None


def _d_pow_const(F: Any, out: Any, x: Any, n: float) -> tuple[Any]:
    if n == 0:
        return (0.0,)
    if n < 1 and F.val(x) == 0:  # slope of x**n at 0 for 0 < n < 1 is infinite
        return (math.inf,)
    try:
        return (n * x ** (n - 1),)
    except OverflowError:  # the slope is too steep for a float: ±∞, as PyTorch
        negative = (n < 0) != (F.val(x) < 0 and (n - 1) % 2 == 1)
        return (-math.inf if negative else math.inf,)


POW_CONST = _make("**", _pow_const, _d_pow_const, "{0}^{p[0]}", ("{p[0]}·{0}^({p[0]}−1)",),
                  param_names=("n",))


# c = aᵇ (b a Value)   ∂c/∂a = b·aᵇ⁻¹, ∂c/∂b = c·ln a   (needs a > 0, or a = 0 with b > 0)
def _pow(a: float, b: float) -> float:
    if a < 0:
        raise _OutOfDomain(f"{a!r} ** b (negative base with a Value exponent)")
    if a == 0 and b <= 0:
        raise _OutOfDomain(f"0 ** {b!r} (zero base, exponent not positive)", 0, DivisionByZero)
    try:
        return float(a ** b)
    except OverflowError:
        raise _OutOfDomain(f"{a!r} ** {b!r} overflows", 0, OverflowError) from None


def _d_pow(F: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    if F.val(a) == 0:
        return (b * a ** (b - 1) if F.val(b) >= 1 else math.inf, 0.0)
    return (b * a ** (b - 1), out * F.log(a))


POW = _make("pow", _pow, _d_pow, "{0}^{1}", ("{1}·{0}^({1}−1)", "{out}·ln {0}"), arity=2)


# y = eˣ               ∂y/∂x = eˣ = y
def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise _OutOfDomain(f"exp() of {x!r} overflows (largest is about 709.78)", 0,
                           OverflowError) from None


EXP = _make("exp", _exp, lambda F, out, x: (out,), "exp({0})", ("{out}",))


# y = ln x             ∂y/∂x = 1/x
def _log(x: float) -> float:
    if x <= 0:
        raise _OutOfDomain(f"log() of {x!r}")
    return math.log(x)


LOG = _make("log", _log, lambda F, out, x: (1.0 / x,), "log({0})", ("1 / {0}",))


# y = √x               ∂y/∂x = 1/(2√x) = 1/(2y)   (+∞ at 0, as PyTorch)
def _sqrt(x: float) -> float:
    if x < 0:
        raise _OutOfDomain(f"sqrt() of {x!r}")
    return math.sqrt(x)


SQRT = _make("sqrt", _sqrt, lambda F, out, x: (0.5 / out if out > 0 else math.inf,),
             "sqrt({0})", ("1 / (2·{out})",))

# y = tanh x           ∂y/∂x = 1 − y²
TANH = _make("tanh", math.tanh, lambda F, out, x: (1.0 - out * out,),
             "tanh({0})", ("1 − {out}²",))


# y = σ(x) = 1/(1+e⁻ˣ) ∂y/∂x = y·(1 − y)   (computed without overflow for any x)
def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


SIGMOID = _make("sigmoid", _sigmoid, lambda F, out, x: (out * (1.0 - out),),
                "σ({0})", ("{out}·(1 − {out})",))

# y = max(0, x)        ∂y/∂x = 1 if x > 0 else 0   (0 at the kink, as PyTorch)
# (Rules whose derivative is a constant return constant tuples: no allocation per node.)
RELU = _make("ReLU", lambda x: x if x > 0 else 0.0,
             lambda F, out, x: (1.0,) if x > 0 else (0.0,),
             "relu({0})", ("1 if {0} > 0 else 0",))

# y = x if x > 0 else αx   ∂y/∂x = 1 if x > 0 else α   (α at the kink, as PyTorch)
LEAKY_RELU = _make("leaky_relu", lambda x, alpha: x if x > 0 else alpha * x,
                   lambda F, out, x, alpha: (1.0 if x > 0 else alpha,),
                   "leaky_relu({0}, {p[0]})", ("1 if {0} > 0 else {p[0]}",),
                   param_names=("α",))

# y = |x|              ∂y/∂x = sign(x)   (0 at the kink, as PyTorch)
ABS = _make("abs", abs, lambda F, out, x: (1.0,) if x > 0 else (-1.0,) if x < 0 else (0.0,),
            "|{0}|", ("sign({0})",))

# y = sin x            ∂y/∂x = cos x
SIN = _make("sin", math.sin, lambda F, out, x: (F.cos(x),), "sin({0})", ("cos({0})",))

# y = cos x            ∂y/∂x = −sin x
COS = _make("cos", math.cos, lambda F, out, x: (-F.sin(x),), "cos({0})", ("−sin({0})",))


# n-ary ops (arity None) receive their inputs as ONE list: forward(xs), derivative(F, out, xs).

# y = x₁ + x₂ + … + xₙ   ∂y/∂xᵢ = 1            (one node, n children)
def _sum(xs: Sequence[float]) -> float:
    return sum(xs, 0.0)


SUM = _make("sum", _sum, lambda F, out, xs: (1.0,) * len(xs),
            lambda names: " + ".join(names) if len(names) <= 4
            else f"{names[0]} + … + {names[-1]}",
            lambda i, names, out: "1", arity=None, name="sum", generic_names=("x₁", "x₂", "x₃"))


# y = w₁x₁ + … + wₙxₙ (+ b)   ∂y/∂wᵢ = xᵢ, ∂y/∂xᵢ = wᵢ, ∂y/∂b = 1
# Children are (w₁, …, wₙ, x₁, …, xₙ) with the optional bias last.
def dot_forward(w: Sequence[float], x: Sequence[float], b: float = 0.0) -> float:
    """b + Σ wᵢxᵢ (the bias first: the same sum, bit for bit, as micrograd's neuron)."""
    return sum(map(mul, w, x), b)


def dot_local(w: Sequence[Any], x: Sequence[Any], bias: bool) -> tuple[Any, ...]:
    """(∂/∂w₁ … ∂/∂wₙ, ∂/∂x₁ … ∂/∂xₙ[, ∂/∂b]) = (x₁ … xₙ, w₁ … wₙ[, 1])."""
    return (*x, *w, 1.0) if bias else (*x, *w)


def _dot(c: Sequence[float]) -> float:
    n = len(c) // 2
    return dot_forward(c[:n], c[n:2 * n], c[-1] if len(c) % 2 else 0.0)


def _d_dot(F: Any, out: Any, c: Sequence[Any]) -> tuple[Any, ...]:
    n = len(c) // 2
    return dot_local(c[:n], c[n:2 * n], bool(len(c) % 2))


def _show_dot(names: Sequence[str]) -> str:
    n = len(names) // 2
    terms = [f"{w}·{x}" for w, x in zip(names[:n], names[n:2 * n])]
    if len(terms) > 3:
        terms = [terms[0], "…", terms[-1]]
    return " + ".join(terms + ([names[-1]] if len(names) % 2 else []))


def _dshow_dot(i: int, names: Sequence[str], out: str) -> str:
    n = len(names) // 2
    return "1" if i == 2 * n else names[(i + n) % (2 * n)]


DOT = _make("dot", _dot, _d_dot, _show_dot, _dshow_dot, arity=None, name="dot",
           generic_names=("w₁", "w₂", "x₁", "x₂", "b"))

OPS: dict[str, Op] = {o.name: o for o in (
    LEAF, ADD, SUB, MUL, DIV, NEG, POW_CONST, POW, EXP, LOG, SQRT, TANH, SIGMOID,
    RELU, LEAKY_RELU, ABS, SIN, COS, SUM, DOT)}
"""Every op by name, for lookup (the diagrams and the explainer iterate it)."""
