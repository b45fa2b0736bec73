"""The stepper page's Quiz mode: inline CSS and JavaScript (no network, no libraries).

With the Quiz toggle on, each step's new numbers stay hidden in the graph
(``grad ?``) and in the sentence until the
student types each one in and checks it, or presses Reveal.  An answer counts
when ``|answer − true| ≤ 1 % · |true| + 10⁻⁹`` (fractions such as ``1/2`` are
read too).  The chunk only reads the page: the frames' JSON block
(``#stepper-data``: per frame its ``kind``, ``current``/``updated`` ids and ``set`` =
``[[svg id, slot, text, class], …]``), the current frame (``body[data-frame]``), the
``.controls`` row, the ``#sentence`` box and the SVG's ``text[data-slot]`` elements;
it adds its own button and panel, so the page's own script is unchanged.  The new
numbers of a frame: a forward frame's computed values, a backward step's gradients
sent to its inputs, an update frame's new parameter values.
"""

TOLERANCE = 0.01
"""Relative tolerance of the page's quiz (the REPL quiz's default too)."""

CSS = """
#quiz-toggle[aria-pressed="true"] { background:#0f766e; color:#fff; border-color:#0f766e; }
#quiz { flex:0 1 auto; min-height:2.6em; overflow-y:auto; margin:6px 0 2px;
        display:flex; flex-direction:column; gap:6px; }
#quiz > * { flex:none; }
#quiz[hidden] { display:none; }
#quiz .quiz-intro { color:var(--muted, #475569); font-size:17px; }
#quiz .quiz-row { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
#quiz label { font-family:"DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:19px;
              min-width:9em; }
#quiz input { font-size:19px; padding:4px 8px; width:9em; border:2px solid #64748b;
              border-radius:6px; }
#quiz input.wrong { border-color:#b91c1c; background:#fef2f2; }
#quiz input.right { border-color:#047857; background:#ecfdf5; }
#quiz button { min-width:5em; font-size:17px; padding:4px 12px; }
#quiz .quiz-feedback { font-size:17px; }
#quiz .quiz-feedback.wrong { color:#b91c1c; font-weight:700; }
#quiz .quiz-feedback.right { color:#047857; font-weight:700; }
"""

