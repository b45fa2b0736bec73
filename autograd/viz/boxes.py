"""A collapsed neuron or layer: its members, outputs and parameters, and its box's label.

:class:`GroupBox` reads one collapsed scope of a :class:`~autograd.viz.model.Plan` and
writes the HTML-like label of its box (see the class), with the texts of its
:class:`~autograd.viz.builder.Builder` (the numbers a frame of the stepper page or a
slide shows); :meth:`GroupBox.slots` tells the page which of the rendered texts to
change at each frame.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from ..engine import Value
from ..explainer.grouping import short_name
from ..modes import Scope
from ..ops import DOT
from .labels import RULE, escape, op_symbol
from .model import Plan, dot_weights


class Texts(Protocol):
    """What a box reads from its :class:`~autograd.viz.builder.Builder`."""

    @property
    def p(self) -> Plan:
        """The plan drawn."""
        ...

    @property
    def names(self) -> Mapping[Value, str]:
        """Each node's display name."""
        ...

    @property
    def sample(self) -> Mapping[Value, int]:
        """Each per-call node's sample (call of the model)."""
        ...

    @property
    def ids(self) -> Mapping[Value, str]:
        """Each node's stable id (``n{i}``)."""
        ...

    @property
    def show_grads(self) -> bool:
        """Whether boxes show gradients."""
        ...

    def data_of(self, n: Value) -> str:
        """The data text of ``n`` in the frame drawn."""
        ...

    def grad_of(self, n: Value) -> str:
        """The grad text of ``n`` in the frame drawn."""
        ...

__all__ = ["PARAMETER_COLUMNS", "PARAMETERS_LISTED", "GroupBox", "Texts"]

PARAMETERS_LISTED = 12
"""A collapsed box lists its parameters (name, data, grad) when it has at most this many;
a larger one (a whole layer) only counts them, and the sentences give their gradients."""

GAP = "&#160;&#160;"
"""Trailing space in each table cell, so neighbouring numbers stay apart."""

PARAMETER_COLUMNS = 6
"""Parameters side by side in a collapsed box's table; more start a new band below."""


