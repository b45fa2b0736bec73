"""Diagrams: real SVG rendered by Graphviz dot, parsed and checked element by element."""

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

graphviz = pytest.importorskip("graphviz")

import autograd  # noqa: E402
from autograd import Scope, Value, draw_dot, draw_graph, scope  # noqa: E402
from autograd.viz import COLORS, HIGHLIGHT, GraphTooLarge  # noqa: E402

from .exprs import karpathy_neuron  # noqa: E402

needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")
SVG = "{http://www.w3.org/2000/svg}"


def neuron():
    """karpathy's neuron o = tanh(x1·w1 + x2·w2 + b), after backward()."""
    o, leaves = karpathy_neuron()
    o.backward()
    return o, leaves


def render(diagram):
    """Parsed SVG: {element id: <g>} for nodes, edges and clusters."""
    root = ET.fromstring(diagram.pipe(format="svg"))
    out = {}
    for g in root.iter(f"{SVG}g"):
        cls = g.get("class", "")
        if cls.split()[:1] and cls.split()[0] in ("node", "edge", "cluster"):
            out[g.get("id")] = g
    return out


def texts(g):
    return [t.text or "" for t in g.iter(f"{SVG}text")]


def kind(elements, name):
    return {k: g for k, g in elements.items() if g.get("class").split()[0] == name}


def outline(g):
    """Stroke colour of a node's own shape (the first path/ellipse/polygon)."""
    for el in g:
        if el.tag in (f"{SVG}path", f"{SVG}ellipse", f"{SVG}polygon"):
            return el.get("stroke")
    return None


@needs_dot
def test_neuron_svg_has_every_value_and_op_with_numbers():
    o, v = neuron()
    d = draw_graph(o)
    assert isinstance(d, graphviz.Digraph)
    el = render(d)
    nodes = kind(el, "node")
    values = [k for k, g in nodes.items() if "value" in g.get("class")]
    ops = [k for k, g in nodes.items() if g.get("class").split()[1:2] == ["op"]]
    assert len(values) == len(autograd.graph.topo_order(o)) == 10
    assert len(ops) == 5                        # 2 ×, 2 +, tanh
    assert len(kind(el, "edge")) == 5 + 9       # op→result, and 2+2+2+2+1 inputs into ops
    box = el[d.node_ids[v["w1"]]]
    assert texts(box) == ["w1", "data -3.0", "grad 1.0"]
    assert texts(el[d.node_ids[o]]) == ["o", "data 0.7071", "grad 1.0"]
    assert "tanh" in texts(el[d.node_ids[o] + "op"])


@needs_dot
def test_roles_are_coloured():
    o, v = neuron()
    k = Value(2.0, requires_grad=False) * v["x1"]   # an unlabelled constant 2.0
    root = k + o
    d = draw_graph(root, params=[v["w1"], v["w2"], v["b"]])
    el = render(d)

    def fill(node):
        g = el[d.node_ids[node]]
        return next(e.get("fill") for e in g if e.tag == f"{SVG}path")

    assert fill(v["w1"]) == fill(v["b"]) == COLORS["parameter"]
    assert fill(v["x1"]) == COLORS["input"]
    assert fill(root) == COLORS["output"]
    assert fill(o) == COLORS["intermediate"]
    const = next(n for n in autograd.graph.topo_order(root) if not n.requires_grad)
    assert fill(const) == COLORS["constant"] and texts(el[d.node_ids[const]]) == ["2.0"]


@needs_dot
def test_labels_with_special_characters_render_literally():
    weird = ['{a|b}', '<script>alert(1)</script>', 'say "hi"', 'back\\slash', 'θ∂∑ 💡',
             'x & y', "it's", "tab\there"]
    xs = [Value(float(i), label=s) for i, s in enumerate(weird)]
    root = autograd.sum(xs)
    root.label = "<root> | {r}"
    el = render(draw_graph(root))
    shown = [t for g in kind(el, "node").values() for t in texts(g)]
    for s in [*weird[:-1], "<root> | {r}"]:
        assert s in shown, s
    assert "tab\\there" in shown        # control characters are shown, not interpreted
    two_lines = Value(1.0, label="first\nsecond")
    el = render(draw_graph(two_lines * 2))
    shown = [t for g in kind(el, "node").values() for t in texts(g)]
    assert "first\\nsecond" in shown


