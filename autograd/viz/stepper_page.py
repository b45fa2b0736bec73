"""The backprop stepper page: ONE self-contained HTML file replaying backward().

The graph is laid out once by Graphviz ``dot`` (with every box sized for its final
gradient, so nothing moves between frames) and inlined as SVG.  Frame k shows the
graph after k steps of :func:`autograd.explainer.backward_steps`: the current node
outlined, the edges its gradient flows along animated, each gradient as ``?`` (not
reached), ``0.5…`` (still accumulating) or ``0.5`` (final), and the chain-rule
sentence of the step.  Buttons, a slider and the arrow keys move between frames.
No fonts, scripts or images are loaded from anywhere: the page works offline.

The steps run on the real graph; afterwards every gradient is put back exactly as
it was, so ``save_stepper`` leaves the user's graph unchanged.
"""

from __future__ import annotations

import html
import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..engine import Value
from ..explainer.steps import Step, backward_steps
from ..explainer.textview import names
from .dot import _Builder, load_diagram
from .labels import COLORS, number_format
from .model import HasParameters, plan
from .page_assets import CSS, JS

__all__ = ["save_stepper", "stepper_html"]


def save_stepper(root: Value, path: str | os.PathLike[str], *, grad: float = 1.0,
                 title: str | None = None, rankdir: str = "LR", fmt: str | None = None,
                 params: Iterable[Value] | HasParameters | None = None, max_nodes: int = 300,
                 interval_ms: int = 1500) -> Path:
    """Write the stepper page of ``root``'s backward pass to ``path`` (an ``.html`` file).

    One frame per step of :func:`autograd.explainer.backward_steps` plus the start.
    ``title`` heads the page (default: the root's name); ``interval_ms`` is the
    pace of *play*; ``fmt``, ``rankdir`` and ``params`` are as for
    :func:`~autograd.viz.draw_graph`.  The graph's gradients are left exactly as
    they were (the steps run on the real graph, then every grad is restored).
    Raises :class:`~autograd.viz.model.GraphTooLarge` beyond ``max_nodes`` boxes.
    """
    target = Path(path)
    target.write_text(stepper_html(root, grad=grad, title=title, rankdir=rankdir, fmt=fmt,
                                   params=params, max_nodes=max_nodes,
                                   interval_ms=interval_ms),
                      encoding="utf-8")
    return target


def stepper_html(root: Value, *, grad: float = 1.0, title: str | None = None,
                 rankdir: str = "LR", fmt: str | None = None,
                 params: Iterable[Value] | HasParameters | None = None, max_nodes: int = 300,
                 interval_ms: int = 1500) -> str:
    """The stepper page as a string (see :func:`save_stepper`)."""
    if rankdir not in ("LR", "TB", "RL", "BT"):
        raise ValueError(f"rankdir must be LR, TB, RL or BT, got {rankdir!r}")
    if not isinstance(interval_ms, int) or interval_ms < 50:
        raise ValueError(f"interval_ms must be an int >= 50, got {interval_ms!r}")
    number = number_format(fmt)
    p = plan(root, params=params, max_nodes=max_nodes)
    cls = load_diagram()
    steps = _run_steps(root, grad)
    widest: dict[Value, str] = {}   # size each box for the longest text its grad shows
    for s in steps:
        for node, value in [(s.node, s.grad), *((t.child, t.grad_after) for t in s.terms)]:
            text = number(value) + "…"
            if len(text) > len(widest.get(node, "")):
                widest[node] = text
    builder = _Builder(p, cls, number, show_grads=True, edge_labels=None, clusters=True,
                       grad_text=widest)
    diagram = builder.build(rankdir, None, "svg")
    diagram.node_attr["fontsize"] = "14"      # read from the back of a classroom
    ids, shown = builder.ids, names(root)
    svg = _inline_svg(diagram.svg(), {ids[n]: shown[n] for n in p.order})
    data = {
        "nodes": [ids[n] for n in p.order if n.requires_grad],
        "start": _start_sentence(shown[root], number(grad), len(steps)),
        "interval": interval_ms,
        "steps": [_frame(s, ids, builder.index, number) for s in steps],
    }
    heading = title if title is not None else f"Backpropagation through {shown[root]}"
    return _page(heading, svg, data)