class GroupBox:
    """One collapsed neuron or layer: its members, outputs, parameters and its label.

    The label is a table, read top to bottom::

        Layer 1 · Neuron 2
        out 0.7616 · grad 0.5            (one output; else "1 output per sample · 20 samples")
               w1      w2      b         (its parameters, up to PARAMETERS_LISTED, in bands
        data   -3.0    1.0     6.881      of PARAMETER_COLUMNS)
        grad   1.0     0.5 (1 of 2 uses)  0.5
        dot → tanh · 3 parameters        (its operations for one sample)

    :meth:`slots` says which texts of the rendered box the stepper page changes.
    """

    def __init__(self, b: Texts, s: Scope) -> None:
        p = b.p
        self.b, self.scope = b, s
        self.members = [n for n in p.order if p.group.get(n) is s]
        self.inside = set(self.members)
        self.outputs = [n for n in self.members if n is p.root
                        or any(u not in self.inside for u in p.users.get(n, ()))]
        self.output = self.outputs[0] if len(self.outputs) == 1 else None
        params = [n for n in self.members if p.roles[n] == "parameter"]
        ordered = [w for n in self.members if n._prev and n._op == DOT
                   for w in dot_weights(n) if w in self.inside and p.roles[w] == "parameter"]
        self.params = list(dict.fromkeys([*ordered, *params]))
        self.listed = self.params if len(self.params) <= PARAMETERS_LISTED else []
        samples = {b.sample.get(n, 0) for n in self.members if n._prev}
        self.samples = max(len(samples), 1)
        first = min(samples, default=0)
        self.ops = [op_symbol(n._op) for n in self.members
                    if n._prev and b.sample.get(n, 0) == first]

    def short(self, n: Value) -> str:
        """A parameter's name inside the box: ``w1`` for ``L1.N2.w1`` in neuron L1.N2."""
        name = self.b.names[n]
        prefix = short_name(self.scope)
        if prefix and name.startswith(prefix + "."):
            name = name[len(prefix) + 1:]
        return name.replace("\n", " ")

    def summary(self) -> str:
        """The box's last line: its operations (one sample's) and how many parameters."""
        per = " per sample" if self.samples > 1 else ""
        ops = " → ".join(self.ops) if len(self.ops) <= 3 else f"{len(self.ops)} operations{per}"
        k = len(self.params)
        return f"{ops or 'no operation'} · {k} parameter{'s' if k != 1 else ''}"

    def outputs_text(self) -> str:
        """``1 output per sample · 20 samples`` (or ``2 outputs``) for a box without ``out``."""
        k = len(self.outputs) // self.samples if len(self.outputs) % self.samples == 0 \
            else len(self.outputs)
        word = f"{k} output{'s' if k != 1 else ''}"
        if self.samples > 1 and k * self.samples == len(self.outputs):
            return f"{word} per sample · {self.samples} samples"
        return word

    def bands(self) -> list[list[Value]]:
        """The listed parameters in runs of at most :data:`PARAMETER_COLUMNS` (one band each)."""
        k = PARAMETER_COLUMNS
        return [self.listed[i:i + k] for i in range(0, len(self.listed), k)]

    def rows(self) -> list[str]:
        """Each band's rows of cells: the names, ``data`` and (with grads) ``grad``."""
        b = self.b
        width = min(len(self.listed), PARAMETER_COLUMNS)
        heads = ["", "data", "grad"] if b.show_grads else ["", "data"]
        out = []
        for band in self.bands():
            pad = "<TD></TD>" * (width - len(band))
            for head in heads:
                texts = [self.short(n) if not head else b.data_of(n) if head == "data"
                         else b.grad_of(n) for n in band]
                first = f'<TD ALIGN="LEFT">{head}{GAP}</TD>' if head else "<TD></TD>"
                cells = "".join(f"<TD>{escape(t)}{GAP}</TD>" for t in texts)
                out.append(f"<TR>{first}{cells}{pad}</TR>")
        return out

    def label(self) -> str:
        """The HTML-like label (texts from the builder's current data/grad texts)."""
        b = self.b
        span = f' COLSPAN="{min(len(self.listed), PARAMETER_COLUMNS) + 1}"' if self.listed else ""
        rows = [f"<TR><TD{span}><B>{escape(self.scope.title)}</B></TD></TR>"]
        if self.output is not None:
            text = f"out {b.data_of(self.output)}"
            if b.show_grads:
                text += f"  ·  grad {b.grad_of(self.output)}"
        else:
            text = self.outputs_text()
        rows.append(f"<TR><TD{span}>{escape(text)}</TD></TR>")
        rows += self.rows()
        rows.append(f"<TR><TD{span}>{escape(self.summary())}</TD></TR>")
        return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="2" '
                f'ROWS="*" COLOR="{RULE}">{"".join(rows)}</TABLE>>')

    def slots(self) -> dict[str, int]:
        """Text slots of the rendered box, as positions from its last text: ``out`` and,
        per listed parameter, ``<id>.data`` and ``<id>.grad`` (``<id>`` is its node id).

        From the end: the summary; then each band from the last, its ``grad`` row, its
        ``data`` row (each a heading and one text per parameter) and its names row.
        """
        out: dict[str, int] = {}
        k = -2     # the summary is the last text
        for band in reversed(self.bands()):
            rows = ["grad", "data"] if self.b.show_grads else ["data"]
            for row in rows:
                for n in reversed(band):
                    out[f"{self.b.ids[n]}.{row}"] = k
                    k -= 1
                k -= 1          # the row's heading
            k -= len(band)      # the names
        if self.output is not None:
            out["out"] = k
        return out
