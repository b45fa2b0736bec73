"""HTML views for notebooks: text views, a stepping pass and the stepper, as XHTML fragments.

Jupyter shows an object's ``_repr_html_`` instead of its plain text when it has one.
The explainer's objects keep their plain-text ``repr`` for the REPL and doctests and
get a ``_repr_html_`` that calls a function here:

* :func:`text_html`: a text view: ``trace()``'s table as a ``<table>``; ``tree()``,
  ``explain()`` or a message as preformatted text; gradients not final yet
  (``(1 of 2 uses)``) in italic amber;
* :func:`step_html` / :func:`steps_html`: a step, or a list of steps, each headed by
  its first line with the chain-rule lines below;
* :func:`stepper_html`: the stepper's position as a progress bar, the step just made
  and the trace table.

Every fragment is well-formed XML (escaped text, inline styles, no scripts), so it
shows the same in JupyterLab, classic Notebook, VS Code and a sanitizing viewer.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["step_html", "stepper_html", "steps_html", "table_html", "text_html"]

MONO = ("font-family:'DejaVu Sans Mono',Menlo,Consolas,monospace;font-size:13px;"
        "line-height:1.4")
BOX = "margin:4px 0;padding:6px 10px;border-left:3px solid #94a3b8;background:#f8fafc"
PENDING = "color:#b45309;font-style:italic"
_PENDING = re.compile(r"(\(\d+ of \d+ uses?\)|(?<![\w.])-?(?:\d[\d.]*(?:e[+-]?\d+)?|inf|nan)…)")
CELL = "padding:1px 10px;border-bottom:1px solid #e2e8f0"


def _escaped(text: str) -> str:
    """``text`` escaped for HTML and XML, pending gradients (``(1 of 2 uses)``) marked."""
    out = html.escape(text, quote=True)
    return _PENDING.sub(rf'<span style="{PENDING}" title="not final yet">\1</span>', out)


def table_html(header: Sequence[str], rows: Sequence[Sequence[str] | None], gap: str = "") -> str:
    """A text table (``trace()``'s header and rows) as an HTML table; numbers right-aligned,
    a ``None`` row is the ``gap`` line (``… N more nodes …``).

    >>> table_html(["node", "data"], [("x", "2.0"), None], "… 3 more nodes …")
    '<table ...><thead><tr><th ...>node</th><th ...>data</th></tr></thead><tbody><tr>...'
    """
    numeric = [h in ("#", "data", "grad") for h in header]

    def cell(tag: str, text: str, right: bool) -> str:
        align = "right" if right else "left"
        return f'<{tag} style="{CELL};text-align:{align}">{_escaped(text)}</{tag}>'

    head = "".join(cell("th", h, r) for h, r in zip(header, numeric))
    body = []
    for row in rows:
        if row is None:
            body.append(f'<tr><td colspan="{len(header)}" style="{CELL};color:#64748b">'
                        f"{_escaped(gap)}</td></tr>")
        else:
            body.append("<tr>" + "".join(cell("td", c, r) for c, r in zip(row, numeric))
                        + "</tr>")
    return (f'<table class="autograd-table" style="{MONO};border-collapse:collapse">'
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")


def text_html(text: str) -> str:
    """A text view as HTML: a table (``trace()``) as ``<table>``, any other text as one
    ``<pre>`` block (its spacing kept); every character escaped.

    >>> text_html("a <b> 0.5 (1 of 2 uses)")
    '<pre ...>a &lt;b&gt; 0.5 <span style="..." title="not final yet">(1 of 2 uses)</span></pre>'
    """
    header, rows = getattr(text, "header", None), getattr(text, "rows", None)
    if header is not None and rows is not None:
        return table_html(header, rows, getattr(text, "gap", ""))
    return (f'<pre class="autograd-text" style="{MONO};white-space:pre;overflow-x:auto;'
            f'margin:0">{_escaped(str(text))}</pre>')


def step_html(step: Any) -> str:
    """One step (anything whose ``str()`` is its sentence): the first line bold, the rest below.

    >>> step_html("step 1/3  c = a·b\\n  a.grad += 1.0")
    '<div ...><div ...><b>step 1/3  c = a·b</b></div><pre ...>  a.grad += 1.0</pre></div>'
    """
    head, _, rest = str(step).partition("\n")
    body = (f'<pre style="{MONO};white-space:pre-wrap;margin:2px 0 0">{_escaped(rest)}</pre>'
            if rest else "")
    return (f'<div class="autograd-step" style="{BOX}"><div style="{MONO}">'
            f"<b>{_escaped(head)}</b></div>{body}</div>")


def steps_html(steps: Iterable[Any]) -> str:
    """A list of steps, one box each (its ``empty`` text, else ``(no steps)``, when empty)."""
    parts = [step_html(s) for s in steps]
    empty = _escaped(str(getattr(steps, "empty", "(no steps)")))
    inner = "".join(parts) if parts else f'<div style="{MONO}">{empty}</div>'
    return f'<div class="autograd-steps">{inner}</div>'


def stepper_html(stepper: Any) -> str:
    """A :class:`~autograd.explainer.stepper.Stepper` at its current position.

    A heading with the position (``step 2 of 5``) over a progress bar, the step just
    made (none at the start) and the trace table of ``where()``, in which a gradient
    not final yet is marked.  Reading it changes nothing (``echo`` is not triggered).
    """
    done, total = stepper.position, stepper.total
    echo = getattr(stepper, "echo", False)
    stepper.echo = False            # where() would print with echo=True
    try:
        where = str(stepper.where())
    finally:
        stepper.echo = echo
    status, _, table = where.partition("\n")
    if callable(getattr(stepper, "table", None)):   # the same table as a Table (<table>)
        table = stepper.table()
    steps = stepper.steps
    last = step_html(steps[-1]) if done and len(steps) else ""
    return (f'<div class="autograd-stepper" style="max-width:100%">'
            f'<div style="{MONO}"><b>{html.escape(repr(stepper))}</b></div>'
            f'<progress value="{done}" max="{max(total, 1)}" style="width:100%;height:10px">'
            f"{done}/{total}</progress>"
            f'<div style="{MONO};color:#475569">{_escaped(status)}</div>{last}'
            f"{text_html(table)}</div>")