@needs_dot
def test_highlight_nodes_and_paths_from_a_leaf():
    o, v = neuron()
    d = draw_graph(o, highlight=[v["b"]])
    el = render(d)
    lit = {k for k, g in kind(el, "node").items() if outline(g) == HIGHLIGHT}
    assert lit == {d.node_ids[v["b"]]}

    d = draw_graph(o, highlight_paths_from=v["w1"])
    el = render(d)
    lit = {k for k, g in kind(el, "node").items() if outline(g) == HIGHLIGHT}
    # w1 → x1·w1 → (+ x2·w2) → (+ b) → tanh: 4 results with their op circles, and w1
    on_path = [n for n in autograd.graph.topo_order(o) if n._prev and _depends(n, v["w1"])]
    assert len(on_path) == 4
    assert lit == {d.node_ids[v["w1"]]} | {d.node_ids[n] for n in on_path} | {
        d.node_ids[n] + "op" for n in on_path}
    lit_edges = {k for k, g in kind(el, "edge").items() if "highlight" in g.get("class")}
    assert len(lit_edges) == 2 * 4 and all(
        next(e.get("stroke") for e in el[k] if e.tag == f"{SVG}path") == HIGHLIGHT
        for k in lit_edges)
    with pytest.raises(ValueError, match="not in the graph"):
        draw_graph(o, highlight=[Value(1.0, label="stranger")])


def _depends(node, leaf):
    return node is leaf or any(_depends(c, leaf) for c in node._prev)


def two_neuron_layer():
    """Layer 1 with two tanh neurons and a sum, built with scope() / Scope.tag()."""
    x1, x2 = Value(1.0, label="x1"), Value(-2.0, label="x2")
    ws = [[Value(0.5, label="w1"), Value(-1.0, label="w2")],
          [Value(0.25, label="w1"), Value(2.0, label="w2")]]
    bs = [Value(0.1, label="b"), Value(-0.2, label="b")]
    outs = []
    with scope("Layer 1") as layer:
        for j in range(2):
            with scope(f"Neuron {j + 1}"):
                outs.append(autograd.dot(ws[j], [x1, x2], bs[j]).tanh())
    loss = outs[0] + outs[1]
    loss.label = "loss"
    extra = Scope("Neuron 3", layer)
    y = (x1 * 3.0).relu()
    extra.tag(y, *y._prev)          # Scope(...).tag() on existing nodes
    root = loss * y
    root.backward()
    return root, layer


@needs_dot
def test_clusters_nest_with_titles():
    root, _ = two_neuron_layer()
    d = draw_graph(root)
    el = render(d)
    clusters = kind(el, "cluster")
    titles = sorted(t for g in clusters.values() for t in texts(g))
    assert titles == ["Layer 1", "Layer 1 · Neuron 1", "Layer 1 · Neuron 2", "Layer 1 · Neuron 3"]

    def bbox(g):
        shape = next(e for e in g if e.tag in (f"{SVG}path", f"{SVG}polygon"))
        nums = list(map(float, re.findall(r"-?\d+(?:\.\d+)?",
                                          shape.get("d") or shape.get("points"))))
        return min(nums[::2]), max(nums[::2]), min(nums[1::2]), max(nums[1::2])

    boxes = {texts(g)[0]: bbox(g) for g in clusters.values()}
    tanh_node = next(n for n in autograd.graph.topo_order(root) if n._op == "tanh")
    t = next(el[d.node_ids[tanh_node]].iter(f"{SVG}text"))
    x, y = float(t.get("x")), float(t.get("y"))
    inside = [name for name, (x0, x1, y0, y1) in boxes.items() if x0 <= x <= x1 and y0 <= y <= y1]
    assert sorted(inside) in (["Layer 1", "Layer 1 · Neuron 1"], ["Layer 1", "Layer 1 · Neuron 2"])
    assert not kind(render(draw_graph(root, clusters=False)), "cluster")


