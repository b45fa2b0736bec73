"""The REPL stepper: walk backpropagation forward and back, one step at a time.

:class:`Stepper` wraps a :class:`~autograd.explainer.steps.BackwardPass` (which
drives the engine's own backward generator) with ``step()``, ``back()``,
``run()`` and ``where()``, keeping an undo record of every gradient a step
changed so ``back()`` restores them exactly.
"""

from __future__ import annotations

from typing import Any

from ..engine import Value
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
        self._reset()

    def _reset(self) -> None:
        self._pass = BackwardPass(self.root, self._grad, by=self._by, leaves=self._leaves,
                                  who="Stepper")
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
    def steps(self) -> Steps:
        """The steps applied so far, in order."""
        return Steps(self._steps[: self._pos])

    def _say(self, text: str) -> Text:
        if self.echo:
            print(text)
        return Text(text)

    def step(self) -> Step | None:
        """Apply the next step and return it (shown as its sentence); None at the end."""
        if self._pos < len(self._undo):             # replay a step undone by back()
            nodes, _, after = self._undo[self._pos]
            for n, g in zip(nodes, after):
                n.grad = g
        else:
            if self._pass.done:
                self._say(f"done: all {self.total} steps applied, every gradient is final")
                return None
            nodes = self._pass.touched()
            before = [n.grad for n in nodes]
            try:
                step = self._pass.advance()
            except BaseException:
                self._reset()
                raise
            if step is None:       # a pass without steps (the root is a constant)
                return None
            self._undo.append((nodes, before, [n.grad for n in nodes]))
            self._steps.append(step)
        self._pos += 1
        shown = self._steps[self._pos - 1]
        self._say(shown.sentence)
        return shown

    def back(self) -> Text:
        """Undo the last step: every gradient goes back exactly as it was."""
        if self._pos == 0:
            return self._say("at the start: nothing to undo")
        self._pos -= 1
        nodes, before, _ = self._undo[self._pos]
        for n, g in zip(reversed(nodes), reversed(before)):
            n.grad = g
        undone = self._steps[self._pos]
        return self._say(f"undid step {undone.index}/{undone.total} ({undone.title}); "
                         f"{self._next_text()}")

    def run(self) -> Steps:
        """Apply every remaining step and return them."""
        out = Steps()
        while not self.done:
            step = self.step()
            if step is None:
                break
            out.append(step)
        return out

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
        head = f"step {self._pos}/{self.total} done; {self._next_text()}"
        if self._pos < self.total:
            head += " (a gradient is final once every node that uses it is done)"
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
        return f"<Stepper of {root}: step {self._pos}/{self.total} done, {self._next_text()}>"
