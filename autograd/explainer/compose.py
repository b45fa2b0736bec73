"""The text of a step: a node's chain-rule lines, a neuron's block, a layer's blocks.

A node step reads ``step 3/5  c = a·b`` followed by one line per input,
``a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0 (final)``.
A neuron step writes the neuron's own nodes by their short names (``h``, ``z``,
``w1``, ``b`` for ``L1.N2.h`` …) in one block::

    step 2/4  neuron L1.N2: h = relu(z), z = w1·x1 + w2·x2 + b
      z.grad += ∂h/∂z · h.grad = (1 if z > 0 else 0) · h.grad = (1.0)(0.5) = 0.5 (final)
      w1.grad += ∂z/∂w1 · z.grad = x1 · z.grad = (2.0)(0.5) = 1.0 (final)
      …

and a layer step one such block per neuron (``N2: …``).  The first step says
where the pass starts, whether nodes already held gradients (this pass adds to
them), whether starting it closed an unfinished earlier pass and, when stepping
by neuron or layer, whether the graph has none.

In a pass on gradients that were not zero, this pass's parts are written ``Δ``:
``Δw.grad += ∂z/∂w · Δz.grad = … = 0.3, now 0.5; w.grad = 1.0 + 0.5 = 1.5``, so
each name stands for the number filled in and every equation holds as printed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from ..engine import Value
from .grouping import group_of, short_name
from .records import Part
from .sentences import fmt, operand


class BackwardPass(Protocol):
    """What a step's text reads from :class:`autograd.explainer.steps.BackwardPass`."""

    @property
    def index(self) -> int:
        """The step being written (1-based)."""

    @property
    def total(self) -> int:
        """How many steps the pass has."""

    @property
    def by(self) -> str:
        """The granularity: ``'node'``, ``'neuron'`` or ``'layer'``."""

    @property
    def root(self) -> Value:
        """Where the pass starts."""

    @property
    def neurons(self) -> bool:
        """True when some node belongs to a group at ``by`` (always for ``'node'``)."""

    @property
    def shown(self) -> Mapping[Value, str]:
        """Every node's display name."""

    @property
    def sample(self) -> Mapping[Value, int]:
        """The model call (sample) of each per-call node of a batch graph."""

    @property
    def old(self) -> Mapping[Value, float]:
        """The gradients held before the pass (nodes with none are left out)."""

    @property
    def closed_others(self) -> Sequence[str]:
        """What starting this pass closed: one line per unfinished earlier pass."""

__all__ = ["step_sentence"]

Rename = Callable[[str], str]


def _strip(prefixes: Sequence[str]) -> Rename:
    """A renaming that drops the first of ``prefixes`` a name starts with."""
    def local(name: str) -> str:
        for p in prefixes:
            if name.startswith(p) and len(name) > len(p):
                return name[len(p):]
        return name
    return local


def _prefixes(title: str, run: BackwardPass, part: Part) -> list[str]:
    """``['s3.L1.N2.', 'L1.N2.']``: how the group's own nodes and parameters are named."""
    if not title:
        return []
    s = run.sample.get(part.node)
    bare = title[len(f"s{s}."):] if s and title.startswith(f"s{s}.") else title
    return [f"{title}.", f"{bare}."] if bare != title else [f"{title}."]


def _expr(run: BackwardPass, part: Part, local: Rename) -> str:
    node = part.node
    return node._op.show([operand(local(run.shown[c])) for c in node._prev]) if node._prev else ""


def _delta(run: BackwardPass) -> str:
    """``'Δ'`` in a pass on gradients that were not zero (this pass's part), else ``''``."""
    return "Δ" if run.old else ""


def _lines(run: BackwardPass, part: Part, local: Rename, indent: str) -> list[str]:
    name = local(part.name)
    out = []
    mark = _delta(run)
    if part.node._hooks is not None and part.grad != part.grad_in and part.node._prev:
        out.append(f"{indent}(hook: {mark}{name}.grad {fmt(part.grad_in)} → {fmt(part.grad)})")
    kids = [operand(local(run.shown[c])) for c in part.node._prev]
    dshow = part.node._op.dshow
    out += [f"{indent}"
            f"{t.line(name, local(t.name), dshow(t.index, kids, operand(name)), bool(mark))}"
            for t in part.terms if t.updated]
    if part.node._prev and not any(t.updated for t in part.terms):
        out.append(f"{indent}(no input needs a gradient)")
    return out


