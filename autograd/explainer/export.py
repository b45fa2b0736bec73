"""Markdown and LaTeX for slides and handouts: the trace table and a stepping run.

Every piece of text (names, formulas, numbers) goes through :func:`markdown_escape`
or :func:`latex_escape`, so a label such as ``a_1|*$%`` prints as itself and can
never break the table or the document.  LaTeX output uses only standard commands
(``tabular``, ``description``, ``itemize``, math mode for ∂, ·, −, Σ …); other
non-ASCII letters are kept (compile with XeLaTeX or LuaLaTeX, or pdfLaTeX with
``inputenc``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

__all__ = ["latex_escape", "markdown_escape", "steps_latex", "steps_markdown", "table_latex",
           "table_markdown"]

_MD_SPECIAL = set("\\`*_[]<>|~$&!")   # what Markdown reads anywhere in a line
_MD_START = re.compile(r"\d+(?=[.)])|(?=[-+#=])")   # … and at its start (lists, headings)

_LATEX = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
    "^": r"\textasciicircum{}", "_": r"\_", "~": r"\textasciitilde{}", "%": r"\%",
    "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}",
    "·": r"$\cdot$", "∂": r"$\partial$", "−": r"$-$", "Σ": r"$\Sigma$", "×": r"$\times$",
    "→": r"$\rightarrow$", "…": r"\ldots{}", "²": r"$^{2}$", "³": r"$^{3}$", "σ": r"$\sigma$",
    "√": r"$\surd$", "≤": r"$\leq$", "≥": r"$\geq$", "∞": r"$\infty$", "±": r"$\pm$",
    "├": "|", "└": "`", "─": "-", "│": "|", "÷": r"$\div$", "Δ": r"$\Delta$",
}


def markdown_escape(text: str, start: bool = True) -> str:
    """``text`` shown literally in Markdown: the characters Markdown (or a pipe table)
    reads anywhere are backslash-escaped, and so is a list or heading marker at the start
    (``start=False`` for a table cell, where none can be).

    >>> markdown_escape('a_1 | *b*'), markdown_escape('-x.grad'), markdown_escape('1. a')
    ('a\\\\_1 \\\\| \\\\*b\\\\*', '\\\\-x.grad', '1\\\\. a')
    """
    out = "".join(f"\\{ch}" if ch in _MD_SPECIAL else ch for ch in text)
    m = _MD_START.match(out) if start else None
    return out if m is None else f"{out[:m.end()]}\\{out[m.end():]}"


def latex_escape(text: str) -> str:
    """``text`` shown literally in LaTeX: ``\\ { } $ & # ^ _ ~ % < > |`` escaped, the
    math symbols the explainer prints (∂ · − Σ × → …) written in math mode.

    >>> latex_escape('a_1 & 50%')
    'a\\\\_1 \\\\& 50\\\\%'
    """
    return "".join(_LATEX.get(ch, ch) for ch in text)


class _Step(Protocol):
    @property
    def sentence(self) -> str: ...


def table_markdown(header: Sequence[str], rows: Sequence[Sequence[str] | None],
                   gap: str) -> str:
    """A pipe table; a ``None`` row becomes a row holding ``gap`` (``… N more nodes …``)."""
    n = len(header)
    out = ["| " + " | ".join(markdown_escape(h, False) for h in header) + " |",
           "|" + "|".join("---:" if h in ("#", "data", "grad") else "---" for h in header) + "|"]
    for r in rows:
        cells = [markdown_escape(c, False) for c in r] if r is not None else \
            ["", markdown_escape(gap, False)] + [""] * (n - 2)
        out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def table_latex(header: Sequence[str], rows: Sequence[Sequence[str] | None], gap: str) -> str:
    """A ``tabular`` with a rule under the header; a ``None`` row spans ``gap``."""
    spec = "".join("r" if h in ("#", "data", "grad") else "l" for h in header)
    out = [f"\\begin{{tabular}}{{{spec}}}",
           " & ".join(f"\\textbf{{{latex_escape(h)}}}" for h in header) + r" \\", r"\hline"]
    for r in rows:
        if r is None:
            out.append(f"\\multicolumn{{{len(header)}}}{{c}}{{{latex_escape(gap)}}} \\\\")
        else:
            out.append(" & ".join(latex_escape(c) for c in r) + r" \\")
    out.append(r"\end{tabular}")
    return "\n".join(out) + "\n"


def _outline(sentence: str) -> tuple[str, list[tuple[int, str]]]:
    """A step's first line, and its other lines with their depth (two spaces a level)."""
    first, *rest = sentence.splitlines()
    lines = []
    for ln in rest:
        stripped = ln.lstrip(" ")
        lines.append((max((len(ln) - len(stripped)) // 2 - 1, 0), stripped))
    return first, lines


def steps_markdown(steps: Sequence[_Step]) -> str:
    """Each step as a bold heading line and a (nested) bullet list of its chain-rule lines."""
    out: list[str] = []
    for s in steps:
        first, lines = _outline(s.sentence)
        label, _, rest = first.partition("  ")
        out.append(f"**{markdown_escape(label)}** {markdown_escape(rest.strip())}")
        out.append("")
        out += [f"{'  ' * depth}- {markdown_escape(text)}" for depth, text in lines]
        out.append("")
    return "\n".join(out)


def steps_latex(steps: Sequence[_Step]) -> str:
    """A ``description`` list: one item per step, its lines in nested ``itemize`` lists."""
    out = [r"\begin{description}"]
    for s in steps:
        first, lines = _outline(s.sentence)
        label, _, rest = first.partition("  ")
        out.append(f"\\item[{{{latex_escape(label)}}}] {latex_escape(rest.strip())}")
        depth = -1
        for d, text in lines:
            while depth < d:
                out.append(r"\begin{itemize}")
                depth += 1
            while depth > d:
                out.append(r"\end{itemize}")
                depth -= 1
            out.append(f"\\item {latex_escape(text)}")
        while depth >= 0:
            out.append(r"\end{itemize}")
            depth -= 1
    out.append(r"\end{description}")
    return "\n".join(out) + "\n"
