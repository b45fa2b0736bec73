"""The engines under test, behind one small interface.

A :class:`ScalarEngine` is what a workload needs from a scalar autodiff engine: how
to make a number (``Value``), how to make a trainable parameter, what
``zero_grad()`` stores, how to read a node's number and gradient, and the engine's
*own* MLP, built with given initial weights.  The workloads are then written once,
the way a micrograd user writes them, and run unchanged on every engine:

* ``autograd``: this project (``autograd.Value``, ``autograd.nn.MLP``);
* ``micrograd``: ``micrograd==0.1.0`` (``micrograd.engine.Value``, ``micrograd.nn.MLP``);
* ``torch_scalar``: PyTorch with 0-d float64 tensors, one tensor per number (its
  MLP is the elementwise one of :mod:`benchmarks.workloads.scalar_mlp`).

``torch_batched`` (matrices: the ceiling) has its own code in the training workload,
as do ``autograd_compiled`` (the step compiled) and ``float_floor`` (no engine at all);
``autograd_relaxed`` and ``autograd_base`` (an earlier commit) are this engine again.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from .workloads.scalar_mlp import ScalarMLP

ENGINES = ("autograd", "autograd_compiled", "autograd_relaxed", "float_floor", "autograd_base",
           "micrograd", "torch_scalar", "torch_batched")
PACKAGE = {"autograd": "autograd", "autograd_compiled": "autograd", "autograd_relaxed": "autograd",
           "float_floor": "", "autograd_base": "autograd", "micrograd": "micrograd",
           "torch_scalar": "torch", "torch_batched": "torch"}
"""The package each engine needs ("": the standard library only)."""


class Unavailable(Exception):
    """The engine (or a part of it, e.g. ``autograd.nn``) cannot be imported here."""


@dataclass(frozen=True)
class ScalarEngine:
    """How workloads talk to one scalar engine."""

    name: str
    Value: Callable[[float], Any]           # a number, as ``Value(x)`` (micrograd's inputs)
    param: Callable[[float], Any]           # a trainable scalar
    zero: Any                               # what ``zero_grad()`` stores in ``.grad``
    num: Callable[[Any], float]             # a node's number
    grad: Callable[[Any], float]            # a node's gradient
    own_mlp: Callable[[Sequence[int], Sequence[float]], Any]   # the engine's MLP, given weights
    version: str

    def elementwise_mlp(self, layers: Sequence[int], flat: Sequence[float]) -> ScalarMLP:
        """micrograd's neuron written with this engine's ``*`` and ``+`` only."""
        return ScalarMLP(layers, flat, self.param, self.zero)


def available(engine: str) -> bool:
    """True when the engine's package can be imported (without importing it)."""
    return not PACKAGE[engine] or importlib.util.find_spec(PACKAGE[engine]) is not None


def copy_weights(model: Any, flat: Sequence[float]) -> Any:
    """Overwrite ``model.parameters()`` (micrograd order) with ``flat``; returns ``model``."""
    params = model.parameters()
    if len(params) != len(flat):
        raise ValueError(f"model has {len(params)} parameters, {len(flat)} weights given")
    for p, w in zip(params, flat):
        p.data = float(w)
    return model


def _autograd() -> ScalarEngine:
    import autograd
    from autograd import Value

    def own_mlp(layers: Sequence[int], flat: Sequence[float]) -> Any:
        try:
            from autograd.nn import MLP
        except ImportError as e:
            raise Unavailable(f"autograd.nn.MLP cannot be imported: {e}") from None
        return copy_weights(MLP(layers[0], list(layers[1:])), flat)

    return ScalarEngine("autograd", Value, Value, 0.0, lambda v: v.data, lambda v: v.grad,
                        own_mlp, autograd.__version__)


def _micrograd() -> ScalarEngine:
    from importlib.metadata import version

    from micrograd.engine import Value  # type: ignore[import-untyped]
    from micrograd.nn import MLP  # type: ignore[import-untyped]

    def own_mlp(layers: Sequence[int], flat: Sequence[float]) -> Any:
        return copy_weights(MLP(layers[0], list(layers[1:])), flat)

    return ScalarEngine("micrograd", Value, Value, 0, lambda v: float(v.data),
                        lambda v: float(v.grad), own_mlp, version("micrograd"))


def _torch_scalar() -> ScalarEngine:
    import torch
    torch.set_num_threads(1)
    f64 = torch.float64

    def value(x: float) -> Any:
        return torch.tensor(float(x), dtype=f64)

    def param(x: float) -> Any:
        return torch.tensor(float(x), dtype=f64, requires_grad=True)

    def own_mlp(layers: Sequence[int], flat: Sequence[float]) -> Any:
        return ScalarMLP(layers, flat, param, None)

    def grad(v: Any) -> float:
        return 0.0 if v.grad is None else float(v.grad)

    return ScalarEngine("torch_scalar", value, param, None, lambda v: float(v.item()), grad,
                        own_mlp, torch.__version__)


_LOADERS: dict[str, Callable[[], ScalarEngine]] = {
    "autograd": _autograd, "autograd_compiled": _autograd, "autograd_relaxed": _autograd,
    "autograd_base": _autograd, "micrograd": _micrograd, "torch_scalar": _torch_scalar}


def load(name: str) -> ScalarEngine:
    """The scalar engine called ``name`` (ImportError → :class:`Unavailable`)."""
    if name not in _LOADERS:
        raise ValueError(f"no scalar engine {name!r}; choose from {', '.join(_LOADERS)}")
    try:
        return _LOADERS[name]()
    except ImportError as e:
        raise Unavailable(f"{name}: {e}") from None
