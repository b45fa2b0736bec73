"""Text and colours of the diagram: HTML-like Graphviz labels, escaped, and the palette.

Graphviz HTML-like labels (``label=<…>``) show any text literally once it is
HTML-escaped: ``{ } | < > " \\`` and Unicode need no special care, unlike record
labels.  Newlines become ``<BR/>``; other control characters are shown as ``\\xNN``.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable, Iterable, Sequence

__all__ = ["COLORS", "EDGE", "FORMATS", "HIGHLIGHT", "LABEL_LIMIT", "OKABE_ITO",
           "UPDATED", "cell_table", "constant_texts", "escape", "number_format", "op_symbol",
           "plain", "shorten"]

OKABE_ITO = {
    "orange": "#e69f00", "sky_blue": "#56b4e9", "bluish_green": "#009e73",
    "yellow": "#f0e442", "blue": "#0072b2", "vermillion": "#d55e00",
    "reddish_purple": "#cc79a7", "black": "#000000",
}
"""The Okabe–Ito palette: eight colours told apart with every common colour-vision
deficiency.  Box fills are light tints of these hues; outlines use them at full strength."""

HIGHLIGHT = OKABE_ITO["vermillion"]
"""Outline colour of highlighted nodes and edges (and of the stepper's current node)."""

UPDATED = OKABE_ITO["blue"]
"""Outline colour of nodes whose gradient the current step changed (drawn dashed)."""

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf", ".dot": "dot", ".gv": "dot"}
"""File extensions ``Diagram.save`` understands, and the format each one means."""

COLORS = {
    "input": "#cce8f8",         # sky blue tint: leaves you differentiate with respect to
    "parameter": "#bfe7dc",     # bluish green tint: weights and biases
    "constant": "#eeeeee",      # grey: numbers that need no gradient
    "intermediate": "#ffffff",  # white: results of operations
    "output": "#f8f3aa",        # yellow tint: the root
    "group": "#f2dee9",         # reddish purple tint: a collapsed neuron or layer
    "op": "#e6e6e6",            # the small operation circles
}
"""Fill colour of each node role (tints of the Okabe–Ito hues: dark text stays legible)."""

INK = "#1f2937"       # outlines and text
RULE = "#8c96a3"      # lines between the cells of a box and cluster frames
EDGE = "#4b5563"      # edges and their labels

LABEL_LIMIT = 120
"""Longest text shown in a box: longer labels are shortened visibly (``…+N characters``)."""

"""How op circles show an op (others show the op itself: ``+``, ``tanh``, ``**2``)."""


def shorten(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` cut to about ``limit`` characters, saying how much was left out.

    >>> shorten("a" * 200, 20)
    'aaaaaaaaaaaa…+188 characters'
    """
    text = str(text)
    if len(text) <= limit:
        return text
    keep = max(limit - 8, 1)
    return f"{text[:keep]}…+{len(text) - keep} characters"


def _visible(ch: str) -> str | None:
    """A control character as visible text (``\\x00``), else None."""
    code = ord(ch)
    if code < 32 or 127 <= code < 160 or ch in "\u2028\u2029" or 0x202A <= code <= 0x202E \
            or 0x2066 <= code <= 0x2069:
        return f"\\x{code:02x}" if code < 256 else f"\\u{code:04x}"
    return None


def plain(text: str) -> str:
    """``text`` for a quoted Graphviz attribute (a tooltip): shortened, control characters
    shown as ``\\xNN`` and backslashes doubled (``\\N`` would expand to the node name)."""
    out = []
    for ch in shorten(text):
        shown = _visible(ch)
        out.append(shown if shown is not None else ch)
    return "".join(out).replace("\\", "\\\\")


def escape(text: str, limit: int = LABEL_LIMIT) -> str:
    """``text`` safe inside an HTML-like label: entities, ``<BR/>``, no control characters.

    Text longer than ``limit`` characters is shortened (:func:`shorten`): Graphviz
    fails on labels of a million characters.  Bidirectional controls (U+202E …) are
    shown as ``\\u202e`` so they cannot reverse the text around them.
    """
    out = []
    for ch in shorten(text, limit):
        if ch == "\n":
            out.append("<BR/>")
        elif (shown := _visible(ch)) is not None:
            out.append(html.escape(shown))
        else:
            out.append(html.escape(ch, quote=True))
    return "".join(out)


def op_symbol(op: str) -> str:
    """The text in an op circle: the op row's ``glyph`` (``×`` for ``*``, ``σ`` for sigmoid)."""
    return getattr(op, "glyph", None) or str(op)


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


def _sig(x: float, digits: int) -> str:
    s = f"{x:.{digits}g}"
    return s + ".0" if s.lstrip("-").isdigit() else s


def constant_texts(values: Iterable[float], exact_digits: int = 10) -> dict[float, str]:
    """How each constant is shown: with the precision needed to tell it apart.

    A number whose shortest exact form has at most ``exact_digits`` significant
    digits is shown exactly (``1.0001``, not the explainer's ``1.0``); others get
    4 significant digits, more where two constants would otherwise look alike.

    >>> constant_texts([1.0001, 2.0, 1 / 3, 0.33334])
    {1.0001: '1.0001', 2.0: '2.0', 0.3333333333333333: '0.3333', 0.33334: '0.33334'}
    """
    out: dict[float, str] = {}
    rest: list[float] = []
    order = list(dict.fromkeys(float(x) for x in values))
    for v in order:
        exact = repr(v)
        sig = len(exact.lstrip("-").split("e")[0].replace(".", "").strip("0"))
        if sig <= exact_digits or not math.isfinite(v):
            out[v] = exact
        else:
            rest.append(v)
    digits = {v: 4 for v in rest}
    while rest:
        shown = {v: _sig(v, d) for v, d in digits.items()}
        taken: dict[str, int] = {}
        for t in [*shown.values(), *out.values()]:
            taken[t] = taken.get(t, 0) + 1
        clash = [v for v in rest if taken[shown[v]] > 1 and digits[v] < 17]
        if not clash:
            break
        for v in clash:
            digits[v] += 1
    every = out | {v: _sig(v, d) for v, d in digits.items()}
    return {v: every[v] for v in order}
