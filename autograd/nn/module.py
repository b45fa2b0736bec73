"""The ``Module`` base class: parameters found from attributes, names, modes, state.

A :class:`Value` attribute is a parameter, a ``Module`` attribute a sub-module,
and lists of either count too, in the order they were assigned (PyTorch's rule,
simplified).  Names are dotted paths such as ``layers.0.neurons.3.w.1``.

``parameters()`` is cached: assigning or deleting a Value, Module, list or
tuple attribute of any module, or changing such a list in place (a list
attribute is kept as a :class:`MemberList`, a list that reports its changes),
makes every cache stale.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from ..engine import Value
from ..engine import is_real as is_number

__all__ = ["MemberList", "Module", "as_inputs", "is_number"]

_Inputs = Sequence[Value | float]


class _Checked(list):  # type: ignore[type-arg]
    """A list of Values already converted and counted by :func:`as_inputs`."""


def as_inputs(x: Any, n: int, where: str) -> list[Value]:
    """Check ``x`` holds ``n`` inputs and turn numbers into constant Values (once).

    A single number or Value is accepted when ``n == 1``.  Errors name ``where``.
    """
    if isinstance(x, _Checked) and len(x) == n:
        return x
    if isinstance(x, Value) or is_number(x):
        items: list[Any] = [x]
    elif isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        raise TypeError(f"{where} input x must be a list of numbers or Values, "
                        f"got {type(x).__name__}: {x!r}")
    else:
        items = list(x)
    if len(items) != n:
        got = f"{len(items)}"
        if items and all(isinstance(v, (list, tuple)) or (hasattr(v, "__len__") and
                         not isinstance(v, (str, bytes, Value))) for v in items):
            got += (f" row{'s' * (len(items) != 1)} of inputs, as in a batch: a model takes "
                    "one sample at a time, e.g. [model(x) for x in X]")
        elif len(items) == 1:
            got += " number"
        raise ValueError(f"{where} expects {n} input{'s' * (n != 1)} (x), got {got}")
    out = _Checked()
    for i, v in enumerate(items):
        if isinstance(v, Value):
            out.append(v)
        elif is_number(v):
            out.append(Value(float(v), f"x{i + 1}", requires_grad=False))
        else:
            raise TypeError(f"{where} input x[{i}] must be a number or Value, "
                            f"got {type(v).__name__}: {v!r}")
    return out


EXTENSIONS: dict[str, Callable[..., Any]] = {}
"""Functions of modules above this one that :class:`Module` methods call
(``load_state``, ``to_torch``); filled by :mod:`autograd.nn` so that this base
module imports nothing above it."""


def _extension(name: str) -> Callable[..., Any]:
    try:
        return EXTENSIONS[name]
    except KeyError:
        raise RuntimeError(f"Module needs autograd.nn's {name}(): import autograd.nn") from None


_changes = itertools.count()
_version = next(_changes)   # changes whenever any module's members may have changed


def _members_changed() -> None:
    """Make every cached ``parameters()`` list stale (called after the change)."""
    global _version
    _version = next(_changes)


def _is_member(x: Any) -> bool:
    return isinstance(x, (Value, Module, list, tuple))


def _reporting(name: str) -> Callable[..., Any]:
    method = getattr(list, name)

    def change(self: list[Any], *args: Any) -> Any:
        result = method(self, *args)
        _members_changed()
        return result

    change.__name__, change.__doc__ = name, method.__doc__
    return change


class MemberList(list):  # type: ignore[type-arg]
    """A module's list attribute: a plain list that reports in-place changes
    (``append``, item assignment …), so that cached parameters are never stale."""

    __slots__ = ()

    for _name in ("__setitem__", "__delitem__", "__iadd__", "__imul__", "append", "extend",
                  "insert", "pop", "remove", "clear", "sort", "reverse"):
        locals()[_name] = _reporting(_name)
    del _name


_CACHE = "_parameters_cache"


class Module:
    """Base class of everything with parameters (PyTorch's ``nn.Module``, simplified).

    Parameters and sub-modules are found by looking at the attributes, in the order
    they were assigned: a :class:`Value` attribute is a parameter, a ``Module`` a
    sub-module, and lists of either count too.  Names are dotted paths such as
    ``layers.0.neurons.3.w.1``.  Attributes starting with ``_`` are private.
    A list assigned to a public attribute is stored as a :class:`MemberList`.
    """

    training: bool = True

    def __call__(self, x: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __call__")

    def __setattr__(self, name: str, value: Any) -> None:
        if name[0] == "_":
            object.__setattr__(self, name, value)
            return
        if type(value) is list:
            value = MemberList(value)
        old = self.__dict__.get(name)
        object.__setattr__(self, name, value)
        if _is_member(value) or _is_member(old):
            _members_changed()

    def __delattr__(self, name: str) -> None:
        old = self.__dict__.get(name)
        object.__delattr__(self, name)
        if _is_member(old):
            _members_changed()

    def __getstate__(self) -> dict[str, Any]:
        """The attributes, without the cache (copies and pickles rebuild it)."""
        state = dict(self.__dict__)
        state.pop(_CACHE, None)
        return state

    def _members(self, named: bool = True) -> Iterator[tuple[str, Value | Module]]:
        """Value and Module attributes (and their lists), in assignment order."""
        for name, value in vars(self).items():
            if name[0] == "_":
                continue
            if isinstance(value, (Value, Module)):
                yield name, value
            elif isinstance(value, (list, tuple)):
                for i, item in enumerate(value):
                    if isinstance(item, (Value, Module)):
                        yield (f"{name}.{i}" if named else name), item

    def named_modules(self, prefix: str = "") -> list[tuple[str, Module]]:
        """This module (named ``prefix``, ``''`` by default) and every sub-module."""
        found = [(prefix, self)]
        for name, m in self._members():
            if isinstance(m, Module):
                found += m.named_modules(f"{prefix}.{name}" if prefix else name)
        return found

    def named_parameters(self) -> list[tuple[str, Value]]:
        """``(name, parameter)`` pairs in a stable order: a module's own parameters, then
        its sub-modules' (PyTorch's order; for an MLP that is micrograd's order)."""
        first: dict[Value, str] = {}  # a shared parameter is listed once, by its first name
        for path, module in self.named_modules():
            for name, v in module._own_parameters(named=True):
                first.setdefault(v, f"{path}.{name}" if path else name)
        return [(name, v) for v, name in first.items()]

    def modules(self) -> list[Module]:
        """This module and every sub-module, in :meth:`named_modules` order."""
        found = [self]
        for _, m in self._members(named=False):
            if isinstance(m, Module):
                found += m.modules()
        return found

    def parameters(self) -> list[Value]:
        """Every parameter, each once: for an MLP, neuron by neuron, weights then bias.

        Same order as :meth:`named_parameters`, without building the names.  The
        list is cached until a module's members change (a fresh copy is returned).
        """
        cached = self.__dict__.get(_CACHE)
        version = _version      # read first: a change during the walk makes the cache stale
        if cached is None or cached[0] != version:
            found = list(dict.fromkeys(  # each once, in order (Values hash by identity)
                v for module in self.modules() for _, v in module._own_parameters(named=False)))
            cached = (version, found)
            object.__setattr__(self, _CACHE, cached)
        return list(cached[1])

    def _own_parameters(self, named: bool) -> list[tuple[str, Value]]:
        return [(name, v) for name, v in self._members(named) if isinstance(v, Value)]

    def num_parameters(self) -> int:
        """How many numbers the model learns."""
        return len(self.named_parameters())

    def zero_grad(self) -> None:
        """Set every parameter's ``grad`` to 0 (do it before each backward pass)."""
        for p in self.parameters():
            p.grad = 0.0

    def train(self, mode: bool = True) -> Module:
        """Set training mode (dropout active) on this module and all sub-modules."""
        for m in self.modules():
            m.training = bool(mode)
        return self

    def eval(self) -> Module:
        """Set evaluation mode (dropout off): ``train(False)``."""
        return self.train(False)

    def config(self) -> dict[str, Any]:
        """A description of the architecture, saved with the weights (see ``save``)."""
        return {"type": type(self).__name__}

    def state_dict(self) -> dict[str, float]:
        """``{name: number}`` for every parameter, in :meth:`named_parameters` order."""
        return {name: p.data for name, p in self.named_parameters()}

    def load_state_dict(self, state: Mapping[str, Any]) -> None:
        """Copy numbers into the parameters; everything is checked first (names,
        count, finite real numbers), so on any error the model is left unchanged."""
        _extension("load_state")(self, state)

    def to_torch(self) -> Any:
        """An equivalent ``torch.nn.Module`` (float64) with the same weights."""
        return _extension("to_torch")(self)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.num_parameters()} parameters)"
