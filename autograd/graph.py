"""Walking the graph: topological order and the backward pass.

Nothing here knows any particular op: a node is anything with ``_prev``
(inputs), ``_local`` (∂node/∂input as numbers), ``_op`` (with a
``derivative`` rule), ``grad``, ``requires_grad`` and ``_hooks``.  Everything is
iterative, so a chain of a million operations needs no recursion.

Backpropagation, as a textbook writes it, is :func:`reference_backward` just
below.  ``Value.backward()`` runs :func:`backprop`, the same two steps with the
extra duties of a real engine (hooks, anomaly checks, accumulation across
passes, rollback on error, skipping zero gradients), commented where they
happen; the tests check that both give the same gradients.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from heapq import heapify, heappop, heappush
from operator import attrgetter, neg
from typing import Any, overload

from . import state
from .validate import hook_result, stored_grad


def reference_backward(root: Any) -> None:
    """Backprop in its plainest form: the oracle the tests hold ``backward()`` to.

    Starts from zero gradients; constants (``requires_grad=False``) are given
    gradients too, which ``backward()`` skips.
    """
    # 1. Every node the root depends on, found by walking the inputs (no recursion).
    nodes, stack = {root}, [root]
    while stack:
        for child in stack.pop()._prev:
            if child not in nodes:
                nodes.add(child)
                stack.append(child)
    # 2. A topological order: a node is always created after its inputs.
    topo = sorted(nodes, key=lambda node: node._id)
    # 3. The chain rule, from the root back to the leaves:
    #    ∂root/∂child += ∂node/∂child × ∂root/∂node
    root.grad = 1.0
    for node in reversed(topo):
        for child, local in zip(node._prev, node._local):
            child.grad += local * node.grad


@overload
def reachable(root: Any) -> list[Any]: ...
@overload
def reachable(root: Any, limit: int) -> list[Any] | None: ...


def reachable(root: Any, limit: int | None = None) -> list[Any] | None:
    """Every node ``root`` depends on, itself first, each once (iterative, no recursion).

    Listed in the order they are found, which is close to reverse creation order,
    so the sort in :func:`reverse_topo_order` has little left to do.  With a
    ``limit``: a size probe, ``None`` as soon as the graph is found to have more than
    ``limit`` edges (:func:`edges`), after about ``limit`` steps however big it is.
    """
    seen = {root}
    found = [root]
    stack = [root]
    add, keep, push, pop = seen.add, found.append, stack.append, stack.pop
    budget = limit
    while stack:
        inputs = pop()._prev
        if budget is not None:
            budget -= len(inputs)
            if budget < 0:
                return None
        for child in inputs:
            if child not in seen:
                add(child)
                keep(child)
                if child._prev:  # leaves have nothing to visit
                    push(child)
    return found


def edges(nodes: Iterable[Any]) -> int:
    """How many edges the graph of ``nodes`` has: every input of every node, repeats too."""
    return sum(len(n._prev) for n in nodes)


def newest_first(root: Any, keep: Callable[[Any], bool] | None = None) -> Iterator[Any]:
    """The nodes ``root`` depends on, newest first (so each node before its inputs), lazily.

    A best-first walk: every input is older than the node that uses it, so the newest
    node not yet given is always an input of one already given, and a heap keyed on the
    creation number finds it.  The first k nodes cost about k·log k steps plus a look
    at their inputs, however big the graph: a view can print the last rows of a graph
    of millions of nodes without walking all of it.  ``keep(node)`` False skips an input
    without inputs of its own (a constant a view shows inline) before it costs a step.
    """
    seen = {root}
    node_of = {root._id: root}   # the heap holds numbers only: a million tuples alive would
    heap = [-root._id]           # wake the cyclic garbage collector over and over
    while heap:
        node = node_of.pop(-heappop(heap))
        yield node
        inputs = node._prev
        if len(inputs) <= 16:
            for child in inputs:
                if child not in seen:
                    seen.add(child)
                    if keep is None or child._prev or keep(child):
                        node_of[child._id] = child
                        heappush(heap, -child._id)
            continue
        fresh = set(inputs) - seen                           # a wide node: in bulk, in C
        seen |= fresh
        new = list(fresh) if keep is None else [c for c in fresh if c._prev or keep(c)]
        node_of.update(zip(map(_creation, new), new))
        heap.extend(map(neg, map(_creation, new)))
        heapify(heap)


def topo_order(root: Any) -> list[Any]:
    """Every node reachable from ``root``, inputs before the nodes that use them.

    A node is always created after its inputs, so sorting by the creation
    number ``_id`` is a topological order; ``root`` comes last.
    """
    order = reverse_topo_order(root)
    order.reverse()
    return order


def reverse_topo_order(root: Any) -> list[Any]:
    """The backward order: each node after every node that consumes it."""
    order = reachable(root)
    order.sort(key=_creation, reverse=True)
    return order


_creation = attrgetter("_id")


def run_hooks(node: Any, g: Any) -> Any:
    """Call the node's hooks in order; a hook returning non-None replaces the grad."""
    for hook in list(node._hooks):
        new = hook(g)
        if new is not None:
            if type(new) is not float:     # a number or (create_graph) a Value, checked
                hook_result(node, hook, new)
            g = new
    return g


