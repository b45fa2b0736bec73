"""Argument checks for the whole package, with messages of one form.

Every check raises ``TypeError`` (wrong kind of thing) or ``ValueError`` (right
kind, wrong value) with the message ``"{who}: {name} must …, got …"``, e.g.
``SGD: lr must be a finite number > 0, got inf``.  A check returns the value
converted (an ``int``, a ``float``), so callers validate *everything first* and
change state only after every check passed.

Real numbers are ints, floats and anything registered as :class:`numbers.Real`
(``Fraction``, numpy scalars …), never ``bool``.

This module imports nothing from the package: any layer may use it.
"""

from __future__ import annotations

import math
import numbers
from typing import Any

__all__ = ["boolean", "choice", "count", "got", "hook_result", "is_real", "label", "node_name",
           "real", "same_length", "stored_grad", "text"]


def is_real(x: Any) -> bool:
    """True for a real number that is not a bool: int, float, Fraction, numpy scalars …"""
    return isinstance(x, (int, float, numbers.Real)) and not isinstance(x, bool)


def node_name(v: Any) -> str:
    """How errors refer to a node: its label, or its op for an unlabelled one."""
    if v.label:
        return repr(v.label)
    return f"<unlabelled {'leaf' if not v._prev else repr(str(v._op)) + ' result'}>"


def stored_grad(who: str, node: Any) -> None:
    """Refuse a node whose ``.grad`` a backward pass cannot add to (``None``, text …).

    A number (or, after ``backward(create_graph=True)``, a Value) is fine; ``.grad`` is
    0.0 when there is no gradient yet, never ``None`` as in PyTorch.
    """
    g = node.grad
    if type(g) is float or hasattr(g, "_prev"):
        return
    if not is_real(g):
        raise TypeError(f"{who}: the grad of node {node_name(node)} must be a number (0.0 for "
                        f"none yet), got {_got(g)}: reset it with zero_grad() or .grad = 0.0")
    _floatable(who, f"the grad of node {node_name(node)}", g)


def hook_result(node: Any, hook: Any, result: Any) -> None:
    """Refuse what a gradient hook returned unless it is a number or (create_graph) a Value."""
    if hasattr(result, "_prev"):
        return
    what = f"the hook {getattr(hook, '__qualname__', None) or repr(hook)} of node {node_name(node)}"
    if not is_real(result):
        raise TypeError(f"backward(): {what} must return the gradient (a number) or None, "
                        f"got {_got(result)}")
    _floatable("backward()", f"what {what} returned", result)


def _floatable(who: str, name: str, x: Any) -> None:
    try:
        float(x)
    except (OverflowError, ValueError):
        raise OverflowError(f"{who}: {name} is too large for a float: {_got(x)}") from None


def got(x: Any) -> str:
    """How a message shows a wrong argument: ``0.5``, or ``str 'abc'`` (cut at 60 characters)."""
    return _got(x)


def _got(x: Any) -> str:
    shown = repr(x)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"{type(x).__name__} {shown}" if not is_real(x) else shown


def real(who: str, name: str, x: Any, *, low: float = -math.inf, high: float = math.inf,
         low_open: bool = False, high_open: bool = False, finite: bool = True) -> float:
    """``x`` as a float, checked: a real number (not NaN), finite unless ``finite=False``,
    in ``[low, high]`` (``(`` / ``)`` with ``low_open`` / ``high_open``).

    >>> real("SGD", "lr", 0.1, low=0, low_open=True)
    0.1
    >>> real("SGD", "lr", float("inf"), low=0, low_open=True)
    Traceback (most recent call last):
      ...
    ValueError: SGD: lr must be a finite number > 0, got inf
    """
    if not is_real(x):
        raise TypeError(f"{who}: {name} must be a number, got {_got(x)}")
    try:
        v = float(x)
    except (OverflowError, ValueError):
        raise ValueError(f"{who}: {name} must be a number a float can hold, got "
                         f"{_got(x)}") from None
    ok = not math.isnan(v) and (math.isfinite(v) or not finite)
    ok = ok and (low < v if low_open else low <= v) and (v < high if high_open else v <= high)
    if not ok:
        raise ValueError(f"{who}: {name} must be {_range(low, high, low_open, high_open, finite)}"
                         f", got {_got(x)}")
    return v


def _range(low: float, high: float, low_open: bool, high_open: bool, finite: bool) -> str:
    kind = "a finite number" if finite else "a number (not NaN)"
    lo = math.isfinite(low)
    hi = math.isfinite(high)
    if lo and hi:
        return f"{kind} in {'(' if low_open else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if lo:
        return f"{kind} {'>' if low_open else '≥'} {low:g}"
    if hi:
        return f"{kind} {'<' if high_open else '≤'} {high:g}"
    return kind


def count(who: str, name: str, n: Any, *, low: int = 1, high: int | None = None) -> int:
    """``n`` as an int in ``[low, high]`` (any integral number type; not bool).

    >>> count("MLP", "nin", 0)
    Traceback (most recent call last):
      ...
    ValueError: MLP: nin must be an int ≥ 1, got 0
    """
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{who}: {name} must be an int, got {_got(n)}")
    v = int(n)
    if v < low or (high is not None and v > high):
        bound = f"≥ {low}" if high is None else f"in [{low}, {high}]"
        raise ValueError(f"{who}: {name} must be an int {bound}, got {v}")
    return v


def same_length(who: str, X: Any, y: Any) -> int:
    """``len(X)``, if ``X`` and ``y`` (samples and targets) are as long as each other."""
    if len(X) != len(y):
        raise ValueError(f"{who}: X and y must have the same length, got {len(X)} and {len(y)}")
    return len(X)


def boolean(who: str, name: str, x: Any) -> bool:
    """``x`` if it is a bool (``'no'`` or ``0`` are refused: they read ambiguously)."""
    if not isinstance(x, bool):
        raise TypeError(f"{who}: {name} must be True or False, got {_got(x)}")
    return x


def choice(who: str, name: str, x: Any, options: tuple[Any, ...]) -> Any:
    """``x`` if it is one of ``options``."""
    if not any(x == o and type(x) is type(o) for o in options):
        shown = ", ".join(repr(o) for o in options)
        raise ValueError(f"{who}: {name} must be one of {shown}, got {_got(x)}")
    return x


def text(who: str, name: str, x: Any) -> str:
    """``x`` if it is a str."""
    if not isinstance(x, str):
        raise TypeError(f"{who}: {name} must be a str, got {_got(x)}")
    return x


def label(who: str, x: Any) -> str:
    """A node label: a str (control characters are kept; every view escapes them)."""
    return text(who, "label", x)
