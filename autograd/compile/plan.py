"""What a traced step is made of: its nodes in order, their roles and names, repeated rows.

:func:`make_plan` reads a graph once and decides everything the code writer needs:

* the nodes in the engine's order (by creation number: inputs before the nodes
  that use them, the backward pass in reverse);
* each leaf's role: a **parameter** (its ``.data`` is read at every run, its
  ``.grad`` accumulated), an **input** (a number given at every run) or a
  **constant** (its number frozen into the code);
* a display name per node (the label, else ``v1``, ``v2`` … in order, as the
  explainer names nodes) and a unique Python identifier made from it;
* the **runs**: when the inputs come as rows (one per sample), the operation
  nodes that depend on one row only, in stretches of consecutive creation
  numbers.  Runs with the same shape share one generated function, which is
  what keeps the one-off cost of compiling a batch small.

Refusals (:class:`CompileError`) happen here, before any code is written.
"""

from __future__ import annotations

import itertools
import keyword
import math
import re
import struct
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import graph
from ..engine import Value
from ..ops import Op

__all__ = ["CompileError", "Plan", "Run", "literal_or_none", "make_plan"]

MIN_RUN = 8          # a shorter repeated stretch is written inline: a call would cost more
NONE, MANY = -1, -2  # a node's row: none (parameters and constants only), several rows
RESERVED = frozenset({"P", "X", "step", "abs", "True", "False", "None"})


class CompileError(ValueError):
    """The graph cannot be compiled (a hook, dropout, an op without code …)."""


@dataclass
class Run:
    """Consecutive operation nodes that depend on one input row only.

    ``args`` are the nodes from outside the run that it reads (inputs, constants,
    operation nodes), in order of first use; ``exports`` the positions of the run's
    nodes used outside it.  Runs with equal ``key`` are the same code.
    """

    row: int
    nodes: list[Value]
    args: list[Value] = field(default_factory=list)
    exports: list[int] = field(default_factory=list)
    key: tuple[Any, ...] = ()
    group: int = -1          # index of its shared function, -1: written inline


@dataclass
class Plan:
    """Everything the code writer needs to know about one traced graph."""

    root: Value
    order: list[Value]                 # every node, creation order
    ops: list[Value]                   # the operation nodes, creation order
    params: list[Value]                # parameters that are nodes of the graph, given order
    inputs: list[Value]                # every input leaf, flattened in the given order
    rows: list[list[int]]              # positions in ``inputs`` of each row
    outputs: list[Value]               # flattened outputs
    display: dict[Value, str]          # the name a reader sees (label, v1, v2 …, a number)
    ident: dict[Value, str]            # the Python identifier of a node's value
    runs: list[Run]                    # per position in ``ops``: units of the forward pass
    groups: list[list[Run]]            # runs sharing one generated function
    kind: dict[Value, str]             # 'param', 'input', 'const' or 'op'
    taken: set[str]                    # every identifier in use

    def receives(self, node: Value) -> bool:
        """True when a gradient flows into ``node`` (a trainable parameter or an op node)."""
        k = self.kind[node]
        return node.requires_grad and (k == "op" or k == "param")


def literal_or_none(x: Any) -> str | None:
    """Python source for the number ``x``, or None when it has no plain literal
    (±inf, NaN, −0.0, ints beyond 2⁵³, other types): those are bound as names."""
    if type(x) is int and abs(x) <= 2 ** 53:
        return f"({x})" if x < 0 else repr(x)
    if type(x) is float and math.isfinite(x) and (x != 0.0 or math.copysign(1.0, x) > 0):
        text = repr(x)
        return f"({text})" if x < 0 else text
    return None


def float_key(x: Any) -> Any:
    """A hashable key telling numbers apart bit for bit (−0.0 ≠ 0.0, NaN payloads)."""
    if type(x) is float:
        return struct.pack("<d", x)
    return (type(x).__name__, repr(x))


def _flatten(x: Any, where: str, into: list[Value]) -> Any:
    """Collect the Values of a Value or a nested list; return the nesting (for outputs)."""
    if isinstance(x, Value):
        into.append(x)
        return None
    if isinstance(x, (list, tuple)):
        return [_flatten(item, where, into) for item in x]
    raise TypeError(f"compile: {where} must be Values or lists of Values, got "
                    f"{type(x).__name__}: {x!r}"[:200])


def _rows(inputs: Any) -> tuple[list[Value], list[list[int]]]:
    """``inputs`` as a flat list and rows: one per item (a Value or a list of Values)."""
    if inputs is None:
        return [], []
    if isinstance(inputs, Value) or not isinstance(inputs, (list, tuple)):
        raise TypeError(f"compile: inputs must be a list of samples (Values or lists of "
                        f"Values), got {type(inputs).__name__}")
    flat: list[Value] = []
    rows: list[list[int]] = []
    for i, item in enumerate(inputs):
        start = len(flat)
        if isinstance(item, Value):
            flat.append(item)
        elif isinstance(item, (list, tuple)) and all(isinstance(v, Value) for v in item):
            flat.extend(item)
        else:
            raise TypeError(f"compile: inputs[{i}] must be a Value or a list of Values, "
                            f"got {type(item).__name__}")
        rows.append(list(range(start, len(flat))))
    return flat, rows


