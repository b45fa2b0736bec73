"""The JavaScript of the backprop stepper page (no network, no libraries).

The script reads the frames from a JSON block: ``interval`` (ms per frame when
playing) and ``frames``, each ``{kind, counter, title, sentence, set, current,
updated, flows, focus, ask}`` where ``set`` lists ``[element id, slot, text,
class]`` for the texts that change (slots ``data``, ``grad``, ``out`` and a
collapsed box's ``<id>.data``/``<id>.grad`` are tagged in the SVG), ``ask`` is
the quiz's (:mod:`autograd.viz.quiz_assets`) and the other lists are element ids
to mark or to bring into view.  Frame k replays frames 0…k, so any frame can be
shown directly (slider, keys).

The graph panel zooms and pans by rewriting the SVG's ``viewBox`` (text stays
sharp): the wheel or a pinch zooms about the pointer, a drag pans, ``+``/``-``
zoom, ``0`` and the Fit button show the whole graph.  The page opens on the whole
graph, centred, when its boxes' text is then at least 10 px; a larger graph starts
zoomed in to 10 px text, at the inputs (forward frames) or the output.  The
current node (or a frame's ``focus``: where the pass starts) is scrolled into view
at every frame; the sentence box keeps one height (that of the longest sentence,
within its cap), so the graph does not resize between frames.
"""

__all__ = ["JS"]

