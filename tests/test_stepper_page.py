"""The backprop stepper page: its content, and driven in real headless Chromium."""

import json
import re
import shutil

import pytest

pytest.importorskip("graphviz")
if shutil.which("dot") is None:
    pytest.skip("Graphviz 'dot' not installed", allow_module_level=True)

import autograd
from autograd import Value, draw_graph
from autograd.explainer import backward_steps, fmt
from autograd.viz import GraphTooLarge, save_stepper, stepper_html

from .exprs import karpathy_neuron

EVIL = "<script>alert('x')</script>"


def neuron(evil_label=False):
    o, leaves = karpathy_neuron(EVIL if evil_label else "x1")
    return o, list(leaves.values())


def mlp(sizes=(3, 1), seed=0):
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, list(sizes), seed=seed)
    return model([2.0, -1.0]), model


def page_data(html):
    block = re.search(r'<script type="application/json" id="stepper-data">(.*?)</script>',
                      html, re.DOTALL)
    return json.loads(block.group(1))


def kinds(data):
    return [f["kind"] for f in data["frames"]]


def test_page_is_one_self_contained_file():
    html = stepper_html(neuron()[0])
    assert html.startswith("<!DOCTYPE html>")
    assert html.count("<svg") == 1 and '<svg id="graph-svg"' in html
    assert not re.search(r"<link|<img|<iframe|\bsrc=|@import|url\(", html)
    urls = set(re.findall(r"https?://[^\"'\s)]*", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "⏸" not in html and "▶" not in html      # no glyphs that need a symbol font


def test_frames_follow_the_explainers_steps_at_every_granularity():
    for by in ("node", "neuron", "layer"):
        y, _ = mlp()
        data = page_data(stepper_html(y, by=by))
        y2, _ = mlp()
        steps = list(backward_steps(y2, by=by))
        frames = [f for f in data["frames"] if f["kind"] == "step"]
        assert [f["sentence"] for f in frames] == [s.sentence for s in steps], by
        ids = draw_graph(y2).node_ids
        for f, s in zip(frames, steps):
            assert {ids[n] for n in s.nodes} <= set(f["current"]), by
        last = {(i, slot): text for f in data["frames"] for i, slot, text, _ in f["set"]}
        for n in autograd.graph.topo_order(y2):      # the last step: every grad final
            if n.requires_grad:
                assert last[ids[n], "grad"] == f"grad {fmt(n.grad)}", by


def test_forward_frames_come_first_a_layer_at_a_time():
    y, _ = mlp()
    data = page_data(stepper_html(y))
    assert kinds(data)[:4] == ["forward", "forward", "forward", "start"]
    first, layer1 = data["frames"][0], data["frames"][1]
    ids = draw_graph(y).node_ids
    z = next(n for n in autograd.graph.topo_order(y) if n.label == "L1.N1.z")
    w = next(n for n in autograd.graph.topo_order(y) if n.label == "L1.N1.w1")
    assert [ids[z], "data", "data ?", "data-pending"] in first["set"]
    assert [ids[w], "data", f"data {fmt(w.data)}", "data-known"] in first["set"]
    assert [ids[z], "data", f"data {fmt(z.data)}", "data-known"] in layer1["set"]
    assert layer1["sentence"].startswith("forward 1/2  Layer 1\n")
    assert ids[z] in layer1["current"] and ids[y] not in layer1["current"]
    assert kinds(page_data(stepper_html(y, forward=False)))[0] == "start"


def test_update_frame_shows_old_change_and_new_values_and_changes_nothing():
    optim = pytest.importorskip("autograd.optim")
    y, model = mlp()
    data = page_data(stepper_html(y, update=0.1, forward=False))
    assert kinds(data)[-1] == "update"
    y2, model2 = mlp()
    y2.backward()
    ids = draw_graph(y2).node_ids
    sets = {i: text for i, slot, text, _ in data["frames"][-1]["set"] if slot == "data"}
    for p in model2.parameters():
        assert sets[ids[p]] == f"data {fmt(p.data)} → {fmt(p.data - 0.1 * p.grad)}"
    # an optimizer: the page shows its next step, and neither it nor the model changes
    opt = optim.Adam(model, lr=0.05)
    y.backward()
    opt.step()                          # some state to keep
    before = ([p.data for p in model.parameters()], opt.state_dict())
    y3 = model([2.0, -1.0])
    page = page_data(stepper_html(y3, update=opt, forward=False))
    assert ([p.data for p in model.parameters()], opt.state_dict()) == before
    ids = draw_graph(y3).node_ids
    sets = {i: text for i, slot, text, _ in page["frames"][-1]["set"] if slot == "data"}
    twin = optim.Adam(model, lr=0.05)
    twin.load_state_dict(opt.state_dict())
    y3.backward()
    olds = [p.data for p in model.parameters()]
    twin.step()
    for p, old in zip(model.parameters(), olds):
        assert sets[ids[p]] == f"data {fmt(old)} → {fmt(p.data)}"
    assert "Adam(" in page["frames"][-1]["sentence"]
    with pytest.raises(TypeError, match="update must be a learning rate or an optimizer"):
        stepper_html(y3, update="fast")
    with pytest.raises(ValueError, match="update must be"):
        stepper_html(y3, update=-1.0)


def test_collapse_works_and_steps_mark_the_neuron_boxes():
    y, _ = mlp((4, 4, 1))
    data = page_data(stepper_html(y, by="neuron", collapse="neuron"))
    steps = [f for f in data["frames"] if f["kind"] == "step"]
    assert len(steps) == 9 and all(f["current"] and all(i.startswith("g") for i in f["current"])
                                   for f in steps)
    outs = [t for f in data["frames"] for i, slot, t, _ in f["set"] if slot == "out"]
    assert outs and all(re.fullmatch(r"out \S+ +· +grad .+", t) for t in outs)


def test_labels_are_escaped_everywhere():
    html = stepper_html(neuron(evil_label=True)[0], title=EVIL)
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html   # title, heading
    assert EVIL in json.dumps(page_data(html))                          # data, as text


def test_grads_of_the_graph_are_left_as_they_were(tmp_path):
    o, leaves = neuron()
    o.backward()
    o.backward()                        # accumulated: 2 × the gradient
    nodes = autograd.graph.topo_order(o)
    before = [n.grad for n in nodes]
    save_stepper(o, tmp_path / "page.html", update=0.1, params=leaves[2:])
    assert [n.grad for n in nodes] == before
    fresh, _ = neuron()
    save_stepper(fresh, tmp_path / "page.html")
    assert all(n.grad == 0.0 for n in autograd.graph.topo_order(fresh))

    def broken(g):
        raise RuntimeError("hook failed")

    leaves[0].register_hook(broken)
    with pytest.raises(RuntimeError, match="hook failed"):
        save_stepper(o, tmp_path / "page.html")
    assert [n.grad for n in nodes] == before


def test_size_guard_suggestions_work_for_the_page():
    chain = Value(1.0, label="x")
    for _ in range(350):
        chain = chain + 1
    big, _ = mlp((16, 16, 1))
    for root, expected in [(chain, {"max_nodes": 701}), (big, {"collapse": "neuron"})]:
        with pytest.raises(GraphTooLarge) as info:
            stepper_html(root)
        assert str(info.value).startswith("save_stepper: the graph has")
        assert info.value.suggestion == expected
        assert "".join(f"{k}={v!r}" for k, v in expected.items()) in str(info.value)
        assert "<svg" in stepper_html(root, forward=False, **info.value.suggestion)


def test_options_are_checked():
    o, _ = neuron()
    assert "rankdir" not in stepper_html(o, rankdir="TB")  # laid out, not passed through
    for bad in (dict(rankdir="sideways"), dict(interval_ms=0), dict(fmt="q"), dict(by="edge"),
                dict(collapse="galaxy"), dict(forward="yes"), dict(max_edges=0)):
        with pytest.raises((ValueError, TypeError)):
            stepper_html(o, **bad)


# -- in a real browser -----------------------------------------------------------------
# (the `browser` fixture is in tests/conftest.py)


def open_page(browser, path, width=1280, height=800):
    """Load the file, failing every non-file request and recording all of them."""
    page = browser.new_page(viewport={"width": width, "height": height})
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append("dialog: " + d.message), d.dismiss()))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        "file://") else route.abort())
    page.goto(path.as_uri())
    return page, requests, problems