def _printable(text: str) -> str:
    """``text`` safe inside a ``#`` comment: control and line-breaking characters escaped."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ascii(ch)[1:-1] for ch in text)


comment_text = _printable


_NOT_WORD = re.compile(r"[^0-9A-Za-z]+")


def _word(name: str) -> str:
    """``name`` as ASCII letters, digits and single ``_`` (``'L1.N3·z'`` → ``L1_N3_z``)."""
    if not name.isascii():
        name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    base = _NOT_WORD.sub("_", name).strip("_")[:40] or "v"
    if base[0].isdigit():
        base = "v_" + base
    if base.startswith("g_"):         # g_… names the gradients
        base = "v_" + base
    if keyword.iskeyword(base) or keyword.issoftkeyword(base):
        base = base + "_"
    return base


def _identifier(name: str, taken: set[str]) -> str:
    """A fresh identifier made from a display name, not yet in ``taken`` (which it joins)."""
    ident = base = _word(name)
    k = 1
    while ident in taken:
        k += 1
        ident = f"{base}_{k}"
    taken.add(ident)
    return ident


class _Identifiers(dict):  # type: ignore[type-arg]
    """node → identifier, made on first use (most nodes of repeated rows never need one)."""

    def __init__(self, display: dict[Value, str], taken: set[str]) -> None:
        super().__init__()
        self.display, self.taken = display, taken

    def __missing__(self, node: Value) -> str:
        ident = self[node] = _identifier(self.display[node], self.taken)
        return ident


def _names(order: Sequence[Value], kind: dict[Value, str]) -> dict[Value, str]:
    """Display names, by the explainer's rule: the label (a repeated one with ``_2`` …),
    a constant's number, else ``v1``, ``v2`` … in creation order."""
    labels = {n.label for n in order if n.label}
    seen: set[str] = set()
    display: dict[Value, str] = {}
    counter = 0
    suffix: dict[str, int] = {}   # the next suffix worth trying for a repeated label
    for node in order:
        label = node.label
        if label:
            k = suffix.get(label, 1)
            name = label if k == 1 else f"{label}_{k}"
            while name in seen:
                k += 1
                name = f"{label}_{k}"
            suffix[label] = k + 1
        elif kind[node] == "const" and not node.requires_grad:
            display[node] = repr(node.data)
            continue
        else:
            counter += 1
            while f"v{counter}" in labels or f"v{counter}" in seen:
                counter += 1
            name = f"v{counter}"
        seen.add(name)
        display[node] = name
    return display


def _check(order: Sequence[Value], root: Value) -> None:
    for node in order:
        if node._hooks:
            raise CompileError(f"compile: node {_who(node)} has a hook: hooks run Python "
                               "code during backward, which a compiled step cannot replay "
                               "(remove it, or use backward())")
        if not node._prev:
            continue
        op: Op = node._op
        if op.code is None:
            raise CompileError(f"compile: op {op.name!r} (node {_who(node)}) has no code "
                               "template in its op row (autograd/ops.py, code=…)")
        scope = node._scope
        if scope is not None and scope.name == "Dropout":
            raise CompileError(f"compile: node {_who(node)} is a dropout mask (scope "
                               f"{scope.title!r}): a compiled step would freeze the mask; "
                               "call model.eval() or train without compile")
    if not root._prev:
        raise CompileError("compile: the root must be an operation node, not a leaf")


def _who(node: Value) -> str:
    return repr(_printable(node.label)) if node.label else f"<unlabelled {str(node._op)!r}>"


