"""Backpropagation a step at a time, each step told as chain-rule sentences.

:func:`backward_steps` drives :func:`autograd.graph.backprop`, the very
generator ``backward()`` exhausts, so stepping cannot disagree with
``backward()``: this module only *reads* what the engine did and writes it out.
For each node it shows ``child.grad += ∂node/∂child · node.grad`` with the op's
own derivative text and the numbers the engine used.

A step is one node (``by="node"``), one neuron (``by="neuron"``: activation and
weighted sum together) or one layer (``by="layer"``); see
:mod:`autograd.explainer.grouping`.  Leaves get no step of their own unless
``leaves=True`` (or they have a hook): the line that adds the last contribution
to a leaf says it is final.  Constants (``2`` in ``2 * x``) are visited silently.
:class:`autograd.explainer.stepper.Stepper` wraps it for the REPL, with
``step()``, ``back()``, ``run()`` and ``where()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .. import graph, state
from ..engine import Value
from ..validate import boolean, choice, is_real, stored_grad
from .compose import step_sentence
from .grouping import BY, group_of, runs, short_name
from .naming import is_constant, names_and_samples
from .passes import Pass, claim
from .progress import GradState, count_uses, grad_state, states_after
from .records import Part, Step, Steps, Term
from .sentences import operand

__all__ = ["BackwardPass", "Part", "Step", "Steps", "Term", "backward_steps"]


class BackwardPass:
    """One backward pass through ``graph.backprop``, advanced a :class:`Step` at a time.

    ``advance()`` returns the next Step (None when done); ``touched()`` lists the
    nodes whose gradient the next advance may change (for undo); ``order`` is the
    backward order, ``runs[k]`` the positions in it that step k+1 explains and
    ``ends[k]`` how many nodes the engine had processed after it.

    ``start()`` (called by the first ``advance()``) makes this the thread's pass on its
    graph: an unfinished earlier pass sharing a node is closed and rolled back first
    (:mod:`autograd.explainer.passes`; ``closed_others`` holds one line for each), then
    the gradients held now are noted as the ones this pass adds to.  ``owner`` is what
    the registry closes (a :class:`~autograd.explainer.Stepper` sets itself).
    """

    def __init__(self, root: Value, grad: float = 1.0, *, by: str = "node",
                 leaves: bool = False, who: str = "backward_steps()") -> None:
        if not isinstance(root, Value):
            raise TypeError(f"{who} needs a Value, got {type(root).__name__}")
        if not is_real(grad):
            raise TypeError(f"{who} grad must be a number, got {type(grad).__name__}")
        self.by = choice(who, "by", by, BY)
        boolean(who, "leaves", leaves)
        self.root, self.grad = root, float(grad)
        self.order = graph.reverse_topo_order(root)
        self.shown, self.sample = names_and_samples(self.order[::-1])
        stops = [i for i, n in enumerate(self.order) if not is_constant(n) and (
            n._prev or leaves or n._hooks is not None or n is root)]
        self.runs = runs(self.order, stops, self.by, self.sample)
        self.total = len(self.runs)
        self.uses = count_uses(self.order)
        self.note_grads()
        self.closed_others: list[str] = []
        self.closed = False
        self.owner: Pass = self
        self.neurons = self.by == "node" or any(
            group_of(n, self.by) is not None for n in self.order if n._prev)
        self.index = 0   # steps made
        self.pos = 0     # engine nodes processed
        self.ends: list[int] = []
        self.done_uses: dict[Value, int] = {}
        self.pass_only: dict[Value, float] = {}   # this pass's grads of self.old's nodes at the end
        self.engine: Iterator[Any] | None = None
        state.remember_pass(root)   # for explain(node) without a root (weakly)

    def note_grads(self) -> None:
        """Note the gradients held now: what this pass adds to, and what undoing it restores."""
        for n in self.order:                         # backward() would refuse them too
            stored_grad("backward()", n)
        self.saved = graph.save_grads(self.order)   # to undo a failed or closed pass
        self.old = {n: _number(g) for n, g in self.saved if g}
        self.accumulated = [n for n, g in self.saved if g] + [self.root]

    @property
    def done(self) -> bool:
        """True once the engine's generator is exhausted (every gradient final)."""
        return self.engine is not None and self.pos == len(self.order)

    @property
    def started(self) -> bool:
        """True once the engine has processed a node of this pass."""
        return self.engine is not None and self.pos > 0

    def claim(self) -> None:
        """Close every unfinished earlier pass of this thread on this graph (rolling its
        gradients back), then note the gradients held now.  Before the first step only."""
        if self.engine is None:
            self.closed_others += claim(self.owner)
            self.note_grads()

    def start(self) -> None:
        """Claim the graph (:meth:`claim`) and create the engine's generator; once."""
        if self.closed:
            raise RuntimeError(self.closed_message())
        if self.engine is None:
            self.claim()
            self.engine = graph.backprop(self.root, self.grad, state.check())

    def closed_message(self) -> str:
        """Why this pass cannot go on: a newer pass on its graph closed it."""
        return (f"backward_steps(): this pass of {self.shown[self.root]} was closed, its "
                "gradients rolled back: a newer stepping pass started on its graph (one "
                "pass per graph at a time); start a new one")

    def rollback(self) -> None:
        """Stop the engine's generator and put every gradient back as before the pass."""
        engine, self.engine = self.engine, iter(())
        close = getattr(engine, "close", None)
        if close is not None:
            close()                    # the engine restores what it held before the pass
        graph.restore_grads(self.saved)
        self.pos = len(self.order)

    def nodes(self) -> list[Value]:
        """Every node of the pass's graph (for :mod:`autograd.explainer.passes`)."""
        return self.order

    def close_for_newer(self) -> str | None:
        """Closed by a newer pass on the graph if unfinished: rolled back (one line says so)."""
        if self.closed or not self.started or self.done:
            return None          # nothing made, or finished: nothing to roll back
        made = self.index
        self.rollback()
        self.closed = True
        return (f"an unfinished backward_steps() pass of {self.shown[self.root]} ({made} of "
                f"{self.total} steps made) was closed and its gradients rolled back")

    def title(self, k: int) -> str:
        """What step ``k + 1`` is about: ``'neuron L1.N2'``, ``'layer s3.L1'`` or a node name."""
        first = self.order[self.runs[k][0]]
        g = group_of(first, self.by)
        if g is None:
            return self.shown[first]
        return f"{self.by} {self.group_title(first)}"

    def group_title(self, node: Value) -> str:
        """``'L1.N2'`` (``'s3.L1.N2'`` in a batch graph) for a node of a neuron or layer."""
        g = group_of(node, self.by)
        if g is None:
            return ""
        s = self.sample.get(node)
        short = short_name(g) or g.title
        return f"s{s}.{short}" if s else short

    def touched(self) -> list[Value]:
        """Every node whose grad the next :meth:`advance` may change (for undo)."""
        last = self.index + 1 >= self.total
        end = len(self.order) if last else self.runs[self.index][-1] + 1
        nodes = [c for n in self.order[self.pos:end] for c in (n, *n._prev)]
        return nodes + self.accumulated if self.index == 0 or last else nodes

    def states(self, steps: int) -> dict[Value, GradState]:
        """Every node's :class:`GradState` after the first ``steps`` steps (the grads now
        held must be those of that point, as a :class:`Stepper` keeps them)."""
        processed = self.ends[steps - 1] if steps else 0
        get = self.pass_only.get
        return states_after(self.order, processed, self.uses, self.old,
                            (lambda n: get(n, n.grad)) if steps == self.total and self.done
                            else (lambda n: n.grad))

    def advance(self) -> Step | None:
        """Let the engine process the next step's nodes (and any silent ones); None when done."""
        if self.closed:
            raise RuntimeError(self.closed_message())
        if self.done:
            return None
        self.start()
        try:
            return self._advance()
        except BaseException:
            graph.restore_grads(self.saved)   # a failed pass leaves every gradient as it was
            self.pos, self.engine = len(self.order), iter(())
            raise

    def _advance(self) -> Step | None:
        if self.index == self.total:          # nothing (left) to explain: finish the pass
            self._finish()
            return None
        changed: dict[Value, GradState] = {}
        parts = []
        for stop in self.runs[self.index]:
            while self.pos < stop:            # constants and leaves, visited silently
                self._next()
            parts.append(self._process(self.order[stop], changed))
        self.index += 1
        if self.index == self.total:
            self._finish()
        self.ends.append(self.pos)
        first = parts[0]
        group = self.group_title(first.node)
        sentence = step_sentence(self, parts, group)
        return Step(self.index, self.total, first.node, first.name, first.expr, first.grad,
                    first.grad_in, tuple(t for p in parts for t in p.terms), sentence,
                    tuple(parts), self.by, group, tuple(changed.values()), bool(self.old))

    def _next(self) -> None:
        assert self.engine is not None
        node = next(self.engine)
        if node is not self.order[self.pos]:
            raise RuntimeError("backward_steps(): the graph changed while stepping")
        self.pos += 1
        done = self.done_uses
        for c in node._prev:
            done[c] = done.get(c, 0) + 1

    def _finish(self) -> None:
        assert self.engine is not None
        while self.pos < len(self.order):
            self._next()
        self.pass_only = {n: n.grad for n in self.old}   # before the engine adds them back
        for _ in self.engine:
            pass

    def _process(self, node: Value, changed: dict[Value, GradState]) -> Part:
        """Let the engine process ``node`` and read what it did."""
        first = self.pos == 0
        grad_in = self.grad if first else node.grad
        before = {c: 0.0 if first else c.grad for c in node._prev}
        counts = {c: self.done_uses.get(c, 0) for c in node._prev}
        self._next()
        g = node.grad
        shown, old = self.shown, self.old
        kids = node._prev
        names = [operand(shown[c]) for c in kids]
        last = {c: i for i, c in enumerate(kids)}
        terms = []
        for i, (child, d) in enumerate(zip(kids, node._local)):
            was = before[child]   # the child's grad in this pass, before this term
            contribution = d * g
            now = child.grad if last[child] == i else was + contribution
            before[child] = now
            counts[child] += 1
            st = None
            if child.requires_grad:
                st = grad_state(child, counts[child], self.uses.get(child, 0), False,
                                old.get(child, 0.0), now)
                changed[child] = st
            terms.append(Term(child, shown[child], i, d,
                              node._op.dshow(i, names, operand(shown[node])), g, contribution,
                              was, now, child.requires_grad, old.get(child, 0.0), st))
        changed[node] = grad_state(node, self.done_uses.get(node, 0), self.uses.get(node, 0),
                                   True, old.get(node, 0.0), g)
        expr = node._op.show(names) if kids else ""
        return Part(node, shown[node], expr, g, grad_in, tuple(terms), old.get(node, 0.0))


