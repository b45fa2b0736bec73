"""Plain-text views of a graph: the trace table and the tree.

Everything here reads the graph and prints it; nothing changes a node.  Names
come from :func:`~autograd.explainer.naming.names` and numbers from
:func:`~autograd.explainer.sentences.fmt`, shared with the stepper and the
diagrams, so every view calls a node by the same name.  A graph's inputs
(labelled leaves that need no gradient, such as a network's ``x1``) are rows of
their own; unlabelled constants are shown inline in the expressions.  Cut-short
output costs time for what is printed: a graph of more than
:data:`~autograd.explainer.naming.EXACT_LIMIT` edges is named by creation numbers
and never walked in full (a size probe stops at the limit).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from itertools import islice
from typing import overload

from .. import graph
from ..engine import Value
from .export import table_latex, table_markdown
from .naming import CreationNames, is_constant, names, view_names
from .progress import GradState
from .sentences import Text, fmt, operand

__all__ = ["Table", "Text", "expression", "fmt", "is_constant", "names", "operand", "trace",
           "tree"]

class Table(Text):
    """A text table (what :func:`trace` returns) that also renders as Markdown or LaTeX.

    ``header`` holds the column titles, ``rows`` the cells (a ``None`` row stands for the
    ``… N more nodes …`` line, kept in ``gap``).
    """

    header: tuple[str, ...]
    rows: list[tuple[str, ...] | None]
    gap: str

    def to_markdown(self) -> str:
        """The table in Markdown (a pipe table), every cell escaped."""
        return table_markdown(self.header, self.rows, self.gap)

    def to_latex(self) -> str:
        """The table in LaTeX (a ``tabular``), every special character escaped."""
        return table_latex(self.header, self.rows, self.gap)


def expression(node: Value, shown: Mapping[Value, str]) -> str:
    """The op's own text of how ``node`` was computed, e.g. ``x1·w1`` (``''`` for a leaf)."""
    inputs = node._prev
    if not inputs:
        return ""
    if len(inputs) > 16:    # a wide sum shows x1 + … + xn: name only the inputs it prints
        return node._op.show(_Operands(inputs, shown))
    return node._op.show([operand(shown[c]) for c in inputs])


class _Operands(Sequence[str]):
    """A node's inputs as formula operands, each named only when the op's text reads it."""

    def __init__(self, nodes: Sequence[Value], shown: Mapping[Value, str]) -> None:
        self._nodes, self._shown = nodes, shown

    def __len__(self) -> int:
        return len(self._nodes)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [operand(self._shown[c]) for c in self._nodes[i]]
        return operand(self._shown[self._nodes[i]])