@needs_dot
def test_collapse_draws_one_box_per_neuron_or_layer():
    root, _ = two_neuron_layer()
    full = kind(render(draw_graph(root)), "node")
    d = draw_graph(root, collapse="neuron")
    el = render(d)
    nodes = kind(el, "node")
    groups = {k: g for k, g in nodes.items() if "group" in g.get("class")}
    assert sorted(texts(g)[0] for g in groups.values()) == [
        "Layer 1 · Neuron 1", "Layer 1 · Neuron 2", "Layer 1 · Neuron 3"]
    assert len(nodes) < len(full)
    n1 = next(g for g in groups.values() if texts(g)[0] == "Layer 1 · Neuron 1")
    assert texts(n1)[-1] == "dot → tanh · 3 parameters"  # weights and bias went inside
    # the inputs stay outside with edges into every neuron that reads them
    x1 = next(n for n in autograd.graph.topo_order(root) if n.label == "x1")
    assert d.node_ids[x1].startswith("n")
    into = [k for k in kind(el, "edge") if k.startswith(f"j_{d.node_ids[x1]}_")]
    assert len(into) == 3
    # neuron boxes sit in the Layer 1 cluster
    assert [texts(g)[0] for g in kind(el, "cluster").values()] == ["Layer 1"]
    layer = kind(render(draw_graph(root, collapse="layer")), "node")
    assert len(layer) < len(nodes)
    assert [texts(g)[0] for g in layer.values() if "group" in g.get("class")] == ["Layer 1"]
    with pytest.raises(ValueError, match="collapse"):
        draw_graph(root, collapse="galaxy")


def test_collapse_and_roles_on_an_mlp():
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, [16, 16, 1], seed=0)
    y = model([2.0, -1.0])
    with pytest.raises(GraphTooLarge, match="collapse='neuron'"):
        draw_graph(y)
    d = draw_graph(y, collapse="neuron")
    boxes = set(d.node_ids.values())
    assert len(boxes) == 33 + 2          # a box per neuron, plus x1 and x2
    assert len(set(draw_graph(y, collapse="layer").node_ids.values())) == 3 + 2
    from autograd.viz.model import plan
    roles = plan(y, max_nodes=10_000).roles
    params = set(model.parameters())
    assert {n for n, r in roles.items() if r == "parameter"} == params


def test_size_guard_refuses_before_running_dot():
    x = Value(1.0, label="x")
    y = x
    for _ in range(400):
        y = y * 1.0001
    with pytest.raises(GraphTooLarge, match="more than max_nodes=300") as info:
        draw_graph(y)
    assert "collapse" in str(info.value) and isinstance(info.value, ValueError)
    with pytest.raises(GraphTooLarge):
        draw_graph(x * 2 + 1, max_nodes=2)
    assert draw_graph(y, max_nodes=1000).source.count("->") == 1200


@needs_dot
def test_save_picks_the_format_from_the_extension(tmp_path):
    o, _ = neuron()
    d = draw_graph(o)
    assert d.save(tmp_path / "g.svg").read_text().lstrip().startswith("<?xml")
    assert (d.save(tmp_path / "g.png").read_bytes()[:8]) == b"\x89PNG\r\n\x1a\n"
    assert d.save(tmp_path / "g.pdf").read_bytes()[:4] == b"%PDF"
    assert d.save(tmp_path / "g.dot").read_text() == d.source
    small = (tmp_path / "g.png").stat().st_size
    assert d.save(tmp_path / "big.png", dpi=200).stat().st_size > small
    with pytest.raises(ValueError, match=r"extension '\.jpg'"):
        d.save(tmp_path / "g.jpg")
    with pytest.raises(ValueError, match="extension"):
        d.save(tmp_path / "noext")
    assert not (tmp_path / "g.jpg").exists()


@needs_dot
def test_options_direction_grads_format_and_edge_labels():
    o, v = neuron()
    assert "rankdir=TB" in draw_graph(o, rankdir="TB").source
    assert "rankdir=LR" in draw_graph(o).source
    shown = [t for g in render(draw_graph(o, show_grads=False)).values() for t in texts(g)]
    assert not any(t.startswith("grad") for t in shown) and "data -3.0" in shown
    d = draw_graph(o, fmt=".2f")
    assert texts(render(d)[d.node_ids[v["w1"]]]) == ["w1", "data -3.00", "grad 1.00"]
    i = autograd.graph.topo_order(o).index(next(n for n in autograd.graph.topo_order(o)
                                                 if n._prev == (v["x1"], v["w1"])))

    def edge(option):
        return texts(render(draw_graph(o, edge_labels=option))[f"e{i}_0"])

    assert edge(True) == edge("value") == ["-3.0"]     # ∂(x1·w1)/∂x1 = w1 = -3
    assert edge("formula") == ["w1"]
    assert edge("both") == ["w1 = -3.0"]
    assert edge(False) == []
    for bad in (dict(rankdir="up"), dict(fmt="%d"), dict(edge_labels="nope")):
        with pytest.raises(ValueError):
            draw_graph(o, **bad)
    with pytest.raises(TypeError):
        draw_graph(3.0)