def shown(page):
    current = page.eval_on_selector_all("g.node.current", "els => els.map(e => e.id)")
    return (page.text_content("#counter"), page.text_content("#sentence"), sorted(current))


def go(page, k):
    page.evaluate("k => { const s = document.getElementById('slider'); s.value = k;"
                  " s.dispatchEvent(new Event('input')); }", k)


CONTROLS = ["#reset", "#prev", "#play", "#next", "#slider", "#counter", "#zoom-in",
            "#zoom-out", "#fit"]

MEASURE = """() => {
  const panel = document.getElementById('graph').getBoundingClientRect();
  const g = document.querySelector('#graph-svg g.graph').getBoundingClientRect();
  let least = Infinity, boxes = Infinity;
  for (const t of document.querySelectorAll('#graph-svg g.node text')) {
    const px = parseFloat(t.getAttribute('font-size')) * t.getScreenCTM().a;
    least = Math.min(least, px);
    if (!t.parentNode.classList.contains('op')) boxes = Math.min(boxes, px);
  }
  return {panel: [panel.left, panel.top, panel.right, panel.bottom],
          graph: [g.left, g.top, g.right, g.bottom], text: least, box_text: boxes,
          scale: Number(document.getElementById('graph').dataset.scale)};
}"""


@pytest.mark.browser
def test_stepper_in_chromium(browser, tmp_path):
    o, leaves = neuron(evil_label=True)
    path = save_stepper(o, tmp_path / "backprop.html", title="o = tanh(x1·w1 + x2·w2 + b)",
                        forward=False)
    ids = draw_graph(o).node_ids
    steps = list(backward_steps(o))      # the page is written: now run the pass here too
    n = len(steps)
    page, requests, problems = open_page(browser, path)

    assert shown(page) == (f"Step 0 of {n}", page.text_content("#sentence"), [])
    assert "Backpropagation starts at the output" in page.text_content("#sentence")
    assert page.is_disabled("#prev") and page.is_enabled("#next")
    root_grad = page.locator(f"#{ids[o]} text[data-slot=grad]")
    assert root_grad.text_content() == "grad ?"

    for _ in range(3):
        page.click("#next")
    s = steps[2]
    assert shown(page) == (f"Step 3 of {n}", s.sentence,
                           sorted([ids[s.node], ids[s.node] + "op"]))
    assert root_grad.text_content() == "grad 1.0"
    flow = page.eval_on_selector_all("g.edge.flow", "els => els.map(e => e.id)")
    assert len(flow) == len(s.node._prev) + 1

    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert shown(page)[:2] == (f"Step 3 of {n}", steps[2].sentence)
    # the malicious label is shown as text, never run
    assert EVIL in page.text_content(f"#{ids[leaves[0]]}")

    page.locator("#slider").fill(str(n))
    assert shown(page)[0] == f"Step {n} of {n}" and page.is_disabled("#next")
    for leaf in leaves[2:]:                 # every gradient final, as backward() gives it
        text = page.locator(f"#{ids[leaf]} text[data-slot=grad]").text_content()
        assert text == f"grad {fmt(leaf.grad)}", leaf.label
    page.keyboard.press("Home")
    assert shown(page) == (f"Step 0 of {n}", page.text_content("#sentence"), [])
    page.keyboard.press("End")
    page.screenshot(path=str(tmp_path / "stepper-end.png"))
    assert (tmp_path / "stepper-end.png").stat().st_size > 10_000

    assert problems == []
    assert requests and all(u.startswith("file://") for u in requests), requests
    page.close()


