"""The inline CSS and icons of the backprop stepper page (no network, no fonts).

The page fills the window: a header, the graph panel (the rest of the height),
and below it the controls, the sentence and the legend, never taller than 42 % of
the window (a long sentence scrolls inside its box), so the controls never leave
the screen.  Icons are drawn with CSS borders, so no symbol font is needed (and
the page holds one SVG: the graph).  The palette is Okabe–Ito; the current node is
also marked by a thick outline and updated ones by a dashed outline, not by hue
alone.  The script is in :mod:`autograd.viz.page_script`.
"""

from .labels import HIGHLIGHT, INK, UPDATED

__all__ = ["CSS", "ICONS"]


def _icon(name: str) -> str:
    return f'<span class="icon i-{name}" aria-hidden="true"></span>'


ICONS = {name: _icon(name) for name in ("play", "pause", "next", "prev", "first")}
ICONS["play"] += ICONS.pop("pause")
ICONS |= {"plus": "+", "minus": "−"}
"""The controls' icons: shapes drawn by CSS borders (no image, no symbol font)."""

CSS = f"""
:root {{ --ink:{INK}; --muted:#4b5563; --current:{HIGHLIGHT}; --updated:{UPDATED};
         --pending:#8a5300; --bg:#ffffff; --panel:#f7f7f7; }}
* {{ box-sizing: border-box; }}
html, body {{ height:100%; margin:0; overflow:hidden; }}
body {{ display:flex; flex-direction:column; height:100vh; height:100dvh;
       font-family: system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color:var(--ink); background:var(--bg); font-size:18px; }}
header {{ flex:none; padding:8px 20px 4px; display:flex; gap:20px; align-items:baseline;
          flex-wrap:wrap; }}
h1 {{ font-size:24px; margin:0; white-space:nowrap; overflow:hidden; text-overflow:ellipsis;
      max-width:100%; }}
header p {{ margin:0; color:var(--muted); font-size:18px; }}
#graph {{ flex:1 1 auto; min-height:120px; position:relative; overflow:hidden;
          margin:0 12px; border:1px solid #d4d4d4; border-radius:10px; touch-action:none;
          cursor:grab; background:#fff; }}
#graph.dragging {{ cursor:grabbing; }}
#graph:focus-visible {{ outline:3px solid var(--current); outline-offset:-3px; }}
#graph-svg {{ position:absolute; inset:0; width:100%; height:100%; display:block;
              user-select:none; -webkit-user-select:none; }}
.zoom {{ position:absolute; top:8px; right:8px; display:flex; gap:6px; align-items:center;
         background:rgba(255,255,255,.92); border:1px solid #d4d4d4; border-radius:10px;
         padding:4px 6px; }}
.zoom button {{ min-width:0; padding:4px 10px; font-size:18px; }}
#scale {{ font-size:16px; min-width:3.6em; text-align:center;
          font-variant-numeric: tabular-nums; }}
#panel {{ flex:none; display:flex; flex-direction:column; max-height:42vh;
          padding:8px 20px 10px; gap:6px; }}
.controls {{ flex:none; display:flex; gap:10px; align-items:center; flex-wrap:wrap; }}
button {{ font:inherit; font-size:19px; padding:7px 14px; border-radius:8px;
          border:2px solid var(--ink); background:#eeeeee; color:var(--ink); cursor:pointer;
          display:inline-flex; gap:8px; align-items:center; line-height:1.1; }}
button:hover:not(:disabled) {{ background:#e0e0e0; }}
button:focus-visible, input:focus-visible {{ outline:3px solid var(--current);
                                            outline-offset:2px; }}
button:disabled {{ opacity:.45; cursor:default; }}
#play {{ background:var(--ink); color:#fff; min-width:6.2em; justify-content:center; }}
.icon {{ display:inline-block; flex:none; position:relative; }}
.i-play, .i-next {{ border-style:solid; border-width:7px 0 7px 12px;
                    border-color:transparent transparent transparent currentColor; }}
.i-prev {{ border-style:solid; border-width:7px 12px 7px 0;
           border-color:transparent currentColor transparent transparent; }}
.i-pause {{ width:12px; height:14px; border-left:4px solid currentColor;
            border-right:4px solid currentColor; }}
.i-first {{ width:14px; height:14px; }}
.i-first::before {{ content:""; position:absolute; left:0; top:0; width:3px; height:14px;
                    background:currentColor; }}
.i-first::after {{ content:""; position:absolute; left:3px; top:0; border-style:solid;
                   border-width:7px 11px 7px 0;
                   border-color:transparent currentColor transparent transparent; }}
#play .i-pause, #play[aria-pressed="true"] .i-play {{ display:none; }}
#play[aria-pressed="true"] .i-pause {{ display:inline-block; }}
#slider {{ flex:1 1 160px; min-width:120px; height:28px; accent-color:var(--current); }}
#counter {{ font-weight:700; font-size:20px; white-space:nowrap;
            font-variant-numeric: tabular-nums; }}
#status {{ flex:none; min-height:1.2em; }}
#current {{ font-weight:700; font-size:19px; }}
#sentence {{ flex:0 1 auto; min-height:2.2em; overflow:auto; margin:0;
             font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:18px;
             line-height:1.4; background:var(--panel); border:2px solid #cccccc;
             border-radius:10px; padding:8px 14px; white-space:pre-wrap; }}
.legend {{ flex:none; display:flex; gap:6px 16px; flex-wrap:wrap; color:var(--muted);
           font-size:15px; }}
.swatch {{ display:inline-block; width:16px; height:16px; border-radius:4px;
           vertical-align:-2px; margin-right:6px; border:2px solid var(--ink); }}
.swatch.mark-current {{ border-width:4px; }}
.swatch.mark-updated {{ border-style:dashed; border-width:3px; }}
.node.current > path:first-of-type, .node.current > ellipse {{
  stroke:var(--current); stroke-width:6px; }}
.node.updated > path:first-of-type, .node.updated > ellipse {{ stroke:var(--updated);
  stroke-width:3.5px; stroke-dasharray:7 4; }}
.node text.data-pending, .node text.grad-waiting {{ fill:#6b7280; }}
.node text.data-updated {{ fill:var(--updated); }}
.node text.grad-pending {{ fill:var(--pending); font-style:italic; }}
.node text.grad-final {{ fill:var(--ink); }}
.edge.flow > path {{ stroke:var(--current); stroke-width:3px; stroke-dasharray:9 6;
                     animation: flow 0.9s linear infinite; }}
.edge.flow > polygon {{ stroke:var(--current); fill:var(--current); }}
@keyframes flow {{ to {{ stroke-dashoffset: -30; }} }}
@media (prefers-reduced-motion: reduce) {{ .edge.flow > path {{ animation:none; }} }}
@media (max-height: 640px) {{ header p {{ display:none; }} .legend {{ display:none; }} }}
"""
