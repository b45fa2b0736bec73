"""A printable backprop worksheet: blank forward and backward tables, answer key overleaf.

:func:`save_worksheet` writes ONE HTML file (no scripts, nothing loaded from
anywhere) made for printing: the first page holds the graph as a table for the
student, with the inputs' values given and every computed value left blank
(forward pass), then every gradient ∂root/∂node left blank (backward pass, from
the output back), with the derivative rules of the ops used; the answer key
starts on a new page (``break-before: page``) with both tables filled in and the
chain-rule sentence of every step.  Open it in a browser and print (or save as
PDF).  The graph's gradients are left exactly as they were.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from .. import graph, validate
from ..engine import Value
from ..explainer import backward_steps, fmt, names
from ..explainer.textview import expression, is_constant

__all__ = ["save_worksheet", "worksheet_html"]

CSS = """
* { box-sizing: border-box; }
body { font-family: system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color:#111827;
       margin: 24px; font-size: 14px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 18px 0 6px; }
p { margin: 4px 0; }
.who { margin: 10px 0 4px; }
.who span { display:inline-block; min-width: 16em; border-bottom: 1px solid #111827; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { border: 1px solid #6b7280; padding: 4px 10px; text-align: left; }
th { background: #f3f4f6; }
td.num, td.blank, td.answer { min-width: 8em; text-align: right;
       font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
td.blank { height: 2em; }
code, .mono, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; margin: 4px 0 8px; font-size: 12px; }
ul.rules { columns: 2; margin: 4px 0; }
.key { break-before: page; page-break-before: always; }
.key h1 .tag { color: #b91c1c; }
@page { size: A4; margin: 14mm; }
@media print { body { margin: 0; } tr, pre { break-inside: avoid; } }
"""


def _cell(text: str, cls: str = "", node: str = "") -> str:
    attrs = (f' class="{cls}"' if cls else "") + (f' data-node="{html.escape(node)}"'
                                                  if node else "")
    return f"<td{attrs}>{html.escape(text)}</td>"


def _forward(order: list[Value], shown: dict[Value, str], key: bool) -> str:
    rows = []
    for k, node in enumerate(order, 1):
        name = shown[node]
        if node._prev:
            value = (_cell(fmt(node.data), "answer", name) if key
                     else _cell("", "blank", name))
            how = expression(node, shown)
        else:
            value, how = _cell(fmt(node.data), "num", name), "(given)"
        rows.append(f"<tr>{_cell(str(k))}{_cell(name, 'mono')}{_cell(how, 'mono')}{value}</tr>")
    return ('<table class="forward"><thead><tr><th>#</th><th>node</th><th>computed as</th>'
            f"<th>value</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _backward(order: list[Value], shown: dict[Value, str], grads: dict[Value, float],
              root: Value, seed: float, key: bool) -> str:
    r = shown[root]
    rows = []
    for node in reversed(order):
        if not node.requires_grad:
            continue
        name = shown[node]
        if node is root:
            cell = _cell(f"{fmt(seed)} (the seed)", "num", name)
        elif key:
            cell = _cell(fmt(grads[node]), "answer", name)
        else:
            cell = _cell("", "blank", name)
        users = ", ".join(dict.fromkeys(shown[p] for p in order if node in p._prev)) or "—"
        rows.append(f"<tr>{_cell(name, 'mono')}{_cell(users, 'mono')}{cell}</tr>")
    return (f'<table class="backward"><thead><tr><th>node</th><th>used by</th>'
            f"<th>{html.escape(f'gradient ∂{r}/∂node')}</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _rules(order: list[Value]) -> str:
    seen: dict[str, None] = {}
    for node in order:
        if node._prev:
            for rule in node._op.formulas():
                seen.setdefault(rule, None)
    items = "".join(f"<li><code>{html.escape(rule)}</code></li>" for rule in seen)
    return f'<ul class="rules">{items}</ul>'


def worksheet_html(root: Value, *, title: str | None = None, grad: float = 1.0,
                   max_nodes: int = 60) -> str:
    """The worksheet as one HTML page (see :func:`save_worksheet`)."""
    who = "save_worksheet()"
    if not isinstance(root, Value):
        raise TypeError(f"{who}: root must be a Value, got {type(root).__name__}")
    grad = validate.real(who, "grad", grad)
    max_nodes = validate.count(who, "max_nodes", max_nodes)
    if title is not None:
        validate.text(who, "title", title)
    if not root.requires_grad:
        raise ValueError(f"{who}: the root needs no gradient (made under no_grad() or from "
                         "constants only): there is no backward pass to practise")
    everything = graph.topo_order(root)
    order = [n for n in everything if not is_constant(n) or n.label]   # inputs are given
    if len(order) > max_nodes:
        raise ValueError(f"{who}: the graph has {len(order)} nodes, more than max_nodes="
                         f"{max_nodes} fit a worksheet: use a smaller graph (one neuron, a "
                         "tiny network) or pass a larger max_nodes")
    shown = names(root)
    saved = [(n, n.grad) for n in everything]
    try:
        for n in everything:
            n.grad = 0.0
        sentences = [step.sentence for step in backward_steps(root, grad)]
        grads = {n: float(n.grad.data if isinstance(n.grad, Value) else n.grad)
                 for n in order}
    finally:
        for n, g in saved:
            n.grad = g
    heading = html.escape(title if title is not None
                          else f"Backpropagation worksheet: {shown[root]}")
    r = html.escape(shown[root])
    steps = "".join(f"<pre>{html.escape(s)}</pre>" for s in sentences)
    student = (f'<section class="student"><h1>{heading}</h1>'
               '<p class="who">Name <span></span> Date <span></span></p>'
               f"<h2>1. Forward pass</h2><p>Compute every value, top to bottom. Inputs and "
               f"parameters are given.</p>{_forward(order, shown, False)}"
               f"<h2>2. Backward pass</h2><p>Fill in each gradient ∂{r}/∂node, from the output "
               f"back: a node's gradient is the sum, over the nodes that use it, of the local "
               f"derivative times their gradient.</p>"
               f"{_backward(order, shown, grads, root, grad, False)}"
               f"<h2>Rules you may need</h2>{_rules(everything)}</section>")
    answers = (f'<section class="key"><h1>{heading}: <span class="tag">answer key</span></h1>'
               f"<h2>1. Forward pass</h2>{_forward(order, shown, True)}"
               f"<h2>2. Backward pass</h2>{_backward(order, shown, grads, root, grad, True)}"
               f"<h2>The chain rule, step by step</h2>{steps}</section>")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"/>'
            f"<title>{heading}</title><style>{CSS}</style></head>"
            f"<body>{student}{answers}</body></html>\n")


def save_worksheet(root: Value, path: str | os.PathLike[str], *, title: str | None = None,
                   grad: float = 1.0, max_nodes: int = 60) -> Path:
    """Write a printable worksheet of ``root``'s graph to ``path`` (an ``.html`` file).

    Page 1, for the student: the forward table (inputs and parameters given, every
    computed value blank), the backward table (every gradient ∂root/∂node blank, the
    root's seed ``grad`` given, with the nodes that use each one) and the derivative
    rules of the ops in the graph.  From a new page on, the answer key: both tables
    filled in (4 significant digits) and the chain-rule sentence of every step.
    Print it from a browser.  The graph's gradients are left as they were; a graph
    of more than ``max_nodes`` nodes is refused (it would not fit a worksheet).
    """
    page = worksheet_html(root, title=title, grad=grad, max_nodes=max_nodes)
    target = Path(path)
    target.write_text(page, encoding="utf-8")
    return target