def make_plan(root: Value, params: Sequence[Value], inputs: Any, outputs: Any,
              reserved: Iterable[str] = ()) -> tuple[Plan, Any]:
    """Analyse ``root``'s graph; returns the :class:`Plan` and the outputs' nesting."""
    if not isinstance(root, Value):
        raise TypeError(f"compile: loss must be a Value, got {type(root).__name__}")
    order = graph.topo_order(root)
    _check(order, root)
    in_graph = set(order)
    reserved = {*reserved, *(name for n in order if n._prev
                             for name, _ in n._op.code.helpers)}
    flat_in, rows = _rows(inputs)
    out_flat: list[Value] = []
    shape = _flatten(root if outputs is None else outputs, "outputs", out_flat)
    kind: dict[Value, str] = {}
    seen_params: list[Value] = []
    for i, p in enumerate(params):
        if not isinstance(p, Value):
            raise TypeError(f"compile: params[{i}] must be a Value, got {type(p).__name__}")
        if p._prev:
            raise CompileError(f"compile: params[{i}] ({_who(p)}) is not a leaf")
        if p not in kind:
            kind[p] = "param"
            if p in in_graph:
                seen_params.append(p)
    for i, v in enumerate(flat_in):
        if v._prev:
            raise CompileError(f"compile: input {i} ({_who(v)}) is not a leaf")
        if kind.get(v) == "param":
            raise CompileError(f"compile: input {i} ({_who(v)}) is also a parameter")
        if v in kind:
            raise CompileError(f"compile: input {i} ({_who(v)}) is given twice")
        kind[v] = "input"
    for i, v in enumerate(out_flat):
        if v not in in_graph:
            raise CompileError(f"compile: output {i} ({_who(v)}) is not a node of the graph")
    for node in order:
        if node not in kind:
            kind[node] = "op" if node._prev else "const"
    display = _names(order + [v for v in flat_in if v not in in_graph], kind)
    taken = {*RESERVED, *reserved}
    ops = [n for n in order if n._prev]
    plan = Plan(root, order, ops, seen_params, flat_in, rows, out_flat, display,
                _Identifiers(display, taken), [], [], kind, taken)
    _find_runs(plan)
    return plan, shape


# -- repeated rows ------------------------------------------------------------------------------
def _row_of(plan: Plan) -> dict[Value, int]:
    """Each node's row: the one input row it depends on, NONE or MANY."""
    row: dict[Value, int] = {}
    for r, positions in enumerate(plan.rows):
        for i in positions:
            row[plan.inputs[i]] = r
    get, nones = row.get, itertools.repeat(NONE)
    for n in plan.ops:
        found = set(map(get, n._prev, nones))
        found.discard(NONE)
        row[n] = NONE if not found else found.pop() if len(found) == 1 else MANY
    return row


_KIND_CODE = {"input": 0, "const": 1, "op": 2}
_ARGS = 1 << 40     # references to arguments are numbered from here: never a node position


def _signature(plan: Plan, run: Run, codes: dict[Any, Any]) -> None:
    """Fill ``run.args`` and ``run.key``: the run's code, up to the names it reads.

    The key lists, node by node, the op, whether the node takes a gradient, and
    each input: a position in the run, a parameter (the same one in every run),
    or an argument slot with its kind.  ``codes`` caches the ops' codes.
    """
    lookup = dict(codes["params"])                 # parameter → its code
    lookup.update((n, j) for j, n in enumerate(run.nodes))   # run node → its position
    kind = plan.kind
    sig: list[Any] = []
    add, extend = sig.append, sig.extend
    for n in run.nodes:
        op = n._op
        code = codes.get(op)
        if code is None:
            code = codes[op] = (id(op.base), *(float_key(p) for p in op.params))
        add(code)
        add(n.requires_grad)
        refs = list(map(lookup.get, n._prev))
        if None in refs:                     # arguments: numbered in order of first use
            for i, c in enumerate(n._prev):
                if refs[i] is None:
                    k = kind[c]
                    refs[i] = lookup[c] = _ARGS + 8 * len(run.args) + 2 * _KIND_CODE[k] + (
                        k == "op" and c.requires_grad)
                    run.args.append(c)
        add(len(refs))
        extend(refs)
    run.key = (tuple(sig), tuple(run.exports))


def _find_runs(plan: Plan) -> None:
    """Split the op nodes into runs (one row, consecutive); group equal runs."""
    if not plan.rows:
        plan.runs = [Run(NONE, [n]) for n in plan.ops]
        return
    row = _row_of(plan)
    runs: list[Run] = []
    for n in plan.ops:
        r = row[n]
        if r >= 0 and runs and runs[-1].row == r:
            runs[-1].nodes.append(n)
        else:
            runs.append(Run(r if r >= 0 else NONE, [n]))
    where = {n: i for i, run in enumerate(runs) for n in run.nodes}
    exported: set[Value] = {plan.root, *plan.outputs}
    for i, run in enumerate(runs):
        for n in run.nodes:
            for c in n._prev:
                if c._prev and where[c] != i:
                    exported.add(c)
    candidates: dict[tuple[Any, ...], list[Run]] = {}
    codes: dict[Any, Any] = {"params": {p: ("p", id(p), p.requires_grad) for p in plan.params}}
    for run in runs:
        if run.row >= 0 and len(run.nodes) >= MIN_RUN:
            run.exports = [j for j, n in enumerate(run.nodes) if n in exported]
            _signature(plan, run, codes)
            candidates.setdefault(run.key, []).append(run)
    for members in candidates.values():
        if len(members) >= 2:
            for run in members:
                run.group = len(plan.groups)
            plan.groups.append(members)
    plan.runs = []
    for run in runs:   # a run that shares no function is written inline, node by node
        if run.group >= 0:
            plan.runs.append(run)
        else:
            plan.runs += [Run(NONE, [n]) for n in run.nodes]