JS = r"""
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("stepper-data").textContent);
  const frames = data.frames, last = frames.length - 1;
  const $ = (id) => document.getElementById(id);
  const sentence = $("sentence"), counter = $("counter"), current = $("current");
  const slider = $("slider"), play = $("play"), prev = $("prev"), next = $("next");
  const panel = $("graph"), svg = $("graph-svg");
  const playLabel = play.querySelector(".label");

  // -- zoom and pan: the viewBox is the visible part of the graph -------------------
  const full = svg.viewBox.baseVal;
  const W = full.width, H = full.height;
  const view = {x: 0, y: 0, s: 1};
  let fitted = true;
  function size() { return [panel.clientWidth || 1, panel.clientHeight || 1]; }
  function apply() {
    const [pw, ph] = size();
    svg.setAttribute("viewBox", view.x + " " + view.y + " " + pw / view.s + " " + ph / view.s);
    panel.dataset.scale = view.s.toFixed(4);
    $("scale").textContent = Math.round(view.s * 100) + "%";
  }
  function fit() {
    const [pw, ph] = size(), m = 8;
    view.s = Math.min((pw - 2 * m) / W, (ph - 2 * m) / H, 2.5);
    view.x = (W - pw / view.s) / 2;
    view.y = (H - ph / view.s) / 2;
    fitted = true;
    apply();
  }
  function zoom(factor, px, py) {
    const [pw, ph] = size();
    if (px === undefined) { px = pw / 2; py = ph / 2; }
    const s = Math.max(0.05, Math.min(8, view.s * factor));
    const ux = view.x + px / view.s, uy = view.y + py / view.s;
    view.s = s; view.x = ux - px / s; view.y = uy - py / s;
    fitted = false;
    apply();
  }
  function pan(dx, dy) { view.x -= dx / view.s; view.y -= dy / view.s; fitted = false; apply(); }
  function reveal(ids, first) {    // scroll the current elements into view
    const box = panel.getBoundingClientRect(), m = 16;
    let l = Infinity, t = Infinity, r = -Infinity, b = -Infinity;
    for (const id of ids) {
      const el = document.getElementById(id);
      if (!el) continue;
      const q = el.getBoundingClientRect();
      l = Math.min(l, q.left); t = Math.min(t, q.top);
      r = Math.max(r, q.right); b = Math.max(b, q.bottom);
    }
    if (l === Infinity) return;
    const big = r - l > box.width - 2 * m || b - t > box.height - 2 * m;
    if (big && !first && ids.length > 1) { reveal(ids.slice(0, 1), true); return; }
    let dx = 0, dy = 0;
    if (r - l > box.width - 2 * m || l < box.left + m || r > box.right - m)
      dx = (box.left + box.width / 2) - (l + r) / 2;
    if (b - t > box.height - 2 * m || t < box.top + m || b > box.bottom - m)
      dy = (box.top + box.height / 2) - (t + b) / 2;
    if (dx || dy) { pan(dx, dy); clamp(); }
  }
  function clamp() {    // no empty margin where the graph could fill the panel
    const [pw, ph] = size(), vw = pw / view.s, vh = ph / view.s;
    view.x = vw >= W ? (W - vw) / 2 : Math.max(0, Math.min(W - vw, view.x));
    view.y = vh >= H ? (H - vh) / 2 : Math.max(0, Math.min(H - vh, view.y));
    apply();
  }
  panel.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const r = panel.getBoundingClientRect();
    const d = ev.deltaMode === 1 ? ev.deltaY * 16 : ev.deltaY;
    zoom(Math.exp(-d * (ev.ctrlKey ? 0.01 : 0.0015)), ev.clientX - r.left, ev.clientY - r.top);
  }, {passive: false});
  const pointers = new Map();
  let pinch = 0;
  panel.addEventListener("pointerdown", (ev) => {
    if (ev.target.closest && ev.target.closest(".zoom")) return;
    panel.setPointerCapture(ev.pointerId);
    pointers.set(ev.pointerId, [ev.clientX, ev.clientY]);
    panel.classList.add("dragging");
  });
  panel.addEventListener("pointermove", (ev) => {
    const was = pointers.get(ev.pointerId);
    if (!was) return;
    const now = [ev.clientX, ev.clientY];
    if (pointers.size === 2) {
      const other = [...pointers.entries()].find(([id]) => id !== ev.pointerId)[1];
      const dist = Math.hypot(now[0] - other[0], now[1] - other[1]);
      if (pinch) {
        const r = panel.getBoundingClientRect();
        zoom(dist / pinch, (now[0] + other[0]) / 2 - r.left, (now[1] + other[1]) / 2 - r.top);
      }
      pinch = dist;
    } else {
      pan(now[0] - was[0], now[1] - was[1]);
    }
    pointers.set(ev.pointerId, now);
  });
  function release(ev) {
    pointers.delete(ev.pointerId); pinch = 0;
    if (!pointers.size) panel.classList.remove("dragging");
  }
  panel.addEventListener("pointerup", release);
  panel.addEventListener("pointercancel", release);
  $("zoom-in").addEventListener("click", () => zoom(1.25));
  $("zoom-out").addEventListener("click", () => zoom(0.8));
  $("fit").addEventListener("click", fit);
  let seen = size();
  function resized() {           // keep the middle of the view where it was
    const [pw, ph] = size();
    if (pw === seen[0] && ph === seen[1]) return;
    if (fitted) { seen = [pw, ph]; fit(); return; }
    view.x += (seen[0] - pw) / 2 / view.s; view.y += (seen[1] - ph) / 2 / view.s;
    seen = [pw, ph];
    apply();
  }
  if (window.ResizeObserver) new ResizeObserver(resized).observe(panel);
  window.addEventListener("resize", () => { steady(); resized(); });

  // -- frames --------------------------------------------------------------------------
  const slots = {};
  for (const el of svg.querySelectorAll("text[data-slot]")) {
    slots[el.parentNode.id + "/" + el.dataset.slot] = el;
  }
  let frame = 0, timer = null;
  const marked = [];
  function mark(id, cls) {
    const el = document.getElementById(id);
    if (el) { el.classList.add(cls); marked.push([el, cls]); }
  }
  function show(k) {
    frame = Math.max(0, Math.min(last, k));
    const texts = {};
    for (let j = 0; j <= frame; j++) {
      for (const [id, slot, text, cls] of frames[j].set) texts[id + "/" + slot] = [text, cls];
    }
    for (const key in texts) {
      const el = slots[key];
      if (!el) continue;
      el.textContent = texts[key][0];
      el.setAttribute("class", texts[key][1]);
    }
    while (marked.length) { const [el, cls] = marked.pop(); el.classList.remove(cls); }
    const f = frames[frame];
    for (const id of f.flows) mark(id, "flow");
    for (const id of f.updated) mark(id, "updated");
    for (const id of f.current) mark(id, "current");
    current.textContent = f.current.length ? "current: " + f.title : "";
    sentence.textContent = f.sentence;
    sentence.scrollTop = 0;
    counter.textContent = f.counter;
    slider.value = String(frame);
    prev.disabled = frame === 0; $("reset").disabled = frame === 0;
    next.disabled = frame === last;
    document.body.dataset.frame = String(frame);
    document.body.dataset.kind = f.kind;
    reveal(f.current.length ? f.current : f.focus);
    if (frame === last) stop();
  }
  function stop() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    playLabel.textContent = "Play"; play.setAttribute("aria-pressed", "false");
  }
  function toggle() {
    if (timer !== null) { stop(); return; }
    if (frame === last) show(0);
    playLabel.textContent = "Pause"; play.setAttribute("aria-pressed", "true");
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
    const zooms = {"+": () => zoom(1.25), "=": () => zoom(1.25), "-": () => zoom(0.8),
                   "_": () => zoom(0.8), "0": fit};
    if (keys[ev.key]) { ev.preventDefault(); stop(); keys[ev.key](); }
    else if (zooms[ev.key]) { ev.preventDefault(); zooms[ev.key](); }
    else if (ev.key === " ") {  // Space is play/pause everywhere, even on a focused button
      ev.preventDefault();
      if (ev.target.tagName === "BUTTON") ev.target.blur();  // no click on key-up
      toggle();
    }
  });
  function steady() {             // the sentence box fits the longest sentence (up to a
    sentence.style.height = "auto";  // cap), so the graph keeps its size at every frame
    const hidden = sentence.hidden;   // (the quiz may be showing its questions instead)
    sentence.hidden = false;
    let tallest = 0;
    for (const f of frames) {
      sentence.textContent = f.sentence;
      tallest = Math.max(tallest, sentence.scrollHeight + 4);
    }
    sentence.style.height = tallest + "px";
    sentence.textContent = frames[frame].sentence;
    sentence.hidden = hidden;
  }
  function readable() {     // the whole graph, centred, if its boxes' text can be read;
    fit();                  // else zoomed in to 10 px text (op circles' symbols not counted)
    const sizes = [...svg.querySelectorAll("g.node:not(.op) text")].map(
      (t) => parseFloat(t.getAttribute("font-size")) || 14);
    const least = Math.min(...sizes, 14);
    if (least * view.s < 10) { zoom(10 / (least * view.s)); clamp(); }
  }
  steady();
  readable();
  seen = size();
  show(0);
})();
"""
