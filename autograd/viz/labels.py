"""Text and colours of the diagram: HTML-like Graphviz labels, escaped, and the palette.

Graphviz HTML-like labels (``label=<…>``) show any text literally once it is
HTML-escaped: ``{ } | < > " \\`` and Unicode need no special care, unlike record
labels.  Newlines become ``<BR/>``; other control characters are shown as ``\\xNN``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

__all__ = ["COLORS", "FORMATS", "HIGHLIGHT", "OP_SYMBOLS", "cell_table", "escape", "number_format",
           "op_symbol"]

HIGHLIGHT = "#e11d48"
"""Outline colour of highlighted nodes and edges (rose)."""

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}
"""File extensions ``Diagram.save`` understands, and the format each one means."""

COLORS = {
    "input": "#dbeafe",         # blue: leaves you differentiate with respect to
    "parameter": "#dcfce7",     # green: weights and biases
    "constant": "#f1f5f9",      # grey: numbers that need no gradient
    "intermediate": "#ffffff",  # white: results of operations
    "output": "#fde68a",        # amber: the root
    "group": "#ede9fe",         # violet: a collapsed neuron or layer
    "op": "#e2e8f0",            # the small operation circles
}
"""Fill colour of each node role."""

INK = "#334155"       # outlines and text
RULE = "#94a3b8"      # lines between the cells of a box and cluster frames

OP_SYMBOLS = {"*": "×", "-": "−", "/": "÷", "neg": "−", "sigmoid": "σ", "pow": "**"}
"""How op circles show an op (others show the op itself: ``+``, ``tanh``, ``**2``)."""


def escape(text: str) -> str:
    """``text`` safe inside an HTML-like label: entities, ``<BR/>``, no control characters."""
    out = []
    for ch in str(text):
        if ch == "\n":
            out.append("<BR/>")
        elif ord(ch) < 32 or 127 <= ord(ch) < 160:
            out.append(html.escape(f"\\x{ord(ch):02x}"))
        else:
            out.append(html.escape(ch, quote=True))
    return "".join(out)


def op_symbol(op: str) -> str:
    """The text in an op circle, e.g. ``×`` for ``*``."""
    return OP_SYMBOLS.get(op, op)


def number_format(spec: str | None) -> Callable[[object], str]:
    """A function formatting numbers with ``spec`` (e.g. ``".4f"``); None: the explainer's.

    Gradients that are Values (``create_graph=True``) are shown by their number.
    """
    from ..explainer.textview import fmt

    if spec is not None:
        try:
            format(1.5, spec)
        except (ValueError, TypeError):
            raise ValueError(f"fmt must be a format spec for numbers such as '.4f' or "
                             f"'.3g', got {spec!r}") from None

    def show(x: object) -> str:
        x = getattr(x, "data", x)
        if spec is None or not isinstance(x, (int, float)):
            return fmt(x)
        return format(x, spec)

    return show


def cell_table(cells: Sequence[str], bold_first: bool = True, vertical: bool = False) -> str:
    """An HTML-like label: one row (or column) of already escaped cells, ruled apart."""
    tds = [f"<TD>{'<B>' + c + '</B>' if bold_first and i == 0 else c}</TD>"
           for i, c in enumerate(cells)]
    rows = "".join(f"<TR>{td}</TR>" for td in tds) if vertical else f"<TR>{''.join(tds)}</TR>"
    rules = "ROWS" if vertical else "COLUMNS"
    return (f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3" '
            f'{rules}="*" COLOR="{RULE}">{rows}</TABLE>>')