def backprop(root: Any, grad: float,
             check: Callable[[Any, float, Any], None] | None = None) -> Iterator[Any]:
    """The backward pass, one node at a time: THE implementation of ``backward()``.

    Yields each node right after its gradient (complete: every consumer is done)
    was pushed to its inputs with ``child.grad += ∂node/∂child × node.grad``.
    This pass's gradients are computed apart from what ``grad`` held before and
    added to it when the generator finishes, so repeated passes accumulate
    exactly as PyTorch's do.  ``backward()`` simply runs it to the end; the
    explainer steps through it, so stepping and ``backward()`` cannot disagree.
    """
    order = reverse_topo_order(root)   # steps 1 and 2 of reference_backward, reversed
    # Accumulation: this pass starts from 0; earlier gradients are added back at the end.
    # Every grad that is not a float (None, text, an int, a Value) is checked first.
    before = [(n, g) for n in order if (g := n.grad).__class__ is not float or g]
    for n, old in before:
        if type(old) is not float:
            stored_grad("backward()", n)
    for n, _ in before:
        n.grad = 0.0
    root.grad = grad
    try:
        for node in order:
            g = node.grad
            if node._hooks is not None:          # hooks may replace the complete gradient
                g = node.grad = run_hooks(node, g)
            if check is not None:                # detect_anomaly(): look before pushing
                check(node, g, root)
            local = node._local
            if g == 0.0:  # pushing 0·d changes nothing unless some d is ±∞ or NaN
                total = sum(local)
                if total - total == 0.0:  # all finite: skip (a big saving on dead ReLUs)
                    yield node
                    continue
            for child, d in zip(node._prev, local):   # the chain rule, step 3
                if child.requires_grad:              # constants need no gradient
                    child.grad += d * g
            yield node                               # the explainer's stepping pauses here
        for n, old in before:
            n.grad += old
    except BaseException:  # a hook or an anomaly check raised: put every grad back
        for n in order:
            n.grad = 0.0
        for n, old in before:
            n.grad = old
        raise


def backward(root: Any, grad: float,
             check: Callable[[Any, float, Any], None] | None = None) -> None:
    """Run :func:`backprop` to the end (fast: the loop is consumed in C)."""
    deque(backprop(root, grad, check), maxlen=0)


def gradient_graph(root: Any, grad: Any, F: Any, as_value: Callable[[Any], Any]) -> dict[Any, Any]:
    """∂root/∂node for every node, as Values with a graph of their own.

    Each node's local derivatives are rebuilt from its op's rule with the Value
    namespace ``F`` (the same rule that produced the stored numbers), so the
    results can be differentiated again.  Nothing is written to ``.grad``.
    """
    grads: dict[Any, Any] = {root: grad}
    for node in reverse_topo_order(root):
        g = grads.get(node)
        if g is None:
            continue
        if node._hooks is not None:
            g = grads[node] = run_hooks(node, g)
        if not node._prev:
            continue
        token = state.set_deriving(node)   # anomaly mode names it if a new node is ∞ or NaN
        try:
            local = node._op.local_derivatives(F, node, node._prev)
            for child, d in zip(node._prev, local):
                if not child.requires_grad:
                    continue
                term = g if _is_one(d) else d if _is_one(g) else d * g  # no "× 1" nodes
                grads[child] = term if child not in grads else grads[child] + term
        finally:
            token.var.reset(token)
    return {node: as_value(g) for node, g in grads.items()}


def _is_one(x: Any) -> bool:
    return type(x) is float and x == 1.0


def backward_graph(root: Any, grad: Any, F: Any, as_value: Callable[[Any], Any]) -> None:
    """``backward(create_graph=True)``: add :func:`gradient_graph` into ``.grad``."""
    for node in reachable(root):          # every stored grad checked before any changes
        stored_grad("backward()", node)
    grads = gradient_graph(root, grad, F, as_value)
    new = [(node, g if not node.grad else node.grad + g) for node, g in grads.items()]
    for node, total in new:               # all sums made before any is stored
        node.grad = total


def save_grads(nodes: Iterable[Any]) -> list[tuple[Any, Any]]:
    """Every node with its gradient now, for :func:`restore_grads`."""
    return [(n, n.grad) for n in nodes]


def restore_grads(saved: Iterable[tuple[Any, Any]]) -> None:
    """Put back the gradients :func:`save_grads` recorded, exactly."""
    for n, g in saved:
        n.grad = g


@contextmanager
def grads_kept(nodes: Iterable[Any]) -> Iterator[None]:
    """Inside, change gradients freely: on exit (even by an exception) they are as before."""
    saved = save_grads(nodes)
    try:
        yield
    finally:
        restore_grads(saved)


def zero_grad(root: Any) -> None:
    """Set ``grad`` to 0.0 on every node reachable from ``root``."""
    for node in topo_order(root):
        node.grad = 0.0
