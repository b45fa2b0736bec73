"""Check backward() against central finite differences.

For each input xᵢ the numerical slope is

    (f(…, xᵢ + ε, …) − f(…, xᵢ − ε, …)) / 2ε        (error O(ε²))

and it must match the gradient from ``backward()`` within
``|analytic − numeric| ≤ atol + rtol·|numeric|``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from . import validate
from .engine import Value
from .functional import as_leaves, callable_f, scalar_output
from .modes import no_grad

__all__ = ["GradcheckError", "gradcheck", "numerical_grad"]


class GradcheckError(AssertionError):
    """backward() and finite differences disagree; the message names the input."""


def numerical_grad(f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6) -> list[float]:
    """Central-difference estimate of ∂f/∂xᵢ for every input (numbers, finite)."""
    callable_f("numerical_grad", f)
    eps = validate.real("numerical_grad", "eps", eps, low=0, low_open=True)
    base = [validate.real("numerical_grad", f"input {i}", x) for i, x in enumerate(inputs)]
    grads = []
    with no_grad():
        for i in range(len(base)):
            up, down = list(base), list(base)
            up[i] += eps
            down[i] -= eps
            fu = scalar_output("gradcheck", f, [Value(v) for v in up]).data
            fd = scalar_output("gradcheck", f, [Value(v) for v in down]).data
            grads.append((fu - fd) / (2 * eps))
    return grads


def gradcheck(f: Callable[..., Any], inputs: Sequence[Any], eps: float = 1e-6,
              atol: float = 1e-5, rtol: float = 1e-3) -> bool:
    """True if ``backward()`` of ``f(*inputs)`` matches finite differences.

    ``inputs`` are numbers or Values (their numbers are used; the originals are not
    touched).  On a mismatch raises :class:`GradcheckError` naming the input, the
    analytic and numerical values and their difference.

    >>> gradcheck(lambda x, y: (x * y).tanh(), [0.3, -1.2])
    True
    """
    callable_f("gradcheck", f)
    eps = validate.real("gradcheck", "eps", eps, low=0, low_open=True)
    atol = validate.real("gradcheck", "atol", atol, low=0)
    rtol = validate.real("gradcheck", "rtol", rtol, low=0)
    xs = as_leaves("gradcheck", inputs, noun="input", label="input ", copy=True)
    for i, x in enumerate(xs):          # finite differences need finite points
        validate.real("gradcheck", f"input {i}", x.data)
    scalar_output("gradcheck", f, xs).backward()
    numeric = numerical_grad(f, [x.data for x in xs], eps)
    for x, num in zip(xs, numeric):
        diff = abs(x.grad - num)
        if not diff <= atol + rtol * abs(num):
            raise GradcheckError(
                f"gradcheck failed for {x.label!r} (= {x.data!r}): backward gives "
                f"{x.grad!r}, finite differences give {num!r}, difference {diff:.3g} "
                f"(allowed {atol + rtol * abs(num):.3g})")
    return True
