"""Neural networks made of Value nodes: neurons, layers, multi-layer perceptrons.

A neuron computes ``y = g(w·x + b)``: a weighted sum of its inputs plus a bias,
passed through an *activation function* ``g``.  Here the weighted sum is ONE
``dot`` node (one gradient per weight, but a small graph) and ``g`` one more node,
so a trained network can still be drawn and stepped through gradient by gradient.

=========== ======================= ==========================================
activation  g(z)                    g'(z)
=========== ======================= ==========================================
relu        max(0, z)               1 if z > 0 else 0
leaky_relu  z if z > 0 else α·z     1 if z > 0 else α   (α = ``alpha``, 0.01)
sigmoid     σ(z) = 1 / (1 + e⁻ᶻ)    σ(z)·(1 − σ(z))
tanh        tanh z                  1 − tanh² z
linear      z                       1                   (no node at all)
=========== ======================= ==========================================

Without a non-linear ``g`` between them, stacked layers would collapse into a
single linear map, however deep the network.

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
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, overload

from ..engine import Value
from ..modes import Scope, scope
from ..nary import dot, dots, sum
from ..rng import make_rng
from .init import Initializer, get_initializer
from .module import Module, _Checked, _Inputs, as_inputs, is_number

__all__ = ["ACTIVATIONS", "MLP", "OUTPUTS", "Dropout", "Layer", "Module", "Neuron",
           "activation_fn", "as_inputs", "log_softmax", "softmax"]

ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh", "linear")
"""Names accepted for ``activation=``."""

OUTPUTS = (*ACTIVATIONS, "softmax")
"""Output units accepted by :class:`MLP`: an activation of the last layer, or softmax."""

def activation_fn(name: str, alpha: float = 0.01) -> Callable[[Value], Value] | None:
    """The function applying activation ``name`` to a node (None for ``linear``)."""
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}; got {name!r}")
    if name == "leaky_relu":
        if not is_number(alpha):
            raise TypeError(f"alpha must be a number, got {type(alpha).__name__}: {alpha!r}")
        a = float(alpha)
        return lambda z: z.leaky_relu(a)
    table: dict[str, Callable[[Value], Value] | None] = {
        "relu": Value.relu, "sigmoid": Value.sigmoid, "tanh": Value.tanh, "linear": None}
    return table[name]


def _count(name: str, n: Any) -> int:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"{name} must be an int, got {type(n).__name__}: {n!r}")
    if n < 1:
        raise ValueError(f"{name} must be at least 1, got {n}")
    return n


class Neuron(Module):
    """One neuron: ``g(w·x + b)`` with ``w`` a list of ``nin`` weights and bias ``b``.

    ``nonlin=True/False`` is accepted as in micrograd (ReLU / linear).  Weights are
    drawn by ``init`` (see :mod:`autograd.nn.init`) from ``rng``, a fresh
    ``random.Random(seed)``, or the package generator (:func:`autograd.manual_seed`).
    The dot and activation nodes are tagged with ``self.scope``.
    """

    def __init__(self, nin: int, activation: str = "relu", *, alpha: float = 0.01,
                 init: str | Initializer = "uniform", seed: int | None = None,
                 rng: random.Random | None = None, fan_out: int = 1,
                 scope: Scope | None = None, nonlin: bool | None = None) -> None:
        _count("nin", nin)
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        self._act = activation_fn(activation, alpha)
        draw, r = get_initializer(init), make_rng(seed, rng, "Neuron")
        self.w = [Value(float(draw(nin, fan_out, r)), f"w{i + 1}") for i in range(nin)]
        self.b = Value(0.0, "b")
        self.nin, self.activation, self.alpha = nin, activation, float(alpha)
        self.scope = scope if scope is not None else Scope("Neuron")

    def __call__(self, x: _Inputs) -> Value:
        """``g(w·x + b)``: one dot node, then one activation node (none if linear)."""
        z = self.preactivation(x)
        act = self._act
        if act is None:
            return z
        y = act(z)
        self.scope.tag(y)
        return y

    def preactivation(self, x: _Inputs) -> Value:
        """``z = w·x + b`` as one tagged ``dot`` node."""
        try:
            z = dot(self.w, x, self.b)  # raises on a wrong length or a non-number
        except (TypeError, ValueError):
            if isinstance(x, _Checked):
                raise
            return self.preactivation(as_inputs(x, self.nin, self.scope.title))
        self.scope.tag(z)
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
    ``"<layer> · Neuron j"`` (1-based).
    """

    def __init__(self, nin: int, nout: int, activation: str = "relu", *, alpha: float = 0.01,
                 init: str | Initializer = "uniform", seed: int | None = None,
                 rng: random.Random | None = None, scope: Scope | None = None,
                 nonlin: bool | None = None) -> None:
        _count("nin", nin)
        _count("nout", nout)
        if nonlin is not None:
            activation = "relu" if nonlin else "linear"
        activation_fn(activation, alpha)
        r = make_rng(seed, rng, "Layer")
        self.scope = scope if scope is not None else Scope("Layer")
        self.neurons = [Neuron(nin, activation, alpha=alpha, init=init, rng=r, fan_out=nout,
                               scope=Scope(f"Neuron {j + 1}", self.scope)) for j in range(nout)]
        self.nin, self.nout, self.activation, self.alpha = nin, nout, activation, float(alpha)

    def __call__(self, x: _Inputs) -> Value | list[Value]:
        out = self.outputs(x)
        return out[0] if len(out) == 1 else out

    def outputs(self, x: _Inputs) -> list[Value]:
        """Every neuron's output, as a list (even for one neuron).

        The same nodes as calling each neuron, built by one :func:`autograd.dots`
        call that reads the shared inputs once (twice as fast).
        """
        xs = as_inputs(x, self.nin, self.scope.title)
        neurons = self.neurons
        scopes = [n.scope for n in neurons]
        zs = dots([n.w for n in neurons], xs, [n.b for n in neurons], scopes)
        act = neurons[0]._act
        if act is None:
            return zs
        ys = [act(z) for z in zs]
        for y, s in zip(ys, scopes):
            s.tag(y)
        return ys

    def config(self) -> dict[str, Any]:
        """Architecture: type, nin, nout, activation, alpha."""
        return {"type": "Layer", "nin": self.nin, "nout": self.nout,
                "activation": self.activation, "alpha": self.alpha}

    def __repr__(self) -> str:
        return f"Layer({self.nin} → {self.nout}, {self.activation})"


