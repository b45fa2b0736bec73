"""Side by side with PyTorch: the same graph rebuilt in float64, every leaf's gradient compared.

:func:`compare_with_torch` walks ``root``'s graph in topological order and rebuilds
each node in PyTorch from its op row's twin (``op.torch(torch, *inputs, *params)``,
see :mod:`autograd.ops`): leaves become float64 tensors with the same
``requires_grad``, so the two engines compute the very same function.  Both run a
backward pass from the root; the result lists each leaf's gradient from both and the
difference, as text in the REPL and as a table in a notebook.  The graph's own
gradients are left exactly as they were.  PyTorch is optional: without it the call
says how to install it.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field
from typing import Any

from .. import graph, validate
from ..engine import Value
from ..install import require
from .textview import Text, names

__all__ = ["GradientRow", "TorchComparison", "compare_with_torch"]


@dataclass(frozen=True)
class GradientRow:
    """One leaf: its name, the gradient from autograd and from PyTorch, and the leaf itself."""

    name: str
    ours: float
    torch: float
    node: Value | None = field(default=None, repr=False, compare=False)

    @property
    def difference(self) -> float:
        """``|ours − torch|``: 0 when both are the same number, infinity or NaN; NaN when
        only one of them is NaN."""
        if self.ours == self.torch or (math.isnan(self.ours) and math.isnan(self.torch)):
            return 0.0
        return abs(self.ours - self.torch)


def _g(x: float) -> str:
    return f"{x:.12g}"


class TorchComparison:
    """The result of :func:`compare_with_torch`: one :class:`GradientRow` per leaf.

    ``rows`` in the graph's order (inputs first); ``value`` is the root's value as
    ``(autograd, PyTorch)``; :attr:`max_difference` the largest gradient difference;
    :meth:`agree` tells whether every gradient matches within a tolerance.
    """

    def __init__(self, root_name: str, value: tuple[float, float],
                 rows: list[GradientRow]) -> None:
        self.root_name, self.value, self.rows = root_name, value, rows

    @property
    def max_difference(self) -> float:
        """The largest ``|ours − torch|`` over the leaves (0.0 for a graph without leaves)."""
        return max((r.difference for r in self.rows), default=0.0)

    def agree(self, rtol: float = 1e-9, atol: float = 1e-12) -> bool:
        """True when every gradient satisfies ``|ours − torch| ≤ atol + rtol·|torch|``
        (a NaN in only one engine never agrees)."""
        rtol = validate.real("agree()", "rtol", rtol, low=0)
        atol = validate.real("agree()", "atol", atol, low=0)
        return all(r.difference <= atol + rtol * abs(r.torch) or r.difference == 0.0
                   for r in self.rows)

    def __getitem__(self, name: str) -> GradientRow:
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no leaf named {name!r} in this comparison")

    def __len__(self) -> int:
        return len(self.rows)

    def _caption(self) -> str:
        ours, theirs = self.value
        same = "the same" if ours == theirs else f"differs by {abs(ours - theirs):.2g}"
        return (f"{self.root_name} = {_g(ours)} (autograd) and {_g(theirs)} (PyTorch, "
                f"float64): {same}; largest gradient difference {self.max_difference:.2g}")

    def __repr__(self) -> str:
        heads = ("leaf", "autograd grad", "PyTorch grad", "|difference|")
        cells = [(r.name, _g(r.ours), _g(r.torch), f"{r.difference:.2g}") for r in self.rows]
        widths = [max(len(h), *(len(c[i]) for c in cells)) if cells else len(h)
                  for i, h in enumerate(heads)]
        widths[0] = min(widths[0], 24)

        def line(c: tuple[str, ...]) -> str:
            name = c[0] if len(c[0]) <= widths[0] else c[0][: widths[0] - 1] + "…"
            return (f"{name:<{widths[0]}}  " + "  ".join(f"{v:>{w}}" for v, w in
                                                         zip(c[1:], widths[1:]))).rstrip()

        return str(Text("\n".join([line(heads), *(line(c) for c in cells), self._caption()])))

    def _repr_html_(self) -> str:
        td = 'style="padding:2px 10px;text-align:right;font-family:monospace"'
        rows = "".join(
            f'<tr><td style="padding:2px 10px;font-family:monospace">{html.escape(r.name)}</td>'
            f"<td {td}>{_g(r.ours)}</td><td {td}>{_g(r.torch)}</td>"
            f"<td {td}>{r.difference:.2g}</td></tr>" for r in self.rows)
        return ('<table class="autograd-torch-compare" style="border-collapse:collapse">'
                f"<caption style=\"caption-side:bottom;text-align:left\">"
                f"{html.escape(self._caption())}</caption>"
                "<thead><tr><th>leaf</th><th>autograd grad</th><th>PyTorch grad</th>"
                f"<th>|difference|</th></tr></thead><tbody>{rows}</tbody></table>")


def _torch() -> Any:
    return require("torch", "torch", "compare_with_torch()", "PyTorch")


def _rebuild(torch: Any, order: list[Value], shown: dict[Value, str]) -> dict[Value, Any]:
    """Every node as a float64 tensor, built from its op row's PyTorch twin."""
    made: dict[Value, Any] = {}
    for node in order:
        if not node._prev:
            made[node] = torch.tensor(node.data, dtype=torch.float64,
                                      requires_grad=node.requires_grad)
            continue
        op = node._op
        if op.torch is None:
            raise ValueError(
                f"compare_with_torch(): node {shown[node]!r} uses the op {op.name!r}, which has "
                "no PyTorch twin (an op defined without one), so the graph cannot be rebuilt "
                "in PyTorch")
        inputs = [made[c] for c in node._prev]
        made[node] = (op.torch(torch, inputs) if op.arity is None
                      else op.torch(torch, *inputs, *op.params))
    return made


