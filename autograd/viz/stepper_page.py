"""The backprop stepper page: ONE self-contained HTML file replaying a lesson.

The graph is laid out once by Graphviz ``dot`` (every box sized for the widest
text it will show, so nothing moves between frames) and inlined as SVG.  The
frames are those of :class:`~autograd.viz.scenes.Scenes`: the forward pass
(optional), the backward pass a node, neuron or layer at a time, and the update
(optional).  The page fills the window: the graph on top (zoom with the wheel, a
pinch or ``+``/``-``; drag to pan; ``0`` or Fit shows all of it; the current node
is always scrolled into view), the controls and the chain-rule sentence below
(long sentences scroll inside their panel, so the controls never leave the
screen).  No fonts, scripts or images are loaded from anywhere: the page works
offline.  The graph's gradients are left exactly as they were.
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
from ..explainer import names
from ..validate import count
from .labels import COLORS, HIGHLIGHT, UPDATED, shorten
from .model import HasParameters
from .page_assets import CSS, ICONS
from .page_script import JS
from .process import DEFAULT_TIMEOUT
from .quiz_assets import CSS as QUIZ_CSS
from .quiz_assets import JS as QUIZ_JS
from .scenes import Scenes

__all__ = ["save_stepper", "stepper_html"]


def save_stepper(root: Value, path: str | os.PathLike[str], *, by: str = "node",
                 collapse: str | int | None = None, forward: bool = True, update: Any = None,
                 grad: float = 1.0, title: str | None = None, rankdir: str = "LR",
                 fmt: str | None = None, params: Iterable[Value] | HasParameters | None = None,
                 max_nodes: int = 300, max_edges: int = 1500, interval_ms: int = 1500,
                 timeout: float | None = DEFAULT_TIMEOUT) -> Path:
    """Write the stepper page of ``root``'s backward pass to ``path`` (an ``.html`` file).

    * ``by``: one step per ``"node"``, ``"neuron"`` or ``"layer"`` (see
      :func:`autograd.explainer.backward_steps`);
    * ``collapse``: ``"neuron"`` or ``"layer"`` draws each as one box (as
      :func:`~autograd.viz.draw_graph`), for networks too large to draw node by node;
    * ``forward``: first replay the forward pass, values appearing in creation order
      (a layer at a time for a network);
    * ``update``: a learning rate (gradient descent) or an optimizer
      (:mod:`autograd.optim`): a last frame shows each parameter's old value, its
      change and its new value as the optimizer's next step would make them; the
      optimizer's state and the parameters are not changed.  The parameters are
      ``params``, else the weights and biases of :mod:`autograd.nn` neurons, else
      (an optimizer) the graph's leaves it holds;
    * ``title`` heads the page (default: the root's name); ``interval_ms`` is the
      pace of *Play*; ``fmt``, ``rankdir``, ``params``, ``max_nodes``, ``max_edges``
      and ``timeout`` are as for :func:`~autograd.viz.draw_graph`.

    Returns the path written, a :class:`pathlib.Path` (as ``Diagram.save`` and
    :func:`~autograd.viz.save_frames` do).  Raises
    :class:`~autograd.viz.guard.GraphTooLarge` beyond ``max_nodes`` boxes or
    ``max_edges`` edges, naming an option that works; a learning-rate ``update`` on a
    graph whose parameters are not known (not made by :mod:`autograd.nn`, no
    ``params``) is a ``ValueError`` asking for ``params``: inputs are never moved.
    """
    target = Path(path)
    text = stepper_html(root, by=by, collapse=collapse, forward=forward, update=update,
                        grad=grad, title=title, rankdir=rankdir, fmt=fmt, params=params,
                        max_nodes=max_nodes, max_edges=max_edges, interval_ms=interval_ms,
                        timeout=timeout)
    target.write_text(text, encoding="utf-8")
    return target


def stepper_html(root: Value, *, by: str = "node", collapse: str | int | None = None,
                 forward: bool = True, update: Any = None, grad: float = 1.0,
                 title: str | None = None, rankdir: str = "LR", fmt: str | None = None,
                 params: Iterable[Value] | HasParameters | None = None, max_nodes: int = 300,
                 max_edges: int = 1500, interval_ms: int = 1500,
                 timeout: float | None = DEFAULT_TIMEOUT, who: str = "save_stepper") -> str:
    """The stepper page as a string (see :func:`save_stepper`)."""
    interval = count(who, "interval_ms", interval_ms, low=50)
    scenes = Scenes(root, by=by, collapse=collapse, forward=forward, update=update, grad=grad,
                    rankdir=rankdir, fmt=fmt, params=params, max_nodes=max_nodes,
                    max_edges=max_edges, timeout=timeout, who=who)
    diagram = scenes.diagram()
    b = scenes.builder
    shown = names(root)
    tooltips = {b.ids[n]: shown[n] for n in scenes.plan.order}
    tooltips |= {gid: s.title for s, gid in b.box_ids.items()}
    slots: dict[str, dict[str, int]] = {}   # which texts of a box the page changes
    for n in scenes.plan.drawn():
        if scenes.plan.roles[n] != "constant":
            slots[b.ids[n]] = {"data": -2, "grad": -1} if n.requires_grad else {"data": -1}
    for s, gid in b.box_ids.items():
        slots[gid] = b.boxes[s].slots()
    svg = _inline_svg(diagram.svg(), tooltips, slots)
    frames = []
    for f, state in zip(scenes.frames, scenes.states()):
        sets = [[eid, *slot] for n, show in f.changes.items() for eid, slot in
                scenes.slots(n, show)]
        marks = scenes.marks(f)
        frames.append({
            "kind": f.kind, "counter": f.counter, "title": shorten(f.title),
            "sentence": f.sentence, "set": sets,
            "current": [k for k, v in marks.items() if v == "current"],
            "updated": [k for k, v in marks.items() if v == "updated"],
            "flows": [k for k, v in marks.items() if v == "flow"],
            "focus": scenes.focus(f), "ask": scenes.asks(f, state)})
    data = {"interval": interval, "frames": frames}
    heading = title if title is not None else f"Backpropagation through {shorten(shown[root])}"
    held = any(show.grad.endswith(" + ?") for show in scenes.frames[0].changes.values())
    return _page(heading, svg, data, _legend(held))


_NODE = re.compile(r'<g id="([^"]+)" class="node([^"]*)">(.*?)</g>', re.DOTALL)
_TITLE = re.compile(r'(<g id="([^"]+)" class="(?:node|edge)[^"]*">\s*<title>)(.*?)(</title>)',
                    re.DOTALL)


def _tag(m: re.Match[str], slots: dict[str, dict[str, int]]) -> str:
    """Tag the texts the page changes: ``data-slot="data|grad|out"`` (k-th text from the end)."""
    body = m.group(3)
    starts = [t.start() for t in re.finditer(r"<text ", body)]
    wanted = [(slot, starts[k]) for slot, k in slots.get(m.group(1), {}).items()
              if -len(starts) <= k]
    for slot, at in sorted(wanted, key=lambda sa: -sa[1]):   # from the end: offsets hold
        at += len("<text ")
        body = body[:at] + f'data-slot="{slot}" ' + body[at:]
    return f'<g id="{m.group(1)}" class="node{m.group(2)}">{body}</g>'


def _inline_svg(svg: str, tooltips: dict[str, str], slots: dict[str, dict[str, int]]) -> str:
    """dot's SVG ready to inline: no prolog, no fixed size, titles = display names, slots."""
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r'<svg width="[^"]*" height="[^"]*"', '<svg id="graph-svg" role="img" '
                 'aria-label="computation graph"', svg, count=1)
    svg = re.sub(r"<!--.*?-->\n?", "", svg, flags=re.DOTALL)

    def title(m: re.Match[str]) -> str:
        gid = m.group(2)
        text = tooltips.get(gid) or tooltips.get(gid.removesuffix("op"), "")
        if gid.endswith("op") and text:
            text = f"operation of {text}"
        return m.group(1) + html.escape(shorten(text)) + m.group(4)

    return _NODE.sub(lambda m: _tag(m, slots), _TITLE.sub(title, svg))