class Dropout(Module):
    """Inverted dropout: in training mode each input is zeroed with probability ``p``
    and the survivors are scaled by ``1/(1 − p)``, so the expected value is unchanged
    and evaluation needs no rescaling.  In eval mode (``model.eval()``) it is the
    identity.  Masks come from ``rng`` / ``seed`` / the package generator.

    Each output is a ``*`` node (input × 0 or input × 1/(1−p)), so the diagram shows
    why a dropped unit gets no gradient.
    """

    def __init__(self, p: float = 0.5, *, seed: int | None = None,
                 rng: random.Random | None = None, scope: Scope | None = None) -> None:
        if not is_number(p):
            raise TypeError(f"Dropout p must be a number, got {type(p).__name__}: {p!r}")
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout p must be in [0, 1), got {p!r}")
        self.p = float(p)
        self.scope = scope if scope is not None else Scope("Dropout")
        self._rng = make_rng(seed, rng, "Dropout")

    @overload
    def __call__(self, x: Value) -> Value: ...

    @overload
    def __call__(self, x: Sequence[Value]) -> list[Value]: ...

    def __call__(self, x: Value | Sequence[Value]) -> Value | list[Value]:
        """Drop (training) or pass through (eval) each Value of ``x`` (or ``x`` itself)."""
        if isinstance(x, Value):
            return self([x])[0]
        p = self.p
        if not self.training or p == 0.0:
            return list(x)
        keep, draw = 1.0 / (1.0 - p), self._rng.random
        out = [v * (0.0 if draw() < p else keep) for v in x]
        self.scope.tag(*out)
        return out

    def config(self) -> dict[str, Any]:
        """Architecture: type and p."""
        return {"type": "Dropout", "p": self.p}

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


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
        _count("nin", nin)
        if isinstance(nouts, (str, bytes)) or not isinstance(nouts, Sequence) or not nouts:
            raise ValueError(f"nouts must be a non-empty list of layer sizes, got {nouts!r}")
        sizes = [nin] + [_count(f"nouts[{i}]", n) for i, n in enumerate(nouts)]
        activation_fn(activation, alpha)
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {', '.join(OUTPUTS)}; got {output!r}")
        r = make_rng(seed, rng, "MLP")
        last = len(nouts) - 1
        self.layers = [
            Layer(sizes[i], sizes[i + 1],
                  activation if i < last else ("linear" if output == "softmax" else output),
                  alpha=alpha, init=init, rng=r, scope=Scope(f"Layer {i + 1}"))
            for i in range(len(nouts))]
        self.dropouts = [Dropout(dropout, rng=r, scope=Scope("Dropout", layer.scope))
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


def _exp_shifted(values: Sequence[Value | float]) -> tuple[list[Value], list[Value], Value]:
    """``dᵢ = zᵢ − max z``, ``eᵢ = exp dᵢ`` and ``Σ eᵢ``: the stable pieces of softmax.

    Subtracting the maximum (a constant, used as a plain number) changes nothing
    mathematically but keeps every ``exp`` ≤ 1, so logits of ±1000 are fine.
    """
    if isinstance(values, Value) or is_number(values) or not values:
        raise ValueError(f"softmax needs a non-empty list of logits, got {values!r}")
    z = as_inputs(values, len(values), "softmax")
    m = max(v.data for v in z)
    d = [v - m for v in z]
    e = [di.exp() for di in d]
    return d, e, sum(e)


def softmax(values: Sequence[Value | float]) -> list[Value]:
    """``softmax(z)ᵢ = exp(zᵢ) / Σⱼ exp(zⱼ)``, computed as ``exp(zᵢ − m) / Σⱼ exp(zⱼ − m)``.

    >>> [round(p.data, 4) for p in softmax([1.0, 2.0, 3.0])]
    [0.09, 0.2447, 0.6652]
    """
    _, e, total = _exp_shifted(values)
    return [ei / total for ei in e]


def log_softmax(values: Sequence[Value | float]) -> list[Value]:
    """``log softmax(z)ᵢ = (zᵢ − m) − log Σⱼ exp(zⱼ − m)``, with ``m = max z``.

    >>> [round(v.data, 4) for v in log_softmax([1000.0, 0.0])]
    [0.0, -1000.0]
    """
    d, _, total = _exp_shifted(values)
    lse = total.log()
    return [di - lse for di in d]