def _our_gradients(root: Value, order: list[Value], grad: float) -> dict[Value, float]:
    """The leaves' gradients from a fresh ``backward()``; every ``.grad`` is put back after."""
    with graph.grads_kept(order):
        for n in order:
            n.grad = 0.0
        root.backward(grad)
        return {n: float(n.grad.data if isinstance(n.grad, Value) else n.grad)
                for n in order if not n._prev and n.requires_grad}


def compare_with_torch(root: Value, grad: float = 1.0) -> TorchComparison:
    """Rebuild ``root``'s graph in PyTorch (float64) and compare every leaf's gradient.

    Each node becomes the tensor its op's PyTorch twin computes from its inputs'
    tensors; both engines then run a backward pass from the root, seeded with
    ``grad``.  Returns a :class:`TorchComparison`: shown as a table of each leaf's
    gradient from both engines and their difference (text in the REPL, HTML in a
    notebook); ``.agree()`` and ``.max_difference`` check it.  The graph's own
    gradients are left as they were.  Raises ``ImportError`` (with the install
    command) without PyTorch, and ``ValueError`` for an op without a PyTorch twin::

        x = Value(0.5, label='x'); y = (x * x).tanh(); y.label = 'y'
        compare_with_torch(y)          # a table: x, its two gradients, the difference
        compare_with_torch(y).agree()  # True
    """
    if not isinstance(root, Value):
        raise TypeError(f"compare_with_torch(): root must be a Value, got {type(root).__name__}")
    grad = validate.real("compare_with_torch()", "grad", grad)
    if not root.requires_grad:
        raise ValueError("compare_with_torch(): the root needs no gradient (it was made under "
                         "no_grad() or from constants only): there is nothing to compare")
    torch = _torch()
    order = graph.topo_order(root)
    shown = names(root)
    made = _rebuild(torch, order, shown)
    made[root].backward(torch.tensor(grad, dtype=torch.float64))
    ours = _our_gradients(root, order, grad)
    rows = []
    for node, g in ours.items():
        tg = made[node].grad
        rows.append(GradientRow(shown[node], g, float(tg) if tg is not None else 0.0, node))
    value = (root.data, float(made[root].detach()))
    return TorchComparison(shown[root], value, rows)
