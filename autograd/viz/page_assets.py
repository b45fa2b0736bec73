"""The inline CSS and JavaScript of the backprop stepper page (no network, no libraries).

The script reads the frames from a JSON block: ``nodes`` (SVG ids of the boxes
with a gradient), ``start`` (the sentence before the first step) and ``steps``,
each ``{node, op, sentence, set: [[id, grad text], …], edges: [svg ids]}``.
Frame k replays steps 1…k, so any frame can be shown directly (slider, keys).
"""

CSS = """
:root { --ink:#1e293b; --muted:#475569; --accent:#e11d48; --partial:#b45309; --bg:#ffffff; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       color:var(--ink); background:var(--bg); font-size:18px; }
header { padding:12px 24px 4px; }
h1 { font-size:26px; margin:0 0 2px; }
header p { margin:0; color:var(--muted); font-size:20px; }
#graph { padding:8px 24px; text-align:center; }
#graph svg { width:100%; height:auto; max-height:58vh; }
#panel { padding:4px 24px 20px; }
#status { display:flex; gap:24px; align-items:baseline; flex-wrap:wrap; }
#counter { font-weight:700; font-size:22px; }
#current { color:var(--accent); font-weight:700; font-size:22px; }
#sentence { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:21px;
            line-height:1.45; background:#f8fafc; border:2px solid #cbd5e1; border-radius:10px;
            padding:12px 16px; margin:8px 0 12px; white-space:pre-wrap; min-height:4.6em; }
.controls { display:flex; gap:12px; align-items:center; flex-wrap:wrap; }
button { font-size:20px; padding:8px 18px; border-radius:8px; border:2px solid #334155;
         background:#f1f5f9; color:var(--ink); cursor:pointer; min-width:7.5em; }
button:hover:not(:disabled) { background:#e2e8f0; }
button:focus-visible, input:focus-visible { outline:3px solid var(--accent); outline-offset:2px; }
button:disabled { opacity:.45; cursor:default; }
#play { background:#1e293b; color:#fff; }
#slider { flex:1; min-width:200px; height:28px; accent-color:var(--accent); }
.legend { display:flex; gap:18px; flex-wrap:wrap; color:var(--muted); font-size:16px;
          margin-top:10px; }
.swatch { display:inline-block; width:16px; height:16px; border-radius:4px;
          vertical-align:-2px; margin-right:6px; border:2px solid #334155; }
.node.current > path, .node.current > ellipse {
  stroke:var(--accent); stroke-width:5px; }
.node.updated > path, .node.updated > ellipse { stroke:#f59e0b; stroke-width:4px; }
.node text.grad-pending { fill:#94a3b8; }
.node text.grad-partial { fill:var(--partial); font-style:italic; }
.node text.grad-final { fill:var(--ink); font-weight:700; }
.edge.flow > path { stroke:var(--accent); stroke-width:3px; stroke-dasharray:9 6;
                    animation: flow 0.9s linear infinite; }
.edge.flow > polygon { stroke:var(--accent); fill:var(--accent); }
@keyframes flow { to { stroke-dashoffset: 30; } }
@media (prefers-reduced-motion: reduce) { .edge.flow > path { animation:none; } }
"""

JS = r"""
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("stepper-data").textContent);
  const steps = data.steps, last = steps.length;
  const $ = (id) => document.getElementById(id);
  const sentence = $("sentence"), counter = $("counter"), current = $("current");
  const slider = $("slider"), play = $("play"), prev = $("prev"), next = $("next");
  const gradText = {};
  for (const id of data.nodes) {
    const texts = document.getElementById(id).querySelectorAll("text");
    gradText[id] = texts[texts.length - 1];
  }
  let frame = 0, timer = null;
  const marked = [];
  function mark(id, cls) {
    const el = id && document.getElementById(id);
    if (el) { el.classList.add(cls); marked.push([el, cls]); }
  }
  function show(k) {
    frame = Math.max(0, Math.min(last, k));
    const grads = {}, state = {};
    for (let j = 0; j < frame; j++) {
      for (const [id, text] of steps[j].set) {
        grads[id] = text;
        if (state[id] !== "final") state[id] = "partial";
      }
      state[steps[j].node] = "final";
    }
    for (const id of data.nodes) {
      const s = state[id] || "pending";
      const text = s === "pending" ? "?" : grads[id] + (s === "partial" ? "…" : "");
      gradText[id].textContent = "grad " + text;
      gradText[id].setAttribute("class", "grad-" + s);
    }
    while (marked.length) { const [el, cls] = marked.pop(); el.classList.remove(cls); }
    if (frame > 0) {
      const s = steps[frame - 1];
      mark(s.node, "current"); mark(s.op, "current");
      for (const [id] of s.set) if (id !== s.node) mark(id, "updated");
      for (const e of s.edges) mark(e, "flow");
      current.textContent = "current node: " + s.name;
    } else {
      current.textContent = "";
    }
    sentence.textContent = frame === 0 ? data.start : steps[frame - 1].sentence;
    counter.textContent = "Step " + frame + " of " + last;
    slider.value = String(frame);
    prev.disabled = frame === 0; $("reset").disabled = frame === 0;
    next.disabled = frame === last;
    document.body.dataset.frame = String(frame);
    if (frame === last) stop();
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    play.textContent = "▶ Play"; play.setAttribute("aria-pressed", "false");
  }
  function toggle() {
    if (timer !== null) { stop(); return; }
    if (frame === last) show(0);
    play.textContent = "⏸ Pause"; play.setAttribute("aria-pressed", "true");
    timer = setInterval(() => show(frame + 1), data.interval);
  }
  next.addEventListener("click", () => { stop(); show(frame + 1); });
  prev.addEventListener("click", () => { stop(); show(frame - 1); });
  $("reset").addEventListener("click", () => { stop(); show(0); });
  play.addEventListener("click", toggle);
  slider.addEventListener("input", () => { stop(); show(Number(slider.value)); });
  document.addEventListener("keydown", (ev) => {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const keys = {ArrowRight: () => show(frame + 1), ArrowLeft: () => show(frame - 1),
                  Home: () => show(0), End: () => show(last)};
    if (keys[ev.key]) { ev.preventDefault(); stop(); keys[ev.key](); }
    else if (ev.key === " ") {  // Space is play/pause everywhere, even on a focused button
      ev.preventDefault();
      if (ev.target.tagName === "BUTTON") ev.target.blur();  // no click on key-up
      toggle();
    }
  });
  show(0);
})();
"""