def _number(g: Any) -> float:
    """A gradient as a float (after ``backward(create_graph=True)`` it is a Value)."""
    return g.data if isinstance(g, Value) else float(g)


def backward_steps(root: Value, grad: float = 1.0, *, by: str = "node",
                   leaves: bool = False) -> Iterator[Step]:
    """Run ``root.backward(grad)`` a step at a time, yielding a :class:`Step` each.

    ``by``: ``"node"`` (one node a step), ``"neuron"`` (a neuron's activation and
    weighted sum together) or ``"layer"`` (every neuron of a layer); nodes outside
    any neuron are stepped one by one.  ``leaves=True`` gives every leaf a step of
    its own.  The gradients are computed by :func:`autograd.graph.backprop` itself,
    so once the iterator is exhausted they are bit-identical to ``backward()``'s,
    hooks and gradient accumulation included.  If a step raises (a hook, anomaly
    detection), every gradient is put back as it was before the pass.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> for step in backward_steps(c):
    ...     print(step)
    step 1/1  c = a·b   (the pass starts here: c.grad = 1.0)
      a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0 (final)
      b.grad += ∂c/∂b · c.grad = a · c.grad = (2.0)(1.0) = 2.0 (final)
    """
    run = BackwardPass(root, grad, by=by, leaves=leaves)
    return _iterate(run)


def _iterate(run: BackwardPass) -> Iterator[Step]:
    while (step := run.advance()) is not None:
        yield step