JS = r"""
(function () {
  "use strict";
  const block = document.getElementById("stepper-data");
  const controls = document.querySelector(".controls");
  const sentence = document.getElementById("sentence");
  if (!block || !controls || !sentence) return;
  const frames = JSON.parse(block.textContent).frames || [];
  const TOL = %(tolerance)s;
  const toggle = document.createElement("button");
  toggle.id = "quiz-toggle"; toggle.type = "button";
  toggle.setAttribute("aria-pressed", "false");
  toggle.title = "Predict each new number before you see it";
  toggle.textContent = "Quiz: off";
  controls.appendChild(toggle);
  const panel = document.createElement("div");
  panel.id = "quiz"; panel.hidden = true; panel.setAttribute("aria-live", "polite");
  sentence.insertAdjacentElement("afterend", panel);
  let on = false;
  const settled = {};         // "frame/id/slot" -> "right" or "revealed"

  function frameNow() { return Number(document.body.dataset.frame || 0); }
  function slotText(id, slot) {
    const g = document.getElementById(id);
    return g ? g.querySelector('text[data-slot="' + slot + '"]') : null;
  }
  function nameOf(id) {
    const g = document.getElementById(id);
    const t = g && g.querySelector("title");
    return (t && t.textContent) || id;
  }
  function number(slot, text) {  // "grad 0.5 (1 of 2 uses)", "data 1 → 0.9", "out 2 · grad 0.5"
    let s = text;
    const g = s.lastIndexOf("grad ");
    if (slot === "out" && g >= 0) s = s.slice(g + 5);
    else s = s.replace(/^(data|grad|out)\s+/, "");
    s = s.split(" (")[0];
    if (s.includes("\u2192")) s = s.slice(s.lastIndexOf("\u2192") + 1);
    if (s.includes("=")) s = s.slice(s.lastIndexOf("=") + 1);
    return s.trim().replace(/\u2212/g, "-");
  }
  function parse(text) {
    const s = text.trim().replace(/\u2212/g, "-");
    if (s === "") return NaN;
    const parts = s.split("/");
    if (parts.length === 2) return Number(parts[0]) / Number(parts[1]);
    return Number(s);
  }
  function close(answer, truth) {
    if (!Number.isFinite(truth)) return answer === truth;
    return Math.abs(answer - truth) <= TOL * Math.abs(truth) + 1e-9;
  }
  function asks(k) {       // the new numbers of frame k: [id, slot, page text, answer text]
    const f = frames[k];
    if (!f || k === 0) return [];
    const fresh = new Set(f.kind === "forward" ? f.current : f.updated);
    const wanted = f.kind === "forward" ? ["data"] : f.kind === "step" ? ["grad", "out"]
      : f.kind === "update" ? ["data"] : [];
    const out = [];
    for (const [id, slot, text] of f.set || []) {
      if (!wanted.includes(slot) || (f.kind !== "update" && !fresh.has(id))) continue;
      const answer = number(slot, text);
      if (answer !== "" && !Number.isNaN(Number(answer))) out.push([id, slot, text, answer]);
    }
    return out;
  }
  function open(k) { return asks(k).filter(([id, slot]) => !settled[k + "/" + id + "/" + slot]); }
  function label(id, slot) {
    return nameOf(id) + (slot === "grad" ? ".grad" : slot === "out" ? " grad" : "") + " =";
  }

  function apply() {
    const k = frameNow();
    panel.replaceChildren();
    panel.hidden = !on;
    if (!on) return;
    const list = asks(k);
    const intro = document.createElement("div");
    intro.className = "quiz-intro";
    panel.appendChild(intro);
    if (!list.length) {
      intro.textContent = "Quiz: at each step, predict the new numbers (within 1 %) "
        + "before you see them. Press Next.";
      return;
    }
    intro.textContent = "Predict the new numbers of this step (within 1 %), then Check. "
      + "Reveal shows one.";
    for (const [id, slot, text, answer] of list) {
      const key = k + "/" + id + "/" + slot, el = slotText(id, slot);
      const row = document.createElement("div");
      row.className = "quiz-row"; row.dataset.node = id; row.dataset.slot = slot;
      const lab = document.createElement("label");
      const input = document.createElement("input");
      input.className = "quiz-answer"; input.type = "text"; input.inputMode = "decimal";
      input.id = "quiz-" + id + "-" + slot; lab.htmlFor = input.id;
      lab.textContent = label(id, slot);
      const check = document.createElement("button");
      check.type = "button"; check.className = "quiz-check"; check.textContent = "Check";
      const reveal = document.createElement("button");
      reveal.type = "button"; reveal.className = "quiz-reveal"; reveal.textContent = "Reveal";
      const feedback = document.createElement("span");
      feedback.className = "quiz-feedback";
      row.append(lab, input, check, reveal, feedback);
      panel.appendChild(row);
      const mine = el && (el.getAttribute("class") || "").includes("quiz-hidden");
      const shown = !el ? null : mine ? [el.dataset.quizText, el.dataset.quizClass]
        : [el.textContent, el.getAttribute("class")];
      function done(how) {
        settled[key] = how;
        input.disabled = true; check.disabled = true; reveal.disabled = true;
        input.classList.remove("wrong"); input.removeAttribute("aria-invalid");
        if (how === "right") input.classList.add("right"); else input.value = answer;
        feedback.className = "quiz-feedback" + (how === "right" ? " right" : "");
        feedback.textContent = (how === "right" ? "right: " : "answer: ") + answer;
        if (el && shown) { el.textContent = shown[0]; el.setAttribute("class", shown[1] || ""); }
        if (!open(k).length) sentence.textContent = frames[k].sentence;
      }
      if (settled[key]) { input.value = answer; done(settled[key]); continue; }
      if (el && shown) {       // hidden until checked; the page's own text kept aside
        el.dataset.quizText = shown[0]; el.dataset.quizClass = shown[1] || "";
        el.textContent = slot + " ?";
        el.setAttribute("class", (slot === "data" ? "data-pending" : "grad-waiting")
                        + " quiz-hidden");
      }
      check.addEventListener("click", () => {
        const value = parse(input.value);
        if (Number.isNaN(value)) {
          feedback.className = "quiz-feedback wrong";
          feedback.textContent = "type a number, e.g. 0.5 or 1/2";
          return;
        }
        if (close(value, Number(answer))) { done("right"); return; }
        input.classList.add("wrong"); input.setAttribute("aria-invalid", "true");
        feedback.className = "quiz-feedback wrong";
        feedback.textContent = "not quite: try again, or Reveal";
      });
      reveal.addEventListener("click", () => done("revealed"));
      input.addEventListener("keydown", (ev) => {   // typing never drives the page's keys
        ev.stopPropagation();
        if (ev.key === "Enter") { ev.preventDefault(); check.click(); }
      });
    }
    if (open(k).length) {
      sentence.textContent = "Quiz: what are the new numbers of this step? The sentence "
        + "appears once each is checked or revealed.";
    }
  }
  function redraw() {         // the page redraws the frame (every number shown) ...
    const slider = document.getElementById("slider");
    if (slider) slider.dispatchEvent(new Event("input"));
    else apply();             // ... and the observer below hides this frame's answers
  }
  toggle.addEventListener("click", () => {
    on = !on;
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on ? "Quiz: on" : "Quiz: off";
    document.body.dataset.quiz = on ? "on" : "off";
    if (on) apply(); else redraw();
  });
  new MutationObserver(apply).observe(document.body,
    {attributes: true, attributeFilter: ["data-frame"]});
})();
""".replace("%(tolerance)s", repr(TOLERANCE))