@pytest.mark.browser
def test_play_runs_to_the_end_and_reset_goes_back(browser, tmp_path):
    o, leaves = neuron()
    path = save_stepper(o, tmp_path / "play.html", interval_ms=50, update=0.1,
                        params=leaves[2:])
    page, requests, problems = open_page(browser, path)
    last = len(page_data(path.read_text())["frames"]) - 1
    page.click("#play")
    assert page.text_content("#play").strip() == "Pause"
    page.wait_for_function(f"document.body.dataset.frame === '{last}'", timeout=10_000)
    assert page.text_content("#play").strip() == "Play"            # stops at the last frame
    assert page.evaluate("document.body.dataset.kind") == "update"
    page.click("#reset")
    assert page.evaluate("document.body.dataset.frame") == "0"
    assert page.evaluate("document.body.dataset.kind") == "forward"
    page.keyboard.press(" ")                                   # space plays too
    page.wait_for_function("Number(document.body.dataset.frame) >= 1", timeout=10_000)
    page.keyboard.press(" ")                                   # ... and pauses
    frame = page.evaluate("document.body.dataset.frame")
    page.wait_for_timeout(200)
    assert page.evaluate("document.body.dataset.frame") == frame
    assert problems == [] and all(u.startswith("file://") for u in requests)
    page.close()


