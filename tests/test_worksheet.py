"""The printable worksheet: blanks and answer key from the graph's own numbers, two pages."""

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import autograd
from autograd import MLP, Value
from autograd.explainer import fmt, names
from autograd.viz.worksheet import save_worksheet, worksheet_html

EVIL = "<script>alert('x')</script>"
CHROMIUM = "/usr/bin/chromium"


def graph(label="x"):
    x, w = Value(1.5, label=label), Value(-2.0, label="w")
    b = Value(0.5, label="b")
    z = x * w + b + x * 3        # x used twice, a constant inline
    z.label = "z"
    y = z.tanh()
    y.label = "y"
    return y


def parse(page):
    """The page as XML (it is well-formed XHTML)."""
    return ET.fromstring(page.split("\n", 1)[1])


def cells(section, table, cls):
    return {td.get("data-node"): (td.text or "")
            for td in section.iterfind(f".//table[@class='{table}']//td[@class='{cls}']")}


def sections(page):
    root = parse(page)
    found = {s.get("class"): s for s in root.iter("section")}
    return found["student"], found["key"]


def test_blanks_and_answer_key_match_the_graph():
    y = graph()
    page = worksheet_html(y)
    reference = graph()                         # the same graph, for the true numbers
    reference.backward()
    shown = names(reference)
    computed = {shown[n]: n for n in autograd.graph.topo_order(reference) if n._prev}
    leaves = {shown[n]: n for n in autograd.graph.topo_order(reference)
              if not n._prev and n.requires_grad}
    student, key = sections(page)
    # forward: every computed value blank for the student, given in the key; inputs given
    assert set(cells(student, "forward", "blank")) == set(computed)
    assert all(text == "" for text in cells(student, "forward", "blank").values())
    assert cells(key, "forward", "answer") == {k: fmt(n.data) for k, n in computed.items()}
    assert cells(student, "forward", "num") == {k: fmt(n.data) for k, n in leaves.items()}
    # backward: every gradient but the root's seed blank; the key holds backward()'s numbers
    needing = {**computed, **leaves}
    del needing["y"]
    assert set(cells(student, "backward", "blank")) == set(needing)
    assert cells(key, "backward", "answer") == {k: fmt(n.grad) for k, n in needing.items()}
    assert cells(student, "backward", "num") == {"y": "1.0 (the seed)"}
    # the key explains every step; the student's page does not give the numbers away
    sentences = [s.sentence for s in autograd.backward_steps(graph())]
    assert [pre.text for pre in key.iter("pre")] == sentences
    assert not list(student.iter("pre"))
    assert "∂tanh(x)/∂x = 1 − tanh(x)²" in "".join(student.itertext())    # the rules used


def test_gradients_are_left_as_they_were_and_the_file_is_written(tmp_path):
    y = graph()
    y.backward()
    y.backward()                                 # accumulated: twice one pass's gradients
    before = {n: n.grad for n in autograd.graph.topo_order(y)}
    path = save_worksheet(y, tmp_path / "sheet.html", title="Lab 3")
    assert {n: n.grad for n in autograd.graph.topo_order(y)} == before
    text = path.read_text(encoding="utf-8")
    assert text == worksheet_html(y, title="Lab 3") and "<title>Lab 3</title>" in text
    # the key holds one pass's gradients, not the accumulated ones
    _, key = sections(text)
    fresh = graph()
    fresh.backward()
    w = next(n for n in autograd.graph.topo_order(fresh) if n.label == "w")
    assert cells(key, "backward", "answer")["w"] == fmt(w.grad)


def test_network_inputs_are_given_and_labels_escaped():
    model = MLP(2, [2, 1], seed=1)
    out = model([0.5, -1.0])
    page = worksheet_html(out)
    student, _ = sections(page)
    given = cells(student, "forward", "num")
    assert {"x1", "x2"} <= set(given) and given["x1"] == "0.5"
    evil = worksheet_html(graph(EVIL), title=EVIL)
    assert "<script" not in evil and "&lt;script&gt;" in evil
    assert EVIL in "".join(parse(evil).itertext())


def test_checks():
    y = graph()
    with pytest.raises(TypeError, match=r"save_worksheet\(\): root must be a Value"):
        worksheet_html(1.0)
    with pytest.raises(ValueError, match=r"more than max_nodes=3 fit a worksheet"):
        worksheet_html(y, max_nodes=3)
    with autograd.no_grad():
        c = Value(1.0) * 2
    with pytest.raises(ValueError, match="needs no gradient"):
        worksheet_html(c)
    with pytest.raises(ValueError, match=r"grad must be a finite number"):
        worksheet_html(y, grad=math.nan)


@pytest.mark.browser
def test_prints_to_pdf_with_the_answer_key_on_its_own_page(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    x = Value(2.0, label="x")
    y = x * x + 1
    y.label = "y"
    path = save_worksheet(y, tmp_path / "sheet.html")
    no_break = tmp_path / "no_break.html"
    no_break.write_text(path.read_text(encoding="utf-8").replace(
        ".key { break-before: page; page-break-before: always; }", ""), encoding="utf-8")
    counts = {}
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page()
        for f in (path, no_break):
            page.goto(f.as_uri())
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4")
            assert pdf.startswith(b"%PDF")
            counts[f.name] = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        page.goto(path.as_uri())
        page.emulate_media(media="print")
        assert page.eval_on_selector(".key", "e => getComputedStyle(e).breakBefore") == "page"
        browser.close()
    assert counts["sheet.html"] == 2          # the student's page, then the key
    assert counts["no_break.html"] == 1       # the same content fits one page: the break splits