def test_draw_dot_is_micrograds_signature_and_jupyter_shows_svg():
    o, _ = neuron()
    grads = [n.grad for n in autograd.graph.topo_order(o)]
    d = draw_dot(o, format="png", rankdir="TB")
    assert d.format == "png" and "rankdir=TB" in d.source
    assert [n.grad for n in autograd.graph.topo_order(o)] == grads   # drawing changes nothing
    if shutil.which("dot"):
        assert "<svg" in d._repr_mimebundle_()["image/svg+xml"]


def test_missing_dot_is_a_clear_error_and_source_still_works(tmp_path, monkeypatch):
    o, _ = neuron()
    monkeypatch.setenv("PATH", str(tmp_path))          # no dot on PATH
    d = draw_graph(o)
    assert "tanh" in d.source
    for call in (lambda: d.save(tmp_path / "g.svg"), lambda: d.pipe(format="svg"),
                 lambda: d.render(tmp_path / "g"), d._repr_mimebundle_):
        with pytest.raises(RuntimeError, match="apt-get install -y graphviz") as info:
            call()
        assert isinstance(info.value, graphviz.ExecutableNotFound)
        assert isinstance(info.value, autograd.viz.GraphvizNotFound)
        assert "diagram.source" in str(info.value)
    assert d.save(tmp_path / "g.dot").read_text() == d.source


def test_missing_graphviz_package_says_a_command_that_works_here(monkeypatch):
    from autograd.install import install_hint
    monkeypatch.setitem(sys.modules, "graphviz", None)
    for call in (lambda: draw_graph(Value(1.0) * 2),
                 lambda: autograd.viz.save_stepper(Value(1.0) * 2, "never.html")):
        with pytest.raises(ImportError, match="the 'viz' extra") as info:
            call()
        assert install_hint("viz") in str(info.value)        # this installation's command
        assert "pip install 'backprop-lab[viz]'" not in str(info.value)  # not on the index


def test_import_autograd_does_not_import_graphviz():
    code = ("import sys, autograd, autograd.viz; autograd.draw_graph, autograd.draw_dot, "
            "autograd.save_stepper; print('graphviz' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# -- hostile labels (issue 13, item 11) -------------------------------------------------
@needs_dot
def test_control_characters_in_labels_and_edge_labels_render():
    a = Value(2.0, label="a\x00b")           # NUL broke dot through the edge tooltips
    c = Value(-3.0, label="bell\x07 esc\x1b[31m rtl\u202eevil")
    y = a * c
    y.label = "y\r\n"
    for option in (False, True, "formula", "both"):
        el = render(draw_graph(y, edge_labels=option))
        shown = [t for g in kind(el, "node").values() for t in texts(g)]
        assert "a\\x00b" in shown
        assert not any(ch in t for t in shown for ch in "\x00\x07\x1b\u202e\r")


@needs_dot
def test_a_million_character_label_is_drawn_shortened():
    x = Value(1.0, label="x" * 1_000_000)
    d = draw_graph(x * 2)
    assert len(d.source) < 5_000
    shown = [t for g in kind(render(d), "node").values() for t in texts(g)]
    assert any(t.startswith("xxxx") and t.endswith(f"+{1_000_000 - 112} characters")
               for t in shown), shown


# -- layout: parameters in their neuron, neurons in natural order, constants ------------
def _box(g):
    """(x0, x1, y0, y1) of the first path/polygon of a node or cluster."""
    shape = next(e for e in g if e.tag in (f"{SVG}path", f"{SVG}polygon"))
    nums = list(map(float, re.findall(r"-?\d+(?:\.\d+)?",
                                      shape.get("d") or shape.get("points"))))
    return min(nums[::2]), max(nums[::2]), min(nums[1::2]), max(nums[1::2])


@needs_dot
def test_parameters_are_drawn_inside_their_neurons_cluster():
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, [3, 1], seed=0)
    y = model([2.0, -1.0])
    d = draw_graph(y)
    el = render(d)
    clusters = {texts(g)[0]: _box(g) for g in kind(el, "cluster").values()}
    for layer in model.layers:
        for neuron in layer.neurons:
            x0, x1, y0, y1 = clusters[neuron.scope.title]
            for p in neuron.parameters():
                bx0, bx1, by0, by1 = _box(el[d.node_ids[p]])
                assert x0 <= bx0 and bx1 <= x1 and y0 <= by0 and by1 <= y1, neuron.scope.title
    inputs = [n for n in autograd.graph.topo_order(y) if not n._prev and not n.requires_grad]
    assert len(inputs) == 2    # the network's inputs stay outside every neuron
    for x in inputs:
        bx0, bx1, by0, by1 = _box(el[d.node_ids[x]])
        x0, x1, y0, y1 = clusters["Layer 1"]
        assert not (x0 <= bx0 and bx1 <= x1 and y0 <= by0 and by1 <= y1)


