"""autograd: a scalar reverse-mode automatic differentiation engine for learning.

>>> from autograd import Value
>>> x = Value(3.0, label='x')
>>> y = x * x + 2 * x
>>> y.backward()
>>> x.grad      # dy/dx = 2x + 2
8.0

The package is a house of layers, each importing only the ones below it:

* the engine (``Value``, ``ops``, ``graph``, ``modes``, ``nary``, ``functional``,
  ``gradcheck``): standard library only, imported eagerly;
* ``autograd.explainer``: names, text views, stepping, ``explain()``, anomaly mode;
* ``autograd.viz``: Graphviz diagrams and the stepper page;
* ``autograd.nn`` and ``autograd.optim``: modules, layers, losses, optimizers;
* ``autograd.training``: data, ``fit()``, metrics, progress, plots;
* ``autograd.expr`` and ``autograd.cli``: the expression command line.

Everything above the engine is loaded on first use (``autograd.nn``,
``autograd.draw_graph`` …), so ``import autograd`` stays fast and never needs the
optional extras.
"""

import importlib as _importlib
import typing as _typing

from . import engine, graph
from .collector import relaxed_gc

# autograd.compile is the function (eager, so it never depends on import order; it needs only
# the standard library), and, like sum, is kept out of `import *`: it shadows a built-in.
from .compile import compile  # noqa: F401  (the function; see above)
from .engine import RemovableHandle, Value, register_op
from .gradcheck import GradcheckError, gradcheck
from .modes import Scope, enable_grad, is_grad_enabled, no_grad, scope
from .nary import (
    dot,
    dots,
    sum,  # noqa: F401  (autograd.sum, kept out of __all__: see below)
)
from .ops import DivisionByZero, DomainError, Op

__version__ = "0.1.0"

# name -> module that defines it, loaded lazily (PEP 562)
_LAZY = {
    # the explainer and anomaly detection
    "trace": "explainer", "tree": "explainer", "backward_steps": "explainer",
    "Stepper": "explainer", "explain": "explainer", "names": "explainer", "Step": "explainer",
    "Term": "explainer", "detect_anomaly": "explainer", "AnomalyError": "explainer",
    # diagrams
    "draw_graph": "viz", "draw_dot": "viz", "save_stepper": "viz", "GraphTooLarge": "viz",
    "save_frames": "viz", "show_stepper": "viz.inline", "save_worksheet": "viz.worksheet",
    "quiz": "explainer.quiz", "compare_with_torch": "explainer.torch_compare",
    # neural networks
    "Module": "nn", "Neuron": "nn", "Layer": "nn", "MLP": "nn", "Dropout": "nn",
    "softmax": "nn", "log_softmax": "nn",
    "manual_seed": "rng",
    "save": "nn.serialization", "load": "nn.serialization",
    # your own ops
    "define_op": "userops", "check_op": "userops", "OpCheckError": "userops",
    # higher-order gradients
    "grad": "functional", "value_and_grad": "functional", "hessian": "functional",
    # training
    "fit": "training", "History": "training", "evaluate": "training", "accuracy": "training",
}
_SUBMODULES = {"engine", "ops", "graph", "modes", "nary", "functional", "gradcheck", "rng",
               "state", "validate", "userops", "optable", "collector",
               "explainer", "viz", "nn", "optim", "training", "expr", "cli"}

# `sum` is left out of `from autograd import *`: it would shadow the built-in.
__all__ = [
    "Value", "dot", "dots", "no_grad", "enable_grad", "is_grad_enabled", "scope", "Scope",
    "RemovableHandle", "register_op", "relaxed_gc", "Op", "DomainError", "DivisionByZero",
    "gradcheck", "GradcheckError", "graph", *_LAZY,
]


def _lazy_view(name: str) -> _typing.Callable[..., _typing.Any]:
    def view(*args: _typing.Any, **kwargs: _typing.Any) -> _typing.Any:
        return getattr(_importlib.import_module(".explainer", __name__), name)(*args, **kwargs)
    return view


# Value.tree() / .trace() / .backward_steps(): the explainer's, loaded on first use.
engine.VIEWS.update({name: _lazy_view(name) for name in ("tree", "trace", "backward_steps")})


def __getattr__(name: str) -> _typing.Any:
    if name in _LAZY:
        value = getattr(_importlib.import_module(f".{_LAZY[name]}", __name__), name)
    elif name in _SUBMODULES:
        value = _importlib.import_module(f".{name}", __name__)
    else:
        raise AttributeError(f"module 'autograd' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*__all__, "sum", "compile", "__version__", *_SUBMODULES})