def inside(box, outer, slack=0.5):
    return (box[0] >= outer[0] - slack and box[1] >= outer[1] - slack
            and box[2] <= outer[2] + slack and box[3] <= outer[3] + slack)


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1280, 800), (1920, 1080)])
def test_controls_stay_in_the_viewport_at_every_frame(browser, tmp_path, width, height):
    y, _ = mlp()
    path = save_stepper(y, tmp_path / "mlp.html", update=0.1)
    frames = page_data(path.read_text())["frames"]
    assert {"forward", "start", "step", "update"} <= set(kinds({"frames": frames}))
    assert max(f["sentence"].count("\n") for f in frames) >= 8     # long sentences too
    page, requests, problems = open_page(browser, path, width, height)
    screen = [0, 0, width, height]
    for k in range(len(frames)):
        go(page, k)
        for sel in CONTROLS:
            b = page.locator(sel).bounding_box()
            assert b is not None and b["width"] > 0, (k, sel)
            assert inside([b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]],
                          screen), (k, sel, b)
        assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert problems == [] and all(u.startswith("file://") for u in requests)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("case", ["tanh neuron", "MLP(2, [4, 4, 1]) by neuron, collapsed"])
def test_fit_shows_the_whole_graph_legibly_on_a_projector(browser, tmp_path, case):
    if case == "tanh neuron":
        root, options = neuron()[0], {}
    else:
        root, options = mlp((4, 4, 1))[0], {"by": "neuron", "collapse": "neuron"}
    path = save_stepper(root, tmp_path / "fit.html", **options)
    page, _, problems = open_page(browser, path, 1920, 1080)
    page.keyboard.press("+")
    page.keyboard.press("+")
    page.click("#fit")
    m = page.evaluate(MEASURE)
    assert inside(m["graph"], m["panel"]), m
    assert m["text"] >= 12, m                    # CSS px of the smallest node text
    assert problems == []
    page.close()


@pytest.mark.browser
def test_zoom_keys_wheel_and_drag_change_the_view(browser, tmp_path):
    y, _ = mlp()
    path = save_stepper(y, tmp_path / "zoom.html")
    page, _, problems = open_page(browser, path)
    start = page.evaluate(MEASURE)
    assert start["box_text"] == pytest.approx(10, abs=0.01)   # too big to read whole: 10 px
    page.keyboard.press("0")
    fit = page.evaluate(MEASURE)
    assert inside(fit["graph"], fit["panel"]) and fit["scale"] < start["scale"]
    fit = fit["scale"]
    page.keyboard.press("+")
    bigger = page.evaluate(MEASURE)["scale"]
    assert bigger == pytest.approx(fit * 1.25, rel=1e-3)
    page.keyboard.press("-")
    page.keyboard.press("-")
    assert page.evaluate(MEASURE)["scale"] < fit
    page.keyboard.press("0")
    assert page.evaluate(MEASURE)["scale"] == pytest.approx(fit, rel=1e-6)
    box = page.locator("#graph").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(cx, cy)
    page.mouse.wheel(0, -300)
    assert page.evaluate(MEASURE)["scale"] > fit
    before = page.evaluate("document.getElementById('graph-svg').getAttribute('viewBox')")
    page.mouse.move(cx, cy)
    page.mouse.down()
    page.mouse.move(cx + 120, cy + 40, steps=4)
    page.mouse.up()
    after = page.evaluate("document.getElementById('graph-svg').getAttribute('viewBox')")
    x0, y0 = map(float, before.split()[:2])
    x1, y1 = map(float, after.split()[:2])
    s = page.evaluate(MEASURE)["scale"]
    assert (x0 - x1) * s == pytest.approx(120, abs=2) and (y0 - y1) * s == pytest.approx(40, abs=2)
    assert problems == []
    page.close()