@needs_dot
def test_collapsed_neurons_are_in_natural_order():
    nn = pytest.importorskip("autograd.nn")
    y = nn.MLP(2, [16, 16, 1], seed=0)([2.0, -1.0])
    el = render(draw_graph(y, collapse="neuron"))
    for layer in (1, 2):
        tops = sorted((_box(g)[2], texts(g)[0]) for g in kind(el, "node").values()
                      if texts(g)[0].startswith(f"Layer {layer} · Neuron"))
        assert [t for _, t in tops] == [f"Layer {layer} · Neuron {k}" for k in range(1, 17)]


@needs_dot
def test_constants_show_the_digits_that_tell_them_apart():
    x = Value(2.0, label="x")
    y = x * 1.0001 + x * 1.0 + x * (1 / 3) + x * 0.3333
    el = render(draw_graph(y))
    shown = {t for g in kind(el, "node").values() if "constant" in g.get("class")
             for t in texts(g)}
    assert shown == {"1.0001", "1.0", "0.33333", "0.3333"}


@needs_dot
def test_palette_is_okabe_ito_and_edge_labels_are_legible():
    from autograd.viz import OKABE_ITO
    from autograd.viz.labels import UPDATED
    assert HIGHLIGHT in OKABE_ITO.values() and UPDATED in OKABE_ITO.values()
    assert HIGHLIGHT != UPDATED
    o, v = neuron()
    el = render(draw_graph(o, edge_labels="both", highlight=[v["w1"]]))
    labels = [t for k, g in kind(el, "edge").items() for t in g.iter(f"{SVG}text")]
    assert labels and all(float(t.get("font-size")) >= 12 for t in labels)
    lit = [g for g in kind(el, "node").values() if "highlight" in g.get("class")]
    assert lit and all(outline(g) == HIGHLIGHT for g in lit)
    widths = [float(next(e for e in g if e.tag == f"{SVG}path").get("stroke-width", 1))
              for g in lit]
    assert min(widths) >= 3      # marked by outline weight as well as by hue


# -- size guard: boxes and edges, and an option that works -------------------------------
def _dense(k):
    """k boxes, each the sum of all before it: k(k−1)/2 edges into op circles."""
    xs = [Value(1.0, label="x")]
    for _ in range(k - 1):
        xs.append(autograd.sum(list(xs)))
    return xs[-1]


def test_size_guard_counts_edges_and_refuses_dense_graphs_quickly():
    import time
    y = _dense(150)
    t = time.perf_counter()
    with pytest.raises(GraphTooLarge, match="max_edges=1500") as info:
        draw_graph(y)
    assert time.perf_counter() - t < 10          # refused before dot ever runs
    err = info.value
    assert (err.boxes, err.edges) == (150, 11_175 + 149)   # + one op → result edge each
    assert err.suggestion == {"max_edges": 11_324, "timeout": 600}
    assert "max_edges=11324" in str(err) and "timeout=600" in str(err)
    assert "no neurons or layers to collapse" in str(err)


