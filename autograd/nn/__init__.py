"""Neural networks built from Values: modules, layers, losses, saving, PyTorch export.

* :mod:`~autograd.nn.module`: the :class:`Module` base (parameters, ``zero_grad``,
  ``train``/``eval``, ``state_dict``);
* :mod:`~autograd.nn.layers`: :class:`Neuron`, :class:`Layer`, :class:`MLP`;
  :mod:`~autograd.nn.activations`: activations and ``softmax``;
  :mod:`~autograd.nn.dropout`: :class:`Dropout`; :func:`display_name` maps a parameter's
  ``state_dict()`` key (``layers.0.neurons.1.w.0``) to the name every view prints
  (``L1.N2.w1``) and back;
* :mod:`~autograd.nn.init`: weight initialisers; :mod:`~autograd.nn.losses`: losses;
* :mod:`~autograd.nn.serialization`: ``save``/``load``;
  :mod:`~autograd.nn.torch_export`: ``to_torch``.

>>> import autograd
>>> from autograd.nn import MLP
>>> _ = autograd.manual_seed(0)
>>> MLP(2, [3, 1]).num_parameters()
13
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .activations import ACTIVATIONS, OUTPUTS, activation_fn, log_softmax, softmax
from .dropout import Dropout
from .layers import MLP, Layer, Neuron, display_name
from .module import EXTENSIONS, Module, as_inputs


def _lazy(module: str, name: str) -> Callable[..., Any]:
    def call(*args: Any, **kwargs: Any) -> Any:
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)(*args, **kwargs)
    return call


# Module.load_state_dict() and Module.to_torch(), loaded on first use
EXTENSIONS.update(load_state=_lazy("serialization", "load_state"),
                  to_torch=_lazy("torch_export", "to_torch"))

__all__ = ["ACTIVATIONS", "MLP", "OUTPUTS", "Dropout", "Layer", "Module", "Neuron",
           "activation_fn", "as_inputs", "display_name", "log_softmax", "softmax"]
