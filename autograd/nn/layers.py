"""Neural networks made of Value nodes: neurons, layers, multi-layer perceptrons.

A neuron computes ``y = g(w·x + b)``: a weighted sum of its inputs plus a bias,
passed through an *activation function* ``g``.  Here the weighted sum is ONE
``dot`` node (one gradient per weight, but a small graph) and ``g`` one more node,
so a trained network can still be drawn and stepped through gradient by gradient.

The activations and softmax are in :mod:`autograd.nn.activations`, dropout in
:mod:`autograd.nn.dropout`.

>>> import autograd
>>> from autograd.nn import MLP
>>> model = MLP(2, [16, 16, 1], seed=0)     # micrograd's: ReLU hidden layers, linear output
>>> model.num_parameters()
337
>>> y = model([2.0, -1.0]); y.op
'dot'
>>> y.scope.title
'Layer 3 · Neuron 1'
>>> model.named_parameters()[0][0]
'layers.0.neurons.0.w.0'

Every node a network makes is named where it is made (the label), by position and
1-based like the diagrams' clusters: parameters ``L1.N2.w1`` and ``L1.N2.b``; each call's
weighted sum ``L1.N2.z`` and activation ``L1.N2.h``; inputs given as numbers ``x1 … xn``;
dropout outputs ``L1.drop3``; a softmax output's pieces ``softmax.e1`` …  A parameter
is one shared node, so its name is unique; when one graph calls the model on several
samples, the explainer shows each call's nodes as ``s3.L1.N2.z``, ``s3.x1``.
:func:`display_name` maps ``named_parameters()`` keys to these names and back.

>>> model.layers[0].neurons[1].w[0].label, y.label
('L1.N2.w1', 'L3.N1.z')
>>> display_name(model, 'layers.0.neurons.1.w.0'), display_name(model, 'L1.N2.w1')
('L1.N2.w1', 'layers.0.neurons.1.w.0')
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

from .. import validate
from ..engine import Value
from ..modes import Scope, scope
from ..nary import dot, dots
from ..rng import make_rng
from .activations import ACTIVATIONS, OUTPUTS, activation_fn, log_softmax, softmax
from .dropout import Dropout
from .init import Initializer, get_initializer
from .module import Module, _Checked, _Inputs, as_inputs

__all__ = ["ACTIVATIONS", "MLP", "OUTPUTS", "Dropout", "Layer", "Module", "Neuron",
           "activation_fn", "as_inputs", "display_name", "log_softmax", "softmax"]


def _count(who: str, name: str, n: Any) -> int:
    return validate.count(who, name, n)


class Neuron(Module):
    """One neuron: ``g(w·x + b)`` with ``w`` a list of ``nin`` weights and bias ``b``.

    ``nonlin=True/False`` is accepted as in micrograd (ReLU / linear).  Weights are
    drawn by ``init`` (see :mod:`autograd.nn.init`) from ``rng``, a fresh
    ``random.Random(seed)``, or the package generator (:func:`autograd.manual_seed`).
    The dot and activation nodes are tagged with ``self.scope``.

    ``name`` is the neuron's place in a network (``'L1.N2'``, given by :class:`Layer`);
    its nodes are labelled ``L1.N2.w1 … L1.N2.b`` (parameters), ``L1.N2.z`` (the
    weighted sum) and ``L1.N2.h`` (the activation); a neuron on its own uses ``w1``,
    ``b``, ``z`` and ``h``.
    """

    def __init__(self, nin: int, activation: str = "relu", *, alpha: float = 0.01,
                 init: str | Initializer = "uniform", seed: int | None = None,
                 rng: random.Random | None = None, fan_out: int = 1,
                 scope: Scope | None = None, nonlin: bool | None = None,
                 name: str = "") -> None:
        _count(type(self).__name__, "nin", nin)
        if not isinstance(name, str):
            raise TypeError(f"Neuron: name must be a str, got {type(name).__name__}: {name!r}")
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        self._act = activation_fn(activation, alpha)
        draw, r = get_initializer(init), make_rng(seed, rng, "Neuron")
        p = f"{name}." if name else ""
        self.w = [Value(float(draw(nin, fan_out, r)), f"{p}w{i + 1}") for i in range(nin)]
        self.b = Value(0.0, f"{p}b")
        self.nin, self.activation, self.alpha = nin, activation, float(alpha)
        self.scope = scope if scope is not None else Scope("Neuron", kind="neuron")
        self.name, self._z, self._h = name, f"{p}z", f"{p}h"

    def __call__(self, x: _Inputs) -> Value:
        """``g(w·x + b)``: one dot node, then one activation node (none if linear)."""
        z = self.preactivation(x)
        act = self._act
        if act is None:
            return z
        y = act(z)
        y._scope, y._label = self.scope, self._h
        return y

    def preactivation(self, x: _Inputs) -> Value:
        """``z = w·x + b`` as one tagged ``dot`` node, labelled ``…z``."""
        if not isinstance(x, _Checked):   # numbers become the inputs x1 … xn
            x = as_inputs(x, self.nin, self.scope.title)
        z = dot(self.w, x, self.b)
        z._scope, z._label = self.scope, self._z
        return z

    def config(self) -> dict[str, Any]:
        """Architecture: ``{'type': 'Neuron', 'nin': …, 'activation': …, 'alpha': …}``."""
        return {"type": "Neuron", "nin": self.nin, "activation": self.activation,
                "alpha": self.alpha}

    def __repr__(self) -> str:
        return f"Neuron({self.nin}, {self.activation})"


class Layer(Module):
    """``nout`` neurons reading the same ``nin`` inputs.

    Calling it returns a single Value when ``nout == 1`` (as micrograd), otherwise a
    list; :meth:`outputs` always returns a list.  Neuron ``j`` is tagged with the scope
    ``"<layer> · Neuron j"`` (1-based) and named ``'<name>.Nj'`` (``'L1.N2'`` in an
    :class:`MLP`; ``'N2'`` for a layer on its own).
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu", *, alpha: float = 0.01,
                 init: str | Initializer = "uniform", seed: int | None = None,
                 rng: random.Random | None = None, scope: Scope | None = None,
                 nonlin: bool | None = None, name: str = "") -> None:
        _count(type(self).__name__, "nin", nin)
        _count("Layer", "nout", nout)
        if not isinstance(name, str):
            raise TypeError(f"Layer: name must be a str, got {type(name).__name__}: {name!r}")
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        activation_fn(activation, alpha)
        r = make_rng(seed, rng, "Layer")
        self.scope = scope if scope is not None else Scope("Layer", kind="layer")
        p = f"{name}." if name else ""
        self.neurons = [Neuron(nin, activation, alpha=alpha, init=init, rng=r, fan_out=nout,
                               scope=Scope(f"Neuron {j + 1}", self.scope, "neuron"),
                               name=f"{p}N{j + 1}")
                        for j in range(nout)]
        self.nin, self.nout, self.activation, self.alpha = nin, nout, activation, float(alpha)
        self.name = name

    def __call__(self, x: _Inputs) -> Value | list[Value]:
        out = self.outputs(x)
        return out[0] if len(out) == 1 else out

    def outputs(self, x: _Inputs) -> list[Value]:
        """Every neuron's output, as a list (even for one neuron).

        The same nodes as calling each neuron, in the same order (each neuron's
        weighted sum, then its activation, so backpropagation finishes one neuron
        before the next), but the shared inputs are checked and read once.
        """
        xs = as_inputs(x, self.nin, self.scope.title)
        neurons = self.neurons
        return dots([nr.w for nr in neurons], xs, [nr.b for nr in neurons],
                    [nr.scope for nr in neurons], labels=[nr._z for nr in neurons],
                    activation=neurons[0]._act, activation_labels=[nr._h for nr in neurons])

    def config(self) -> dict[str, Any]:
        """Architecture: type, nin, nout, activation, alpha."""
        return {"type": "Layer", "nin": self.nin, "nout": self.nout,
                "activation": self.activation, "alpha": self.alpha}

    def __repr__(self) -> str:
        return f"Layer({self.nin} → {self.nout}, {self.activation})"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(nin, [h1, h2, …, nout])``.

    Hidden layers use ``activation`` (ReLU by default); the last layer is the output
    unit ``output``: ``'linear'`` (regression, micrograd's default), ``'sigmoid'``
    (binary probability), ``'softmax'`` (class probabilities summing to 1) or any
    activation name.  ``dropout=p`` inserts a :class:`Dropout` after every hidden layer.

    ``model(x)`` returns a single Value when there is one output, else a list;
    :meth:`outputs` always a list; :meth:`logits` the last layer's pre-activations
    (feed those to the ``*_with_logits`` / ``cross_entropy`` losses).
    """

    def __init__(self, nin: int, nouts: Sequence[int], activation: str = "relu",
                 output: str = "linear", *, alpha: float = 0.01, dropout: float = 0.0,
                 init: str | Initializer = "uniform", seed: int | None = None,
                 rng: random.Random | None = None) -> None:
        _count(type(self).__name__, "nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        sizes = [nin] + [_count("MLP", f"nouts[{i}]", n) for i, n in enumerate(nouts)]
        activation_fn(activation, alpha)
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)}; got {output!r}")
        r = make_rng(seed, rng, "MLP")
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1],
                  activation if i < last else ("linear" if output == "softmax" else output),
                  alpha=alpha, init=init, rng=r, scope=Scope(f"Layer {i + 1}", kind="layer"),
                  name=f"L{i + 1}")
            for i in range(len(nouts))]
        self.dropouts = [Dropout(dropout, rng=r, scope=Scope("Dropout", layer.scope),
                                 name=layer.name)
                         for layer in self.layers[:-1]] if dropout else []
        self.nin, self.nouts, self.activation, self.output = nin, list(nouts), activation, output
        self.alpha, self.dropout = float(alpha), float(dropout)
        self.output_scope = Scope("Softmax")

    def __call__(self, x: _Inputs) -> Value | list[Value]:
        out = self.outputs(x)
        return out[0] if len(out) == 1 else out

    def outputs(self, x: _Inputs) -> list[Value]:
        """The output units' values, always as a list."""
        h = self.layers[-1].outputs(self._hidden(x))
        if self.output == "softmax":
            with scope(self.output_scope):
                h = softmax(h)
        return h

    def logits(self, x: _Inputs) -> list[Value]:
        """The last layer's weighted sums ``z`` before the output unit."""
        h = self._hidden(x)
        return [n.preactivation(h) for n in self.layers[-1].neurons]

    def _hidden(self, x: _Inputs) -> list[Value]:
        h: list[Value] = as_inputs(x, self.nin, "MLP")
        drops = self.dropouts
        for i, layer in enumerate(self.layers[:-1]):
            h = layer.outputs(h)
            if drops:
                h = drops[i](h)
        return h

    def config(self) -> dict[str, Any]:
        """Architecture: type, nin, nouts, activation, output, alpha, dropout."""
        return {"type": "MLP", "nin": self.nin, "nouts": list(self.nouts),
                "activation": self.activation, "output": self.output, "alpha": self.alpha,
                "dropout": self.dropout}

    def __repr__(self) -> str:
        sizes = " → ".join(str(n) for n in [self.nin, *self.nouts])
        lines = [f"MLP({sizes}, {self.num_parameters()} parameters)"]
        for i, layer in enumerate(self.layers):
            drop = f", dropout {self.dropout:g}" if self.dropouts and i < len(self.dropouts) else ""
            lines.append(f"  {layer.scope.title}: {layer.nin} → {layer.nout}, {layer.activation}"
                         f"{drop}, {layer.num_parameters()} parameters")
        if self.output == "softmax":
            lines.append("  output: softmax")
        return "\n".join(lines)


def display_name(model: Module, name: str) -> str:
    """Map a parameter's ``named_parameters()``/``state_dict()`` key to its display name,
    or a display name back to the key: the one bridge between the two schemes.

    Keys are PyTorch's (``layers.0.neurons.1.w.0``, 0-based, kept for ``state_dict``,
    saving and ``to_torch``); display names are the labels every view prints
    (``L1.N2.w1``: layer 1, neuron 2, weight 1, 1-based like the diagrams).  Raises
    ``KeyError`` naming the model's first keys when ``name`` is neither.

    >>> m = MLP(2, [3, 1], seed=0)
    >>> display_name(m, 'layers.1.neurons.0.b'), display_name(m, 'L2.N1.b')
    ('L2.N1.b', 'layers.1.neurons.0.b')
    """
    if not isinstance(model, Module):
        raise TypeError(f"display_name: model must be a Module, got {type(model).__name__}")
    if not isinstance(name, str):
        raise TypeError(f"display_name: name must be a str, got {type(name).__name__}: "
                        f"{name!r}")
    pairs = model.named_parameters()
    for key, p in pairs:
        if key == name:
            return p.label or key
    for key, p in pairs:
        if p.label == name:
            return key
    some = ", ".join(repr(k) for k, _ in pairs[:3])
    raise KeyError(f"display_name: {name!r} is neither a parameter key (e.g. {some}) nor "
                   "a parameter's display name of this model")
