"""Writing a plan as Python: one line per node forward, one line per edge backward.

The code comes from the op table (each row's :class:`~autograd.ops.Code`), never
from user text: identifiers are made from labels by :mod:`.plan` (ASCII letters,
digits and ``_``), labels and formulas appear only in comments, escaped.

The backward pass visits the nodes in the order ``backward()`` does and writes
``g_child += d * g_node`` for each edge, so every gradient is the same sum of the
same products, added in the same order, as the engine's.  A node whose gradient
is 0 pushes only zeros, which change nothing (the accumulators start at +0.0);
the code skips such a node where that saves work (a sum or a dot of a dead
neuron) and its local derivatives are known to be finite (0·∞ would be NaN).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from ..engine import Value
from ..ops import Op
from .plan import Plan, Run, _identifier, comment_text, float_key, literal_or_none

__all__ = ["Source", "write"]

TERMS_PER_LINE = 32       # a long sum is written over several lines (the parser nests +)
GUARD_EDGES = 3           # nodes with at least this many edges are skipped when g == 0
HEADER = """\
# autograd.compile: one step of a traced graph as straight-line Python.
# Forward: one line per node.  Backward: one line per edge,
#     g_child += (∂node/∂child) * g_node
# visiting the nodes in the order backward() does (each after all its consumers).
# `if g_z or not (z - z == 0.0):` skips a node whose gradient is 0 (it would push
# only zeros) unless z is ±inf or NaN (0·inf is NaN, which must reach the inputs).
# P holds the parameters' numbers, X the inputs'; step() returns the outputs and
# the parameters' gradients of this pass.
"""


class Source:
    """The generated source and the names it needs (helpers, non-literal numbers)."""

    def __init__(self, text: str, env: dict[str, Any], grad_params: list[Value]) -> None:
        self.text, self.env, self.grad_params = text, env, grad_params


class _Writer:
    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.env: dict[str, Any] = {}
        self.numbers: dict[Any, str] = {}
        self.gname: dict[Value, str] = {}

    # -- names ------------------------------------------------------------------------------
    def number(self, x: Any) -> str:
        """A literal, or a name bound to the number (inf, NaN, −0.0 …)."""
        text = literal_or_none(x)
        if text is not None:
            return text
        key = float_key(x)
        name = self.numbers.get(key)
        if name is None:
            base = ("NAN" if x != x else "INF" if x == math.inf else "NEG_INF"
                    if x == -math.inf else "NEG_ZERO" if x == 0 else "K")
            name = self.numbers[key] = _identifier(base, self.plan.taken)
            self.env[name] = x
        return name

    def grad(self, node: Value) -> str:
        name = self.gname.get(node)
        if name is None:
            name = self.gname[node] = "g_" + self.plan.ident[node]
        return name

    def helpers(self, op: Op) -> None:
        for name, fn in op.code.helpers:  # type: ignore[union-attr]
            if self.env.setdefault(name, fn) is not fn:
                raise ValueError(f"compile: two ops bind the helper name {name!r} differently")

    # -- one node ---------------------------------------------------------------------------
    def forward(self, node: Value, ref: Callable[[Value], str], indent: str) -> list[str]:
        """``v = <code>`` with the op's formula in a comment."""
        op: Op = node._op
        code = op.code
        assert code is not None
        self.helpers(op)
        names = [ref(c) for c in node._prev]
        p = [self.number(x) for x in op.params]
        target = ref(node)
        shown = self.plan.display
        note = comment_text(f"{shown[node]} = {op.show([shown[c] for c in node._prev])}")
        if callable(code.forward):
            text = code.forward(names, p, op.params)
        else:
            text = code.forward.format(*names, p=p)
        if isinstance(text, str):
            return [f"{indent}{target} = {text}  # {note}"]
        lines = []
        start, terms = text[0], list(text[1:])
        while True:
            chunk, terms = terms[:TERMS_PER_LINE], terms[TERMS_PER_LINE:]
            lines.append(f"{indent}{target} = {' + '.join([start, *chunk])}")
            start = target
            if not terms:
                break
        lines[0] += f"  # {note}"
        return lines

    def backward(self, node: Value, ref: Callable[[Value], str], gref: Callable[[Value], str],
                 indent: str) -> list[str]:
        """``g_child += d * g_node`` for every edge into a node that takes a gradient."""
        plan, op = self.plan, node._op
        code = op.code
        assert code is not None
        edges = [(i, c) for i, c in enumerate(node._prev) if plan.receives(c)]
        if not edges:
            return []
        names = [ref(c) for c in node._prev]
        out, p = ref(node), [self.number(x) for x in op.params]
        shown = plan.display
        dnames = [shown[c] for c in node._prev]
        g = gref(node)
        lines = [f"{indent}# {comment_text(shown[node] + ' = ' + op.show(dnames))}"]
        inner = indent
        if code.finite and len(edges) >= GUARD_EDGES:
            test = code.finite.format(*names, out=out, p=p)
            lines.append(f"{indent}if {g}:" if test == "True" else
                         f"{indent}if {g} or not ({test}):")
            inner = indent + "    "
        for i, c in edges:
            d = (code.grads(i, names, out, p, op.params) if callable(code.grads)
                 else code.grads[i].format(*names, out=out, p=p))
            why = comment_text(f"∂{shown[node]}/∂{dnames[i]} = {op.dshow(i, dnames, shown[node])}")
            if d == "1.0":
                push = f"{gref(c)} += {g}"
            elif d == "-1.0":
                push = f"{gref(c)} -= {g}"
            else:
                push = f"{gref(c)} += {d if _atomic(d) else f'({d})'} * {g}"
            lines.append(f"{inner}{push}  # {why}")
        return lines