def test_size_guard_suggestions_work_when_retried():
    nn = pytest.importorskip("autograd.nn")
    chain = Value(1.0, label="x")
    for _ in range(400):
        chain = chain * 1.0001
    big = nn.MLP(2, [16, 16, 1], seed=0)([2.0, -1.0])
    wide = nn.MLP(2, [40, 40, 1], seed=0)([2.0, -1.0])
    cases = [(chain, {}, {"max_nodes": 801}), (big, {}, {"collapse": "neuron"}),
             (wide, {"collapse": "neuron"}, {"collapse": "layer"}),
             (big, {"collapse": "neuron", "max_nodes": 20}, {"collapse": "layer"})]
    for root, options, expected in cases:
        with pytest.raises(GraphTooLarge) as info:
            draw_graph(root, **options)
        assert info.value.suggestion == expected
        for k, v in expected.items():
            assert f"{k}={v!r}" in str(info.value)
        assert str(info.value).startswith("draw_graph: the graph has")
        draw_graph(root, **(options | info.value.suggestion)).pipe(format="svg")   # works


# -- Graphviz under a timeout, killed when the call ends ---------------------------------
def _fake_dot(tmp_path, seconds=60):
    """A `dot` on PATH that records its pid, then hangs."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text(f"#!{sys.executable}\nimport os, time, pathlib\n"
                    f"pathlib.Path({str(tmp_path / 'pid')!r}).write_text(str(os.getpid()))\n"
                    f"time.sleep({seconds})\n")
    fake.chmod(0o755)
    return bin_dir, tmp_path / "pid"


def _gone(pid, within=10.0):
    import os
    import time
    end = time.monotonic() + within
    while time.monotonic() < end:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def test_dot_is_stopped_after_the_timeout(tmp_path, monkeypatch):
    import os
    import time

    from autograd.viz import GraphvizTimeout
    bin_dir, pid_file = _fake_dot(tmp_path)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    o, _ = neuron()
    d = draw_graph(o, timeout=1.5)
    t = time.monotonic()
    with pytest.raises(GraphvizTimeout, match=r"took more than 1\.5 s") as info:
        d.save(tmp_path / "g.svg")
    assert isinstance(info.value, TimeoutError) and time.monotonic() - t < 20
    assert _gone(int(pid_file.read_text()))
    assert not (tmp_path / "g.svg").exists()
    with pytest.raises(ValueError, match="timeout must be"):
        draw_graph(o, timeout=0)


def test_dot_is_stopped_when_the_call_is_interrupted(tmp_path):
    """Ctrl-C (SIGINT to the Python process only) while dot runs: no dot left behind."""
    import os
    import signal
    import time
    bin_dir, pid_file = _fake_dot(tmp_path)
    script = ("import autograd\nfrom autograd import Value\n"
              "x = Value(2.0, label='x')\n"
              "try:\n    autograd.draw_graph(x * 3).pipe(format='svg')\n"
              "except KeyboardInterrupt:\n    print('interrupted', flush=True)\n")
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    child = subprocess.Popen([sys.executable, "-c", script], env=env, stdout=subprocess.PIPE,
                             text=True)
    try:
        end = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert time.monotonic() < end and child.poll() is None, "fake dot never started"
            time.sleep(0.05)
        dot_pid = int(pid_file.read_text())
        child.send_signal(signal.SIGINT)
        out, _ = child.communicate(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
    assert out.strip() == "interrupted"
    assert _gone(dot_pid)


@needs_dot
def test_render_writes_the_source_and_the_picture(tmp_path):
    o, _ = neuron()
    out = draw_graph(o).render(tmp_path / "g", format="svg")
    assert out == tmp_path / "g.svg" and (tmp_path / "g").read_text().startswith("digraph")
    assert ET.fromstring((tmp_path / "g.svg").read_bytes()).tag == f"{SVG}svg"


@needs_dot
def test_every_saving_function_returns_a_path(tmp_path, monkeypatch):
    from pathlib import Path

    from autograd.viz import save_frames, save_stepper
    from autograd.viz.inline import show_stepper
    from autograd.viz.worksheet import save_worksheet
    o, _ = neuron()
    d = draw_graph(o)
    monkeypatch.chdir(tmp_path)
    written = [d.save(tmp_path / "a.svg"), d.save(str(tmp_path / "a.dot")), d.save(),
               d.render(tmp_path / "r"), save_stepper(o, str(tmp_path / "p.html")),
               show_stepper(o).save(str(tmp_path / "i.html")),
               save_worksheet(o, str(tmp_path / "w.html")),
               *save_frames(o, str(tmp_path / "slides"), forward=False, progress=False)]
    for path in written:
        assert type(path) is type(tmp_path) and isinstance(path, Path), path
        assert Path(path).exists()


def test_without_dot_the_page_and_slides_say_what_works_for_them(tmp_path, monkeypatch):
    from autograd.viz import GraphvizNotFound, save_frames, save_stepper
    o, _ = neuron()
    monkeypatch.setenv("PATH", str(tmp_path))          # no dot on PATH
    for call in (lambda: save_stepper(o, tmp_path / "p.html", by="node"),
                 lambda: save_frames(o, tmp_path / "s", progress=False)):
        with pytest.raises(GraphvizNotFound, match="apt-get install -y graphviz") as info:
            call()
        text = str(info.value)
        assert "diagram.source" not in text              # the caller holds no diagram
        assert "backward_steps(by='node')" in text and "save_worksheet(" in text
    steps = list(o.backward_steps(by="node"))          # the advice works as written
    assert steps and str(steps[0]).startswith("step 1/")
    assert autograd.save_worksheet(o, tmp_path / "sheet.html").exists()


def batch_loss(samples=2, sizes=(3, 1), seed=0):
    """An MLP's squared-error loss summed over ``samples`` calls (a batch graph)."""
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, list(sizes), seed=seed)
    xs = [[0.5 + 0.25 * k, 1.0 - 0.5 * k] for k in range(samples)]
    loss = sum((model(x) - (1.0 if k % 2 else -1.0)) ** 2 for k, x in enumerate(xs))
    loss.label = "loss"
    return loss, model