@pytest.mark.browser
def test_the_current_node_is_scrolled_into_view(browser, tmp_path):
    y, _ = mlp()
    path = save_stepper(y, tmp_path / "scroll.html", forward=False)
    page, _, problems = open_page(browser, path)
    for _ in range(4):
        page.keyboard.press("+")              # far too close to see the whole graph
    panel = page.locator("#graph").bounding_box()
    outer = [panel["x"], panel["y"], panel["x"] + panel["width"], panel["y"] + panel["height"]]
    frames = page_data(path.read_text())["frames"]
    ids = draw_graph(y).node_ids
    steps = list(backward_steps(y))
    assert len(frames) == len(steps) + 1
    for k, s in enumerate(steps, 1):
        go(page, k)
        b = page.locator(f"#{ids[s.node]}").bounding_box()      # the node's own box
        assert inside([b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]],
                      outer), (k, s.name)
    assert problems == []
    page.close()


# -- a network at lecture scale: a batch loss, stepped by neuron, neurons collapsed ------
def batch_loss(samples=2, sizes=(3, 1)):
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, list(sizes), seed=0)
    xs, ys = [[2.0, -1.0], [0.5, 1.0], [-1.0, 0.25]][:samples], [1.0, -1.0, 0.5]
    loss = sum((model(x) - y) ** 2 for x, y in zip(xs, ys))
    loss.label = "loss"
    return loss, model


def lecture_page(**options):
    """The recommended network page and, for reference, the same graph (not yet stepped):
    (page data, reference root, its model, element id of each node, node id of each node)."""
    loss, _ = batch_loss()
    data = page_data(stepper_html(loss, by="neuron", collapse="neuron", **options))
    ref, ref_model = batch_loss()
    boxes = draw_graph(ref, collapse="neuron").node_ids
    nids = {n: f"n{i}" for i, n in enumerate(autograd.graph.topo_order(ref))}   # stable ids
    return data, ref, ref_model, boxes, nids


def test_collapsed_neurons_show_their_parameters_gradients_step_by_step():
    data, ref, model, boxes, nids = lecture_page()
    steps = list(backward_steps(ref, by="neuron"))
    frames = [f for f in data["frames"] if f["kind"] == "step"]
    params = list(model.parameters())
    shown = {}
    for f, s in zip(frames, steps):
        sets = {(i, slot): (text, cls) for i, slot, text, cls in f["set"]}
        for st in s.states:      # every parameter the step reached, as the explainer says
            if st.node in params:
                assert sets[boxes[st.node], f"{nids[st.node]}.grad"] == (
                    st.text(fmt), f"grad-{st.status}")
        shown.update({k: v for k, v in sets.items() if k[1].endswith(".grad")})
    assert len(shown) == len(params)
    for p in params:             # the last frame: every gradient as backward() leaves it
        assert shown[boxes[p], f"{nids[p]}.grad"] == (fmt(p.grad), "grad-final")


def test_the_page_quiz_asks_every_step_for_the_numbers_it_makes():
    from autograd.explainer.quizcore import hint_for, step_questions, true_answer
    data, ref, model, boxes, nids = lecture_page(update=0.1)
    frames = data["frames"]
    params = set(model.parameters())
    for f in frames[1:]:         # every frame with new numbers asks for them ...
        if f["kind"] != "start":
            assert f["ask"], f["counter"]
        sets = {(i, slot) for i, slot, *_ in f["set"]}
        for a in f["ask"]:       # ... and hides each one that the graph shows, in that frame
            for i, slot, text, cls in a["hide"]:
                assert (i, slot) in sets and "?" in text and "quiz-hidden" in cls
    steps = list(backward_steps(ref, by="neuron"))
    for f, s in zip([f for f in frames if f["kind"] == "step"], steps):
        asked = {a["label"]: a for a in f["ask"]}
        for child, name, terms in step_questions(s):          # the REPL quiz's questions
            label = f"{name}.grad"
            if child in params:                           # a neuron's weights: always asked
                assert asked[label]["hide"] == [[boxes[child], f"{nids[child]}.grad", "?",
                                                 "quiz-hidden grad-waiting"]]
            if label in asked:                            # with its answer and its hint
                assert float(asked[label]["answer"]) == true_answer(terms)
                assert asked[label]["hint"] == hint_for(name, terms)
        if s.group:              # a neuron step: the parameters it reached are asked
            assert any(c in params for c, _, _ in step_questions(s)) and asked
    names = autograd.explainer.names(ref)
    assert {a["label"] for a in frames[-1]["ask"]} == {f"new {names[p]}" for p in params}


