"""Saving and loading models as JSON (never pickle: a model file is data, not code).

A file holds the format tag, the architecture (``model.config()``) and every
parameter by name::

    {"format": "backprop-lab/model", "version": 1,
     "architecture": {"type": "MLP", "nin": 2, "nouts": [16, 16, 1], ...},
     "parameters": {"layers.0.neurons.0.w.0": 0.6888437030500962, ...}}

Floats are written with ``repr`` precision, so a round trip is exact.  Loading
checks everything (format, architecture, every name, every number) before it
touches the model: on any error the model is unchanged and the message names
the offending key.  Saving writes a temporary file in the same directory and
renames it over the target (``os.replace``), so a crash never leaves a half-written
file and a failed save leaves the old file intact (see :mod:`autograd.nn.files` for
symlinks, special files, permissions and left-over temporary files).

Limits on what :func:`load` reads (each refusal is a ``ValueError`` starting
``"load:"``, raised before any model is built):

* at most ``max_parameters`` parameters (default :data:`MAX_PARAMETERS`, ten million):
  the count the architecture implies is computed from its numbers first, and it
  must equal the number of entries under ``"parameters"``;
* a regular file (no FIFO, device or directory) of at most
  ``65,536 + 128·max_parameters`` bytes (:func:`max_file_bytes`), UTF-8 JSON with
  no repeated key and no number literal longer than 100 characters;
* every architecture field of the right type and range (``"version": true`` or
  ``"alpha": "NaN"`` are refused), every parameter a finite number.

>>> import os, tempfile, autograd
>>> model = autograd.MLP(2, [4, 1], seed=0)
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> autograd.save(model, path)
>>> copy = autograd.load(path)            # rebuilt from the saved architecture
>>> copy.state_dict() == model.state_dict()
True
"""

from __future__ import annotations

import itertools
import json
import math
import os
from collections.abc import Callable, Mapping
from typing import Any

from .. import validate
from ..rng import get_rng
from .files import atomic_write, read_json
from .layers import ACTIVATIONS, MLP, OUTPUTS, Dropout, Layer, Module, Neuron
from .module import is_number

__all__ = ["FORMAT", "MAX_PARAMETERS", "VERSION", "build", "check_state", "load", "load_state",
           "max_file_bytes", "parameter_count", "save"]

FORMAT = "backprop-lab/model"
VERSION = 1
MAX_PARAMETERS = 10_000_000
"""Default cap on the parameters :func:`load` and :func:`build` accept (``max_parameters=``)."""

_BUILDERS: dict[str, Callable[..., Module]] = {"MLP": MLP, "Layer": Layer, "Neuron": Neuron,
                                               "Dropout": Dropout}


def max_file_bytes(max_parameters: int = MAX_PARAMETERS) -> int:
    """The largest model file :func:`load` reads: 64 KiB + 128 bytes per parameter
    (a saved parameter takes under 70)."""
    return 65_536 + 128 * max_parameters


def _names(keys: Any) -> str:
    keys = sorted(map(str, keys))
    return ", ".join(repr(k) for k in keys[:5]) + (f" and {len(keys) - 5} more"
                                                    if len(keys) > 5 else "")


def check_state(module: Module, state: Any, where: str = "load_state_dict") -> dict[str, float]:
    """Validate ``state`` against ``module``'s parameters; return ``{name: float}``.

    Every parameter name must be present, no other key may be, and every value must
    be a finite real number (not a bool).  Raises ``ValueError``/``TypeError`` naming
    the key; changes nothing.
    """
    if not isinstance(state, Mapping):
        raise TypeError(f"{where}: state must be a dict of name → number, "
                        f"got {type(state).__name__}")
    expected = [name for name, _ in module.named_parameters()]
    missing = set(expected) - set(state)
    extra = set(state) - set(expected)
    if missing or extra:
        parts = ([f"missing {len(missing)} key(s): {_names(missing)}"] if missing else []) + (
            [f"unexpected {len(extra)} key(s): {_names(extra)}"] if extra else [])
        raise ValueError(f"{where}: the state does not match the model ({'; '.join(parts)})")
    out: dict[str, float] = {}
    for name in expected:
        v = state[name]
        if not is_number(v):
            raise TypeError(f"{where}: {name!r} must be a number, got {type(v).__name__}: {v!r}")
        try:
            f = float(v)
        except OverflowError:
            f = math.inf
        if not math.isfinite(f):
            raise ValueError(f"{where}: {name!r} is not a finite number: {v!r:.40}")
        out[name] = f
    return out


def load_state(module: Module, state: Any, where: str = "load_state_dict") -> None:
    """Check ``state`` completely (see :func:`check_state`), then copy it in."""
    numbers = check_state(module, state, where)
    for name, p in module.named_parameters():
        p.data = numbers[name]


# -- architectures ---------------------------------------------------------------------------
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