def _block_head(run: BackwardPass, parts: Sequence[Part], local: Rename) -> str:
    return ", ".join(f"{local(p.name)} = {_expr(run, p, local)}" if p.node._prev
                     else f"{local(p.name)} (a leaf)" for p in parts)


def _single(run: BackwardPass, part: Part) -> tuple[str, list[str]]:
    name = part.name
    if part.expr:
        head = f"{name} = {part.expr}"
    else:
        value = fmt(part.grad + part.old) if part.old else fmt(part.grad)
        total = f"old + Δ{name}.grad = {fmt(part.old)} + {operand(fmt(part.grad))} = {value}" \
            if part.old else value
        head = f"{name} is a leaf: {name}.grad = {total} is final"
    if part.node._hooks is not None and part.grad != part.grad_in:
        head += f"   (hook: {_delta(run)}{name}.grad {fmt(part.grad_in)} → {fmt(part.grad)})"
    lines = _lines(run, part, lambda n: n, "  ")
    return head, [ln for ln in lines if not ln.lstrip().startswith("(hook:")]


def _neuron(run: BackwardPass, parts: Sequence[Part], title: str,
            indent: str) -> tuple[str, list[str]]:
    local = _strip(_prefixes(title, run, parts[0]))
    lines = [ln for p in parts for ln in _lines(run, p, local, indent)]
    return _block_head(run, parts, local), lines


def _layer(run: BackwardPass, parts: Sequence[Part], title: str) -> tuple[str, list[str]]:
    outer = _strip(_prefixes(title, run, parts[0]))
    lines: list[str] = []
    blocks: list[list[Part]] = []
    for p in parts:   # one block per neuron, in the engine's order
        g = group_of(p.node, "neuron")
        if blocks and g is not None and group_of(blocks[-1][0].node, "neuron") is g:
            blocks[-1].append(p)
        else:
            blocks.append([p])
    for block in blocks:
        g = group_of(block[0].node, "neuron")
        if g is None:
            local = outer
            head = _block_head(run, block, local)
        else:
            s = run.sample.get(block[0].node)
            short = short_name(g) or g.title
            local = _strip(_prefixes(f"s{s}.{short}" if s else short, run, block[0]))
            head = f"{outer(short) if outer(short) != short else short}: " \
                   f"{_block_head(run, block, local)}"
        lines.append(f"  {head}")
        lines += [ln for p in block for ln in _lines(run, p, local, "    ")]
    count = sum(1 for b in blocks if group_of(b[0].node, "neuron") is not None)
    return f"{count} neuron{'s' if count != 1 else ''}", lines


def step_sentence(run: BackwardPass, parts: Sequence[Part], group: str) -> str:
    """The text of step ``run.index`` that processed ``parts`` (``group``: its title or ``''``)."""
    first = run.index == 1
    if not group:
        head, lines = _single(run, parts[0])
        root_name = parts[0].name
    elif run.by == "layer":
        body, lines = _layer(run, parts, group)
        head = f"layer {group}: {body}"
        root_name = _strip(_prefixes(group, run, parts[0]))(parts[0].name)
    else:
        body, lines = _neuron(run, parts, group, "  ")
        head = f"neuron {group}: {body}"
        root_name = _strip(_prefixes(group, run, parts[0]))(parts[0].name)
    if first and parts[0].node is run.root and parts[0].node._prev:
        seed = parts[0].grad_in
        start = f"{_delta(run)}{root_name}.grad = {fmt(seed)}"
        old = run.old.get(run.root)
        if old:
            start += f"; {root_name}.grad = {fmt(old)} + {operand(fmt(seed))} = {fmt(seed + old)}"
        head += f"   (the pass starts here: {start})"
    notes = [f"  note: {line}" for line in run.closed_others] if first else []
    if first and run.old:
        k = len(run.old)
        what = "1 node already held a gradient: this pass adds to it" if k == 1 else \
            f"{k} nodes already held gradients: this pass adds to them"
        notes.append(f"  note: {what} (Δ marks this pass's part; each gradient = old + Δ); "
                     "zero_grad() starts from 0")
    if first and not run.neurons:
        notes.append(f"  (no {run.by}s in this graph: stepping node by node)")
    return "\n".join([f"step {run.index}/{run.total}  {head}", *notes, *lines])