def boxes_of(page, selectors):
    out = {}
    for sel in selectors:
        b = page.locator(sel).bounding_box()
        assert b is not None and b["width"] > 0 and b["height"] > 0, sel
        out[sel] = [b["x"], b["y"], b["x"] + b["width"], b["y"] + b["height"]]
    return out


def overlap(a, b, slack=0.5):
    return a[0] < b[2] - slack and b[0] < a[2] - slack and a[1] < b[3] - slack \
        and b[1] < a[3] - slack


@pytest.mark.browser
def test_page_quiz_hides_what_it_asks_and_hints_with_the_formula(browser, tmp_path):
    loss, _ = batch_loss()
    path = save_stepper(loss, tmp_path / "quiz.html", by="neuron", collapse="neuron",
                        update=0.1)
    frames = page_data(path.read_text())["frames"]
    page, requests, problems = open_page(browser, path)
    page.click("#quiz-toggle")
    checked = 0
    for k, f in enumerate(frames):
        go(page, k)
        if not f["ask"]:
            assert page.is_visible("#sentence") and not page.is_visible("#quiz-rows")
            assert "nothing to predict" in page.text_content("#quiz .quiz-status")
            continue
        # asked: the questions take the sentence's place; the graph shows "?" instead
        assert page.is_visible("#quiz-rows") and not page.is_visible("#sentence")
        assert f["sentence"] not in page.text_content("#sentence")
        labels = page.locator("#quiz-rows label").all_text_contents()
        assert labels == [a["label"] + " =" for a in f["ask"]], f["counter"]
        for a in f["ask"]:
            for i, slot, text, _ in a["hide"]:
                assert page.text_content(f'#{i} text[data-slot="{slot}"]') == text
        if f["kind"] == "step" and checked < 2:      # a wrong answer shows the formula
            checked += 1
            first, a = page.locator("#quiz-rows .quiz-row").first, f["ask"][0]
            first.locator(".quiz-answer").fill("123456")
            first.locator(".quiz-check").click()
            hint = page.locator("#quiz-rows .quiz-hint").first
            assert hint.is_visible() and hint.text_content() == a["hint"]
            assert a["hint"].startswith("hint: ") and "∂" in a["hint"]
        for n, a in enumerate(f["ask"]):           # the right answers: everything shows
            row = page.locator("#quiz-rows .quiz-row").nth(n)
            row.locator(".quiz-answer").fill(a["answer"])
            row.locator(".quiz-check").click()
        assert page.is_visible("#sentence") and not page.is_visible("#quiz-rows")
        assert page.text_content("#sentence") == f["sentence"]
        for a in f["ask"]:
            for i, slot, _, _ in a["hide"]:
                real = [t for j, s, t, _ in f["set"] if (j, s) == (i, slot)][-1]
                assert page.text_content(f'#{i} text[data-slot="{slot}"]') == real
    assert checked == 2
    status = page.text_content("#quiz .quiz-status")
    total = sum(len(f["ask"]) for f in frames)
    assert f"score {total}/{total}" in status
    assert problems == [] and all(u.startswith("file://") for u in requests)
    page.close()