def _described(architecture: Mapping[str, Any]) -> str:
    parts = [f"{k}={architecture[k]!r:.60}" for k in ("nin", "nouts", "nout") if k in architecture]
    return f"the architecture ({architecture['type']}{', ' if parts else ''}{', '.join(parts)})"


def _capped(count: int, max_parameters: int, what: str) -> None:
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
    _capped(parameter_count(architecture, "load"), cap, f"{_described(architecture)} implies")
    try:  # seed=0: building must not consume numbers from the package generator
        model = _BUILDERS[kind](**kwargs, seed=0)
    except (TypeError, ValueError) as e:
        raise ValueError(f"load: invalid architecture {dict(architecture)!r:.200}: {e}") from None
    for _, m in model.named_modules():
        if isinstance(m, Dropout):  # masks from the package generator, as for a new model
            m._rng = get_rng()
    return model


def _same(a: Any, b: Any) -> bool:
    """Equal, and not a bool standing in for a number (``True == 1`` in Python)."""
    return bool(a == b) and isinstance(a, bool) == isinstance(b, bool)


def _compare(saved: Any, actual: Mapping[str, Any]) -> None:
    if not isinstance(saved, Mapping):
        raise ValueError(f"load: 'architecture' must be a dict, got {saved!r:.80}")
    missing = "(missing)"
    diffs = [f"{k}: file has {saved.get(k, missing)!r:.60}, model has "
             f"{actual.get(k, missing)!r:.60}"
             for k in sorted(set(saved) | set(actual), key=str)
             if not _same(saved.get(k, missing), actual.get(k, missing))]
    if diffs:
        raise ValueError("load: the file's architecture differs from the model's: "
                         + "; ".join(diffs[:5]))


# -- save and load ---------------------------------------------------------------------------
def save(model: Module, path: str | os.PathLike[str]) -> None:
    """Write ``model`` (architecture and parameters) to ``path`` as JSON, atomically.

    Refuses (``ValueError`` naming the parameter, nothing written) a model holding
    NaN or infinity, and a ``path`` that is a directory, FIFO or device.  A symlink is
    written through (its target is replaced); an existing file keeps its permissions.
    """
    if not isinstance(model, Module):
        raise TypeError(f"save: model must be a Module, got {type(model).__name__}")
    params = model.state_dict()
    check_state(model, params, "save")
    payload = {"format": FORMAT, "version": VERSION, "architecture": model.config(),
               "parameters": params}
    try:
        text = json.dumps(payload, indent=1, allow_nan=False) + "\n"
    except ValueError as e:
        raise ValueError(f"save: the model's config() holds a number JSON cannot store "
                         f"({model.config()!r:.120}): {e}") from None
    atomic_write("save", path, text)


def load(path: str | os.PathLike[str], model: Module | None = None, *,
         max_parameters: int = MAX_PARAMETERS) -> Module:
    """Read a model saved by :func:`save`.

    Without ``model`` a new one is built from the saved architecture; with
    ``model``, its architecture must equal the saved one and its parameters are
    overwritten (and it is returned).  Every check happens before any change, and
    the file's size and parameter count are checked before anything is built:
    files of more than ``max_parameters`` parameters (default :data:`MAX_PARAMETERS`)
    or :func:`max_file_bytes` bytes are refused.  A file that is not a valid model
    file raises ``ValueError`` starting ``"load:"``.
    """
    cap = validate.count("load", "max_parameters", max_parameters, low=0)
    if model is not None and not isinstance(model, Module):
        raise TypeError(f"load: model must be a Module, got {type(model).__name__}")
    payload = read_json("load", path, max_file_bytes(cap))
    name = os.fspath(path)
    fields = {"format", "version", "architecture", "parameters"}
    if not isinstance(payload, dict) or set(payload) != fields:
        raise ValueError(f"load: {name!r} is not a model file (expected the keys "
                         f"{sorted(fields)})")
    version = payload["version"]
    if payload["format"] != FORMAT or type(version) is not int or version != VERSION:
        raise ValueError(f"load: unsupported format {payload['format']!r:.60} version "
                         f"{version!r:.20} (expected {FORMAT!r} version {VERSION})")
    params = payload["parameters"]
    if not isinstance(params, Mapping):
        raise ValueError(f"load: 'parameters' must be a dict of name → number (the state), "
                         f"got {type(params).__name__}")
    _capped(len(params), cap, f"{name!r} holds under 'parameters'")
    if model is None:
        architecture = payload["architecture"]
        implied = parameter_count(architecture, "load")
        _capped(implied, cap, f"{_described(architecture)} implies")
        if implied != len(params):
            raise ValueError(f"load: 'parameters' has {len(params):,} entries but "
                             f"{_described(architecture)} implies {implied:,}")
        target = build(architecture, max_parameters=cap)
    else:
        _compare(payload["architecture"], model.config())
        target = model
    try:
        load_state(target, params, "load")
    except TypeError as e:          # a file's content is a value: one kind of error
        raise ValueError(str(e)) from None
    return target
