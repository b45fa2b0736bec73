"""Functional gradients, nestable: ``grad(grad(f))`` is the second derivative.

``grad(f)`` returns a new function computing ∂f/∂x.  Called with plain numbers it
returns plain numbers; called with Values (as happens inside another ``grad``) it
returns Values whose graph reaches back to those inputs, built from each op's
derivative rule, so they can be differentiated again.  That is all it takes for
second derivatives, Hessians and Newton's method::

    f(x)  = x³          grad(f)(2.0)        = 3x²  = 12.0
                        grad(grad(f))(2.0)  = 6x   = 12.0
    Newton's step:      x ← x − f'(x) / f''(x)

Nothing here writes to ``.grad``: these functions are pure.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Sequence
from typing import Any

from . import graph, validate
from .engine import VALUE_MATH, Value, _as_value, is_real

__all__ = ["grad", "value_and_grad", "hessian", "gradients"]

Fn = Callable[..., Any]


def as_leaves(who: str, args: Sequence[Any], *, noun: str = "argument", label: str = "x",
              copy: bool = False) -> list[Value]:
    """The inputs as Values: numbers become leaves labelled ``{label}{i}``; Values are
    used as they are (or, with ``copy``, as fresh leaves with their number and label).

    Every input is checked before any leaf is made (``TypeError`` / ``ValueError``
    naming the input: ``"grad: argument 0 must be a number or Value, got str '1'"``).
    """
    items: list[float | Value] = []
    for i, a in enumerate(args):
        if isinstance(a, Value):
            items.append(a)
        elif isinstance(a, float):
            items.append(a)                     # NaN and ±inf pass: they propagate
        elif is_real(a):
            items.append(_as_float(who, f"{noun} {i}", a))
        else:
            raise TypeError(f"{who}: {noun} {i} must be a number or Value, "
                            f"got {type(a).__name__} {a!r:.60}")
    return [(Value(a.data, a.label or f"{label}{i}") if copy else a) if isinstance(a, Value)
            else Value(a, f"{label}{i}") for i, a in enumerate(items)]


def _as_float(who: str, name: str, x: Any) -> float:
    try:
        return float(x)
    except OverflowError:   # an int or Fraction beyond a float: the check names it
        return validate.real(who, name, x)


def scalar_output(who: str, f: Fn, xs: Sequence[Value]) -> Value:
    """``f(*xs)`` as one Value (a number becomes a constant); anything else: TypeError."""
    out = f(*xs)
    if isinstance(out, Value):
        return out
    if is_real(out):
        return Value(float(out), requires_grad=False)
    raise TypeError(f"{who}: f must return a Value, got {type(out).__name__} {out!r:.60} "
                    "(one scalar: a Value or a number"
                    + ("; use one output per call)" if isinstance(out, (list, tuple)) else ")"))


def callable_f(who: str, f: Any) -> Fn:
    """``f`` if it is callable (``TypeError`` naming ``who`` otherwise)."""
    if not callable(f):
        raise TypeError(f"{who}: f must be callable, got {type(f).__name__} {f!r:.60}")
    fn: Fn = f
    return fn


def _argnums(name: str, argnums: int | tuple[int, ...], n: int) -> tuple[int, ...]:
    """``argnums`` as a tuple of ints, each a position in a call with ``n`` arguments."""
    given: Any = argnums
    nums: tuple[Any, ...] | None = (given,) if isinstance(given, numbers.Integral) else \
        tuple(given) if isinstance(given, (tuple, list)) else None
    ok = nums is not None and all(isinstance(k, numbers.Integral) and not isinstance(k, bool)
                                  and -n <= int(k) < n for k in nums)
    if not ok or nums is None:
        raise ValueError(f"{name}: argnums must be positions in a call with {n} argument"
                         f"{'s' if n != 1 else ''} ({-n} … {n - 1}), got {argnums!r:.60}")
    return tuple(int(k) for k in nums)


def gradients(out: Value, wrt: Sequence[Value], create_graph: bool = True) -> list[Any]:
    """∂out/∂w for each w in ``wrt`` (0.0 where out does not depend on w).

    With ``create_graph`` the results are Values that can be differentiated again;
    otherwise plain floats.  ``.grad`` fields are left untouched.
    """
    g = graph.gradient_graph(out, 1.0, VALUE_MATH, _as_value)
    res = [g.get(w, 0.0) for w in wrt]
    return res if create_graph else [float(r) for r in res]


def value_and_grad(f: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """A function returning ``(f(*args), ∂f/∂args[argnums])``.

    With a tuple ``argnums`` the second item is a tuple of partial derivatives.
    """
    callable_f("value_and_grad", f)

    def wrapped(*args: Any) -> tuple[Any, Any]:
        nums = _argnums("value_and_grad", argnums, len(args))
        symbolic = any(isinstance(a, Value) for a in args)
        xs = as_leaves("grad", args)
        out = scalar_output("grad", f, xs)
        gs = gradients(out, [xs[k] for k in nums], create_graph=symbolic)
        value: Any = out if symbolic else out.data
        return value, (gs[0] if len(nums) == 1 and not isinstance(argnums, (tuple, list))
                       else tuple(gs))

    wrapped.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Value and gradient of {getattr(f, '__name__', 'f')}."
    return wrapped


def grad(f: Fn, argnums: int | tuple[int, ...] = 0) -> Fn:
    """The derivative of ``f`` with respect to argument ``argnums``, as a function.

    >>> from autograd import grad
    >>> cube = lambda x: x ** 3
    >>> grad(cube)(2.0), grad(grad(cube))(2.0), grad(grad(grad(cube)))(2.0)
    (12.0, 12.0, 6.0)
    """
    vg = value_and_grad(f, argnums)

    def wrapped(*args: Any) -> Any:
        return vg(*args)[1]

    wrapped.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    wrapped.__doc__ = f"Gradient of {getattr(f, '__name__', 'f')} (argnums={argnums!r})."
    return wrapped


def hessian(f: Fn) -> Fn:
    """A function returning the matrix H[i][j] = ∂²f/∂xᵢ∂xⱼ (a list of lists).

    For functions of a few scalars: n backward passes over the gradient graph.

    >>> from autograd import hessian
    >>> hessian(lambda x, y: x * x * y)(1.0, 2.0)
    [[4.0, 2.0], [2.0, 0.0]]
    """
    callable_f("hessian", f)

    def wrapped(*args: Any) -> list[list[Any]]:
        if not args:
            raise ValueError("hessian: the call must have at least one argument, got none")
        symbolic = any(isinstance(a, Value) for a in args)
        xs = as_leaves("hessian", args)
        out = scalar_output("hessian", f, xs)
        rows = []
        for gi in gradients(out, xs):
            if isinstance(gi, Value):
                rows.append(gradients(gi, xs, create_graph=symbolic))
            else:
                rows.append([0.0] * len(xs))
        return rows

    wrapped.__name__ = f"hessian({getattr(f, '__name__', 'f')})"
    return wrapped
