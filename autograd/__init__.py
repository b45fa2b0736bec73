"""autograd: a scalar reverse-mode automatic differentiation engine for learning.

>>> from autograd import Value
>>> x = Value(3.0, label='x')
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad      # dy/dx = 2x + 2
8.0
"""

from . import graph
from .engine import (
    RemovableHandle,
    Scope,
    Value,
    dot,
    enable_grad,
    is_grad_enabled,
    no_grad,
    scope,
    sum,
)
from .gradcheck import GradcheckError, gradcheck
from .ops import DivisionByZero, DomainError, Op

__all__ = [
    "DivisionByZero",
    "DomainError",
    "GradcheckError",
    "Op",
    "RemovableHandle",
    "Scope",
    "Value",
    "dot",
    "enable_grad",
    "gradcheck",
    "graph",
    "is_grad_enabled",
    "no_grad",
    "scope",
    "sum",
]
__version__ = "0.1.0"
