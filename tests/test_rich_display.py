"""Rich display in notebooks: HTML views that parse, diagrams as SVG, the stepper page inline."""

import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

import autograd
from autograd import MLP, Stepper, Value, explain, trace, tree

EVIL = "<script>alert('x')</script>"


def neuron(label="x1"):
    x1, x2 = Value(2.0, label=label), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b + x1       # x1 is used twice: a pending gradient on the way
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, x1


def text_of(element):
    return "".join(element.itertext())


def test_trace_renders_as_a_table_with_the_same_cells():
    o, _ = neuron(EVIL)
    table = trace(o)
    root = ET.fromstring(table._repr_html_())          # well-formed XHTML
    assert root.tag == "table"
    head = [text_of(th) for th in root.find("thead").iter("th")]
    rows = [[text_of(td) for td in tr] for tr in root.find("tbody").iter("tr")]
    assert head == list(table.header)
    assert rows == [list(r) for r in table.rows]
    assert any(EVIL in cell for row in rows for cell in row)   # the label, as text
    assert "<script" not in table._repr_html_()


def test_tree_and_explain_render_as_preformatted_text():
    o, x1 = neuron(EVIL)
    o.backward()
    for view in (tree(o), explain(x1)):
        html = view._repr_html_()
        element = ET.fromstring(html)
        assert element.tag == "pre" and text_of(element) == str(view)
        assert "<script" not in html
        assert repr(view) == str(view)                  # the REPL keeps plain text


def test_a_pending_gradient_is_marked_in_the_stepper_table():
    o, _ = neuron()
    s = Stepper(o)
    s.step()
    s.step()                                           # x1 has 1 of its 2 uses
    root = ET.fromstring(s._repr_html_())
    marked = [text_of(span) for span in root.iter("span") if span.get("title") == "not final yet"]
    assert marked and all(re.fullmatch(r"\(\d+ of \d+ uses?\)", m) for m in marked)
    assert any(m == "(1 of 2 uses)" for m in marked)


def test_steps_and_stepper_render_their_sentences(capsys):
    o, _ = neuron()
    s = Stepper(o, echo=True)
    start = ET.fromstring(s._repr_html_())
    assert start.find("progress").get("value") == "0"
    first = s.step()
    capsys.readouterr()
    element = ET.fromstring(first._repr_html_())
    head, _, rest = first.sentence.partition("\n")
    assert text_of(element.find(".//b")) == head and text_of(element.find("pre")) == rest
    middle = ET.fromstring(s._repr_html_())
    assert capsys.readouterr().out == ""               # rendering never echoes
    assert middle.find("progress").get("value") == "1"
    assert middle.find("progress").get("max") == str(s.total)
    assert head in text_of(middle) and repr(s) in text_of(middle)
    steps = s.run()
    capsys.readouterr()
    boxes = ET.fromstring(steps._repr_html_())
    assert len(boxes) == len(steps) == s.total - 1
    for box, step in zip(boxes, steps):
        assert text_of(box.find(".//b")) == step.sentence.partition("\n")[0]
    assert text_of(ET.fromstring(autograd.explainer.Steps()._repr_html_())) == "(no steps)"
    assert repr(steps) == "\n".join(st.sentence for st in steps)
    assert repr(s).startswith("<Stepper of o")


needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' missing")


@needs_dot
def test_a_diagram_shows_as_svg():
    pytest.importorskip("graphviz")
    o, _ = neuron(EVIL)
    bundle = autograd.draw_graph(o)._repr_mimebundle_()
    svg = ET.fromstring(bundle["image/svg+xml"].encode())
    assert svg.tag.endswith("svg")


