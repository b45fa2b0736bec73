"""Anomaly detection: stop at the first NaN or infinity and say where it was made.

Inside ``with autograd.detect_anomaly():`` every new node remembers the line of
*your* code that created it (the first stack frame outside the ``autograd``
package), and the first non-finite number raises :class:`AnomalyError`:

* forward: a new node's value is NaN or ±∞ (``inf - inf``, ``x * 1e308 * 10``);
* backward: a node's gradient is NaN or ±∞, or it would send one to an input
  (``sqrt(0)`` has slope +∞ there: ``∂y/∂x · y.grad`` is ∞, or NaN for a zero grad).

The message names the op, the node and its inputs (with their values) and the
source line.  :class:`AnomalyError` is a :class:`FloatingPointError`, hence an
:class:`ArithmeticError`.  Outside the block nothing is recorded or checked
(the engine reads its per-thread state once per node).  Only the thread or asyncio
task that entered the block is watched.  Recording keeps every node
created inside the block alive until the block ends: it is a debugging tool.
"""

from __future__ import annotations

import linecache
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .. import state
from ..engine import Value
from .naming import is_constant, names
from .sentences import derivative, fmt
from .textview import expression

__all__ = ["AnomalyError", "AnomalyMode", "detect_anomaly"]

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_inside: dict[str, bool] = {}   # filename -> is it a file of this package?

Location = tuple[str, int, str]   # filename, line number, function name


class AnomalyError(FloatingPointError):
    """A NaN or infinity appeared in the forward or backward pass.

    ``node`` is the node at fault, ``phase`` is ``'forward'`` or ``'backward'``,
    ``location`` is ``'file.py:12'`` where the node was created (``None`` if
    unknown, e.g. for a leaf made with ``Value(...)`` or a node created outside
    the ``detect_anomaly()`` block).
    """

    def __init__(self, message: str, node: Value, phase: str, location: str | None) -> None:
        super().__init__(message)
        self.node, self.phase, self.location = node, phase, location


def _in_package(filename: str) -> bool:
    inside = _inside.get(filename)
    if inside is None:
        inside = _inside[filename] = os.path.abspath(filename).startswith(_PACKAGE_DIR)
    return inside


def _user_location() -> Location:
    """The first frame of the current stack outside the autograd package."""
    frame = sys._getframe(1)
    while frame is not None and _in_package(frame.f_code.co_filename):
        frame = frame.f_back    # type: ignore[assignment]
    if frame is None:
        return ("<unknown>", 0, "?")
    return (frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


class AnomalyMode:
    """The state of one ``detect_anomaly()`` block: where each node was created."""

    def __init__(self, outer_watch: Callable[[Value], None] | None,
                 outer_check: Callable[[Value, float, Value], None] | None) -> None:
        self.sources: dict[Value, Location] = {}
        self._outer_watch, self._outer_check = outer_watch, outer_check

    def where(self, node: Value) -> str | None:
        """``'file.py:12 in train: loss = ...'`` for a node created in the block, else None."""
        loc = self.sources.get(node)
        if loc is None:
            return None
        filename, line, func = loc
        code = linecache.getline(filename, line).strip()
        return f"{filename}:{line} in {func}" + (f": {code}" if code else "")

    def watch(self, node: Value) -> None:
        """Called by the engine with each new node: record its origin, check its value."""
        if self._outer_watch is not None:
            self._outer_watch(node)
        self.sources[node] = _user_location()
        if not math.isfinite(node.data):
            source = state.deriving()    # a node of a gradient graph (create_graph=True)?
            try:
                if source is None:
                    err = self._error(node, "forward", f"the value is {fmt(node.data)}")
                else:
                    shown = names(source)
                    err = self._error(node, "backward", f"the value is {fmt(node.data)}", (
                        f"backward(create_graph=True) was writing the derivatives of "
                        f"{shown[source]} = {expression(source, shown)} as nodes"))
            finally:
                del self.sources[node]   # the node is never handed out: forget it
            raise err

    def check(self, node: Value, grad: float, root: Value) -> None:
        """Called by ``graph.backprop`` before a node pushes ``grad`` to its inputs;
        ``root`` is the pass's root, whose graph names the nodes (as ``trace(root)`` does)."""
        if self._outer_check is not None:
            self._outer_check(node, grad, root)
        if not math.isfinite(grad):
            hooked = " (after its hooks)" if node._hooks is not None else ""
            raise self._error(node, "backward", f"its gradient is {fmt(grad)}{hooked}",
                              root=root)
        for i, (child, d) in enumerate(zip(node._prev, node._local)):
            if child.requires_grad and not math.isfinite(d * grad):
                shown = names(root)
                line = f"{shown[child]}.grad += {derivative(node, i, shown).chain(grad)}"
                raise self._error(node, "backward",
                                  f"it would send {fmt(d * grad)} to {shown[child]}", line,
                                  root=root)

    def _error(self, node: Value, phase: str, what: str, detail: str = "", *,
               root: Value | None = None) -> AnomalyError:
        shown = names(node if root is None else root)   # forward: the graph so far
        if not node._prev and phase == "forward" and not node.requires_grad:
            if node.label:   # a labelled constant leaf: a network's input x1, a named constant
                head = f"{phase} pass, at the input {shown[node]}"
            else:
                head = f"{phase} pass, at the constant {fmt(node.data)}"
        elif not node._prev and phase == "forward":                            # a user's leaf
            head = f"{phase} pass, at the leaf {shown[node]}"
        else:
            head = f"{phase} pass, at node {shown[node]}"
        if node._prev:
            head += f" = {expression(node, shown)} (op {str(node._op)!r})"
        lines = [f"{head}: {what}"] + ([f"  {detail}"] if detail else [])
        if node._prev:
            lines.append("  inputs: " + ", ".join(
                shown[c] if is_constant(c) else f"{shown[c]} = {fmt(c.data)}"
                for c in node._prev))
        where = self.where(node)
        lines.append(f"  created at {where}" if where else
                     "  created outside detect_anomaly() or as a leaf: location unknown")
        loc = self.sources.get(node)
        return AnomalyError("\n".join(lines), node, phase,
                            f"{loc[0]}:{loc[1]}" if loc else None)


@contextmanager
def detect_anomaly() -> Iterator[AnomalyMode]:
    """Raise :class:`AnomalyError` at the first NaN/∞ of a forward or backward pass.

    Yields the :class:`AnomalyMode`, whose ``where(node)`` tells where a node was
    created.  Nested blocks share the outer block's record; any previous engine
    watchers are called too, and all are restored on exit.

    >>> import autograd
    >>> x = autograd.Value(0.0, label='x')
    >>> with autograd.detect_anomaly():
    ...     y = x.sqrt(); y.label = 'y'
    ...     y.backward()
    Traceback (most recent call last):
      ...
    autograd.explainer.anomaly.AnomalyError: backward pass, at node y = sqrt(x) ...inf to x
      x.grad += ∂y/∂x · y.grad = (1 / (2·y)) · y.grad = (inf)(1.0) = inf
      inputs: x = 0.0
      created at ...
    """
    _, _, prev_watch, prev_check = state.current()
    outer = getattr(prev_watch, "__self__", None)
    if isinstance(outer, AnomalyMode):     # nested: the outer block already watches
        yield outer
        return
    mode = AnomalyMode(prev_watch, prev_check)
    token = state.set_watchers(mode.watch, mode.check)
    try:
        yield mode
    finally:
        state.restore(token)
        mode.sources.clear()
