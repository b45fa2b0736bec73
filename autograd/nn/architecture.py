"""Model architectures as data: check a ``config()`` description, count its parameters, build it.

A saved model names its architecture (``{"type": "MLP", "nin": 2, "nouts": [16, 1], …}``).
Before anything is built, every field is checked (type and range) and the number of
parameters it implies is computed from its numbers alone, so a description of a
gigantic model is refused at once instead of exhausting memory.

>>> parameter_count({"type": "Layer", "nin": 3, "nout": 2})
8
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from .. import validate
from ..rng import get_rng
from .layers import ACTIVATIONS, MLP, OUTPUTS, Dropout, Layer, Module, Neuron

__all__ = ["MAX_PARAMETERS", "build", "check_count", "describe", "parameter_count"]

MAX_PARAMETERS = 10_000_000
"""Default cap on the parameters :func:`build` and ``load()`` accept (``max_parameters=``)."""

_BUILDERS: dict[str, Callable[..., Module]] = {"MLP": MLP, "Layer": Layer, "Neuron": Neuron,
                                               "Dropout": Dropout}


def _sizes(who: str, name: str, x: Any) -> list[int]:
    if isinstance(x, (str, bytes)) or not isinstance(x, list) or not x:
        raise ValueError(f"{who}: {name} must be a non-empty list of layer sizes, got "
                         f"{x!r:.60}")
    if all(type(n) is int and n >= 1 for n in x):     # the common case, fast for long lists
        return list(x)
    return [validate.count(who, f"{name}[{i}]", n) for i, n in enumerate(x)]


_FIELDS: dict[str, Callable[[str, str, Any], Any]] = {
    "nin": lambda who, name, x: validate.count(who, name, x),
    "nout": lambda who, name, x: validate.count(who, name, x),
    "nouts": _sizes,
    "activation": lambda who, name, x: validate.choice(who, name, x, ACTIVATIONS),
    "output": lambda who, name, x: validate.choice(who, name, x, OUTPUTS),
    "alpha": lambda who, name, x: validate.real(who, name, x),
    "dropout": lambda who, name, x: validate.real(who, name, x, low=0, high=1, high_open=True),
    "p": lambda who, name, x: validate.real(who, name, x, low=0, high=1, high_open=True),
}
_SCHEMA: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {   # type → (required, optional)
    "MLP": (("nin", "nouts"), ("activation", "output", "alpha", "dropout")),
    "Layer": (("nin", "nout"), ("activation", "alpha")),
    "Neuron": (("nin",), ("activation", "alpha")),
    "Dropout": ((), ("p",)),
}


def _checked_architecture(architecture: Any, who: str) -> tuple[str, dict[str, Any]]:
    """The type and the checked keyword arguments of a ``config()`` description."""
    kind = architecture.get("type") if isinstance(architecture, Mapping) else None
    if not isinstance(kind, str) or kind not in _BUILDERS:
        raise ValueError(f"{who}: unknown architecture {architecture!r:.120}; known types are "
                         f"{', '.join(_BUILDERS)} (pass model= for your own Module)")
    required, optional = _SCHEMA[kind]
    unknown = sorted(set(architecture) - {"type", *required, *optional}, key=str)
    if unknown:
        raise ValueError(f"{who}: architecture key {str(unknown[0])!r:.40} is unknown for "
                         f"{kind} (allowed: {', '.join(('type', *required, *optional))})")
    for key in required:
        if key not in architecture:
            raise ValueError(f"{who}: architecture['{key}'] is missing ({kind} needs "
                             f"{', '.join(required)})")
    try:
        kwargs = {key: _FIELDS[key](who, f"architecture['{key}']", architecture[key])
                  for key in (*required, *optional) if key in architecture}
    except TypeError as e:          # a file's content is a value: one kind of error
        raise ValueError(str(e)) from None
    return kind, kwargs


def check_architecture_savable(architecture: Mapping[str, Any]) -> None:
    """Refuse (before anything is written) a model whose activation or output is not a
    built-in one: a user op (``autograd.define_op``) lives only in the running program."""
    for key, allowed in (("activation", ACTIVATIONS), ("output", OUTPUTS)):
        value = architecture.get(key)
        if value is not None and value not in allowed:
            raise ValueError(f"save: {key} {value!r} is not a built-in one (a user-defined op "
                             f"cannot be saved: a file must load without your code); built-in: "
                             f"{', '.join(allowed)}")
    for part in architecture.get("layers", ()) or ():
        if isinstance(part, Mapping):
            check_architecture_savable(part)


def parameter_count(architecture: Mapping[str, Any], who: str = "parameter_count") -> int:
    """The number of parameters an architecture implies, from its numbers alone.

    ``MLP``: ``Σᵢ (sᵢ + 1)·sᵢ₊₁`` over the sizes ``s = [nin, *nouts]`` (weights and a
    bias per neuron); ``Layer``: ``(nin + 1)·nout``; ``Neuron``: ``nin + 1``;
    ``Dropout``: 0.  Nothing is built.

    >>> parameter_count({"type": "MLP", "nin": 2, "nouts": [16, 16, 1]})
    337
    """
    kind, kw = _checked_architecture(architecture, who)
    if kind == "MLP":
        sizes = [kw["nin"], *kw["nouts"]]
        return sum((a + 1) * b for a, b in itertools.pairwise(sizes))
    if kind == "Layer":
        return int((kw["nin"] + 1) * kw["nout"])
    return int(kw["nin"] + 1) if kind == "Neuron" else 0


def describe(architecture: Mapping[str, Any]) -> str:
    """``"the architecture (MLP, nin=2, nouts=[16, 1])"``, for messages."""
    parts = [f"{k}={architecture[k]!r:.60}" for k in ("nin", "nouts", "nout") if k in architecture]
    return f"the architecture ({architecture['type']}{', ' if parts else ''}{', '.join(parts)})"


def check_count(count: int, max_parameters: int, what: str) -> None:
    """Refuse (``ValueError`` starting ``load:``) ``count`` parameters above the cap;
    ``what`` says whose count it is (``"the architecture (…) implies"``)."""
    if count > max_parameters:
        raise ValueError(f"load: {what} {count:,} parameters, more than "
                         f"max_parameters={max_parameters:,} (pass a larger max_parameters= "
                         "to accept it)")


def build(architecture: Mapping[str, Any], *, max_parameters: int = MAX_PARAMETERS) -> Module:
    """A new (randomly initialised) model from a ``config()`` description.

    Every field is checked, and the parameter count (:func:`parameter_count`) must be
    at most ``max_parameters``, before anything is built.
    """
    cap = validate.count("build", "max_parameters", max_parameters, low=0)
    kind, kwargs = _checked_architecture(architecture, "load")
    check_count(parameter_count(architecture, "load"), cap, f"{describe(architecture)} implies")
    try:  # seed=0: building must not consume numbers from the package generator
        model = _BUILDERS[kind](**kwargs, seed=0)
    except (TypeError, ValueError) as e:
        raise ValueError(f"load: invalid architecture {dict(architecture)!r:.200}: {e}") from None
    for _, m in model.named_modules():
        if isinstance(m, Dropout):  # masks from the package generator, as for a new model
            m.rng = get_rng()
    return model
