"""``model.to_torch()``: the same network as a PyTorch module, for when you outgrow
scalar graphs.

The result is a ``torch.nn.Sequential`` of ``Linear`` layers (float64, the weights
copied exactly) and the matching activations, so ``torch_model(torch.tensor(x))``
gives the same numbers as ``model(x)``.  A neuron's weights ``w`` become one row of
the ``Linear`` weight matrix and its bias one entry of the bias vector.  PyTorch is
optional: without it, ``to_torch()`` raises an ``ImportError`` saying how to get it.
"""

from __future__ import annotations

from typing import Any

from ..install import require
from ..ops import activations
from .layers import MLP, Dropout, Layer, Module, Neuron

__all__ = ["to_torch"]


def _torch() -> Any:
    return require("torch", "torch", "to_torch()", "PyTorch")


def _activation(torch: Any, name: str, alpha: float) -> list[Any]:
    """The activation as a torch module, from its op row's PyTorch twin (none for linear)."""
    op = activations().get(name)
    if op is None:
        return []
    if op.torch is None:
        raise ValueError(f"to_torch(): the activation {name!r} has no PyTorch twin (its op "
                         f"was defined without torch=), so the model cannot be exported")
    params = (alpha,) if op.param_names else ()
    twin, param_names = op.torch, op.param_names

    class Activation(torch.nn.Module):  # type: ignore[misc]
        def forward(self, x: Any) -> Any:
            return twin(torch, x, *params)

        def extra_repr(self) -> str:
            return name + "".join(f", {p}={v!r}" for p, v in zip(param_names, params))

    return [Activation()]


def _linear(torch: Any, neurons: list[Neuron]) -> Any:
    lin = torch.nn.Linear(neurons[0].nin, len(neurons), dtype=torch.float64)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[w.data for w in n.w] for n in neurons],
                                      dtype=torch.float64))
        lin.bias.copy_(torch.tensor([n.b.data for n in neurons], dtype=torch.float64))
    return lin


def _layer(torch: Any, layer: Layer | Neuron) -> list[Any]:
    neurons = layer.neurons if isinstance(layer, Layer) else [layer]
    return [_linear(torch, neurons), *_activation(torch, layer.activation, layer.alpha)]


def to_torch(module: Module) -> Any:
    """An equivalent ``torch.nn.Sequential`` (float64) for an MLP, Layer, Neuron or Dropout.

    Training/eval mode is copied too.  (Dropout masks come from PyTorch's generator,
    so only eval-mode outputs are expected to agree.)
    """
    torch = _torch()
    parts: list[Any] = []
    if isinstance(module, MLP):
        for i, layer in enumerate(module.layers):
            parts += _layer(torch, layer)
            if module.dropouts and i < len(module.dropouts):
                parts.append(torch.nn.Dropout(module.dropouts[i].p))
        if module.output == "softmax":
            parts.append(torch.nn.Softmax(dim=-1))
    elif isinstance(module, (Layer, Neuron)):
        parts = _layer(torch, module)
    elif isinstance(module, Dropout):
        parts = [torch.nn.Dropout(module.p)]
    else:
        raise TypeError(f"to_torch() knows MLP, Layer, Neuron and Dropout, "
                        f"not {type(module).__name__}")
    return torch.nn.Sequential(*parts).train(module.training)
