"""micrograd's MLP written with nothing but a scalar engine's ``*``, ``+`` and ``relu``.

The neuron is micrograd's own line, ``sum((wi*xi for wi, xi in zip(w, x)), b)``: one
``*`` node and one ``+`` node per weight.  The same class runs on every scalar engine
(Values of autograd or micrograd, 0-d PyTorch tensors), so W1e measures the cost of
an engine's elementary node and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..common import split_weights


class ScalarNeuron:
    """``relu(b + w₁x₁ + … + wₙxₙ)`` (or linear), built node by node."""

    def __init__(self, w: Sequence[float], b: float, nonlin: bool,
                 param: Callable[[float], Any]) -> None:
        self.w = [param(x) for x in w]
        self.b = param(b)
        self.nonlin = nonlin

    def __call__(self, x: Sequence[Any]) -> Any:
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.relu() if self.nonlin else act

    def parameters(self) -> list[Any]:
        """Weights, then the bias."""
        return [*self.w, self.b]


class ScalarMLP:
    """``MLP(2, [16, 16, 1])`` from flat initial weights (micrograd's parameter order)."""

    def __init__(self, layers: Sequence[int], flat: Sequence[float],
                 param: Callable[[float], Any], zero: Any) -> None:
        self.zero = zero
        net = split_weights(layers, flat)
        self.layers = [[ScalarNeuron(w, b, depth < len(net) - 1, param) for w, b in layer]
                       for depth, layer in enumerate(net)]

    def __call__(self, x: Sequence[Any]) -> Any:
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self) -> list[Any]:
        """Every parameter, neuron by neuron, layer by layer."""
        return [p for layer in self.layers for n in layer for p in n.parameters()]

    def zero_grad(self) -> None:
        """Reset every parameter's gradient (``None`` for PyTorch, 0 otherwise)."""
        for p in self.parameters():
            p.grad = self.zero
