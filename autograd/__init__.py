"""autograd: a scalar reverse-mode automatic differentiation engine for learning.

>>> from autograd import Value
>>> x = Value(3.0, label='x')
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad      # dy/dx = 2x + 2
8.0

The engine (``Value``, ``sum``, ``dot``, ``no_grad`` …) is imported eagerly and
needs only the standard library.  Everything else is loaded on first use
(``autograd.nn``, ``autograd.draw_graph`` …), so ``import autograd`` stays fast and
never needs the optional extras.
"""

from __future__ import annotations

import importlib
from typing import Any

from . import graph
from .engine import RemovableHandle, Value
from .gradcheck import GradcheckError, gradcheck
from .modes import Scope, enable_grad, is_grad_enabled, no_grad, scope
from .nary import dot, dots, sum
from .ops import DivisionByZero, DomainError, Op

__version__ = "0.1.0"

# name -> submodule that defines it, loaded lazily (PEP 562)
_LAZY = {
    # the explainer and anomaly detection
    "trace": "explain", "tree": "explain", "backward_steps": "explain", "Stepper": "explain",
    "explain": "explain", "names": "explain", "Step": "explain", "Term": "explain",
    "detect_anomaly": "anomaly", "AnomalyError": "anomaly",
    # diagrams
    "draw_graph": "viz", "draw_dot": "viz", "save_stepper": "viz", "GraphTooLarge": "viz",
    # neural networks
    "Module": "nn", "Neuron": "nn", "Layer": "nn", "MLP": "nn", "Dropout": "nn",
    "softmax": "nn", "log_softmax": "nn",
    "manual_seed": "rng",
    "save": "serialization", "load": "serialization",
    # higher-order gradients
    "grad": "functional", "value_and_grad": "functional", "hessian": "functional",
    # training
    "fit": "train", "History": "train", "evaluate": "train", "accuracy": "train",
}
_SUBMODULES = {"nn", "losses", "optim", "data", "train", "plot", "viz", "explain", "anomaly",
               "functional", "serialization", "rng", "ops", "engine", "graph", "gradcheck",
               "modes", "nary", "module", "metrics", "progress", "init", "schedules"}

__all__ = [
    "Value", "sum", "dot", "dots", "no_grad", "enable_grad", "is_grad_enabled", "scope", "Scope",
    "RemovableHandle", "Op", "DomainError", "DivisionByZero", "gradcheck", "GradcheckError",
    "graph", *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | _SUBMODULES)
