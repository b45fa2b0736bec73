"""The engine's mutable state, per thread and per asyncio task: grad mode, naming
scope, anomaly watchers and the latest backward pass.

Everything the engine reads when it creates a node lives in ONE
:class:`contextvars.ContextVar` holding an immutable :class:`EngineState`, so
``no_grad()`` in one thread (or task) never switches recording off in another,
and the engine pays one ``ContextVar.get()`` per node.  Only the small setters
below change it; each returns a token, and :func:`restore` puts back exactly
the state from before (so ``with`` blocks nest and unwind correctly).

The latest pass (for ``explain(node)`` without a root) is kept as a weak
reference, per task and, as a fallback, per thread: a notebook kernel may run
each cell in a fresh copy of the context, and the thread slot carries it
across cells.  A weak reference never keeps a graph alive.

This module imports nothing from the package.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

__all__ = ["BEFORE_BACKWARD", "EngineState", "Scope", "check", "current", "deriving",
           "grad_enabled", "last_pass_root", "remember_pass", "restore", "scope",
           "set_deriving", "set_grad_enabled", "set_scope", "set_watchers", "watch"]


class Scope:
    """A name for a group of nodes (a neuron, a layer); scopes nest.

    ``kind`` says what the group is — ``"neuron"``, ``"layer"`` or None — for the
    stepper (``by="neuron"``) and the diagrams (``collapse="neuron"``); when not
    given it is read from the name (``"Neuron 3"`` is a neuron, ``"Layer 1"`` a
    layer), the one place a name is matched.  Diagrams draw each scope as a
    labelled box or collapse it to one box.
    """

    __slots__ = ("kind", "name", "parent")

    def __init__(self, name: str, parent: Scope | None = None, kind: str | None = None) -> None:
        self.name, self.parent = name, parent
        if kind is None:
            head = name.split(" ", 1)[0].lower()
            kind = head if head in ("neuron", "layer") else None
        self.kind = kind

    @property
    def path(self) -> tuple[Scope, ...]:
        """This scope and its ancestors, outermost first."""
        chain: list[Scope] = []
        s: Scope | None = self
        while s is not None:
            chain.append(s)
            s = s.parent
        return tuple(reversed(chain))

    def enclosing(self, kind: str) -> Scope | None:
        """The scope of this ``kind`` that holds this one: the innermost neuron, or the
        outermost layer (a layer may hold sub-layers); None if there is none."""
        found = [s for s in self.path if s.kind == kind]
        if not found:
            return None
        return found[-1] if kind == "neuron" else found[0]

    @property
    def title(self) -> str:
        """``'Layer 1 · Neuron 3'``."""
        return " · ".join(s.name for s in self.path)

    def tag(self, *nodes: Any) -> None:
        """Mark existing nodes as created in this scope."""
        for n in nodes:
            n._scope = self

    def __repr__(self) -> str:
        return f"Scope({self.title!r})"


Watch = Callable[[Any], None]
Check = Callable[[Any, float, Any], None]   # (node, its gradient, the pass's root)


EngineState = tuple[bool, "Scope | None", "Watch | None", "Check | None"]
"""What new nodes record, read once per node creation: ``(record, scope, watch, check)``.

* ``record``: False inside ``no_grad()`` (results are constant leaves);
* ``scope``: the tag given to new nodes (see ``scope()``);
* ``watch``: anomaly mode's function called with every new node;
* ``check``: anomaly mode's function called with every node of a backward pass.

A plain tuple, not a NamedTuple: unpacking it is twice as fast, on every node.
"""
_DEFAULT: EngineState = (True, None, None, None)
_state: ContextVar[EngineState] = ContextVar("autograd_engine_state", default=_DEFAULT)

current = _state.get
"""The calling thread's (or task's) :class:`EngineState`."""


def grad_enabled() -> bool:
    """True when new nodes record their inputs (not inside ``no_grad()``)."""
    return _state.get()[0]


def scope() -> Scope | None:
    """The scope new nodes are tagged with."""
    return _state.get()[1]


def watch() -> Watch | None:
    """Anomaly mode's per-node watcher, if any."""
    return _state.get()[2]


def check() -> Check | None:
    """Anomaly mode's per-step backward check, if any."""
    return _state.get()[3]


def set_grad_enabled(flag: bool) -> Token[EngineState]:
    """Record graphs (True) or not (False) from now on in this thread or task."""
    _, scope, watch, check = _state.get()
    return _state.set((bool(flag), scope, watch, check))


def set_scope(scope: Scope | None) -> Token[EngineState]:
    """Tag new nodes with ``scope`` from now on in this thread or task."""
    record, _, watch, check = _state.get()
    return _state.set((record, scope, watch, check))


def set_watchers(watch: Watch | None, check: Check | None) -> Token[EngineState]:
    """Install anomaly watchers (None, None removes them) in this thread or task."""
    record, scope, _, _ = _state.get()
    return _state.set((record, scope, watch, check))


def restore(token: Token[EngineState]) -> None:
    """Put back exactly the state from before the setter that returned ``token``."""
    _state.reset(token)


BEFORE_BACKWARD: list[Callable[[Any], None]] = []
"""Functions ``fn(root)`` that ``backward()`` calls before it runs, registered by the
layers above (the explainer closes an unfinished stepping pass of the same graph, so
``backward()`` never adds to half a pass).  Empty: ``backward()`` pays nothing."""


_deriving: ContextVar[Any] = ContextVar("autograd_deriving", default=None)


def deriving() -> Any:
    """The node whose derivatives ``backward(create_graph=True)`` is writing as nodes now
    (anomaly mode says so when one of them is not finite), else None."""
    return _deriving.get()


def set_deriving(node: Any) -> Token[Any]:
    """Note the node being differentiated; reset with ``token.var.reset(token)``."""
    return _deriving.set(node)


_last: ContextVar[weakref.ref[Any] | None] = ContextVar("autograd_last_pass", default=None)
_thread = threading.local()


def remember_pass(root: Any) -> None:
    """Note ``root`` as the latest backward pass of this task and thread (weakly)."""
    ref = weakref.ref(root)
    _last.set(ref)
    _thread.last = ref


def last_pass_root() -> Any:
    """The root of the latest backward pass in this task (else thread), if still alive."""
    ref = _last.get() or getattr(_thread, "last", None)
    return ref() if ref is not None else None
