"""When is a gradient final?  Uses counted, and each node's state at a point of a pass.

A node's gradient is **final** once every node that uses it has been processed
(and its own hooks have run): ``x * x`` uses ``x`` twice, so after ``y = x * x``
is processed ``x.grad`` has both contributions.  Until then it is **pending**,
shown with its progress: ``0.5 (1 of 2 uses)``.  The text views, the stepper's
sentences, the stepper page and the diagrams all read :class:`GradState`, so
they apply the same rule.

When a pass starts on nodes that already hold gradients (no ``zero_grad()``),
the engine sums this pass apart and adds the earlier gradients back when the
pass ends: ``old + this pass = new``.  A state's :attr:`GradState.value` is that
``new``: the number ``.grad`` holds once the pass ends.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..engine import Value
from .sentences import fmt

__all__ = ["FINAL", "PENDING", "WAITING", "GradState", "count_uses", "grad_state"]

WAITING, PENDING, FINAL = "waiting", "pending", "final"
"""The three states: no use processed yet, some, every one (and the hooks ran)."""


@dataclass(frozen=True)
class GradState:
    """One node's gradient at one point of a backward pass.

    * ``status``: ``'waiting'`` (no node that uses it is processed yet), ``'pending'``
      or ``'final'``;
    * ``done`` of ``uses``: how many of the nodes (input slots) that use it are
      processed (``x * x`` counts twice; the root has no uses);
    * ``old``: the gradient it held before the pass (0.0 after ``zero_grad()``),
      ``this_pass``: this pass's sum so far, ``value``: ``old + this_pass``, the number
      ``.grad`` holds when the pass ends;
    * ``hook_pending``: every use is in, but the node's hooks have not run yet.
    """

    node: Value
    status: str
    done: int
    uses: int
    old: float
    this_pass: float
    hook_pending: bool = False

    @property
    def value(self) -> float:
        """``old + this_pass``: what ``.grad`` holds at the end of the pass."""
        return self.this_pass + self.old if self.old else self.this_pass

    @property
    def final(self) -> bool:
        """True once the gradient cannot change any more in this pass."""
        return self.status == FINAL

    def progress(self) -> str:
        """``'final'``, ``'1 of 2 uses'``, ``'2 of 2 uses, hook pending'``."""
        if self.status == FINAL:
            return "final"
        text = f"{self.done} of {self.uses} use{'s' if self.uses != 1 else ''}"
        if not self.uses:
            text = "the pass starts here"
        return text + (", hook pending" if self.hook_pending else "")

    def sum_text(self, number: Callable[[Any], str] = fmt) -> str:
        """``'0.25 + 0.5 = 0.75'`` when the node held a gradient before the pass, else ``'0.5'``."""
        if not self.old:
            return number(self.this_pass)
        return f"{number(self.old)} + {number(self.this_pass)} = {number(self.value)}"

    def text(self, number: Callable[[Any], str] = fmt) -> str:
        """The gradient as every view shows it: ``'0.5'`` when final, else with its progress:
        ``'0.5 (1 of 2 uses)'``; on a gradient held before the pass ``'0.25 + 0.5 = 0.75'``."""
        value = self.sum_text(number)
        return value if self.status == FINAL else f"{value} ({self.progress()})"


def count_uses(order: Iterable[Value]) -> dict[Value, int]:
    """How many input slots of the nodes in ``order`` hold each node (``x * x``: 2)."""
    uses: dict[Value, int] = {}
    get = uses.get
    for n in order:
        for c in n._prev:
            uses[c] = get(c, 0) + 1
    return uses


def grad_state(node: Value, done: int, uses: int, visited: bool, old: float,
               this_pass: float, started: bool = True) -> GradState:
    """The :class:`GradState` of ``node`` given its counts (see the module's rule).

    ``visited``: the engine has processed the node itself (its hooks ran);
    ``started``: the pass has begun (before that every node is waiting).
    """
    hooked = node._hooks is not None and not visited
    if not started:
        status = WAITING
    elif done >= uses and not hooked:
        status = FINAL
    else:
        status = PENDING if done else WAITING
    return GradState(node, status, done, uses, old, this_pass,
                     hooked and done >= uses and started)


def states_after(order: Sequence[Value], processed: int, uses: dict[Value, int],
                 old: dict[Value, float], this_pass: Callable[[Value], float],
                 ) -> dict[Value, GradState]:
    """Every node's state once the first ``processed`` nodes of the backward ``order`` ran."""
    done: dict[Value, int] = {}
    for n in order[:processed]:
        for c in n._prev:
            done[c] = done.get(c, 0) + 1
    visited = set(order[:processed])
    started = processed > 0
    return {n: grad_state(n, done.get(n, 0), uses.get(n, 0), n in visited, old.get(n, 0.0),
                          this_pass(n) if started else 0.0, started)
            for n in order if n.requires_grad}
