"""The stepper page's Quiz mode: inline CSS and JavaScript (no network, no libraries).

With the Quiz toggle on, a frame that makes new numbers asks for them before it
shows them: each frame's ``ask`` list (made by :meth:`autograd.viz.scenes.Scenes.asks`:
a forward frame's values, a backward step's gradients with the REPL quiz's
questions, answers and hints, the update's new parameter values) gives a label,
the answer, a hint and the texts of the graph that stay hidden (``grad ?``) until
the answer is checked or revealed.  While a frame asks, its questions take the
sentence's place (same height, so the graph keeps its size); the sentence comes
back once every question is answered.  An answer counts when
``|answer − true| ≤ 1 % · |true| + 10⁻⁹`` (fractions such as ``1/2`` are read
too); a wrong one shows the formula as a hint (the REPL quiz's hint), and Reveal
(or Reveal all) shows the answer.  A line above keeps the score.  Play pauses at
a frame that asks.  The chunk only reads the page (the frames' JSON block, the
``.controls`` row, ``#sentence``, ``body[data-frame]``, the SVG's
``text[data-slot]``), so the page's own script is unchanged.
"""

TOLERANCE = 0.01
"""Relative tolerance of the page's quiz (the REPL quiz's default too)."""

CSS = """
#quiz-toggle[aria-pressed="true"] { background:#0f766e; color:#fff; border-color:#0f766e; }
#quiz { flex:none; display:flex; flex-direction:column; gap:4px; min-height:0; }
#quiz[hidden] { display:none; }
#quiz .quiz-status { flex:none; display:flex; gap:12px; align-items:center; flex-wrap:wrap;
                     color:var(--muted, #475569); font-size:16px; }
#quiz .quiz-status b { color:var(--ink, #1f2937); }
#quiz-rows { flex:0 1 auto; min-height:4.6em; overflow-y:auto; display:flex;
             flex-direction:column; gap:6px; padding:6px 10px; border:2px solid #0f766e;
             border-radius:10px; background:#f0fdfa; }
#quiz-rows[hidden] { display:none; }
#quiz-rows > * { flex:none; }
#quiz-rows .quiz-row { display:flex; gap:10px; align-items:center; flex-wrap:wrap; }
#quiz-rows label { font-family:"DejaVu Sans Mono", Menlo, Consolas, monospace; font-size:18px;
              min-width:9em; }
#quiz-rows input { font-size:18px; padding:3px 8px; width:8em; border:2px solid #64748b;
              border-radius:6px; }
#quiz-rows input.wrong { border-color:#b91c1c; background:#fef2f2; }
#quiz-rows input.right { border-color:#047857; background:#ecfdf5; }
#quiz button, #quiz-rows button { min-width:4.5em; font-size:16px; padding:3px 10px; }
#quiz-rows .quiz-feedback { font-size:16px; }
#quiz-rows .quiz-feedback.wrong { color:#b91c1c; font-weight:700; }
#quiz-rows .quiz-feedback.right { color:#047857; font-weight:700; }
#quiz-rows .quiz-hint { flex:none; margin:0 0 2px 1em; white-space:pre-wrap; font-size:15px;
                   font-family:"DejaVu Sans Mono", Menlo, Consolas, monospace; color:#7c2d12; }
#quiz-rows .quiz-hint[hidden] { display:none; }
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
  panel.id = "quiz"; panel.hidden = true;
  const status = document.createElement("div");
  status.className = "quiz-status"; status.setAttribute("aria-live", "polite");
  const rows = document.createElement("div");
  rows.id = "quiz-rows"; rows.hidden = true;
  panel.append(status, rows);
  sentence.insertAdjacentElement("beforebegin", panel);
  sentence.insertAdjacentElement("afterend", rows);
  let on = false;
  const settled = {};         // "frame/question" -> "right", "right-late" or "revealed"
  const tries = {};           // "frame/question" -> wrong answers so far

  function frameNow() { return Number(document.body.dataset.frame || 0); }
  function asks(k) { return (frames[k] && frames[k].ask) || []; }
  function open(k) { return asks(k).filter((q, i) => !settled[k + "/" + i]); }
  function parse(text) {
    const t = text.trim().replace(/\u2212/g, "-");
    if (t === "") return NaN;
    const parts = t.split("/");
    if (parts.length === 2) return Number(parts[0]) / Number(parts[1]);
    return Number(t);
  }
  function close(answer, truth) {
    if (Number.isNaN(truth)) return Number.isNaN(answer);
    if (!Number.isFinite(truth)) return answer === truth;
    return Math.abs(answer - truth) <= TOL * Math.abs(truth) + 1e-9;
  }
  function slotText(id, slot) {
    const g = document.getElementById(id);
    return g ? g.querySelector('text[data-slot="' + slot + '"]') : null;
  }
  function hide(q) {          // the graph shows "?" until the question is answered
    for (const [id, slot, text, cls] of q.hide) {
      const el = slotText(id, slot);
      if (!el) continue;
      if (!(el.getAttribute("class") || "").includes("quiz-hidden")) {
        el.dataset.quizText = el.textContent;
        el.dataset.quizClass = el.getAttribute("class") || "";
      }
      el.textContent = text; el.setAttribute("class", cls);
    }
  }
  function unhide(q) {
    for (const [id, slot] of q.hide) {
      const el = slotText(id, slot);
      if (!el || !(el.getAttribute("class") || "").includes("quiz-hidden")) continue;
      el.textContent = el.dataset.quizText; el.setAttribute("class", el.dataset.quizClass);
    }
  }
  function score() {
    const all = Object.values(settled);
    const right = all.filter((v) => v !== "revealed").length;
    const first = all.filter((v) => v === "right").length;
    return "score " + right + "/" + all.length + " (" + first + " at the first try)";
  }
  function pause() {
    const play = document.getElementById("play");
    if (play && play.getAttribute("aria-pressed") === "true") play.click();
  }

  function apply() {
    const k = frameNow();
    rows.replaceChildren(); status.replaceChildren();
    panel.hidden = !on;
    if (!on) { rows.hidden = true; sentence.hidden = false; return; }
    const list = asks(k), left = open(k);
    const line = document.createElement("span");
    status.appendChild(line);
    if (!list.length) {
      line.textContent = "Quiz: nothing to predict in this frame · " + score();
    } else if (!left.length) {
      line.textContent = "Quiz: every number of this frame answered · " + score();
    } else {
      line.textContent = "Quiz: predict " + (list.length === 1 ? "the new number"
        : "the " + list.length + " new numbers") + " of this frame (within "
        + Math.round(TOL * 100) + " %), then Check · " + score();
      const all = document.createElement("button");
      all.type = "button"; all.id = "quiz-reveal-all"; all.textContent = "Reveal all";
      all.addEventListener("click", () => {
        list.forEach((q, i) => { if (!settled[k + "/" + i]) settled[k + "/" + i] = "revealed"; });
        apply();
      });
      status.appendChild(all);
      pause();
    }
    const asking = left.length > 0;
    rows.hidden = !asking; sentence.hidden = asking;
    if (asking) {
      rows.style.height = sentence.style.height || "";
      sentence.textContent = "Quiz: this frame's sentence appears once every new number is "
        + "answered.";
    } else {
      sentence.textContent = frames[k].sentence;
    }
    list.forEach((q, i) => {
      const key = k + "/" + i;
      const row = document.createElement("div");
      row.className = "quiz-row"; row.dataset.question = String(i);
      row.dataset.node = q.hide.length ? q.hide[0][0] : "";
      const lab = document.createElement("label");
      const input = document.createElement("input");
      input.className = "quiz-answer"; input.type = "text"; input.inputMode = "decimal";
      input.id = "quiz-answer-" + i; lab.htmlFor = input.id;
      lab.textContent = q.label + " =";
      const check = document.createElement("button");
      check.type = "button"; check.className = "quiz-check"; check.textContent = "Check";
      const reveal = document.createElement("button");
      reveal.type = "button"; reveal.className = "quiz-reveal"; reveal.textContent = "Reveal";
      const feedback = document.createElement("span");
      feedback.className = "quiz-feedback";
      const hint = document.createElement("pre");
      hint.className = "quiz-hint"; hint.hidden = true; hint.textContent = q.hint;
      row.append(lab, input, check, reveal, feedback);
      rows.append(row, hint);
      if (settled[key]) {       // answered: shown, and the row says how
        unhide(q);
        const right = settled[key] !== "revealed";
        input.disabled = check.disabled = reveal.disabled = true;
        input.value = q.text;
        if (right) input.classList.add("right");
        feedback.className = "quiz-feedback" + (right ? " right" : "");
        feedback.textContent = (right ? "right: " : "answer: ") + q.text;
        return;
      }
      hide(q);
      check.addEventListener("click", () => {
        const value = parse(input.value);
        if (Number.isNaN(value) && input.value.trim().toLowerCase() !== "nan") {
          feedback.className = "quiz-feedback wrong";
          feedback.textContent = "type a number, e.g. 0.5 or 1/2";
          return;
        }
        if (close(value, Number(q.answer))) {
          settled[key] = tries[key] ? "right-late" : "right";
          apply();
          return;
        }
        tries[key] = (tries[key] || 0) + 1;
        input.classList.add("wrong"); input.setAttribute("aria-invalid", "true");
        feedback.className = "quiz-feedback wrong";
        feedback.textContent = "not quite: try again with the hint, or Reveal";
        hint.hidden = false;
      });
      reveal.addEventListener("click", () => { settled[key] = "revealed"; apply(); });
      input.addEventListener("keydown", (ev) => {   // typing never drives the page's keys
        ev.stopPropagation();
        if (ev.key === "Enter") { ev.preventDefault(); check.click(); }
      });
    });
    if (asking) {               // the first open answer gets the keyboard
      const first = rows.querySelector(".quiz-answer:not(:disabled)");
      if (first && document.activeElement && document.activeElement.closest
          && document.activeElement.closest("#quiz-rows")) first.focus();
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
    if (on) apply(); else { apply(); redraw(); }
  });
  new MutationObserver(apply).observe(document.body,
    {attributes: true, attributeFilter: ["data-frame"]});
})();
""".replace("%(tolerance)s", repr(TOLERANCE))