class Tags(HTMLParser):
    """Every start tag with its attributes (entities decoded, as a browser reads them)."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


@needs_dot
def test_inline_stepper_is_a_sandboxed_self_contained_iframe():
    pytest.importorskip("graphviz")
    from autograd.viz.inline import DEFAULT_HEIGHT, show_stepper
    o, _ = neuron(EVIL)
    o.backward()
    before = {n: n.grad for n in autograd.graph.topo_order(o)}
    shown = show_stepper(o)
    assert {n: n.grad for n in autograd.graph.topo_order(o)} == before
    iframe = shown._repr_html_()
    parser = Tags()
    parser.feed(iframe)
    assert [t for t, _ in parser.tags] == ["iframe"]      # nothing else, no script
    attrs = parser.tags[0][1]
    assert attrs["sandbox"] == "allow-scripts"           # no same-origin, no forms, no popups
    assert "src" not in attrs and attrs["srcdoc"] == shown.page
    assert f"height:{DEFAULT_HEIGHT}px" in attrs["style"] and DEFAULT_HEIGHT >= 600
    page = attrs["srcdoc"]
    assert page.startswith("<!DOCTYPE html>") and 'id="quiz-toggle"' not in page  # made by JS
    assert "quiz-toggle" in page and 'id="next"' in page and 'id="slider"' in page
    assert not re.search(r"<link|<img|<iframe|\bsrc=|@import|url\(", page)
    urls = set(re.findall(r"https?://[^\"'\s)<]*", page))
    assert urls <= {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<script" not in iframe                        # escaped once more in srcdoc
    with pytest.raises(ValueError, match=r"show_stepper\(\): height must be an int in "
                                         r"\[200, 4000\], got 10"):
        show_stepper(o, height=10)
    assert "characters" in repr(shown)


# -- in a real browser -----------------------------------------------------------------
# (the `browser` fixture is in tests/conftest.py)


def notebook_page(browser, iframe_html):
    """A page like a notebook's output area (980 px wide) holding the iframe."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append("dialog: " + d.message), d.dismiss()))
    page.set_content("<!DOCTYPE html><html><body style='margin:0'><div style='width:980px'>"
                     f"<p>In [3]:</p>{iframe_html}</div></body></html>")
    return page, requests, problems


def bottom(box, frame_box):
    return box["y"] + box["height"] - frame_box["y"]


@needs_dot
@pytest.mark.browser
def test_inline_stepper_runs_in_chromium_with_its_controls_in_view(browser):
    pytest.importorskip("graphviz")
    from autograd.viz.inline import show_stepper
    o, _ = neuron(EVIL)
    shown = show_stepper(o)
    page, requests, problems = notebook_page(browser, shown._repr_html_())
    frame = page.frame_locator("iframe")
    box = page.locator("iframe").bounding_box()
    assert box["height"] == pytest.approx(shown.height, abs=3)
    counter = frame.locator("#counter")
    first = counter.text_content()
    frame.locator("#next").click()
    assert counter.text_content() != first                      # Next advances the frame
    assert frame.locator("body").get_attribute("data-frame") == "1"
    frame.locator("#prev").click()
    assert counter.text_content() == first
    titles = frame.locator("g.node > title").all_text_contents()
    assert EVIL in titles                                       # the label shows as text …
    assert problems == []                                       # … and never runs
    assert all(not u.startswith(("http:", "https:", "file:")) for u in requests), requests


@needs_dot
@pytest.mark.browser
def test_inline_controls_and_quiz_stay_inside_the_iframe_at_every_frame(browser):
    pytest.importorskip("graphviz")
    from autograd.viz.inline import show_stepper
    model = MLP(2, [3, 1], seed=0)
    y = model([1.0, -2.0])
    shown = show_stepper(y)
    page, _, problems = notebook_page(browser, shown._repr_html_())
    frame = page.frame_locator("iframe")
    box = page.locator("iframe").bounding_box()
    frame.locator("#quiz-toggle").click()
    seen = asked = 0
    while True:
        asking = frame.locator("#quiz-rows").is_visible()
        assert asking != frame.locator("#sentence").is_visible()   # questions, or the sentence
        visible = ["#next", "#prev", "#slider", "#quiz-toggle", "#quiz",
                   "#quiz-rows" if asking else "#sentence"]
        if asking:      # the first question's answer box and buttons can be used
            asked += 1
            visible += ["#quiz-rows .quiz-answer >> nth=0", "#quiz-rows .quiz-check >> nth=0",
                        "#quiz-rows .quiz-reveal >> nth=0"]
        for sel in visible:
            b = frame.locator(sel).bounding_box()
            assert b is not None and b["y"] >= box["y"] - 0.5, sel
            assert bottom(b, box) <= box["height"] + 0.5, (sel, seen)
        seen += 1
        if frame.locator("#next").is_disabled():
            break
        frame.locator("#next").click()
    assert seen > 5 and asked > 3 and problems == []
