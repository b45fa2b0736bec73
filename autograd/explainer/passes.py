"""One stepping pass per graph: a new pass closes an unfinished earlier one.

A :class:`~autograd.explainer.Stepper` (or a ``backward_steps()`` iterator) stopped
half-way leaves partial gradients on its graph.  A second pass started on the same
graph would read them as gradients held from before and add to them, and undoing the
first pass afterwards would restore numbers the second had changed.  So, within
one thread, starting a stepping pass on nodes that an unfinished pass holds
**closes** that pass first: its gradients are rolled back to what they were before
it began, and the new pass's first step says so in one line.  A finished pass is
left alone (its gradients are ``backward()``'s); should a newer pass change them,
its ``back()`` notices and refuses.  ``Stepper.close()`` does the same by hand.

Passes are kept here by weak reference: a forgotten pass costs nothing, and the
engine's generator rolls its gradients back when it is collected.  ``backward()``
(the engine, below this layer) calls :func:`before_backward` through
``autograd.state.BEFORE_BACKWARD``: an unfinished stepping pass of the same graph is
closed (rolled back, with a warning) before the full pass runs, so ``backward()``
never adds to half a pass, and a later collection of that pass cannot undo it.
"""

from __future__ import annotations

import threading
import warnings
import weakref
from collections.abc import Collection
from typing import Any, Protocol

from .. import graph, state

__all__ = ["Pass", "before_backward", "claim", "forget"]


class Pass(Protocol):
    """What the registry asks of a stepping pass."""

    @property
    def closed(self) -> bool:
        """True once the pass is closed (it is then dropped from the list)."""

    def nodes(self) -> Collection[Any]:
        """Every node of the pass's graph."""

    def close_for_newer(self) -> str | None:
        """A newer pass claims this pass's graph: if this one is unfinished, roll its
        gradients back, close it and return one line saying so (else None)."""


_local = threading.local()


def _open() -> list[weakref.ref[Any]]:
    refs: list[weakref.ref[Any]] | None = getattr(_local, "passes", None)
    if refs is None:
        refs = _local.passes = []
    return refs


def claim(owner: Pass) -> list[str]:
    """Make ``owner`` this thread's pass on its nodes: every unfinished pass sharing a node
    is closed first and rolled back.  Returns the lines saying what was rolled back."""
    refs = _open()
    mine: set[Any] | None = None
    notes: list[str] = []
    keep: list[weakref.ref[Any]] = []
    for ref in refs:
        other = ref()
        if other is None:
            continue
        if other is owner:
            continue
        if mine is None:
            mine = set(owner.nodes())
        if mine.isdisjoint(other.nodes()):
            keep.append(ref)
            continue
        note = other.close_for_newer()
        if note:
            notes.append(note)
        if not other.closed:
            keep.append(ref)
    keep.append(weakref.ref(owner))
    refs[:] = keep
    return notes


def forget(owner: Pass) -> None:
    """Take ``owner`` off this thread's list (it was closed)."""
    refs = _open()
    refs[:] = [r for r in refs if r() is not None and r() is not owner]


def before_backward(root: Any) -> None:
    """Close (roll back) this thread's unfinished stepping passes on ``root``'s graph."""
    refs = getattr(_local, "passes", None)
    if not refs:
        return
    live = [(ref, other) for ref in refs if (other := ref()) is not None and not other.closed]
    if not live:
        return
    mine = set(graph.reachable(root))
    for _, other in live:
        if not mine.isdisjoint(other.nodes()):
            note = other.close_for_newer()
            if note:
                warnings.warn(f"backward(): {note}", stacklevel=3)
    refs[:] = [ref for ref in refs if (o := ref()) is not None and not o.closed]


state.BEFORE_BACKWARD.append(before_backward)
