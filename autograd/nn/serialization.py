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
symlinks, special files, permissions and left-over temporary files, and
:mod:`autograd.nn.architecture` for the checks of the architecture).

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

import json
import math
import os
from collections.abc import Mapping
from typing import Any

from .. import validate
from .architecture import (
    MAX_PARAMETERS,
    build,
    check_architecture_savable,
    check_count,
    describe,
    parameter_count,
)
from .files import atomic_write, read_json
from .module import Module, is_number

__all__ = ["FORMAT", "MAX_PARAMETERS", "VERSION", "build", "check_state", "load", "load_state",
           "max_file_bytes", "parameter_count", "save"]

FORMAT = "backprop-lab/model"
VERSION = 1


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
    check_architecture_savable(model.config())
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
    check_count(len(params), cap, f"{name!r} holds under 'parameters'")
    if model is None:
        architecture = payload["architecture"]
        implied = parameter_count(architecture, "load")
        check_count(implied, cap, f"{describe(architecture)} implies")
        if implied != len(params):
            raise ValueError(f"load: 'parameters' has {len(params):,} entries but "
                             f"{describe(architecture)} implies {implied:,}")
        target = build(architecture, max_parameters=cap)
    else:
        _compare(payload["architecture"], model.config())
        target = model
    try:
        load_state(target, params, "load")
    except TypeError as e:          # a file's content is a value: one kind of error
        raise ValueError(str(e)) from None
    return target
