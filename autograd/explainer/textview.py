"""Plain-text views of a graph: display names, numbers, the trace table and the tree.

Everything here reads the graph and prints it; nothing changes a node.  The
explainer (:mod:`autograd.explainer`), the stepper and the diagrams share
:func:`names` and :func:`fmt`, so every view calls a node by the same name.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

from .. import graph
from ..engine import Value

__all__ = ["Text", "expression", "fmt", "is_constant", "names", "operand", "trace", "tree"]


class Text(str):
    """A string whose ``repr`` is itself, so the REPL and Jupyter show it as printed text."""

    __slots__ = ()

    def __repr__(self) -> str:
        return str(self)


def fmt(x: object) -> str:
    """A short, stable text for a number: 4 significant digits, floats keep a ``.0``.

    A Value (a gradient after ``backward(create_graph=True)``) shows its number.

    >>> fmt(-3.0), fmt(0.7071067811865476), fmt(0.9999999999999998), fmt(1e-9)
    ('-3.0', '0.7071', '1.0', '1e-09')
    """
    if isinstance(x, Value):
        x = x.data
    if not isinstance(x, (int, float)):
        return str(x)
    s = f"{x:.4g}"
    return s + ".0" if s.lstrip("-").isdigit() else s


def is_constant(node: Value) -> bool:
    """True for a leaf that needs no gradient (``2`` in ``2 * x``, ``detach()`` results)."""
    return not node._prev and not node.requires_grad


def names(root: Value) -> dict[Value, str]:
    """A display name for every node of ``root``'s graph, in topological order.

    The label if set (a repeated label gets a suffix: ``a``, ``a_2``); an
    unlabelled constant is shown as its number (``2.0``, not unique); any other
    unlabelled node is ``v1``, ``v2``, … in topological order (inputs first),
    which for a graph built step by step is the order of creation.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); y = a * a + 3
    >>> sorted(names(y).values())
    ['3.0', 'a', 'v1', 'v2']
    """
    order = graph.topo_order(root)
    taken = {n.label for n in order if n.label}
    seen: set[str] = set()
    out: dict[Value, str] = {}
    counter = 0
    for node in order:
        if node.label:
            name, k = node.label, 1
            while name in seen:
                k += 1
                name = f"{node.label}_{k}"
        elif is_constant(node):
            out[node] = fmt(node.data)
            continue
        else:
            counter += 1
            while f"v{counter}" in taken:
                counter += 1
            name = f"v{counter}"
        seen.add(name)
        taken.add(name)
        out[node] = name
    return out


def operand(name: str) -> str:
    """``name`` ready to sit inside a formula: parenthesised unless a plain word or number.

    >>> operand('x1'), operand('-3.0'), operand('x1*w1')
    ('x1', '(-3.0)', '(x1*w1)')
    """
    bare = name.replace(".", "").replace("_", "")
    if bare.isalnum() and not name[0] == "-":
        return name
    return f"({name})"


def expression(node: Value, shown: dict[Value, str]) -> str:
    """The op's own text of how ``node`` was computed, e.g. ``x1·w1`` (``''`` for a leaf)."""
    if not node._prev:
        return ""
    return node._op.show([operand(shown[c]) for c in node._prev])


