"""Your own op: define it from its forward rule, derivative and formula, then check it.

:func:`define_op` turns three things a student writes — the forward function, its
derivative and the formula text — into an op row exactly like the built-in ones
(:mod:`autograd.ops`), registered with one call, so it works in ``backward()``,
the stepper's sentences, diagrams, the expression command line, copying and
pickling.  :func:`check_op` compares the derivative with central differences.

>>> import math, autograd
>>> softplus = autograd.define_op(
...     "softplus", forward=lambda x: math.log1p(math.exp(x)),
...     derivative=lambda x: 1 / (1 + math.exp(-x)),
...     formula="softplus({0})", derivative_text="σ({0})")
>>> x = autograd.Value(0.0, label='x')
>>> y = x.softplus(); y.backward(); x.grad
0.5
>>> autograd.check_op(softplus)
True
"""

from __future__ import annotations

import inspect
import math
from collections.abc import Callable, Sequence
from typing import Any

from . import validate
from .engine import Value, register_op
from .ops import OPS, Op
from .optable import _OutOfDomain

__all__ = ["OpCheckError", "check_op", "define_op"]


class OpCheckError(AssertionError):
    """A defined op's derivative disagrees with finite differences (see :func:`check_op`)."""


def _arity(fn: Callable[..., Any], who: str) -> int:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        raise TypeError(f"{who}: cannot read the inputs of {fn!r}: pass arity=") from None
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
               for p in params)


def define_op(name: str, forward: Callable[..., float], derivative: Callable[..., Any], *,
              formula: str, derivative_text: str | Sequence[str], arity: int | None = None,
              domain: Callable[..., bool] | None = None, activation: bool = False,
              torch: Callable[..., Any] | None = None) -> Op:
    """Define, register and return an op of one or more inputs.

    * ``forward(x₁, …, xₙ)`` → the output number;
    * ``derivative``: either ``derivative(x₁, …, xₙ)`` → ∂out/∂x (a number, or one
      per input), or, in the built-in op-rule style, ``derivative(F, out, x₁, …, xₙ)``
      → a tuple, written with ``F.exp``, ``F.log``, ``F.sin``, ``F.cos`` and
      arithmetic so that ``backward(create_graph=True)`` can differentiate it again;
    * ``formula`` / ``derivative_text``: the text shown, with ``{0}``, ``{1}`` for the
      inputs and ``{out}`` for the output, as in the built-in ops (``"σ({0})"``);
    * ``domain(x₁, …)`` → False where the op is undefined (used by :func:`check_op`);
    * ``torch(t, x₁, …)``: the same op in PyTorch (``t`` is the torch module), for
      ``to_torch()`` and ``compare_with_torch()``, e.g.
      ``lambda t, x: t.nn.functional.softplus(x)``.

    Defining a name again replaces your earlier op (re-running a notebook cell); a
    built-in name is refused.  Higher-order gradients of an op whose derivative is
    not in op-rule style are refused with a clear error, never silently wrong.
    """
    who = "define_op()"
    validate.text(who, "name", name)
    if not name.isidentifier():
        raise ValueError(f"{who}: name must be an identifier (letters, digits, _), got {name!r}")
    for what, fn in (("forward", forward), ("derivative", derivative)):
        if not callable(fn):
            raise TypeError(f"{who}: {what} must be a function, got {type(fn).__name__}")
    n = validate.count(who, "arity", arity if arity is not None else _arity(forward, who))
    if hasattr(Value, name) and not (name in OPS and OPS[name].user):
        raise ValueError(f"{who}: {name!r} is already a Value attribute or built-in op")
    texts = (derivative_text,) if isinstance(derivative_text, str) else tuple(derivative_text)
    if len(texts) != n:
        raise ValueError(f"{who}: derivative_text needs one text per input ({n}), got {len(texts)}")
    validate.text(who, "formula", formula)
    rule_style = _arity(derivative, who) == n + 2

    def run_forward(*xs: float) -> float:
        try:
            out = forward(*xs)
        except (ArithmeticError, ValueError) as e:
            raise _OutOfDomain(f"{name}() of {', '.join(map(repr, xs))}: {e}") from None
        if not validate.is_real(out):
            raise TypeError(f"{name}(): forward returned {type(out).__name__}, not a number")
        return float(out)

    def local(F: Any, out: Any, *xs: Any) -> tuple[Any, ...]:
        if rule_style:
            got = derivative(F, out, *xs)
        elif F.val is float:                       # plain numbers: the student's function
            got = derivative(*xs)
        else:
            raise NotImplementedError(
                f"{name}: higher-order gradients need the derivative in op-rule style, "
                f"derivative(F, out, {', '.join('x' + str(i + 1) for i in range(n))}) using "
                f"F.exp/F.log/F.sin/F.cos (see autograd.define_op)")
        parts = tuple(got) if isinstance(got, (tuple, list)) else (got,)
        if len(parts) != n:
            raise ValueError(f"{name}: derivative gave {len(parts)} value(s) for {n} input(s)")
        for part in parts:
            if not (validate.is_real(part) or isinstance(part, Value)):
                raise TypeError(f"{name}: derivative returned {validate.got(part)}, not a number "
                                f"(at {', '.join(map(repr, map(F.val, xs)))})")
        return parts

    if torch is not None and not callable(torch):
        raise TypeError(f"{who}: torch must be a function (t, x, …) -> tensor, got "
                        f"{validate.got(torch)}")
    op = Op(name, name, run_forward, local, formula, texts, n, method=name,
            activation=activation, torch=torch, user=True)
    op.domain = domain  # type: ignore[attr-defined]
    return register_op(op, replace=True)


