"""One readable naming scheme: networks by position (L1.N2.w1), inputs x1…xn, samples
(s3.L1.N2.z), losses, softmax and dropout; hand-built graphs as before; control
characters shown visibly; a huge graph (over EXACT_LIMIT nodes) named by creation
numbers, so cut-short views never walk all of it."""

import re
import time
from unittest.mock import patch

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from autograd import Value, graph
from autograd import sum as ag_sum
from autograd.explainer import Stepper, explain, names, naming, printable, trace, tree
from autograd.explainer.naming import LazyNames, creation_name, names_in_order
from autograd.explainer.sentences import fmt
from autograd.modes import scope
from autograd.nn import MLP, Dropout, Layer, Neuron, display_name, softmax
from autograd.nn.losses import binary_cross_entropy, cross_entropy, hinge, l2_penalty, mse


def test_a_network_names_its_nodes_by_position():
    model = MLP(2, [3, 1], seed=0)
    y = model([1.0, -2.0])
    shown = names(y)
    params = [shown[p] for p in model.parameters()]
    assert params[:3] == ["L1.N1.w1", "L1.N1.w2", "L1.N1.b"]
    assert params[-4:] == ["L2.N1.w1", "L2.N1.w2", "L2.N1.w3", "L2.N1.b"]
    per_call = [shown[n] for n in graph.topo_order(y) if n._prev]
    assert per_call == ["L1.N1.z", "L1.N1.h", "L1.N2.z", "L1.N2.h", "L1.N3.z", "L1.N3.h",
                        "L2.N1.z"]
    assert len(set(shown.values())) == len(shown)
    assert not any(re.search(r"_\d+$", name) for name in shown.values())   # no suffixes


def test_inputs_given_as_numbers_have_rows_with_their_values():
    model = MLP(2, [1], seed=0)
    y = model([1.5, -2.0])
    rows = {ln.split()[1]: ln.split() for ln in trace(y).splitlines()[1:]}
    assert rows["x1"][2:] == ["(input)", "1.5"] and rows["x2"][2:] == ["(input)", "-2.0"]
    lines = tree(y).splitlines()
    assert "├── x1 = 1.5" in lines and "├── x2 = -2.0" in lines
    y.backward()
    rows = {ln.split()[1]: ln.split() for ln in trace(y).splitlines()[1:]}
    assert rows["x1"][-1] == "1.5"            # an input needs no gradient: no grad cell
    single = Neuron(2, "tanh", seed=1)([1.0, 2.0])
    assert "x1 = 1.0" in tree(single) and names(single)[single] == "h"


def test_several_calls_in_one_graph_carry_the_sample():
    model = MLP(2, [2, 1], seed=0)
    loss = mse([model([1.0, 2.0]), model([3.0, 4.0]), model([5.0, 6.0])], [0.0, 1.0, 0.0])
    shown = names(loss)
    by_name = {v: k for k, v in shown.items()}
    assert {"s1.x1", "s3.x2", "s2.L1.N2.z", "s3.L2.N1.z", "s1.mse.err", "s3.mse",
            "mse.total", "mse"} <= set(shown.values())
    assert by_name["s3.x1"].data == 5.0 and by_name["s2.L1.N1.z"]._prev[2] is by_name["s2.x1"]
    assert shown[model.layers[0].neurons[0].w[0]] == "L1.N1.w1"   # shared: no sample
    named = [shown[n] for n in shown if n._label]                  # (targets are numbers)
    assert len(set(named)) == len(named)
    assert not any(re.search(r"_\d+$", name) for name in shown.values())


def test_losses_softmax_and_dropout_name_their_nodes():
    model = MLP(2, [3, 2], output="softmax", dropout=0.5, seed=0)
    probs = model([1.0, 2.0])
    shown = set(names(probs[0] + probs[1]).values())
    assert {"softmax.p1", "softmax.e2", "softmax.sum", "softmax.d1"} <= shown
    assert any(re.fullmatch(r"L1\.drop[123]", n) for n in shown)
    assert [v.label for v in softmax([1.0, 2.0])] == ["softmax.p1", "softmax.p2"]
    ce = cross_entropy([[Value(1.0), Value(2.0)], [Value(0.0), Value(1.0)]], [0, 1])
    assert ce.label == "ce" and {"s1.ce", "s2.ce.lse", "s1.ce.e2", "ce.total"} <= set(
        names(ce).values())
    assert hinge(Value(0.5), 1).label == "hinge"
    assert {"hinge.margin", "hinge.gap"} <= set(names(hinge(Value(0.5), 1)).values())
    bce = binary_cross_entropy([Value(0.25), Value(1.0)], [1.0, 0.0])
    assert {"s1.bce.log_p", "s2.bce.p_clamped", "bce"} <= set(names(bce).values())
    l2 = l2_penalty(model, 0.1)
    assert (l2.label, l2._prev[1].label) == ("l2", "l2.sumsq")
    drop = Dropout(0.5, seed=1)([Value(1.0), Value(2.0)])
    assert [d.label for d in drop] == ["drop1", "drop2"]
    assert [w.label for w in Layer(2, 2, seed=0).neurons[1].w] == ["N2.w1", "N2.w2"]