def _legend(held: bool) -> str:
    """The colours, the marks and how a gradient reads (with ``0.5 + ?`` when gradients
    were held from an earlier pass)."""
    swatches = "".join(
        f'<span><span class="swatch" style="background:{COLORS[k]}"></span>{label}</span>'
        for k, label in [("input", "input"), ("parameter", "parameter"),
                         ("intermediate", "operation result"), ("output", "output"),
                         ("group", "neuron or layer")])
    return (swatches +
            f'<span><span class="swatch mark-current" style="border-color:{HIGHLIGHT}">'
            '</span>current (thick outline)</span>'
            f'<span><span class="swatch mark-updated" style="border-color:{UPDATED}">'
            '</span>gradient just sent to it (dashed)</span>'
            '<span>grad <b>?</b> no use processed yet · <i>0.5 (1 of 2 uses)</i> pending · '
            '<b>0.5</b> final: every node that uses it is processed'
            + (' · <i>0.5 + ?</i> held from an earlier pass, this pass adds to it' if held
               else "") + '</span>')


def _page(heading: str, svg: str, data: dict[str, Any], legend: str) -> str:
    payload = json.dumps(data, ensure_ascii=False).replace("&", "\\u0026") \
        .replace("<", "\\u003c").replace(">", "\\u003e")
    h = html.escape(heading)
    last = len(data["frames"]) - 1
    icon = ICONS
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{h}</title>
<style>{CSS}{QUIZ_CSS}</style>
</head>
<body>
<header><h1>{h}</h1><p>Each step applies the chain rule:
<b>child.grad += ∂node/∂child · node.grad</b></p></header>
<section id="graph" tabindex="0"
 aria-label="graph: drag to pan, wheel or + and − to zoom, 0 to fit">
{svg}
<div class="zoom" role="group" aria-label="zoom">
<button id="zoom-out" type="button" title="Zoom out (−)"
 aria-label="zoom out">{icon["minus"]}</button>
<span id="scale" aria-live="polite">100%</span>
<button id="zoom-in" type="button" title="Zoom in (+)" aria-label="zoom in">{icon["plus"]}</button>
<button id="fit" type="button" title="Fit the whole graph (0)">Fit</button>
</div>
</section>
<section id="panel">
<div class="controls">
<button id="reset" type="button" title="Home">{icon["first"]}<span>Start</span></button>
<button id="prev" type="button" title="←">{icon["prev"]}<span>Back</span></button>
<button id="play" type="button" title="Space" aria-pressed="false">{icon["play"]}<span
 class="label">Play</span></button>
<button id="next" type="button" title="→"><span>Next</span>{icon["next"]}</button>
<input id="slider" type="range" min="0" max="{last}" value="0" step="1" aria-label="frame">
<span id="counter"></span>
</div>
<div id="status"><span id="current"></span></div>
<pre id="sentence" aria-live="polite"></pre>
<div class="legend">{legend}</div>
</section>
<script type="application/json" id="stepper-data">{payload}</script>
<script>{JS}</script>
<script>{QUIZ_JS}</script>
</body>
</html>
"""
