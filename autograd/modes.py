"""Grad mode and naming scopes: the ``with`` blocks that change what new nodes record.

``no_grad()`` turns recording off (results are constant leaves); ``scope(name)``
tags every node created inside with a :class:`Scope`, which diagrams draw as a
labelled box ("Layer 1 · Neuron 3") or collapse.  Both change the engine's state
through its setters (:mod:`autograd.state`), per thread and per asyncio task, and
restore it exactly on exit, even when the block raises.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

from . import state
from .state import Scope

__all__ = ["Scope", "enable_grad", "is_grad_enabled", "no_grad", "scope"]


@contextmanager
def _recording(flag: bool) -> Iterator[None]:
    token = state.set_grad_enabled(flag)
    try:
        yield
    finally:
        state.restore(token)


def no_grad() -> AbstractContextManager[None]:
    """Inside, operations record no graph: results are constant leaves.

    Only the calling thread (or asyncio task) is affected.
    """
    return _recording(False)


def enable_grad() -> AbstractContextManager[None]:
    """Turn recording back on inside a ``no_grad()`` block."""
    return _recording(True)


def is_grad_enabled() -> bool:
    """True when operations record the graph (in this thread or task)."""
    return state.grad_enabled()


@contextmanager
def scope(name: str | Scope) -> Iterator[Scope]:
    """Tag every node created inside with a (nested) :class:`Scope`.

    >>> from autograd import Value
    >>> with scope("Layer 1"):
    ...     with scope("Neuron 3") as s:
    ...         y = Value(1.0) * 2
    >>> y.scope.title
    'Layer 1 · Neuron 3'
    """
    s = name if isinstance(name, Scope) else Scope(str(name), state.scope())
    token = state.set_scope(s)
    try:
        yield s
    finally:
        state.restore(token)