def _samples(op: Op, rng_seed: int = 0) -> list[tuple[float, ...]]:
    import random
    rng = random.Random(rng_seed)
    domain = getattr(op, "domain", None)
    found: list[tuple[float, ...]] = []
    for _ in range(2000):
        xs = tuple(round(rng.uniform(-3, 3), 3) for _ in range(op.arity or 1))
        try:
            if domain is not None and not domain(*xs):
                continue
            op.forward(*xs)
        except (_OutOfDomain, ArithmeticError, ValueError):
            continue
        found.append(xs)
        if len(found) == 8:
            break
    return found


def check_op(op: Op, *, eps: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-6) -> bool:
    """Compare ``op``'s derivative with central differences at sample points in its domain.

    ``(f(x + ε) − f(x − ε)) / 2ε`` for each input; returns True, or raises
    :class:`OpCheckError` saying in one sentence where and by how much, e.g.
    ``at x = 0.3 your derivative gives 0.91, finite differences give 0.57``.
    """
    if not isinstance(op, Op):
        raise TypeError(f"check_op(): op must be an op from define_op(), got {type(op).__name__}")
    eps = validate.real("check_op()", "eps", eps, low=0, low_open=True)
    samples = _samples(op)
    if not samples:
        raise ValueError(f"check_op(): found no point in [-3, 3] where {op.name} is defined")
    from .ops import FLOAT_MATH
    for xs in samples:
        out = op.forward(*xs)
        got = op.local_derivatives(FLOAT_MATH, out, xs)
        for i in range(len(xs)):
            up = list(xs)
            down = list(xs)
            up[i] += eps
            down[i] -= eps
            try:
                numeric = (op.forward(*up) - op.forward(*down)) / (2 * eps)
            except (_OutOfDomain, ArithmeticError, ValueError):
                continue
            if not math.isclose(got[i], numeric, rel_tol=rtol, abs_tol=atol):
                where = ", ".join(f"{v} = {x:g}" for v, x in zip(_names(len(xs)), xs))
                wrt = f" with respect to {_names(len(xs))[i]}" if len(xs) > 1 else ""
                raise OpCheckError(f"{op.name}: at {where} your derivative{wrt} gives "
                                   f"{got[i]:.4g}, finite differences give {numeric:.4g}")
    return True


def _names(n: int) -> list[str]:
    return ["x"] if n == 1 else [f"x{i + 1}" for i in range(n)]
