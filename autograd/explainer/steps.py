"""Backpropagation one node at a time, each step told as a chain-rule sentence.

:func:`backward_steps` drives :func:`autograd.graph.backprop`, the very
generator ``backward()`` exhausts, so stepping cannot disagree with
``backward()``: this module only *reads* what the engine did and writes it out.
For each node it shows ``child.grad += ∂node/∂child · node.grad`` with the op's
own derivative text (``op.dshow``) and the numbers the engine used.

One :class:`Step` per node that needs a gradient, in backward order: every
operation, then each leaf once its gradient is final.  Constants (``2`` in
``2 * x``) are visited silently.  :class:`autograd.explainer.stepper.Stepper` wraps it
for the REPL, with ``step()``, ``back()``, ``run()`` and ``where()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from .. import graph, state
from ..engine import Value
from .textview import fmt, is_constant, names, operand

__all__ = ["BackwardPass", "Step", "Steps", "Term", "backward_steps"]


@dataclass(frozen=True)
class Term:
    """One chain-rule term: what a node pushed into one of its inputs.

    ``contribution = local · upstream`` (∂node/∂child · node.grad, the very
    product the engine added); ``grad_before``/``grad_after`` are the child's
    gradient in this pass around the addition.  ``updated`` is False for an
    input that needs no gradient (a constant): it receives nothing.
    """

    child: Value
    name: str
    index: int
    local: float
    text: str
    upstream: float
    contribution: float
    grad_before: float
    grad_after: float
    updated: bool

    def line(self, node_name: str) -> str:
        """``a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0``."""
        d = f"∂{operand(node_name)}/∂{operand(self.name)}"
        text = self.text if self.text.replace(".", "").isalnum() else f"({self.text})"
        line = (f"{self.name}.grad += {d} · {node_name}.grad = {text} · {node_name}.grad"
                f" = ({fmt(self.local)})({fmt(self.upstream)}) = {fmt(self.contribution)}")
        if self.grad_before != 0:
            line += f", now {fmt(self.grad_after)}"
        return line


@dataclass(frozen=True)
class Step:
    """One node of the backward pass, after it pushed its gradient to its inputs.

    ``index`` counts from 1 to ``total``; ``expr`` is the op's text of the node
    (``a·b``; ``''`` for a leaf); ``grad`` is the node's final gradient as pushed
    (after its hooks; ``grad_in`` is the value before them); ``terms`` has one
    :class:`Term` per input; ``sentence`` is the whole step as text.
    """

    index: int
    total: int
    node: Value
    name: str
    expr: str
    grad: float
    grad_in: float
    terms: tuple[Term, ...]
    sentence: str

    @property
    def is_leaf(self) -> bool:
        """True for a leaf's step (it pushes nothing: its gradient is final)."""
        return not self.node._prev

    def __str__(self) -> str:
        return self.sentence

    def __repr__(self) -> str:   # the REPL shows a step as its sentence
        return self.sentence


class Steps(list[Step]):
    """A list of :class:`Step` that the REPL shows as their sentences, one after another."""

    def __repr__(self) -> str:
        return "\n".join(step.sentence for step in self) if self else "(no steps)"


def _sentence(index: int, total: int, name: str, expr: str, grad: float, grad_in: float,
              hooked: bool, terms: tuple[Term, ...]) -> str:
    head = f"step {index}/{total}  "
    head += f"{name} = {expr}" if expr else f"{name} is a leaf: {name}.grad = {fmt(grad)} is final"
    if index == 1 and expr:
        head += f"   (the pass starts here: {name}.grad = {fmt(grad_in)})"
    if hooked and grad != grad_in:
        head += f"   (hook: {name}.grad {fmt(grad_in)} → {fmt(grad)})"
    lines = [head] + [f"  {t.line(name)}" for t in terms if t.updated]
    if expr and len(lines) == 1:
        lines.append("  (no input needs a gradient)")
    return "\n".join(lines)


