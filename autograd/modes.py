"""Grad mode and naming scopes: switches that change what new nodes record.

``no_grad()`` turns recording off (results are constant leaves); ``scope(name)``
tags every node created inside with a :class:`Scope`, which diagrams draw as a
labelled box ("Layer 1 · Neuron 3") or collapse.  Both set state the engine reads
each time it creates a node.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING

from . import engine

if TYPE_CHECKING:
    from .engine import Value

__all__ = ["Scope", "enable_grad", "is_grad_enabled", "no_grad", "scope"]


@contextmanager
def _recording(flag: bool) -> Iterator[None]:
    previous, engine._record = engine._record, flag
    try:
        yield
    finally:
        engine._record = previous


def no_grad() -> AbstractContextManager[None]:
    """Inside, operations record no graph: results are constant leaves."""
    return _recording(False)


def enable_grad() -> AbstractContextManager[None]:
    """Turn recording back on inside a ``no_grad()`` block."""
    return _recording(True)


def is_grad_enabled() -> bool:
    """True when operations record the graph."""
    return engine._record


class Scope:
    """A name for a group of nodes (a neuron, a layer); scopes nest.

    Diagrams draw each scope as a labelled box or collapse it to one box.
    """

    __slots__ = ("name", "parent")

    def __init__(self, name: str, parent: Scope | None = None) -> None:
        self.name, self.parent = name, parent

    @property
    def path(self) -> tuple[Scope, ...]:
        """This scope and its ancestors, outermost first."""
        chain: list[Scope] = []
        s: Scope | None = self
        while s is not None:
            chain.append(s)
            s = s.parent
        return tuple(reversed(chain))

    @property
    def title(self) -> str:
        """``'Layer 1 · Neuron 3'``."""
        return " · ".join(s.name for s in self.path)

    def tag(self, *nodes: Value) -> None:
        """Mark existing nodes as created in this scope."""
        for n in nodes:
            n._scope = self

    def __repr__(self) -> str:
        return f"Scope({self.title!r})"


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
    outer = engine._scope
    s = name if isinstance(name, Scope) else Scope(str(name), outer)
    engine._scope = s
    try:
        yield s
    finally:
        engine._scope = outer