def test_display_name_maps_state_dict_keys_and_back():
    model = MLP(2, [3, 1], seed=0)
    for key, p in model.named_parameters():
        assert display_name(model, key) == p.label
        assert display_name(model, p.label) == key
    assert display_name(model, "layers.0.neurons.1.w.0") == "L1.N2.w1"
    assert next(iter(model.state_dict())) == "layers.0.neurons.0.w.0"   # PyTorch-style keys
    with pytest.raises(KeyError, match="neither a parameter key"):
        display_name(model, "L9.N9.w9")
    with pytest.raises(TypeError, match="model must be a Module"):
        display_name("model", "b")  # type: ignore[arg-type]


def test_engine_errors_name_the_network_node():
    model = MLP(1, [2, 1], activation="tanh", seed=0)
    model.layers[1].neurons[0].b.data = -10.0           # the output is surely negative
    z = model([1.0])
    with pytest.raises(ValueError, match=r"at node 'L2\.N1\.z'"):
        z.log()
    h = model.layers[0](Value(1.0))[0]
    model.layers[0].neurons[0].b.data = -10.0
    h = model.layers[0]([1.0])[0]
    with pytest.raises(ValueError, match=r"at node 'L1\.N1\.h'"):
        h.sqrt()


def test_anomaly_detection_names_a_nan_input_by_its_input_name():
    import autograd
    model = MLP(2, [2, 1], seed=0)
    with pytest.raises(autograd.AnomalyError) as info, autograd.detect_anomaly():
        model([float("nan"), 1.0])
    message = str(info.value)
    assert message.startswith("forward pass, at the input x1: the value is nan"), message
    assert "constant" not in message and info.value.node.label == "x1"
    with pytest.raises(autograd.AnomalyError, match="at the constant nan"), \
            autograd.detect_anomaly():
        Value(1.0, label="w") * float("nan")       # an unnamed number stays a constant


def test_hand_built_graphs_keep_their_names():
    a1, a2 = Value(1.0, label="a"), Value(2.0, label="a")
    y = (a1 + a2) * 2.5
    assert [names(y)[n] for n in (a1, a2)] == ["a", "a_2"]
    with scope("Layer 1"):
        b1 = Value(1.0, label="b") * 2
    with scope("Layer 1"):
        b2 = Value(1.0, label="b") * 3
    shown = names(b1 + b2)
    assert sorted(v for v in shown.values() if v.startswith("b")) == ["b", "b_2"]


# -- control characters ----------------------------------------------------------------------
HOSTILE = ["nul\x00", "bell\x07", "esc\x1b[31mred", "cr\rback", "rlo\u202egnp.exe", "new\nline"]


@pytest.mark.parametrize("label", HOSTILE)
def test_control_characters_in_labels_are_shown_visibly_everywhere(label):
    x = Value(2.0, label=label)
    y = x * x
    y.label = label + "!"
    texts = [trace(y), tree(y), str(Stepper(y).step()), explain(x, root=y),
             Stepper(y).where(), repr(Stepper(y))]
    y.zero_grad()
    texts.append(repr(Stepper(y, by="neuron").run()))
    for text in texts:
        assert all(ch.isprintable() or ch == "\n" for ch in text), repr(text)
        assert printable(label) in text
    assert len(trace(y).splitlines()) == 3           # a newline in a label adds no line


def test_printable_escapes_only_what_cannot_be_seen():
    assert printable("L1.N2.w1") == "L1.N2.w1"
    assert printable("a\x00b\x07\x1b\r\u202e\t") == "a\\x00b\\x07\\x1b\\r\\u202e\\t"
    assert printable("über σ") == "über σ"


