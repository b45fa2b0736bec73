"""``explain(node)``: one gradient as the sum over every node that uses it.

``node.grad = Σ ∂p/∂node · p.grad`` over the consumers ``p``, each term with the
op's derivative text and the numbers the engine used, in the order
``backward()`` added them.
"""

from __future__ import annotations

from typing import Any

from .. import graph, state
from ..engine import Value
from .naming import names, printable
from .sentences import Text, derivative, fmt, operand
from .textview import expression

__all__ = ["explain"]


def _root_for(node: Value, root: Value | None) -> Value:
    if root is None:
        root = state.last_pass_root()
        if root is None:
            raise ValueError(
                "explain() needs the root of the graph to find the nodes that use "
                f"{_label(node)}: call explain(node, root=loss), or run loss.backward() "
                "(or step through it with Stepper(loss)) first in this thread")
    if not isinstance(root, Value):
        raise TypeError(f"explain() root must be a Value, got {type(root).__name__}")
    return root


def _number(grad: Any) -> float:
    """A gradient as a number (after ``backward(create_graph=True)`` it is a Value)."""
    return grad.data if isinstance(grad, Value) else float(grad)


def _label(node: Value) -> str:
    return repr(printable(node.label)) if node.label else "this node"


def explain(node: Value, root: Value | None = None) -> Text:
    """Why ``node.grad`` has its value: Σ over the nodes p that use it of ∂p/∂node · p.grad.

    Run it after a backward pass from ``root`` (by default the root of the latest
    ``backward()``, :func:`backward_steps` or :class:`Stepper` pass of this thread or
    asyncio task, remembered without keeping its graph alive).  Terms are listed in the
    order ``backward()`` added them, so their sum is exactly the gradient of
    that pass; a note says so when ``node.grad`` differs (gradients accumulated
    over several passes, a hook, or a pass not finished yet).  A note comes first
    when the root's gradient is not 1.0: after two ``backward()`` calls without
    ``zero_grad()`` it is 2.0, and every gradient is the sum of both passes.

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
    piled = _root_note(shown[root], _number(root.grad))
    if node is root:
        text = (f"{n}.grad = {fmt(node.grad)}: {n} is the root, where backward() starts "
                f"(∂{operand(n)}/∂{operand(n)} = 1, times the grad passed, 1.0 by default)")
        return Text(text + (f"\n{piled}" if piled else ""))
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
            where = f"{pn} = {expression(p, shown)}" + (f" (input {i + 1})" if len(uses) > 1
                                                       else "")
            rows.append((where, derivative(p, i, shown).chain(g)))
    width = max(len(w) for w, _ in rows)
    lines = [piled] if piled else []
    lines.append(f"{n}.grad = Σ ∂p/∂{operand(n)} · p.grad over the nodes p that use {n}:")
    lines += [f"  {w:<{width}}   {t}" for w, t in rows]
    lines.append(f"{n}.grad = {_sum_text(values)} = {fmt(total)}" if len(values) > 1
                 else f"{n}.grad = {fmt(total)}")
    held = _number(node.grad)
    if held != total:
        lines.append(f"note: {n}.grad holds {fmt(held)}, not this sum: the difference, "
                     f"{fmt(held - total)}, is from earlier backward() passes (gradients pile "
                     "up until zero_grad()), a hook that changed it, or a pass that has not "
                     "reached it yet")
    return Text("\n".join(lines))


def _root_note(root: str, grad: float) -> str | None:
    """A warning when the root's gradient is not one pass's seed of 1.0: the gradients
    below it are then the sum of several passes (or scaled by the seed given)."""
    if grad == 1.0:
        return None
    head = f"note: {root}.grad is {fmt(grad)}, not 1.0: "
    if grad == 0.0:
        return head + (f"no backward() from {root} since its gradients were zeroed, so the "
                       "terms here carry no gradient of it")
    if grad == round(grad) and 2 <= grad <= 1e6:
        k = int(grad)
        times, passes = ("twice", "both passes") if k == 2 else (f"{k} times", f"all {k} passes")
        return head + (f"backward() ran {times} without zero_grad(), so every gradient here is "
                       f"the sum of {passes} (unless backward() was given grad={fmt(grad)}); "
                       "call zero_grad() before backward() to see one pass")
    return head + (f"backward() was given grad={fmt(grad)}, or passes piled up without "
                   "zero_grad(), so every gradient here is that many times one pass's")


def _sum_text(values: list[float]) -> str:
    """``4.0 − 3.0 + 1.5``: the terms of a sum, long sums shortened with ``…``."""
    shown = values if len(values) <= 6 else [*values[:3], *values[-1:]]
    text = fmt(shown[0])
    for k, v in enumerate(shown[1:], 1):
        if len(values) > 6 and k == 3:
            text += f" + … ({len(values) - 4} more)"
        text += f" − {fmt(-v)}" if v < 0 else f" + {fmt(v)}"
    return text