def _atomic(text: str) -> bool:
    """A name or a number: no brackets needed around it."""
    if text.isidentifier():
        return True
    try:
        float(text[1:-1] if text.startswith("(") and text.endswith(")") else text)
    except ValueError:
        return False
    return " " not in text


def _unpack(names: Sequence[str], source: str) -> str:
    rows = [", ".join(names[i:i + 8]) for i in range(0, len(names), 8)]
    return "    (" + ",\n     ".join(rows) + f",) = {source}"


def _chunks(names: Sequence[str], indent: str, value: str) -> list[str]:
    return [f"{indent}{' = '.join(names[i:i + 6])} = {value}" for i in range(0, len(names), 6)]


def _literal_tuple(items: Sequence[str]) -> str:
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def _tuple(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else "(" + ", ".join(items) + ")"


def write(plan: Plan) -> Source:
    """The source of ``step(P, X)`` for ``plan`` (and the names it needs)."""
    w = _Writer(plan)
    ident, kind = plan.ident, plan.kind
    taken = plan.taken

    def ref(node: Value) -> str:
        k = kind[node]
        if k == "const":
            return w.number(node.data)
        return ident[node]

    lines = ["def step(P, X):"]
    if plan.params:
        lines.append("    # the parameters' numbers now, then their gradients, accumulated from 0")
        lines.append(_unpack([ident[p] for p in plan.params], "P"))
    if plan.inputs:
        lines.append(_unpack([ident[v] for v in plan.inputs], "X"))
    grad_params = [p for p in plan.params if plan.receives(p)]
    if grad_params:
        lines += _chunks([w.grad(p) for p in grad_params], "    ", "0.0")
    # -- shared functions: one per group of equal runs ------------------------------------------
    block_names: list[str] = []
    for gi, members in enumerate(plan.groups):
        name = _identifier(f"block_{gi + 1}", taken)
        block_names.append(name)
        lines += _block(w, name, members, len(plan.inputs) > 0)
    # -- forward ------------------------------------------------------------------------------
    lines.append("    # forward pass")
    handles: dict[int, str] = {}
    for ri, run in enumerate(plan.runs):
        if run.group < 0:
            lines += w.forward(run.nodes[0], ref, "    ")
            continue
        first = plan.groups[run.group][0]
        handle = handles[ri] = _identifier(f"row{run.row + 1}_{run.group + 1}", taken)
        args = [ref(a) for a, f in zip(run.args, first.args)
                if _varies(plan, run.group, first, f)]
        exported = [ident[run.nodes[j]] for j in run.exports]
        lines.append(f"    {handle} = {block_names[run.group]}({', '.join(args)})"
                     f"  # row {run.row + 1}")
        lines.append(f"    {', '.join(exported)} = next({handle})" if len(exported) > 1 else
                     f"    {exported[0]} = next({handle})")
    # -- backward -----------------------------------------------------------------------------
    lines.append("    # backward pass: every gradient starts at 0, the root's at 1")
    top = [n for run in plan.runs for n in (run.nodes if run.group < 0 else
                                           [run.nodes[j] for j in run.exports])]
    lines += _chunks([w.grad(n) for n in top], "    ", "0.0")
    lines.append(f"    {w.grad(plan.root)} = 1.0")
    for ri in range(len(plan.runs) - 1, -1, -1):
        run = plan.runs[ri]
        if run.group < 0:
            lines += w.backward(run.nodes[0], ref, w.grad, "    ")
            continue
        sent = [w.grad(run.nodes[j]) for j in run.exports]
        back = [w.grad(a) for a in run.args if kind[a] == "op" and a.requires_grad]
        call = f"{handles[ri]}.send({_tuple(sent + back)})"
        lines.append(f"    {', '.join(back)} = {call}" if len(back) > 1 else
                     f"    {back[0]} = {call}" if back else f"    {call}")
    outs = [ref(v) for v in plan.outputs]
    grads = _literal_tuple([w.grad(p) for p in grad_params])
    lines.append(f"    return {_literal_tuple(outs)}, {grads}")
    return Source(HEADER + "\n".join(lines) + "\n", w.env, grad_params)


def _varies(plan: Plan, group: int, first: Run, arg: Value) -> bool:
    """Is this argument slot passed per call (inputs, op nodes, constants that differ)?"""
    if plan.kind[arg] != "const":
        return True
    slot = first.args.index(arg)
    key = float_key(arg.data)
    return any(float_key(run.args[slot].data) != key for run in plan.groups[group])


def _block(w: _Writer, name: str, members: list[Run], has_inputs: bool) -> list[str]:
    """``def block(args): forward; grads = yield outputs; backward; yield arg grads``."""
    plan = w.plan
    first = members[0]
    ident, kind = plan.ident, plan.kind
    local = set(first.nodes)
    params_named: dict[Value, str] = {}
    fixed: dict[Value, str] = {}
    for a in first.args:
        if kind[a] == "const":
            if _varies(plan, first.group, first, a):
                params_named[a] = _identifier("c", plan.taken)
            else:
                fixed[a] = w.number(a.data)
        else:
            params_named[a] = ident[a]

    def ref(node: Value) -> str:
        if node in fixed:
            return fixed[node]
        if node in params_named:
            return params_named[node]
        if kind[node] == "const":
            return w.number(node.data)
        return ident[node]

    touched: list[str] = []

    def gref(node: Value) -> str:
        g = w.grad(node)
        if kind[node] == "param" and g not in touched:
            touched.append(g)
        return g

    body: list[str] = []
    for n in first.nodes:
        body += w.forward(n, ref, "        ")
    outs = [ident[first.nodes[j]] for j in first.exports]
    ext = [a for a in first.args if kind[a] == "op" and a.requires_grad]
    got = [w.grad(first.nodes[j]) for j in first.exports] + [w.grad(a) for a in ext]
    body.append(f"        {', '.join(got)} = yield {', '.join(outs)}"
                if len(got) > 1 else f"        {got[0]} = yield {', '.join(outs)}")
    exported = {first.nodes[j] for j in first.exports}
    inner = [w.grad(n) for n in first.nodes if n not in exported]
    body += _chunks(inner, "        ", "0.0")
    for n in reversed(first.nodes):
        body += w.backward(n, ref, gref, "        ")
    body.append(f"        yield {', '.join(w.grad(a) for a in ext)}" if ext else "        yield")
    rows = ", ".join(str(r.row + 1) for r in members[:3]) + (" …" if len(members) > 3 else "")
    signature = ", ".join(params_named[a] for a in first.args if a in params_named)
    head = [f"    def {name}({signature}):",
            f"        # the code shared by {len(members)} runs of one row each (rows {rows});"
            f" names from row {first.row + 1}",
            "        # forward to `yield` (which hands the outputs over), backward after it"]
    if touched:
        head.append("        nonlocal " + ", ".join(touched))
    assert local
    return head + body