@pytest.mark.browser
@pytest.mark.parametrize("width,height", [(1280, 800), (1920, 1080)])
def test_quiz_and_controls_stay_in_view_and_apart(browser, tmp_path, width, height):
    loss, _ = batch_loss(samples=3, sizes=(4, 1))
    path = save_stepper(loss, tmp_path / "q.html", by="neuron", collapse="neuron",
                        update=0.1)
    frames = page_data(path.read_text())["frames"]
    page, _, problems = open_page(browser, path, width, height)
    page.click("#quiz-toggle")
    screen = [0, 0, width, height]
    asked = 0
    for k, f in enumerate(frames):
        go(page, k)
        parts = ["#reset", "#prev", "#play", "#next", "#slider", "#counter", "#quiz-toggle",
                 "#quiz .quiz-status", ".legend"]
        if f["ask"]:
            asked += 1
            row = page.locator("#quiz-rows .quiz-row").first
            if k % 3 == 0:                    # a hint opened under the first row
                row.locator(".quiz-answer").fill("99999")
                row.locator(".quiz-check").click()
            parts += ["#quiz-rows", "#quiz-rows .quiz-answer >> nth=0",
                      "#quiz-rows .quiz-check >> nth=0", "#quiz-rows .quiz-reveal >> nth=0"]
        else:
            parts.append("#sentence")
        box = boxes_of(page, parts)
        for sel, b in box.items():
            assert inside(b, screen), (k, sel, b)
        zone = box.get("#quiz-rows") or box["#sentence"]
        for other in (".legend", "#quiz .quiz-status", "#slider", "#next"):
            assert not overlap(zone, box[other]), (k, other)
        if f["ask"]:     # the first answer box and its buttons are visible in the rows box
            for sel in ("#quiz-rows .quiz-answer >> nth=0", "#quiz-rows .quiz-check >> nth=0"):
                assert inside(box[sel], zone), (k, sel)
                assert not overlap(box[sel], box[".legend"]), (k, sel)
        assert page.evaluate("document.documentElement.scrollHeight") <= height
    assert asked > 10 and problems == []
    page.close()


def readme_neuron():
    """The README's neuron: drawn after backward(), then zero_grad() before the page."""
    o, leaves = neuron()
    o.backward()
    return o, leaves


@pytest.mark.browser
@pytest.mark.parametrize("zeroed", [True, False])
def test_the_page_opens_on_the_whole_graph_centred_with_grads_as_the_sentence_says(
        browser, tmp_path, zeroed):
    o, leaves = readme_neuron()
    if zeroed:
        o.zero_grad()
    path = save_stepper(o, tmp_path / "backprop.html", params=leaves[2:], update=0.1)
    frames = page_data(path.read_text())["frames"]
    page, _, problems = open_page(browser, path, 1280, 800)
    opened = page.evaluate(MEASURE)
    page.click("#fit")
    fitted = page.evaluate(MEASURE)
    assert opened["scale"] == pytest.approx(fitted["scale"], rel=1e-6)   # opens as Fit
    assert inside(opened["graph"], opened["panel"]), opened
    left = opened["graph"][0] - opened["panel"][0]
    right = opened["panel"][2] - opened["graph"][2]
    top = opened["graph"][1] - opened["panel"][1]
    bottom_ = opened["panel"][3] - opened["graph"][3]
    assert abs(left - right) <= 2 and abs(top - bottom_) <= 2, opened      # centred
    start = next(k for k, f in enumerate(frames) if f["kind"] == "start")
    go(page, start)
    m = page.evaluate(MEASURE)
    assert inside(m["graph"], m["panel"]), m            # "Step 0" still shows all of it
    grads = page.eval_on_selector_all("#graph-svg text[data-slot=grad]",
                                      "els => els.map(e => e.textContent)")
    held = [g for g in grads if g.endswith(" + ?")]
    sentence = page.text_content("#sentence")
    legend = page.text_content(".legend")
    if zeroed:
        assert "no gradient yet" in sentence and set(grads) == {"grad ?"}
        assert "earlier pass" not in legend
    else:
        n = int(re.search(r"(\d+) nodes? already hold", sentence).group(1))
        assert len(held) == n > 1                       # the boxes say it too: "0.5 + ?"
        assert "0.5 + ? held from an earlier pass" in legend
    assert problems == []
    page.close()


@pytest.mark.browser
def test_a_graph_too_big_to_read_whole_opens_at_its_inputs(browser, tmp_path):
    loss, _ = batch_loss()
    path = save_stepper(loss, tmp_path / "big.html", by="neuron", collapse="neuron")
    page, _, problems = open_page(browser, path, 1280, 800)
    m = page.evaluate(MEASURE)
    assert m["box_text"] == pytest.approx(10, abs=0.01)       # zoomed in to 10 px text
    assert m["graph"][0] == pytest.approx(m["panel"][0], abs=2)   # no empty margin left of
    inputs = page.eval_on_selector_all(                             # the inputs, in view
        "#graph-svg g.node.input", "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.left, r.top, r.right, r.bottom]; })")
    assert inputs and all(inside(b, m["panel"]) for b in inputs)
    assert problems == []
    page.close()