# -- names of big graphs ---------------------------------------------------------------------
@st.composite
def labelled_graphs(draw):
    """Random graphs with repeated labels, v-number look-alikes, scopes and inputs."""
    labels = st.sampled_from(["", "", "", "a", "v1", "v3", "x1", "L1.N1.z", "s1.a", "v01"])
    pool = [Value(draw(st.floats(-2, 2)), label=draw(labels),
                  requires_grad=draw(st.booleans())) for _ in range(draw(st.integers(1, 4)))]
    for _ in range(draw(st.integers(1, 12))):
        i, j = draw(st.integers(0, 99)), draw(st.integers(0, 99))
        with scope("Neuron 1") if draw(st.booleans()) else _nothing():
            if draw(st.integers(0, 5)) == 0:    # a wide node: inputs repeated, constants too
                picks = draw(st.lists(st.integers(0, 99), min_size=17, max_size=30))
                node = ag_sum(pool[k % len(pool)] if k % 3 else float(k) for k in picks)
            else:
                node = pool[i % len(pool)] * pool[j % len(pool)] + draw(st.floats(-1, 1))
        node.label = draw(labels)
        pool.append(node)
    return pool[-1]


class _nothing:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


@settings(max_examples=200, deadline=None)
@given(labelled_graphs())
def test_lazy_names_equal_the_full_names(root):
    order = graph.topo_order(root)
    full = names_in_order(order)
    lazy = LazyNames(order)
    assert [lazy[n] for n in order] == [full[n] for n in order]
    assert len(set(full[n] for n in order if n._prev or n.requires_grad or n._label)) == \
        sum(1 for n in order if n._prev or n.requires_grad or n._label)


@settings(max_examples=200, deadline=None)
@given(labelled_graphs(), st.integers(0, 30))
def test_the_size_probe_and_the_newest_first_walk_agree_with_the_full_walk(root, limit):
    order = graph.reverse_topo_order(root)
    assert list(graph.newest_first(root)) == order
    probe = graph.reachable(root, limit)
    assert (probe is None) == (graph.edges(order) > limit)
    assert probe is None or set(probe) == set(order)
    keep = [n for n in order if n._prev or n.requires_grad or n._label or n is root]
    assert list(graph.newest_first(root, lambda n: n.requires_grad or bool(n._label))) == keep


def _rows(root):
    return [n for n in graph.topo_order(root) if n._prev or n.requires_grad or n._label
            or n is root]


@settings(max_examples=200, deadline=None)
@given(labelled_graphs(), st.integers(1, 30), st.integers(4, 9), st.integers(2, 12))
def test_beyond_the_limit_every_view_names_nodes_by_creation_number(root, limit, max_rows,
                                                                   max_lines):
    exact_tree = tree(root, max_lines=max_lines).splitlines()
    with patch.object(naming, "EXACT_LIMIT", limit):
        order = graph.topo_order(root)
        shown = names(root)
        table = trace(root, max_rows=max_rows)
        lines = tree(root, max_lines=max_lines).splitlines()
    huge = graph.edges(order) > limit
    if huge:      # one name per node, made from the node alone, the same in every view
        assert shown == {n: creation_name(n) for n in order}
        assert len({shown[n] for n in _rows(root)}) == len(_rows(root))
    else:
        assert shown == names_in_order(order)
    rows = _rows(root)
    if huge and len(rows) > max_rows:   # the last rows, unnumbered, after a line saying so
        assert table.rows[0] is None and "earlier nodes not shown" in table.gap
        assert table.header[0] == "node"
        assert [r[0] for r in table.rows[1:]] == [shown[n] for n in rows[-max_rows:]]
    elif len(rows) <= max_rows:
        assert [r[:2] for r in table.rows] == [(str(k), shown[n]) for k, n in enumerate(rows, 1)]
        assert table.gap == ""
    assert lines[0].startswith(f"{shown[root]} = ") or lines[0] == shown[root]
    assert len(lines) == len(exact_tree)


class _Counting(dict):
    def __getitem__(self, node):
        self.asked = getattr(self, "asked", 0) + 1
        return super().__getitem__(node)


@pytest.mark.parametrize("width", [3, 16, 17, 40, 1000])
def test_a_wide_node_names_only_the_inputs_its_text_shows(width):
    from autograd import dot
    from autograd.explainer.sentences import operand
    from autograd.explainer.textview import expression

    xs = [Value(float(i), label=f"x{i}") for i in range(width)]
    ws = [Value(0.5, label=f"w{i}") for i in range(width)]
    for node in (ag_sum(xs), dot(ws, xs, Value(1.0, label="b")), dot(ws, xs)):
        shown = _Counting(names(node))
        text = expression(node, shown)
        assert text == node._op.show([operand(names(node)[c]) for c in node._prev])
        assert shown.asked <= (len(node._prev) if len(node._prev) <= 16 else 5)


