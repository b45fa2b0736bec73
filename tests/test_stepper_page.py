"""The backprop stepper page: its content, and driven in real headless Chromium."""

import json
import re
import shutil
from pathlib import Path

import pytest

pytest.importorskip("graphviz")
if shutil.which("dot") is None:
    pytest.skip("Graphviz 'dot' not installed", allow_module_level=True)

import autograd
from autograd import Value, draw_graph
from autograd.explainer import backward_steps
from autograd.viz import GraphTooLarge, save_stepper, stepper_html

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
EVIL = "<script>alert('x')</script>"


def neuron(evil_label=False):
    x1 = Value(2.0, label=EVIL if evil_label else "x1")
    x2, w1 = Value(0.0, label="x2"), Value(-3.0, label="w1")
    w2, b = Value(1.0, label="w2"), Value(6.881373587019543, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, [x1, x2, w1, w2, b]


def page_data(html):
    block = re.search(r'<script type="application/json" id="stepper-data">(.*?)</script>',
                      html, re.DOTALL)
    return json.loads(block.group(1))


def test_page_is_one_self_contained_file():
    html = stepper_html(neuron()[0])
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 1
    assert not re.search(r"<link|<img|<iframe|\bsrc=|@import|url\(", html)
    urls = set(re.findall(r"https?://[^\"'\s)]*", html))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}


def test_frames_follow_the_explainers_steps():
    o, _ = neuron()
    data = page_data(stepper_html(o))
    o2, _ = neuron()
    steps = list(backward_steps(o2))
    assert [s["sentence"] for s in data["steps"]] == [s.sentence for s in steps]
    ids = draw_graph(o2).node_ids
    assert [s["node"] for s in data["steps"]] == [ids[s.node] for s in steps]
    assert data["steps"][0]["set"][0] == [ids[o2], "1.0"]        # the root's seed
    assert data["nodes"] == [ids[n] for n in autograd.graph.topo_order(o2)]


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
    save_stepper(o, tmp_path / "page.html")
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


def test_size_guard_and_options():
    y = Value(1.0, label="x")
    for _ in range(350):
        y = y + 1
    with pytest.raises(GraphTooLarge, match="max_nodes"):
        stepper_html(y)
    o, _ = neuron()
    assert "rankdir" not in stepper_html(o, rankdir="TB")  # laid out, not passed through
    for bad in (dict(rankdir="sideways"), dict(interval_ms=0), dict(fmt="q")):
        with pytest.raises(ValueError):
            stepper_html(o, **bad)


# -- in a real browser -----------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, path):
    """Load the file, failing every non-file request and recording all of them."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
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


@pytest.mark.browser
def test_stepper_in_chromium(browser, tmp_path):
    o, leaves = neuron(evil_label=True)
    path = save_stepper(o, tmp_path / "backprop.html", title="o = tanh(x1·w1 + x2·w2 + b)")
    ids = draw_graph(o).node_ids
    steps = list(backward_steps(o))      # the page is written: now run the pass here too
    n = len(steps)
    page, requests, problems = open_page(browser, path)

    assert shown(page) == (f"Step 0 of {n}", page.text_content("#sentence"), [])
    assert page.text_content("#sentence").startswith("Forward pass done")
    assert page.is_disabled("#prev") and page.is_enabled("#next")
    root_grad = page.locator(f"#{ids[o]} text").last
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
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowLeft")
    assert shown(page)[:2] == (f"Step 4 of {n}", steps[3].sentence)
    x1_grad = page.locator(f"#{ids[leaves[0]]} text").last
    assert x1_grad.text_content() in ("grad ?", "grad -1.5…")   # not final yet
    # the malicious label is shown as text, never run
    assert EVIL in page.text_content(f"#{ids[leaves[0]]}")

    page.locator("#slider").fill(str(n))
    assert shown(page)[0] == f"Step {n} of {n}" and page.is_disabled("#next")
    for leaf in leaves:                    # every gradient final, as backward() gives it
        text = page.locator(f"#{ids[leaf]} text").last.text_content()
        assert text == f"grad {autograd.explainer.fmt(leaf.grad)}", leaf.label
    page.keyboard.press("Home")
    assert shown(page) == (f"Step 0 of {n}", page.text_content("#sentence"), [])
    page.screenshot(path=str(tmp_path / "stepper-start.png"), full_page=True)
    page.keyboard.press("End")
    page.screenshot(path=str(tmp_path / "stepper-end.png"), full_page=True)
    assert (tmp_path / "stepper-end.png").stat().st_size > 10_000

    assert problems == []
    assert requests and all(u.startswith("file://") for u in requests), requests
    page.close()


@pytest.mark.browser
def test_play_runs_to_the_end_and_reset_goes_back(browser, tmp_path):
    o, _ = neuron()
    path = save_stepper(o, tmp_path / "play.html", interval_ms=50)
    page, requests, problems = open_page(browser, path)
    n = len(page_data(path.read_text())["steps"])
    page.click("#play")
    assert page.text_content("#play") == "⏸ Pause"
    page.wait_for_function(f"document.body.dataset.frame === '{n}'", timeout=10_000)
    assert page.text_content("#play") == "▶ Play"            # stops at the last frame
    page.click("#reset")
    assert page.evaluate("document.body.dataset.frame") == "0"
    page.keyboard.press(" ")                                   # space plays too
    page.wait_for_function("Number(document.body.dataset.frame) >= 1", timeout=10_000)
    page.keyboard.press(" ")                                   # ... and pauses
    frame = page.evaluate("document.body.dataset.frame")
    page.wait_for_timeout(200)
    assert page.evaluate("document.body.dataset.frame") == frame
    assert problems == [] and all(u.startswith("file://") for u in requests)
    page.close()
