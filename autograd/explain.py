"""Explain backpropagation in words and numbers: the explainer's public face.

* :func:`names`: the display name of every node (labels, else ``v1``, ``v2``, …);
* :func:`trace` and :func:`tree`: the graph as a table and as an indented tree;
* :func:`backward_steps` and :class:`Stepper`: backprop one node at a time,
  each step a chain-rule sentence with the op's formula and the actual numbers;
* :func:`explain`: one gradient as the sum over every node that uses it.

All output is plain text (no colour codes), the same in a terminal, a notebook
or a doctest.  Only ``autograd.graph.backward_steps`` computes gradients; this
module reads the graph and writes about it.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from . import graph
from .engine import Value
from .stepper import BackwardPass, Step, Steps, Term, backward_steps, last_root
from .textview import Text, expression, fmt, names, operand, trace, tree

__all__ = ["Step", "Stepper", "Steps", "Term", "Text", "backward_steps", "explain", "fmt", "names",
           "trace", "tree"]


def _root_for(node: Value, root: Value | None) -> Value:
    if root is None:
        root = last_root()
        if root is None:
            raise ValueError(
                "explain() needs the root of the graph to find the nodes that use "
                f"{_label(node)}: call explain(node, root=loss), or step through the pass "
                "first with Stepper(loss) or backward_steps(loss)")
    if not isinstance(root, Value):
        raise TypeError(f"explain() root must be a Value, got {type(root).__name__}")
    return root


def _number(grad: Any) -> float:
    """A gradient as a number (after ``backward(create_graph=True)`` it is a Value)."""
    return grad.data if isinstance(grad, Value) else float(grad)


def _label(node: Value) -> str:
    return repr(node.label) if node.label else "this node"


def explain(node: Value, root: Value | None = None) -> Text:
    """Why ``node.grad`` has its value: Σ over the nodes p that use it of ∂p/∂node · p.grad.

    Run it after a backward pass from ``root`` (by default the root of the latest
    :func:`backward_steps` or :class:`Stepper` pass).  Terms are listed in the
    order ``backward()`` added them, so their sum is exactly the gradient of
    that pass; a note says so when ``node.grad`` differs (gradients accumulated
    over several passes, a hook, or a pass not finished yet).

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> d = c + a ** 2; d.label = 'd'
    >>> d.backward()
    >>> explain(a, root=d)
    a.grad = Σ ∂p/∂a · p.grad over the nodes p that use a:
      v1 = a^2   ∂v1/∂a · v1.grad = (2·a^(2−1)) · v1.grad = (4.0)(1.0) = 4.0
      c = a·b    ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0
    a.grad = 4.0 − 3.0 = 1.0
    """
    if not isinstance(node, Value):
        raise TypeError(f"explain() needs a Value, got {type(node).__name__}")
    root = _root_for(node, root)
    shown = names(root)
    if node not in shown:
        raise ValueError(f"explain(): {_label(node)} is not in the graph of root "
                         f"{shown[root]!r} (pass the root it was computed for)")
    n = shown[node]
    if node is root:
        return Text(f"{n}.grad = {fmt(node.grad)}: {n} is the root, where backward() starts "
                    f"(∂{operand(n)}/∂{operand(n)} = 1, times the grad passed, 1.0 by default)")
    if not node.requires_grad:
        return Text(f"{n} needs no gradient (requires_grad=False): nothing flows into it")
    rows, total, values = [], 0.0, []
    for p in graph.reverse_topo_order(root):   # the order backward() visits the consumers
        uses = [i for i, c in enumerate(p._prev) if c is node]
        g = _number(p.grad)
        for i in uses:
            pn = shown[p]
            part = p._local[i] * g
            total += part
            values.append(part)
            d = p._op.dshow(i, [operand(shown[c]) for c in p._prev], operand(pn))
            d = d if d.replace(".", "").isalnum() else f"({d})"
            where = f"{pn} = {expression(p, shown)}" + (f" (input {i + 1})" if len(uses) > 1
                                                       else "")
            rows.append((where, f"∂{operand(pn)}/∂{operand(n)} · {pn}.grad = {d} · {pn}.grad"
                                f" = ({fmt(p._local[i])})({fmt(g)}) = {fmt(part)}"))
    width = max(len(w) for w, _ in rows)
    lines = [f"{n}.grad = Σ ∂p/∂{operand(n)} · p.grad over the nodes p that use {n}:"]
    lines += [f"  {w:<{width}}   {t}" for w, t in rows]
    lines.append(f"{n}.grad = {_sum_text(values)} = {fmt(total)}" if len(values) > 1
                 else f"{n}.grad = {fmt(total)}")
    if _number(node.grad) != total:
        lines.append(f"note: {n}.grad holds {fmt(node.grad)}, not this sum: gradients "
                     "accumulate over backward() calls (zero_grad() resets them), a hook may "
                     "have changed it, or the pass has not reached it yet")
    return Text("\n".join(lines))


def _sum_text(values: list[float]) -> str:
    """``4.0 − 3.0 + 1.5``: the terms of a sum, long sums shortened with ``…``."""
    shown = values if len(values) <= 6 else [*values[:3], *values[-1:]]
    text = fmt(shown[0])
    for k, v in enumerate(shown[1:], 1):
        if len(values) > 6 and k == 3:
            text += f" + … ({len(values) - 4} more)"
        text += f" − {fmt(-v)}" if v < 0 else f" + {fmt(v)}"
    return text


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


class _CallableModule(types.ModuleType):
    """This module, callable as :func:`explain`.

    ``autograd.explain`` names both this module and the function.  Once the
    module is imported, Python binds the package attribute to the module, so
    ``from autograd import explain`` may give either; both work as ``explain(a)``.
    """

    def __call__(self, node: Value, root: Value | None = None) -> Text:
        return explain(node, root)


sys.modules[__name__].__class__ = _CallableModule