def _cell(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _name_cell(name: str, width: int) -> str:
    """A name cut to ``width``, keeping a creation number whole: ``layer2.o…#1000123``."""
    label, sep, number = name.rpartition("#")
    if len(name) <= width or not sep or not number.isdigit() or len(number) + 3 > width:
        return _cell(name, width)
    return label[: width - len(number) - 2] + "…#" + number


def _not_inline(node: Value) -> bool:
    """False for an unlabelled constant leaf: it is shown inside its users' expressions."""
    return bool(node.requires_grad or node._label)


def _is_row(node: Value, root: Value) -> bool:
    return bool(node._prev) or node is root or _not_inline(node)


def _picked(root: Value, max_rows: int) -> tuple[list[Value], int | None, Mapping[Value, str]]:
    """The rows to print, how many rows there are in all, and the names.

    Within :data:`~autograd.explainer.naming.EXACT_LIMIT` edges: the first and last rows
    of the topological order and their count.  A bigger graph: its last ``max_rows``
    rows, found newest first without walking the rest, and ``None`` for the count
    when there are more.
    """
    shown, order = view_names(root)
    if order is None:
        rows = list(islice(graph.newest_first(root, _not_inline), max_rows + 1))
        rows.reverse()
        return (rows, len(rows), shown) if len(rows) <= max_rows else (rows[1:], None, shown)
    rows = [n for n in order if _is_row(n, root)]
    if len(rows) <= max_rows:
        return rows, len(rows), shown
    head = (max_rows * 3) // 4
    return rows[:head] + rows[len(rows) - (max_rows - head):], len(rows), shown


def _grad_cell(node: Value, states: Mapping[Value, GradState] | None) -> str:
    if is_constant(node):
        return ""
    if states is None:
        return fmt(node.grad)
    st = states.get(node)
    return st.text() if st is not None else fmt(node.grad)


def trace(root: Value, width: int = 80, max_rows: int = 40, *,
          states: Mapping[Value, GradState] | None = None) -> Table:
    """The forward trace: one row per node in topological order (inputs first).

    Columns: step number, name, op, the expression with its inputs' names,
    ``data`` and, once any gradient is non-zero, ``grad``.  Inputs (labelled leaves
    that need no gradient, e.g. a network's ``x1``) have rows without a gradient;
    unlabelled constants are shown inline in the expressions.  Rows are cut to
    ``width`` columns; a graph with more than ``max_rows`` rows shows its first and
    last rows around a ``… N more nodes …`` line; but a graph of more than
    :data:`~autograd.explainer.naming.EXACT_LIMIT` edges, named by creation numbers,
    shows only its last rows, unnumbered, found without walking the whole graph.
    ``states`` (the stepper's) shows each gradient as final or pending with its uses
    counted: ``0.5 (1 of 2 uses)``.
    The result also renders with ``to_markdown()`` and ``to_latex()``.

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
    picked, count, shown = _picked(root, max_rows)
    with_grad = states is not None or any(n.grad for n in picked if not is_constant(n)) \
        or (count is not None and count > max_rows and _any_grad(shown))
    first = 0 if count is None else len(picked) if count <= max_rows else (max_rows * 3) // 4
    rows: list[tuple[str, ...]] = []
    for k, n in enumerate(picked):
        number = "" if count is None else str(k + 1 if k < first else count - len(picked) + k + 1)
        rows.append((number, shown[n], str(n._op), expression(n, shown) or (
            "(input)" if is_constant(n) and n is not root else "(leaf)"), fmt(n.data),
            _grad_cell(n, states) if with_grad else ""))
    header = ("#", "node", "op", "expression", "data") + (("grad",) if with_grad else ())
    if count is None:           # a huge graph, named by creation numbers: rows unnumbered
        limit = shown.limit if isinstance(shown, CreationNames) else 0
        gap = f"… earlier nodes not shown (over {limit:,} edges; #n = creation number) …"
        header, rows = header[1:], [r[1:] for r in rows]
    else:
        gap = f"… {count - max_rows} more nodes …" if count > max_rows else ""
    text = _layout(header, rows, first if gap else -1, gap, width, with_grad)
    table = Table(text)
    table.header = header
    table.rows = [r[: len(header)] for r in rows]
    if gap:
        table.rows.insert(first, None)
    table.gap = gap
    return table


def _any_grad(nodes: Iterable[Value]) -> bool:
    return any(n.grad for n in nodes if n._prev or n.requires_grad)


def _layout(header: tuple[str, ...], rows: Sequence[tuple[str, ...]], gap_at: int, gap: str,
            width: int, with_grad: bool) -> str:
    numbered = header[0] == "#"     # unnumbered rows (a huge graph) get wider names instead
    if not numbered:
        header, rows = ("", *header), [("", *r) for r in rows]
    idx_w = (max(2, *(len(r[0]) for r in rows)) if rows else 2) if numbered else -2
    name_w, op_w, expr_w, data_w, grad_w = (
        max(len(title), *(len(r[col]) for r in rows))
        for col, title in enumerate(("node", "op", "expression", "data", "grad"), 1))
    name_w, op_w = min(name_w, 16 if numbered else 24), min(op_w, 12)
    room = width - (idx_w + name_w + op_w + data_w + 8) - ((grad_w + 2) if with_grad else 0)
    expr_w = max(min(expr_w, room), 10)
    lead = " " * (idx_w + 2)

    def line(i: str, name: str, op: str, expr: str, data: str, grad: str = "") -> str:
        text = (f"{i:>{idx_w}}  " if numbered else "") + (
            f"{_name_cell(name, name_w):<{name_w}}  {_cell(op, op_w):<{op_w}}  "
            f"{_cell(expr, expr_w):<{expr_w}}  {data:>{data_w}}")
        if with_grad:
            text += f"  {grad:>{grad_w}}"
        return text.rstrip()

    lines = [line(*header)] + [line(*r) for r in rows]
    if gap_at >= 0:
        lines.insert(1 + gap_at, lead + gap)
    return "\n".join(lines)


def tree(root: Value, max_lines: int = 100) -> Text:
    """The graph as an indented tree, root first; shared nodes are drawn once.

    A node met a second time is shown as ``v3 (see above)`` instead of being
    repeated, so the text stays as small as the graph.  Inputs show their value
    (``x1 = 2.0``), unlabelled constants their number.  Gradients are shown once
    any is non-zero.  At most ``max_lines`` lines: the walk stops there (then
    ``… more lines``), so a cut-short tree of a huge graph costs what it prints (its
    nodes are named by creation number, ``v#1000123``: see :func:`view_names`).

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
    if max_lines < 2:
        raise ValueError(f"tree() needs max_lines >= 2, got {max_lines}")
    shown, order = view_names(root)
    drawn: set[Value] = set()
    items: list[tuple[str, Value, str]] = []    # branch, node, how: "full", "seen", "number"
    more = False
    stack: list[tuple[Value, str, str]] = [(root, "", "")]  # node, branch, indent
    while stack:
        if len(items) == max_lines:
            more = True
            break
        node, branch, indent = stack.pop()
        if node in drawn:
            items.append((branch, node, "seen"))
            continue
        if is_constant(node) and not node._label:
            items.append((branch, node, "number"))
            continue
        drawn.add(node)
        items.append((branch, node, "full"))
        kids = node._prev     # only the inputs that could still get a line: a wide node's
        for i in range(min(len(kids), max_lines - len(items) + 1) - 1, -1, -1):   # are many
            last = i == len(kids) - 1
            stack.append((kids[i], indent + ("└── " if last else "├── "),
                          indent + ("    " if last else "│   ")))
    # gradients are shown once any is non-zero: in the graph, or in what a huge graph shows
    with_grad = _any_grad(order if order is not None else (n for _, n, _ in items))
    lines: list[str] = []
    for branch, node, how in items:
        if how == "seen":
            lines.append(f"{branch}{shown[node]} (see above)")
        elif how == "number":
            lines.append(f"{branch}{shown[node]}")
        else:
            expr = expression(node, shown)
            text = f"{shown[node]} = {expr} = " if expr else f"{shown[node]} = "
            text += fmt(node.data)
            if with_grad and not is_constant(node):
                text += f"   grad {fmt(node.grad)}"
            lines.append(branch + text)
    if more:
        lines[-1] = "… more lines (tree(root, max_lines=…) shows more)"
    return Text("\n".join(lines))
