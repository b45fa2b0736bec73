"""Every operation of the engine, each written once: forward, derivative, formula, code.

One row per op, declared with :func:`_make` (which registers it in the op table,
:data:`autograd.optable.OPS`): the forward function, the local derivative rule
``derivative(F, out, *xs)``, the display templates (``{0}``, ``{1}`` the inputs,
``{out}`` the output, ``{p[0]}`` a parameter), how it is called and its code.
The record itself, :class:`~autograd.optable.Op`, is described in
:mod:`autograd.optable`; its names are re-exported here.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable, Iterable, Sequence
from operator import mul
from typing import Any

from .optable import (
    BOUND_CACHE,
    FLOAT_MATH,
    GENERIC_NAMES,
    OPS,
    Code,
    DivisionByZero,
    DomainError,
    Op,
    _cos,
    _num,
    _OutOfDomain,
    _sin,
    activations,
    functions,
    register,
)

__all__ = ["BOUND_CACHE", "FLOAT_MATH", "GENERIC_NAMES", "LEAF", "OPS", "Code", "DivisionByZero",
           "DomainError", "Op", "activations", "dot_forward", "dot_local", "functions",
           "left_to_right_sum", "register"]


def _make(symbol: str, forward: Callable[..., float], derivative: Callable[..., Sequence[Any]],
          show: Any, dshow: Any, arity: int | None = 1, name: str | None = None,
          param_names: tuple[str, ...] = (), generic_names: tuple[str, ...] = (),
          code: Code | None = None, **meta: Any) -> Op:
    """Declare one op row and register it (keywords: method, activation, glyph, torch)."""
    return register(Op(symbol, name or symbol, forward, derivative, show, dshow, arity, (),
                       param_names, generic_names, code, **meta))


# ---------------------------------------------------------------------------
# The rules.  Each block: forward, derivative ∂out/∂input, display templates.
# In templates {0}, {1} are the input names, {out} the output, {p[0]} a parameter.
# code= is the rule as Python source for autograd.compile (see Code).
# ---------------------------------------------------------------------------

LEAF = _make("", lambda: 0.0, lambda F, out: (), "{0}", (), arity=0, name="")
"""The 'op' of a leaf: no inputs, nothing to differentiate."""

# c = a + b            ∂c/∂a = 1, ∂c/∂b = 1
ADD = _make("+", lambda a, b: a + b, lambda F, out, a, b: (1.0, 1.0),
            "{0} + {1}", ("1", "1"), arity=2, glyph="+", torch=lambda t, a, b: a + b,
             code=Code("{0} + {1}", ("1.0", "1.0"), "True"))

# c = a − b            ∂c/∂a = 1, ∂c/∂b = −1
SUB = _make("-", lambda a, b: a - b, lambda F, out, a, b: (1.0, -1.0),
            "{0} − {1}", ("1", "−1"), arity=2, glyph="−", torch=lambda t, a, b: a - b,
             code=Code("{0} - {1}", ("1.0", "-1.0"), "True"))

# c = a·b              ∂c/∂a = b, ∂c/∂b = a
MUL = _make("*", lambda a, b: a * b, lambda F, out, a, b: (b, a),
            "{0}·{1}", ("{1}", "{0}"), arity=2,
            glyph="×", torch=lambda t, a, b: a * b,
            code=Code("{0} * {1}", ("{1}", "{0}"), "{out} - {out} == 0.0"))  # a·b finite: a, b too


# c = a / b            ∂c/∂a = 1/b, ∂c/∂b = −a/b² = −c/b
def _div(a: float, b: float) -> float:
    if b == 0:
        raise _OutOfDomain(f"division by zero: {a!r} / {b!r}", 1, DivisionByZero)
    return a / b


DIV = _make("/", _div, lambda F, out, a, b: (1.0 / b, -out / b),
            "{0} / {1}", ("1 / {1}", "−{out} / {1}"), arity=2,
            glyph="÷", torch=lambda t, a, b: a / b,
            code=Code("{0} / {1}", ("1.0 / {1}", "-{out} / {1}")))  # b = 0 raises, as _div

# c = −a               ∂c/∂a = −1
NEG = _make("neg", lambda a: -a, lambda F, out, a: (-1.0,), "−{0}", ("−1",),
            glyph="−", torch=lambda t, a: -a,
            code=Code("-{0}", ("-1.0",), "True"))


# c = xⁿ (n a number)  ∂c/∂x = n·xⁿ⁻¹
def _pow_const(x: float, n: float) -> float:
    if x == 0 and n < 0:
        raise _OutOfDomain(f"{x!r} ** {_num(n)} (zero to a negative power)", 0, DivisionByZero)
    if x < 0 and not float(n).is_integer():
        raise _OutOfDomain(f"{x!r} ** {_num(n)} (negative base, fractional power)")
    try:
        return float(x ** n)
    except OverflowError:   # IEEE overflow: ±∞ (the overflow policy, see the module doc)
        return -math.inf if x < 0 and n % 2 == 1 else math.inf


def _d_pow_const(F: Any, out: Any, x: Any, n: float) -> tuple[Any]:
    if n == 0:
        return (0.0,)
    if n < 1 and F.val(x) == 0:  # slope of x**n at 0 for 0 < n < 1: +∞, and the slope
        return (F.kink(x, math.inf, -math.inf),)   # of that slope −∞ (n(n−1)x^(n−2))
    try:
        return (n * x ** (n - 1),)
    except OverflowError:  # the slope is too steep for a float: ±∞, as PyTorch
        negative = (n < 0) != (F.val(x) < 0 and (n - 1) % 2 == 1)
        return (-math.inf if negative else math.inf,)


def _d_pow_const_float(x: float, n: float) -> float:
    return _d_pow_const(FLOAT_MATH, 0.0, x, n)[0]  # type: ignore[no-any-return]


def _whole(n: float) -> bool:
    return isinstance(n, int) or n.is_integer()


def _code_pow_const(names: Sequence[str], p: Sequence[str], params: tuple[float, ...]) -> str:
    # the rule itself: Python's x ** n would raise OverflowError where the rule gives ±∞
    return f"pow_const({names[0]}, {p[0]})"


def _dcode_pow_const(i: int, names: Sequence[str], out: str, p: Sequence[str],
                     params: tuple[float, ...]) -> str:
    if _whole(params[0]) and params[0] >= 1:   # the rule's own n * x ** (n - 1)
        return f"{p[0]} * {names[0]} ** ({p[0]} - 1)"
    return f"d_pow_const({names[0]}, {p[0]})"


POW_CONST = _make("**", _pow_const, _d_pow_const, "{0}^{p[0]}", ("{p[0]}·{0}^({p[0]}−1)",),
                  param_names=("n",),
                  torch=lambda t, x, n: x ** n,
                  code=Code(_code_pow_const, _dcode_pow_const, "",
                            (("pow_const", _pow_const), ("d_pow_const", _d_pow_const_float))))


# c = aᵇ (b a Value)   ∂c/∂a = b·aᵇ⁻¹, ∂c/∂b = c·ln a   (needs a > 0, or a = 0 with b > 0)
def _pow(a: float, b: float) -> float:
    if a < 0:
        raise _OutOfDomain(f"{a!r} ** b (negative base with a Value exponent)")
    if a == 0 and b < 0:
        raise _OutOfDomain(f"0 ** {b!r} (zero to a negative power)", 0, DivisionByZero)
    try:
        return float(a ** b)   # 0 ** 0 is 1, as in Python and PyTorch
    except OverflowError:      # IEEE overflow: +∞
        return math.inf


def _d_pow(F: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    if F.val(a) == 0:          # at a = 0: ∂/∂b = 0 (as PyTorch); ∂/∂a by the exponent
        bv = F.val(b)
        if bv == 0:            # 0 ** b near b = 0 is the constant 1
            return (0.0, 0.0)
        if bv < 1:             # an infinite slope, whose own slope is −∞ (b(b−1) < 0)
            return (F.kink(a, math.inf, -math.inf), 0.0)
        return (b * a ** (b - 1), 0.0)
    return (b * a ** (b - 1), out * F.log(a))


def _d_pow_float(out: float, a: float, b: float) -> tuple[float, float]:
    return _d_pow(FLOAT_MATH, out, a, b)


POW = _make("pow", _pow, _d_pow, "{0}^{1}", ("{1}·{0}^({1}−1)", "{out}·ln {0}"), arity=2,
            glyph="**", torch=lambda t, a, b: a ** b,
            code=Code("power({0}, {1})", ("power_grads({out}, {0}, {1})[0]",
                                          "power_grads({out}, {0}, {1})[1]"), "",
                      (("power", _pow), ("power_grads", _d_pow_float))))


# y = eˣ               ∂y/∂x = eˣ = y
def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:   # IEEE overflow: +∞ above x ≈ 709.78 (detect_anomaly names it)
        return math.inf


EXP = _make("exp", _exp, lambda F, out, x: (out,), "exp({0})", ("{out}",),
            method="exp", torch=lambda t, x: t.exp(x),
            code=Code("exp({0})", ("{out}",), "", (("exp", _exp),)))  # ∞ on overflow, as _exp


# y = ln x             ∂y/∂x = 1/x
def _log(x: float) -> float:
    if x <= 0:
        raise _OutOfDomain(f"log() of {x!r}")
    return math.log(x)


LOG = _make("log", _log, lambda F, out, x: (1.0 / x,), "log({0})", ("1 / {0}",),
            method="log", torch=lambda t, x: t.log(x),
            code=Code("log({0})", ("1.0 / {0}",), "", (("log", math.log),)))  # raises for x ≤ 0


# y = √x               ∂y/∂x = 1/(2√x) = 1/(2y)   (+∞ at 0, as PyTorch)
def _sqrt(x: float) -> float:
    if x < 0:
        raise _OutOfDomain(f"sqrt() of {x!r}")
    return math.sqrt(x)


def _d_sqrt(F: Any, out: Any, x: Any) -> tuple[Any]:
    o = F.val(out)
    if o > 0:
        return (0.5 / out,)
    if o == 0:          # +∞ at 0 (as PyTorch), and the slope of that slope is −∞
        return (F.kink(x, math.inf, -math.inf),)
    return (out,)         # NaN in, NaN slope


SQRT = _make("sqrt", _sqrt, _d_sqrt,
             "sqrt({0})", ("1 / (2·{out})",),
             method="sqrt", torch=lambda t, x: t.sqrt(x),
             code=Code("sqrt({0})", ("0.5 / {out} if {out} > 0 else "
                                     "(inf if {out} == 0 else {out})",), "",
                       (("sqrt", math.sqrt), ("inf", math.inf))))  # raises for x < 0

# An infinite slope inside a derivative graph (FLOAT_MATH.kink): the value s, whose own
# derivative is s′ (sqrt at 0: s = +∞, s′ = −∞), so d²/dx² there is ±∞, never a silent 0.
KINK = _make("slope", lambda x, s, d: s, lambda F, out, x, s, d: (d,), "slope({0})", ("{p[1]}",),
             param_names=("s", "s′"), code=Code("{p[0]}", ("{p[1]}",), ""))

# y = tanh x           ∂y/∂x = 1 − y²
TANH = _make("tanh", math.tanh, lambda F, out, x: (1.0 - out * out,),
             "tanh({0})", ("1 − {out}²",),
             method="tanh", activation=True, torch=lambda t, x: t.tanh(x),
             code=Code("tanh({0})", ("1.0 - {out} * {out}",), "", (("tanh", math.tanh),)))


# y = σ(x) = 1/(1+e⁻ˣ) ∂y/∂x = y·(1 − y)   (computed without overflow for any x)
def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


SIGMOID = _make("sigmoid", _sigmoid, lambda F, out, x: (out * (1.0 - out),),
                "σ({0})", ("{out}·(1 − {out})",),
                method="sigmoid", activation=True, glyph="σ", torch=lambda t, x: t.sigmoid(x),
                code=Code("sigmoid({0})", ("{out} * (1.0 - {out})",), "",
                          (("sigmoid", _sigmoid),)))

# y = max(0, x)        ∂y/∂x = 1 if x > 0 else 0   (0 at the kink, as PyTorch)
# (Rules whose derivative is a constant return constant tuples: no allocation per node.)
RELU = _make("ReLU", lambda x: x if not x <= 0 else 0.0,   # NaN passes through, as PyTorch
             lambda F, out, x: (1.0,) if x > 0 else (0.0,),
             "relu({0})", ("1 if {0} > 0 else 0",),
             method="relu", activation=True, torch=lambda t, x: t.relu(x),
             code=Code("{0} if not {0} <= 0 else 0.0", ("1.0 if {0} > 0 else 0.0",), "True"))

# y = x if x > 0 else αx   ∂y/∂x = 1 if x > 0 else α   (α at the kink, as PyTorch)
LEAKY_RELU = _make("leaky_relu", lambda x, alpha: x if x > 0 else alpha * x,
                   lambda F, out, x, alpha: (1.0 if x > 0 else alpha,),
                   "leaky_relu({0}, {p[0]})", ("1 if {0} > 0 else {p[0]}",),
                   param_names=("α",),
                   method="leaky_relu", activation=True,
                   torch=lambda t, x, a: t.nn.functional.leaky_relu(x, a),
                   code=Code("{0} if {0} > 0 else {p[0]} * {0}", ("1.0 if {0} > 0 else {p[0]}",)))

# y = |x|              ∂y/∂x = sign(x)   (0 at the kink, as PyTorch)
ABS = _make("abs", abs, lambda F, out, x: (1.0,) if x > 0 else (-1.0,) if x < 0 else (0.0,),
            "|{0}|", ("sign({0})",),
            method="abs", torch=lambda t, x: t.abs(x),
            code=Code("abs({0})", ("1.0 if {0} > 0 else -1.0 if {0} < 0 else 0.0",), "True",
                      (("abs", abs),)))

# y = sin x            ∂y/∂x = cos x
SIN = _make("sin", _sin, lambda F, out, x: (F.cos(x),), "sin({0})", ("cos({0})",),
            method="sin", torch=lambda t, x: t.sin(x),
            code=Code("sin({0})", ("cos({0})",), "", (("sin", _sin), ("cos", _cos))))

# y = cos x            ∂y/∂x = −sin x
COS = _make("cos", _cos, lambda F, out, x: (-F.sin(x),), "cos({0})", ("−sin({0})",),
            method="cos", torch=lambda t, x: t.cos(x),
            code=Code("cos({0})", ("-sin({0})",), "", (("sin", _sin), ("cos", _cos))))


# n-ary ops (arity None) receive their inputs as ONE list: forward(xs), derivative(F, out, xs).
# Both are sums, added left to right on every Python version: ((s + x₁) + x₂) + …, the same
# float operations as the chain of two-input + nodes that the built-in sum() of Values
# builds, and as micrograd.  (Python 3.12+'s own sum() of floats is compensated — it gives
# sum([1e16, 1.0, -1e16]) == 1.0 where adding one by one gives 0.0 — so it is not used there.)
if sys.version_info >= (3, 12):
    def left_to_right_sum(xs: Iterable[float], start: float = 0.0) -> float:
        """``((start + x₁) + x₂) + …``: each addition rounded, in order (no compensation)."""
        for x in xs:
            start = start + x
        return start
else:
    left_to_right_sum = sum     # before 3.12 the built-in adds one by one (in C, no wrapper)


# y = x₁ + x₂ + … + xₙ   ∂y/∂xᵢ = 1            (one node, n children)
def _sum(xs: Sequence[float]) -> float:
    return left_to_right_sum(xs, 0.0)


def _code_sum(names: Sequence[str], p: Sequence[str], params: tuple[float, ...]) -> list[str]:
    return ["0.0", *names]      # an n-ary op's code: [start, term₁, term₂, …], added in order


SUM = _make("sum", _sum, lambda F, out, xs: (1.0,) * len(xs),
            lambda names: " + ".join(names) if len(names) <= 4
            else f"{names[0]} + … + {names[-1]}",
            lambda i, names, out: "1", arity=None, name="sum", generic_names=("x₁", "x₂", "x₃"),
            torch=lambda t, xs: t.stack(list(xs)).sum(),
            code=Code(_code_sum, lambda i, names, out, p, params: "1.0", "True"))


# y = w₁x₁ + … + wₙxₙ (+ b)   ∂y/∂wᵢ = xᵢ, ∂y/∂xᵢ = wᵢ, ∂y/∂b = 1
# Children are (w₁, …, wₙ, x₁, …, xₙ) with the optional bias last.
def dot_forward(w: Sequence[float], x: Sequence[float], b: float = 0.0) -> float:
    """``((b + w₁x₁) + w₂x₂) + …``: the bias first, then each product, added left to right
    on every Python version (:func:`left_to_right_sum`): bit for bit micrograd's neuron
    ``sum((wi*xi for wi, xi in zip(w, x)), b)`` and the elementwise ``*``/``+`` graph."""
    return left_to_right_sum(map(mul, w, x), b)


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
    n = len(names) // 2         # reads only the names it prints: a view may make them lazily
    terms = [f"{names[i]}·{names[n + i]}" if i >= 0 else "…"
             for i in (range(n) if n <= 3 else (0, -1, n - 1))]
    return " + ".join(terms + ([names[-1]] if len(names) % 2 else []))


def _torch_dot(t: Any, c: Sequence[Any]) -> Any:
    n = len(c) // 2
    total = c[-1] if len(c) % 2 else t.zeros((), dtype=t.float64)
    for w, x in zip(c[:n], c[n:2 * n]):
        total = total + w * x
    return total


def _dshow_dot(i: int, names: Sequence[str], out: str) -> str:
    n = len(names) // 2
    return "1" if i == 2 * n else names[(i + n) % (2 * n)]


def _code_dot(names: Sequence[str], p: Sequence[str], params: tuple[float, ...]) -> list[str]:
    n = len(names) // 2
    start = names[-1] if len(names) % 2 else "0.0"
    return [start, *(f"{w} * {x}" for w, x in zip(names[:n], names[n:2 * n]))]


def _dcode_dot(i: int, names: Sequence[str], out: str, p: Sequence[str],
               params: tuple[float, ...]) -> str:
    n = len(names) // 2
    return "1.0" if i == 2 * n else names[(i + n) % (2 * n)]


# A finite output means every input, hence every local derivative, is finite.
DOT = _make("dot", _dot, _d_dot, _show_dot, _dshow_dot, arity=None, name="dot",
           generic_names=("w₁", "w₂", "x₁", "x₂", "b"),
           torch=_torch_dot,
           code=Code(_code_dot, _dcode_dot, "{out} - {out} == 0.0"))