@needs_dot
def test_a_collapsed_neuron_shows_its_parameters_gradients():
    from autograd.explainer import fmt
    loss, model = batch_loss()
    loss.backward()
    el = render(draw_graph(loss, collapse="neuron"))
    boxes = {texts(g)[0]: [t.strip() for t in texts(g)] for g in kind(el, "node").values()
             if "group" in g.get("class")}
    for layer in model.layers:
        for neuron in layer.neurons:
            t = boxes[neuron.scope.title]
            k = len(neuron.w) + 1
            names = [f"w{i}" for i in range(1, k)] + ["b"]
            params = [*neuron.w, neuron.b]
            at = t.index(names[0])
            assert t[at:at + k] == names
            assert t[at + k:at + 2 * k + 1] == ["data", *(fmt(p.data) for p in params)]
            assert t[at + 2 * k + 1:at + 3 * k + 2] == ["grad", *(fmt(p.grad) for p in params)]


@needs_dot
def test_collapsed_boxes_count_per_sample_in_one_wording():
    loss, _ = batch_loss(samples=2)
    neurons = {texts(g)[0]: texts(g) for g in kind(render(draw_graph(
        loss, collapse="neuron")), "node").values() if "group" in g.get("class")}
    assert neurons["Layer 1 · Neuron 1"][1] == "1 output per sample · 2 samples"
    assert neurons["Layer 1 · Neuron 1"][-1] == "dot → ReLU · 3 parameters"
    assert neurons["Layer 2 · Neuron 1"][-1] == "dot · 4 parameters"    # linear: one op
    big, _ = batch_loss(samples=20, sizes=(16, 1))
    layers = {texts(g)[0]: texts(g) for g in kind(render(draw_graph(
        big, collapse="layer", max_edges=5000)), "node").values() if "group" in g.get("class")}
    assert layers["Layer 1"][1:] == ["16 outputs per sample · 20 samples",
                                     "32 operations per sample · 48 parameters"]
    y = pytest.importorskip("autograd.nn").MLP(2, [3, 1], seed=0)([2.0, -1.0])
    one = {texts(g)[0]: texts(g) for g in kind(render(draw_graph(
        y, collapse="neuron")), "node").values() if "group" in g.get("class")}
    assert one["Layer 1 · Neuron 1"][1].startswith("out ")
    wording = re.compile(r"(\S+( → \S+)*|\d+ operations( per sample)?) · \d+ parameters?")
    for t in [*neurons.values(), *layers.values(), *one.values()]:
        assert wording.fullmatch(t[-1]), t[-1]