def test_copies_and_unpickled_nodes_get_their_own_creation_numbers():
    import copy
    import pickle

    model = MLP(2, [3, 1], seed=0)
    x = Value(1.0, label="x")
    y = (x * x).tanh() + model([x, 2.0])
    for twin in (copy.deepcopy(y), pickle.loads(pickle.dumps(y)), copy.copy(y)):
        order = graph.topo_order(twin)
        assert all(n._id > c._id for n in order for c in n._prev)     # still topological
        assert len({n._id for n in order}) == len(order)
    both = model([1.0, 2.0]) * copy.deepcopy(model)([1.0, 2.0])
    with patch.object(naming, "EXACT_LIMIT", 10):
        shown = names(both)
    params = [shown[n] for n in graph.topo_order(both) if n.requires_grad and not n._prev]
    assert len(set(params)) == len(params) == 2 * len(model.parameters())
    assert params[0].startswith("L1.N1.w1#")


@pytest.mark.parametrize("relus, numbered", [(6, False), (3, True)])
def test_a_long_name_is_cut_before_its_creation_number(relus, numbered):
    x = Value(0.5, label="x")
    y = x
    for _ in range(relus):
        y = y.relu()
        y.label = "layer2.output.activation"
    with patch.object(naming, "EXACT_LIMIT", 2):
        table = trace(y, max_rows=4, width=120)
    lines = [line for line in table.splitlines()[1:] if not line.lstrip().startswith("…")]
    cells = [line.split()[1 if numbered else 0] for line in lines]
    newest = graph.topo_order(y)[-len(cells):]
    assert all(c.endswith(f"…#{n._id}") and c.startswith("layer2.") for c, n in zip(cells, newest)
               if n is not x)
    assert len(set(cells)) == len(cells) == 4


@pytest.mark.slow
def test_cut_short_views_of_a_million_wide_node_cost_about_one_walk():
    xs = [Value(float(i % 7)) for i in range(10**6)]
    wide = ag_sum(xs)                                     # a million inputs needing gradients
    consts = ag_sum(Value(float(i), requires_grad=False) for i in range(10**6))
    for root, rows in ((wide, 5), (consts, 1)):
        t = time.process_time()
        graph.topo_order(root)
        walk = time.process_time() - t
        t = time.process_time()
        table = trace(root, max_rows=5)
        lines = tree(root, max_lines=5).splitlines()
        spent = time.process_time() - t
        assert lines[0] == f"v#{root._id} = {expression_of(root)} = {fmt(root.data)}"
        assert len([r for r in table.rows if r is not None]) == rows
        assert spent < 8 * walk + 0.5, (spent, walk)   # a guard: was 25 walks for the tree


def expression_of(root):
    first, last = root._prev[0], root._prev[-1]
    return f"{creation_name(first)} + … + {operand_of(creation_name(last))}"


def operand_of(text):
    from autograd.explainer.sentences import operand
    return operand(text)


@pytest.mark.slow
def test_cut_short_views_of_a_million_nodes_never_walk_the_whole_graph(monkeypatch):
    a = Value(1.0000001, label="a")
    y = a
    for _ in range(10**6 - 1):
        y = y * a
    t = time.process_time()
    graph.topo_order(y)
    walk = time.process_time() - t

    probe = graph.reachable

    def no_whole_walk(root, limit=None):
        assert limit is not None and limit <= naming.EXACT_LIMIT, "walked the whole graph"
        return probe(root, limit)

    monkeypatch.setattr(graph, "reachable", no_whole_walk)
    t = time.process_time()
    lines = tree(y, max_lines=50).splitlines()
    table = trace(y, max_rows=40)
    spent = time.process_time() - t
    monkeypatch.undo()
    assert len(lines) == 50
    assert lines[0] == f"v#{y._id} = v#{y._id - 1}·a#{a._id} = {fmt(y.data)}"
    assert lines[1] == f"├── v#{y._id - 1} = v#{y._id - 2}·a#{a._id} = {fmt(y.data / a.data)}"
    assert table.rows[0] is None and "earlier nodes not shown (over 200,000 edges" in table.gap
    assert [r[0] for r in table.rows[1:]] == [f"v#{y._id - 39 + k}" for k in range(40)]
    assert names(y)[y] == f"v#{y._id}"    # the full naming agrees with the cut-short views
    # a generous guard: printing 90 lines costs a small part of one walk (was 1.5 walks)
    assert spent < walk, (spent, walk)


@pytest.mark.slow
def test_a_label_repeated_on_every_node_is_named_in_linear_time():
    a = Value(1.0000001, label="t")
    y = a
    n = naming.EXACT_LIMIT // 2               # n nodes y * a: 2(n - 1) edges, within the limit
    for _ in range(n - 1):                    # a hand-built loop labelling every node alike
        y = y * a
        y.label = "t"
    t = time.process_time()
    text = tree(y, max_lines=5)
    spent = time.process_time() - t     # was quadratic: a_2, a_3 … each searched from 2
    assert text.splitlines()[0].startswith(f"t_{n} = t_{n - 1}·t")
    assert spent < 30.0, spent
