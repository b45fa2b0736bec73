"""The REPL stepper: walk backpropagation forward and back, one step at a time.

:class:`Stepper` wraps a :class:`~autograd.explainer.steps.BackwardPass` (which
drives the engine's own backward generator) with ``step()``, ``back()``,
``run()``, ``where()`` and ``close()``, keeping an undo record of every gradient a
step changed so ``back()`` restores them exactly.  One stepping pass per graph at a
time (:mod:`autograd.explainer.passes`): a new Stepper on the graph of an
unfinished one closes that one and rolls its gradients back.
"""

from __future__ import annotations

from typing import Any

from ..engine import Value
from .passes import forget
from .progress import GradState
from .steps import BackwardPass, Step, Steps
from .textview import Table, Text, trace

__all__ = ["Stepper"]


class Stepper:
    """Step through backpropagation in the REPL: ``step()``, ``back()``, ``run()``, ``where()``.

    ``by`` sets what one step is: ``"node"`` (default), ``"neuron"`` (the chain rule
    through a whole neuron, activation and weighted sum, with every weight's and
    input's gradient in one block) or ``"layer"`` (every neuron of a layer); nodes
    outside any neuron are stepped one by one.  Leaves get no step of their own
    (the line that completes a leaf's gradient says it is final) unless
    ``leaves=True``.

    Each method returns something the REPL shows as text: ``step()`` the
    :class:`Step` (shown as its sentence), ``back()`` and ``where()`` a message,
    ``run()`` the :class:`Steps` applied.  With ``echo=True`` they also print it
    (for scripts).  ``back()`` undoes exactly one step, restoring every gradient as
    it was; stepping forward again replays the recorded step (hooks are not called
    twice).  At the end the gradients are exactly ``backward()``'s, at every
    granularity.  If a step raises (a hook, anomaly detection), every gradient is
    restored as before the pass and the stepper starts over.  :meth:`states` tells
    each gradient's :class:`~autograd.explainer.progress.GradState` (final, or
    pending with its uses counted) for pages and diagrams.

    One stepping pass per graph at a time, in a thread: making a Stepper on the graph
    of an unfinished one (stopped half-way, or stepped back) closes that one and rolls
    its gradients back to what they were before it began, and the new pass's first
    step says so in a note; :meth:`close` does the same by hand.  A closed Stepper, or
    one whose gradients changed outside it (``backward()`` or ``zero_grad()`` between
    its steps), refuses to step or undo with a RuntimeError that says how to go on.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> y = c * a; y.label = 'y'
    >>> s = Stepper(y)
    >>> s.step()
    step 1/2  y = c·a   (the pass starts here: y.grad = 1.0)
      c.grad += ∂y/∂c · y.grad = a · y.grad = (2.0)(1.0) = 2.0 (final)
      a.grad += ∂y/∂a · y.grad = c · y.grad = (-6.0)(1.0) = -6.0 (1 of 2 uses)
    >>> s.back()
    undid step 1/2 (y); next: y
    >>> a.grad, b.grad
    (0.0, 0.0)
    >>> s.run()
    step 1/2  y = c·a   (the pass starts here: y.grad = 1.0)
      c.grad += ∂y/∂c · y.grad = a · y.grad = (2.0)(1.0) = 2.0 (final)
      a.grad += ∂y/∂a · y.grad = c · y.grad = (-6.0)(1.0) = -6.0 (1 of 2 uses)
    step 2/2  c = a·b
      a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(2.0) = -6.0, now -12.0 (final)
      b.grad += ∂c/∂b · c.grad = a · c.grad = (2.0)(2.0) = 4.0 (final)
    >>> s
    <Stepper of y: step 2/2 done, every gradient is final>
    """

    def __init__(self, root: Value, grad: float = 1.0, *, by: str = "node",
                 leaves: bool = False, echo: bool = False) -> None:
        self.root, self.echo, self._grad = root, echo, grad
        self._by, self._leaves = by, leaves
        self._closed = ""     # once closed: why (the message step() raises)
        self._reset()
        self._pass.claim()    # an unfinished earlier pass on this graph is closed now

    def _reset(self) -> None:
        self._pass = BackwardPass(self.root, self._grad, by=self._by, leaves=self._leaves,
                                  who="Stepper")
        self._pass.owner = self
        self._steps: list[Step] = []
        self._undo: list[tuple[list[Value], list[Any], list[Any]]] = []
        self._pos = 0

    @property
    def by(self) -> str:
        """What one step is: ``'node'``, ``'neuron'`` or ``'layer'``."""
        return str(self._pass.by)

    @property
    def total(self) -> int:
        """How many steps the pass has."""
        return self._pass.total

    @property
    def position(self) -> int:
        """How many steps are applied now (0 … total)."""
        return self._pos

    @property
    def done(self) -> bool:
        """True once every step is applied: every gradient is final."""
        return self._pos == len(self._steps) and self._pass.done

    @property
    def closed(self) -> bool:
        """True once :meth:`close` ran or a newer stepping pass on the graph closed this one."""
        return bool(self._closed)

    @property
    def steps(self) -> Steps:
        """The steps applied so far, in order."""
        return Steps(self._steps[: self._pos])

    def _say(self, text: str) -> Text:
        if self.echo:
            print(text)
        return Text(text)

    def _name(self) -> str:
        return self._pass.shown[self.root]

    def _check(self) -> None:
        """Refuse to go on when closed, or when the gradients changed outside this Stepper."""
        if self._closed:
            raise RuntimeError(self._closed)
        if self._undo:
            k = max(self._pos - 1, 0)
            nodes, before, after = self._undo[k]
            expected = after if self._pos else before
            if any(n.grad is not g and n.grad != g for n, g in zip(nodes, expected)):
                fix = "close() puts them back as before this pass" if self._unfinished() \
                    else "close() it"
                raise RuntimeError(
                    f"Stepper of {self._name()}: the gradients changed outside this Stepper "
                    f"after step {self._pos}/{self.total} (backward(), zero_grad() or an "
                    f"optimizer ran?), so it cannot go on: {fix}; then start again with "
                    f"Stepper({self._name()})")

    def step(self) -> Step | None:
        """Apply the next step and return it (shown as its sentence).

        Past the end it prints ``done: all N steps applied …`` and returns None (so
        ``while (step := s.step()) is not None`` ends).  A closed Stepper, or one whose
        gradients changed outside it (``backward()`` between steps), raises RuntimeError.
        """
        if self._closed:
            raise RuntimeError(self._closed)
        if self.done:
            self._end(f"done: all {self.total} steps applied, every gradient is final")
            return None
        self._check()
        if self._pos < len(self._undo):             # replay a step undone by back()
            nodes, _, after = self._undo[self._pos]
            for n, g in zip(nodes, after):
                n.grad = g
        else:
            self._pass.start()     # may close an earlier pass: before noting any gradient
            nodes = self._pass.touched()
            before = [n.grad for n in nodes]
            try:
                step = self._pass.advance()
            except BaseException:
                self._reset()
                raise
            if step is None:       # a pass without steps (the root is a constant)
                self._end(f"nothing to step: {self._name()} needs no gradient (a constant)")
                return None
            self._undo.append((nodes, before, [n.grad for n in nodes]))
            self._steps.append(step)
        self._pos += 1
        shown = self._steps[self._pos - 1]
        self._say(shown.sentence)
        return shown

    def _end(self, text: str) -> None:
        """Past the end: say so even without ``echo`` (a REPL shows nothing for None)."""
        print(text)

    def back(self) -> Text:
        """Undo the last step: every gradient goes back exactly as it was."""
        if self._closed:
            raise RuntimeError(self._closed)
        if self._pos == 0:
            return self._say("at the start: nothing to undo")
        self._check()
        self._pos -= 1
        nodes, before, _ = self._undo[self._pos]
        for n, g in zip(reversed(nodes), reversed(before)):
            n.grad = g
        undone = self._steps[self._pos]
        return self._say(f"undid step {undone.index}/{undone.total} ({undone.title}); "
                         f"{self._next_text()}")

    def run(self) -> Steps:
        """Apply every remaining step and return them (when none remain, shown as a line
        saying that all were already applied)."""
        out = Steps(empty=f"all {self.total} steps were already applied: every gradient is "
                          "final" if self.done and self.total else "(no steps)")
        while not self.done:
            step = self.step()
            if step is None:
                break
            out.append(step)
        return out

    def close(self) -> Text:
        """End this stepping pass: if it is unfinished, every gradient goes back as it was
        before the pass (as if it never ran); a finished pass keeps ``backward()``'s
        gradients.  A closed Stepper can no longer step or undo.

        Starting a new stepping pass (another Stepper, ``backward_steps()``, a quiz) on
        nodes of an unfinished one closes that one the same way, and the new pass's
        first step says so in a note (:mod:`autograd.explainer.passes`).
        """
        if self._closed:
            return self._say(f"the Stepper of {self._name()} is already closed")
        unfinished, at = self._unfinished(), self._pos
        if unfinished:
            self._rollback()
        self._shut("closed by close()")
        forget(self)
        if unfinished:
            return self._say(f"closed the Stepper of {self._name()} at step {at}/"
                             f"{self.total}: every gradient is back as before this pass")
        return self._say(f"closed the Stepper of {self._name()}; its gradients stay "
                         f"({'every one final' if self.done else 'no step was made'})")

    def _unfinished(self) -> bool:
        """A step was made and the pass is not at its end (a partial or undone pass)."""
        return bool(self._undo) and not self.done

    def _rollback(self) -> None:
        self._pass.rollback()
        self._pos = 0

    def _shut(self, why: str) -> None:
        self._closed = (f"this Stepper of {self._name()} is closed ({why}): start again "
                        f"with Stepper({self._name()})")

    def nodes(self) -> list[Value]:
        """Every node of the pass's graph (for :mod:`autograd.explainer.passes`)."""
        return self._pass.order

    def close_for_newer(self) -> str | None:
        """Called when a newer stepping pass claims this graph: an unfinished pass is rolled
        back and closed (returns the one-line note the newer pass shows); a finished one is
        left alone (its ``back()`` refuses once a newer pass changed its gradients)."""
        if self._closed or not self._unfinished():
            return None        # nothing applied, or finished: nothing to roll back
        at = f"by {self.by}, at step {self._pos}/{self.total}"
        self._rollback()
        self._shut("a newer stepping pass started on its graph; its gradients were rolled "
                   "back")
        return (f"an unfinished Stepper of {self._name()} ({at}) was closed and its "
                "gradients rolled back")

    def states(self) -> dict[Value, GradState]:
        """Each gradient's state at this position: final, or pending with its uses counted
        (``0.5 (1 of 2 uses)``), and ``old + this pass`` on earlier gradients.  Nodes that
        need no gradient (constants, inputs) are left out."""
        return self._pass.states(self._pos)

    def final(self) -> set[Value]:
        """The nodes whose gradient is final at this position."""
        return {n for n, s in self.states().items() if s.final}

    def _next_text(self) -> str:
        if self._pos < self.total:
            return f"next: {self._pass.title(self._pos)}"
        return "every gradient is final"

    def where(self) -> Text:
        """Position, next step, and the trace table with each gradient's state: final, or
        pending with its uses counted, e.g. ``0.5 (1 of 2 uses)``."""
        if self._closed:
            return self._say(f"{self._closed}\n{trace(self.root)}")
        head = f"step {self._pos}/{self.total} done; {self._next_text()}"
        if self._pos < self.total:
            head += " (a gradient is final once every node that uses it is done)"
        if self._pos == 0 and self._pass.closed_others:
            head += "".join(f"\nnote: {line}" for line in self._pass.closed_others)
        if self._pass.old and self._pos == 0:
            head += ("\nnodes hold gradients from before: this pass will add to them "
                     "(zero_grad() starts from 0)")
        elif self._pass.old and not self.done:
            head += ("\nnodes held gradients before this pass: grad shows old + this pass; "
                     ".grad holds this pass's part until the pass ends")
        return self._say(head + "\n" + trace(self.root, states=self.states()))

    def table(self) -> Table:
        """The trace table at this position, each gradient shown by its state (as in
        :meth:`where`, without the heading); ``to_markdown()``/``to_latex()`` render it."""
        if self._closed:
            return trace(self.root)
        return trace(self.root, states=self.states())

    def to_markdown(self) -> str:
        """The steps applied so far as Markdown (see :meth:`Steps.to_markdown`)."""
        return self.steps.to_markdown()

    def to_latex(self) -> str:
        """The steps applied so far as LaTeX (see :meth:`Steps.to_latex`)."""
        return self.steps.to_latex()

    def quiz(self, **options: Any) -> Any:
        """Predict, then check: quiz the rest of this pass (see :func:`~.quiz.quiz`)."""
        from .quizcore import ask_through
        return ask_through(self, **options)

    def _repr_html_(self) -> str:   # Jupyter: position, last step, trace (explainer/html.py)
        from .html import stepper_html
        return stepper_html(self)

    def __repr__(self) -> str:
        root = self._pass.shown[self.root]
        if self._closed:
            return f"<Stepper of {root}: closed>"
        return f"<Stepper of {root}: step {self._pos}/{self.total} done, {self._next_text()}>"