def _grads_known(order: Sequence[Value]) -> bool:
    return any(n.grad for n in order)


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def trace(root: Value, width: int = 80, max_rows: int = 40, *,
          final: Collection[Value] | None = None) -> Text:
    """The forward trace: one row per node in topological order (inputs first).

    Columns: step number, name, op, the expression with its inputs' names,
    ``data`` and, once any gradient is non-zero, ``grad``.  Constants are shown
    inline in the expressions, not as rows.  Rows are cut to ``width`` columns;
    a graph with more than ``max_rows`` nodes shows its first and last rows around
    a ``… N more nodes …`` line.  ``final`` (used by the stepper) marks every other
    gradient as not final yet with ``…``.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> print(trace(a * b + a))
     #  node  op  expression     data
     1  a         (leaf)          2.0
     2  b         (leaf)         -3.0
     3  v1    *   a·b            -6.0
     4  v2    +   v1 + a         -4.0
    """
    if width < 40 or max_rows < 4:
        raise ValueError(f"trace() needs width >= 40 and max_rows >= 4, got width={width}, "
                         f"max_rows={max_rows}")
    shown = names(root)
    order = [n for n in graph.topo_order(root) if not is_constant(n) or n is root]
    with_grad = final is not None or _grads_known(order)
    picked = list(range(len(order)))
    if len(order) > max_rows:
        head = (max_rows * 3) // 4
        picked = [*range(head), -1, *range(len(order) - (max_rows - head), len(order))]
    rows = [(str(k + 1), shown[order[k]], str(order[k]._op),
             expression(order[k], shown) or "(leaf)", fmt(order[k].data),
             _grad_text(order[k], final) if with_grad else "") for k in picked if k >= 0]
    idx_w = max(2, len(str(len(order))))
    name_w, op_w, expr_w, data_w, grad_w = (
        max(len(title), *(len(r[col]) for r in rows))
        for col, title in enumerate(("node", "op", "expression", "data", "grad"), 1))
    name_w, op_w = min(name_w, 16), min(op_w, 12)
    room = width - (idx_w + name_w + op_w + data_w + 8) - ((grad_w + 2) if with_grad else 0)
    expr_w = max(min(expr_w, room), 10)

    def line(i: str, name: str, op: str, expr: str, data: str, grad: str) -> str:
        text = (f"{i:>{idx_w}}  {_cell(name, name_w):<{name_w}}  {_cell(op, op_w):<{op_w}}  "
                f"{_cell(expr, expr_w):<{expr_w}}  {data:>{data_w}}")
        if with_grad:
            text += f"  {grad:>{grad_w}}"
        return text.rstrip()

    lines = [line("#", "node", "op", "expression", "data", "grad")]
    lines += [line(*r) for r in rows]
    if len(order) > max_rows:
        lines.insert(1 + (max_rows * 3) // 4,
                     f"{'':>{idx_w}}  … {len(order) - max_rows} more nodes …")
    return Text("\n".join(lines))


def _grad_text(node: Value, final: Collection[Value] | None) -> str:
    text = fmt(node.grad)
    return text if final is None or node in final else text + "…"


def tree(root: Value, max_lines: int = 100) -> Text:
    """The graph as an indented tree, root first; shared nodes are drawn once.

    A node met a second time is shown as ``v3 (see above)`` instead of being
    repeated, so the text stays as small as the graph.  Gradients are shown once
    any is non-zero.  At most ``max_lines`` lines (then ``… N more lines``).

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> print(tree(c + a))
    v1 = c + a = -4.0
    ├── c = a·b = -6.0
    │   ├── a = 2.0
    │   └── b = -3.0
    └── a (see above)
    """
    shown = names(root)
    with_grad = _grads_known(list(shown))
    drawn: set[Value] = set()
    lines: list[str] = []
    more = 0     # lines past max_lines: counted, not written
    stack: list[tuple[Value, str, str]] = [(root, "", "")]  # node, branch, indent
    while stack:
        node, branch, indent = stack.pop()
        if node in drawn or is_constant(node):
            if len(lines) < max_lines:
                lines.append(f"{branch}{shown[node]}" + ("" if is_constant(node) else
                                                         " (see above)"))
            else:
                more += 1
            continue
        drawn.add(node)
        kids = node._prev
        if len(lines) >= max_lines:
            more += 1
            stack.extend((k, "", "") for k in kids)
            continue
        expr = expression(node, shown)
        text = f"{shown[node]} = {expr} = " if expr else f"{shown[node]} = "
        text += fmt(node.data) + (f"   grad {fmt(node.grad)}" if with_grad else "")
        lines.append(branch + text)
        for i in range(len(kids) - 1, -1, -1):
            last = i == len(kids) - 1
            stack.append((kids[i], indent + ("└── " if last else "├── "),
                          indent + ("    " if last else "│   ")))
    if more:
        lines[-1] = f"… {more + 1} more lines"
    return Text("\n".join(lines))