def _run_steps(root: Value, grad: float) -> list[Step]:
    """Every step of the backward pass; the gradients are restored afterwards."""
    from .. import graph
    saved = [(n, n.grad) for n in graph.topo_order(root)]
    try:
        return list(backward_steps(root, grad))
    finally:
        for n, g in saved:
            n.grad = g


def _frame(s: Step, ids: dict[Value, str], index: dict[Value, int],
           number: Any) -> dict[str, Any]:
    """One step as data: the node, what it sets, the edges the gradient flows along."""
    nid = ids[s.node]
    i = index[s.node]
    updates = [[ids[t.child], number(t.grad_after)] for t in s.terms if t.updated]
    edges = [f"e{i}_{t.index}" for t in s.terms if t.updated]
    if s.node._prev:
        edges.append(f"e{i}op")
    return {"node": nid, "op": nid + "op" if s.node._prev else None, "name": s.name,
            "sentence": s.sentence, "set": [[nid, number(s.grad)], *updates], "edges": edges}


def _start_sentence(root: str, grad: str, total: int) -> str:
    return (f"Forward pass done: every node holds its data, no gradient yet.\n"
            f"Backpropagation starts at the output: {root}.grad = {grad} "
            f"(∂{root}/∂{root} = 1), then visits {total} nodes from the output back to "
            "the inputs.\nPress Next, → or Play.")


_TITLE = re.compile(r'(<g id="([^"]+)" class="(?:node|edge)[^"]*">\s*<title>)(.*?)(</title>)',
                    re.DOTALL)


def _inline_svg(svg: str, tooltips: dict[str, str]) -> str:
    """dot's SVG ready to inline: no XML prolog, scalable, node titles = display names."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg role="img" '
                 'aria-label="computation graph"', svg, count=1)
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.DOTALL)

    def title(m: re.Match[str]) -> str:
        gid = m.group(2)
        text = tooltips.get(gid) or tooltips.get(gid.removesuffix("op"), "")
        if gid.endswith("op") and text:
            text = f"operation of {text}"
        return m.group(1) + html.escape(text) + m.group(4)

    return _TITLE.sub(title, svg)


def _page(heading: str, svg: str, data: dict[str, Any]) -> str:
    payload = json.dumps(data, ensure_ascii=False).replace("&", "\\u0026") \
        .replace("<", "\\u003c").replace(">", "\\u003e")
    legend = "".join(
        f'<span><span class="swatch" style="background:{COLORS[k]}"></span>{label}</span>'
        for k, label in [("input", "input"), ("parameter", "parameter"),
                         ("intermediate", "operation result"), ("output", "output")])
    legend += ('<span><span class="swatch" style="border-color:#e11d48"></span>current node'
               '</span><span><span class="swatch" style="border-color:#f59e0b"></span>'
               'gradient just updated</span><span>grad ? = not reached · 0.5… = still '
               'adding up · <b>0.5</b> = final</span>')
    h = html.escape(heading)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{h}</title>
<style>{CSS}</style>
</head>
<body>
<header><h1>{h}</h1><p>Backpropagation, one node at a time: each step applies the chain
rule <b>child.grad += ∂node/∂child · node.grad</b>.</p></header>
<section id="graph">{svg}</section>
<section id="panel">
<div id="status"><span id="counter">Step 0</span><span id="current"></span></div>
<pre id="sentence" aria-live="polite"></pre>
<div class="controls">
<button id="reset" type="button" title="Home">↺ Reset</button>
<button id="prev" type="button" title="←">◀ Previous</button>
<button id="play" type="button" title="Space" aria-pressed="false">▶ Play</button>
<button id="next" type="button" title="→">Next ▶</button>
<input id="slider" type="range" min="0" max="{len(data["steps"])}" value="0" step="1"
 aria-label="step">
</div>
<div class="legend">{legend}</div>
</section>
<script type="application/json" id="stepper-data">{payload}</script>
<script>{JS}</script>
</body>
</html>
"""