class BackwardPass:
    """One backward pass through ``graph.backprop``, advanced a Step at a time.

    ``advance()`` returns the next :class:`Step` (None when done); ``touched()``
    lists the nodes whose gradient the next advance may change (for undo);
    ``order`` is the backward order and ``stops[k]`` the position of step k+1 in it.
    """

    def __init__(self, root: Value, grad: float) -> None:
        if not isinstance(root, Value):
            raise TypeError(f"backward_steps() needs a Value, got {type(root).__name__}")
        if not isinstance(grad, (int, float)) or isinstance(grad, bool):
            raise TypeError(f"backward_steps() grad must be a number, got {type(grad).__name__}")
        self.root, self.grad = root, float(grad)
        self.order = graph.reverse_topo_order(root)
        self.shown = names(root)
        self.stops = [i for i, n in enumerate(self.order) if not is_constant(n)]
        self.total = len(self.stops)
        self.index = 0   # steps made
        self.pos = 0     # engine nodes visited
        self.engine: Iterator[Any] | None = None
        self.start = [(n, n.grad) for n in self.order]   # to undo a failed pass
        self.accumulated = [n for n, g in self.start if g] + [root]
        state.remember_pass(root)   # for explain(node) without a root (weakly)

    @property
    def done(self) -> bool:
        """True once the engine's generator is exhausted (every gradient final)."""
        return self.engine is not None and self.pos == len(self.order)

    def touched(self) -> list[Value]:
        """Every node whose grad the next :meth:`advance` may change (for undo)."""
        last = self.index + 1 >= self.total
        end = len(self.order) if last else self.stops[self.index] + 1
        nodes = [c for n in self.order[self.pos:end] for c in (n, *n._prev)]
        return nodes + self.accumulated if self.index == 0 or last else nodes

    def advance(self) -> Step | None:
        """Let the engine process the next node (and any constants); None when done."""
        if self.done:
            return None
        try:
            return self._advance()
        except BaseException:
            for n, g in self.start:   # a failed pass leaves every gradient as it was
                n.grad = g
            self.pos, self.engine = len(self.order), iter(())
            raise

    def _advance(self) -> Step | None:
        first = self.engine is None
        if self.engine is None:
            self.engine = graph.backprop(self.root, self.grad, state.check())
        if self.index == self.total:          # nothing (left) to explain: finish the pass
            self._finish()
            return None
        stop = self.stops[self.index]
        while self.pos < stop:                # constants, visited silently
            self._next()
        node = self.order[stop]
        grad_in = self.grad if first else node.grad
        before = {c: 0.0 if first else c.grad for c in node._prev}
        self._next()
        self.index += 1
        step = self._step(node, grad_in, before)
        if self.index == self.total:
            self._finish()
        return step

    def _next(self) -> None:
        assert self.engine is not None
        node = next(self.engine)
        if node is not self.order[self.pos]:
            raise RuntimeError("backward_steps(): the graph changed while stepping")
        self.pos += 1

    def _finish(self) -> None:
        assert self.engine is not None
        for _ in self.engine:
            self.pos += 1

    def _step(self, node: Value, grad_in: float, before: dict[Value, float]) -> Step:
        name, g = self.shown[node], node.grad
        child_names = [operand(self.shown[c]) for c in node._prev]
        last = {c: i for i, c in enumerate(node._prev)}
        terms = []
        for i, (child, d) in enumerate(zip(node._prev, node._local)):
            was = before[child]   # the child's grad in this pass, before this term
            contribution = d * g
            now = child.grad if last[child] == i else was + contribution
            before[child] = now
            terms.append(Term(child, self.shown[child], i, d,
                              node._op.dshow(i, child_names, operand(name)), g,
                              contribution, was, now, child.requires_grad))
        expr = node._op.show(child_names) if node._prev else ""
        sentence = _sentence(self.index, self.total, name, expr, g, grad_in,
                             node._hooks is not None, tuple(terms))
        return Step(self.index, self.total, node, name, expr, g, grad_in, tuple(terms), sentence)


def backward_steps(root: Value, grad: float = 1.0) -> Iterator[Step]:
    """Run ``root.backward(grad)`` one node at a time, yielding a :class:`Step` each.

    The gradients are computed by :func:`autograd.graph.backprop` itself,
    so once the iterator is exhausted they are bit-identical to ``backward()``'s,
    hooks and gradient accumulation included.  If a step raises (a hook, anomaly
    detection), every gradient is put back as it was before the pass.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> for step in backward_steps(c):
    ...     print(step)
    step 1/3  c = a·b   (the pass starts here: c.grad = 1.0)
      a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0
      b.grad += ∂c/∂b · c.grad = a · c.grad = (2.0)(1.0) = 2.0
    step 2/3  b is a leaf: b.grad = 2.0 is final
    step 3/3  a is a leaf: a.grad = -3.0 is final
    """
    run = BackwardPass(root, grad)
    return _iterate(run)


def _iterate(run: BackwardPass) -> Iterator[Step]:
    while (step := run.advance()) is not None:
        yield step
