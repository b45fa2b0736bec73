"""The REPL stepper: walk backpropagation forward and back, one step at a time.

:class:`Stepper` wraps a :class:`~autograd.explainer.steps.BackwardPass` (which
drives the engine's own backward generator) with ``step()``, ``back()``,
``run()`` and ``where()``, keeping an undo record of every gradient a step
changed so ``back()`` restores them exactly.
"""

from __future__ import annotations

from typing import Any

from ..engine import Value
from .steps import BackwardPass, Step, Steps
from .textview import Text, trace

__all__ = ["Stepper"]


class Stepper:
    """Step through backpropagation in the REPL: ``step()``, ``back()``, ``run()``, ``where()``.

    Each method returns something the REPL shows as text: ``step()`` the
    :class:`Step` (shown as its sentence), ``back()`` and ``where()`` a message,
    ``run()`` the :class:`Steps` applied.  With ``echo=True`` they also print it
    (for scripts).  ``back()`` restores every gradient exactly as it was before
    the last step; stepping forward again replays the recorded step (hooks are
    not called twice).  At the end the gradients are exactly ``backward()``'s.
    If a step raises (a hook, anomaly detection), every gradient is restored as
    before the pass and the stepper starts over.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> s = Stepper(c)
    >>> s.step()
    step 1/3  c = a·b   (the pass starts here: c.grad = 1.0)
      a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0
      b.grad += ∂c/∂b · c.grad = a · c.grad = (2.0)(1.0) = 2.0
    >>> s.back()
    undid step 1/3 (c); next: c
    >>> a.grad, b.grad
    (0.0, 0.0)
    >>> s.run()
    step 1/3  c = a·b   (the pass starts here: c.grad = 1.0)
      a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0
      b.grad += ∂c/∂b · c.grad = a · c.grad = (2.0)(1.0) = 2.0
    step 2/3  b is a leaf: b.grad = 2.0 is final
    step 3/3  a is a leaf: a.grad = -3.0 is final
    >>> s
    <Stepper of c: step 3/3 done, every gradient is final>
    """

    def __init__(self, root: Value, grad: float = 1.0, *, echo: bool = False) -> None:
        self.root, self.echo, self._grad = root, echo, grad
        self._reset()

    def _reset(self) -> None:
        self._pass = BackwardPass(self.root, self._grad)
        self._steps: list[Step] = []
        self._undo: list[tuple[list[Value], list[Any], list[Any]]] = []
        self._pos = 0

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
        return self._say(f"undid step {undone.index}/{undone.total} ({undone.name}); "
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

    def final(self) -> set[Value]:
        """The nodes whose gradient is final at this position (already visited)."""
        if self.done:
            return set(self._pass.order)
        if self._pos == 0:
            return set()
        return set(self._pass.order[: self._pass.stops[self._pos - 1] + 1])

    def _next_text(self) -> str:
        if self._pos < self.total:
            nxt = self._pass.shown[self._pass.order[self._pass.stops[self._pos]]]
            return f"next: {nxt}"
        return "every gradient is final"

    def where(self) -> Text:
        """Position, next node, and the trace table with ``…`` on gradients not final yet."""
        head = f"step {self._pos}/{self.total} done; {self._next_text()}"
        if self._pos < self.total:
            head += " (… marks a gradient that is not final yet)"
        return self._say(head + "\n" + trace(self.root, final=self.final()))

    def __repr__(self) -> str:
        root = self._pass.shown[self.root]
        return f"<Stepper of {root}: step {self._pos}/{self.total} done, {self._next_text()}>"
