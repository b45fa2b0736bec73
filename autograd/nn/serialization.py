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
file and a failed save leaves the old file intact.

>>> import os, tempfile, autograd
>>> model = autograd.MLP(2, [4, 1], seed=0)
>>> path = os.path.join(tempfile.mkdtemp(), "model.json")
>>> autograd.save(model, path)
>>> copy = autograd.load(path)            # rebuilt from the saved architecture
>>> copy.state_dict() == model.state_dict()
True
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from ..rng import get_rng
from .layers import MLP, Dropout, Layer, Module, Neuron
from .module import is_number

__all__ = ["FORMAT", "build", "check_state", "load", "load_state", "save"]

FORMAT = "backprop-lab/model"
VERSION = 1
_BUILDERS: dict[str, Callable[..., Module]] = {"MLP": MLP, "Layer": Layer, "Neuron": Neuron,
                                      "Dropout": Dropout}


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
        if not math.isfinite(v):
            raise ValueError(f"{where}: {name!r} is not a finite number: {v!r}")
        out[name] = float(v)
    return out


def load_state(module: Module, state: Any, where: str = "load_state_dict") -> None:
    """Check ``state`` completely (see :func:`check_state`), then copy it in."""
    numbers = check_state(module, state, where)
    for name, p in module.named_parameters():
        p.data = numbers[name]


def build(architecture: Mapping[str, Any]) -> Module:
    """A new (randomly initialised) model from a ``config()`` description."""
    if not isinstance(architecture, Mapping) or architecture.get("type") not in _BUILDERS:
        raise ValueError(f"load: unknown architecture {architecture!r:.120}; known types are "
                         f"{', '.join(_BUILDERS)} (pass model= for your own Module)")
    kwargs = {k: v for k, v in architecture.items() if k != "type"}
    try:  # seed=0: building must not consume numbers from the package generator
        model = _BUILDERS[architecture["type"]](**kwargs, seed=0)
    except (TypeError, ValueError) as e:
        raise ValueError(f"load: invalid architecture {dict(architecture)!r:.200}: {e}") from None
    for _, m in model.named_modules():
        if isinstance(m, Dropout):  # masks from the package generator, as for a new model
            m._rng = get_rng()
    return model


def _compare(saved: Any, actual: Mapping[str, Any]) -> None:
    if not isinstance(saved, Mapping):
        raise ValueError(f"load: 'architecture' must be a dict, got {saved!r:.80}")
    missing = "(missing)"
    diffs = [f"{k}: file has {saved.get(k, missing)!r}, model has {actual.get(k, missing)!r}"
             for k in sorted(set(saved) | set(actual), key=str) if saved.get(k) != actual.get(k)]
    if diffs:
        raise ValueError("load: the file's architecture differs from the model's: "
                         + "; ".join(diffs))


def save(model: Module, path: str | os.PathLike[str]) -> None:
    """Write ``model`` (architecture and parameters) to ``path`` as JSON, atomically.

    Refuses (``ValueError`` naming the parameter, nothing written) a model holding
    NaN or infinity.
    """
    if not isinstance(model, Module):
        raise TypeError(f"save: model must be a Module, got {type(model).__name__}")
    params = model.state_dict()
    check_state(model, params, "save")
    payload = {"format": FORMAT, "version": VERSION, "architecture": model.config(),
               "parameters": params}
    text = json.dumps(payload, indent=1, allow_nan=False) + "\n"
    _atomic_write(os.fspath(path), text)


def _atomic_write(path: str, text: str) -> None:
    """Write to a temporary file beside ``path``, then ``os.replace`` it over ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{os.path.basename(path)}.",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def load(path: str | os.PathLike[str], model: Module | None = None) -> Module:
    """Read a model saved by :func:`save`.

    Without ``model`` a new one is built from the saved architecture; with
    ``model``, its architecture must equal the saved one and its parameters are
    overwritten (and it is returned).  Every check happens before any change.
    """
    with open(path, encoding="utf-8") as f:
        try:
            payload = json.load(f)
        except json.JSONDecodeError as e:
            raise ValueError(f"load: {os.fspath(path)!r} is not valid JSON ({e})") from None
    fields = {"format", "version", "architecture", "parameters"}
    if not isinstance(payload, dict) or set(payload) != fields:
        raise ValueError(f"load: {os.fspath(path)!r} is not a model file (expected the keys "
                         f"{sorted(fields)})")
    if payload["format"] != FORMAT or payload["version"] != VERSION:
        raise ValueError(f"load: unsupported format {payload['format']!r} version "
                         f"{payload['version']!r} (expected {FORMAT!r} version {VERSION})")
    if model is None:
        target = build(payload["architecture"])
    elif isinstance(model, Module):
        _compare(payload["architecture"], model.config())
        target = model
    else:
        raise TypeError(f"load: model must be a Module, got {type(model).__name__}")
    load_state(target, payload["parameters"], "load")
    return target
