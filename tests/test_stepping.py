"""Stepping by node, neuron and layer: always backward()'s gradients, bit for bit.

Property tests on random networks (reused nodes, hooks, gradients left from an
earlier pass, batches of samples) and random hand-built graphs, at every
granularity, with and without leaf steps; ``back()`` undoes exactly one step;
the pending/final rule; the sentences on accumulated gradients.
"""

import math
import re
import struct

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, graph
from autograd.explainer import BY, Stepper, backward_steps, trace
from autograd.modes import scope
from autograd.nn import MLP
from autograd.nn.losses import hinge, mse

from .exprs import SMOOTH, VALUE, inputs, programs, run


def bits(x):
    return struct.pack("<d", x)


def grads(root):
    return [bits(n.grad) for n in graph.topo_order(root)]


@st.composite
def networks(draw):
    """A recipe for a small network graph: sizes, samples, loss, reuse, hooks, old grads."""
    nin = draw(st.integers(1, 3))
    sizes = draw(st.lists(st.integers(1, 3), min_size=1, max_size=3))
    return {
        "nin": nin, "sizes": sizes,
        "activation": draw(st.sampled_from(["relu", "tanh", "sigmoid", "linear"])),
        "seed": draw(st.integers(0, 10**6)),
        "xs": draw(st.lists(st.lists(st.floats(-2, 2, allow_nan=False), min_size=nin,
                                     max_size=nin), min_size=1, max_size=3)),
        "loss": draw(st.sampled_from(["mse", "hinge", "sum", "none"])),
        "reuse": draw(st.booleans()),
        "hooks": draw(st.lists(st.integers(0, 200), max_size=3)),
        "old": draw(st.booleans()),
    }


def build(recipe):
    """The recipe's graph: (root, hook calls); built twice gives two identical graphs."""
    model = MLP(recipe["nin"], recipe["sizes"], activation=recipe["activation"],
                seed=recipe["seed"])
    outs = [model.outputs(x) for x in recipe["xs"]]
    firsts = [o[0] for o in outs]
    if recipe["loss"] == "mse":
        root = mse(firsts, [0.5] * len(firsts))
    elif recipe["loss"] == "hinge":
        root = hinge(firsts, [1] * len(firsts))
    else:
        root = autograd.sum([v for o in outs for v in o])
    if recipe["reuse"]:                     # an output and a hidden node used again
        order = graph.topo_order(root)
        hidden = [n for n in order if n._prev and n is not root]
        root = root * firsts[0] + (hidden[len(hidden) // 2] if hidden else 0.0)
    calls = []
    order = graph.topo_order(root)
    for k in recipe["hooks"]:
        node = order[k % len(order)]
        if node.requires_grad:
            node.register_hook(lambda g, k=k: calls.append((k, g)) or g * 0.5)
    if recipe["old"]:                       # a first pass: the second must add to it
        root.backward(0.25)
    return root, calls


@settings(max_examples=60, deadline=None)
@given(networks(), st.sampled_from(BY), st.booleans())
def test_every_granularity_gives_backwards_gradients_bit_for_bit(recipe, by, leaves):
    r1, calls1 = build(recipe)
    r2, calls2 = build(recipe)
    assume(math.isfinite(r1.data))
    r1.backward()
    steps = list(backward_steps(r2, by=by, leaves=leaves))
    assert grads(r1) == grads(r2)
    assert calls1 == calls2
    assert [s.index for s in steps] == list(range(1, len(steps) + 1))
    processed = [n for s in steps for n in s.nodes]
    assert len(processed) == len(set(processed))            # no node is stepped twice
    assert all(n._prev or leaves or n._hooks is not None or n is r2 for n in processed)
    assert set(processed) >= {n for n in graph.topo_order(r2) if n._prev}
    # no sentence calls a number final that differs from the node's .grad at the end
    for s in steps:
        for state in s.states:
            if state.final:
                assert bits(state.value) == bits(state.node.grad), s.sentence


@settings(max_examples=40, deadline=None)
@given(networks(), st.sampled_from(BY), st.booleans(),
       st.lists(st.booleans(), max_size=40))
def test_back_undoes_exactly_one_step_at_every_granularity(recipe, by, leaves, moves):
    r1, calls1 = build(recipe)
    r2, calls2 = build(recipe)
    assume(math.isfinite(r1.data))
    r1.backward()
    s = Stepper(r2, by=by, leaves=leaves)
    snapshots = [grads(r2)]
    for forward in moves:
        if forward and not s.done:
            s.step()
            if s.position == len(snapshots):
                snapshots.append(grads(r2))
        elif not forward and s.position:
            s.back()
        assert grads(r2) == snapshots[s.position], "back()/step() did not restore exactly"
    s.run()
    assert s.done and grads(r1) == grads(r2)
    assert calls1 == calls2                # replayed steps do not call the hooks again


def _scoped_program(program, xs, cut):
    """A hand-built graph whose middle nodes sit in a scope named like a neuron."""
    leaves = [Value(x) for x in xs]
    pool = list(leaves)
    with scope("Layer 1"):
        with scope("Neuron 1"):
            mid = run(program[:cut] or program, pool, VALUE)
    return run(program[cut:] or program, [mid, *leaves], VALUE)


@settings(max_examples=60, deadline=None)
@given(programs(SMOOTH), inputs(), st.integers(0, 6), st.sampled_from(BY), st.booleans(),
       st.booleans())
def test_hand_built_graphs_with_scopes_step_like_backward(program, xs, cut, by, leaves, old):
    r1 = _scoped_program(program, xs, cut)
    r2 = _scoped_program(program, xs, cut)
    assume(math.isfinite(r1.data))
    if old:
        r1.backward()
        r2.backward()
    r1.backward()
    s = Stepper(r2, by=by, leaves=leaves)
    s.run()
    assert grads(r1) == grads(r2)


# -- what a step is ----------------------------------------------------------------------
def mlp():
    model = MLP(2, [3, 1], activation="tanh", seed=3)
    return model, model([1.0, -2.0])


def test_a_neuron_step_is_the_whole_neuron():
    _, y = mlp()
    steps = list(backward_steps(y, by="neuron"))
    assert [s.title for s in steps] == ["neuron L2.N1", "neuron L1.N3", "neuron L1.N2",
                                        "neuron L1.N1"]
    assert [[n.label for n in s.nodes] for s in steps[1:2]] == [["L1.N3.h", "L1.N3.z"]]
    head, *lines = steps[1].sentence.splitlines()
    assert head == "step 2/4  neuron L1.N3: h = tanh(z), z = w1·x1 + w2·x2 + b"
    assert [ln.split(".grad")[0].strip() for ln in lines] == ["z", "w1", "w2", "b"]
    layers = list(backward_steps(y, by="layer"))
    assert [s.title for s in layers] == ["layer L2", "layer L1"]
    assert [len(s.nodes) for s in layers] == [1, 6]
    assert "  N2: h = tanh(z), z = w1·x1 + w2·x2 + b" in layers[1].sentence.splitlines()


def test_a_batch_has_a_step_per_neuron_per_sample():
    model = MLP(2, [1], seed=0)
    loss = mse([model([1.0, 2.0]), model([0.5, -1.0])], [0.0, 1.0])
    titles = [s.title for s in backward_steps(loss, by="neuron")]
    assert "neuron s1.L1.N1" in titles and "neuron s2.L1.N1" in titles


def test_a_graph_without_neurons_is_stepped_node_by_node_and_says_so():
    x = Value(2.0, label="x")
    y = (x * 3).tanh()
    for by in ("neuron", "layer"):
        steps = list(backward_steps(y, by=by))
        assert len(steps) == 2
        assert steps[0].sentence.splitlines()[1] == f"  (no {by}s in this graph: " \
                                                    "stepping node by node)"
        assert "stepping node by node" not in steps[1].sentence
        y.zero_grad()
    assert "node by node" not in next(iter(backward_steps(y))).sentence
    _, net = mlp()
    assert "node by node" not in str(next(iter(backward_steps(net * 2, by="neuron"))))


def test_bad_granularity_or_leaves_are_refused_before_anything_changes():
    x = Value(2.0)
    y = x * x
    with pytest.raises(ValueError, match="by must be one of 'node', 'neuron', 'layer'"):
        Stepper(y, by="neurons")
    with pytest.raises(TypeError, match="leaves must be True or False"):
        backward_steps(y, leaves=1)
    assert x.grad == 0.0


def test_leaves_get_steps_only_when_asked_and_the_last_use_says_final():
    x = Value(3.0, label="x")
    w = Value(-1.0, label="w")
    y = x * w + x
    steps = list(backward_steps(y))
    assert [s.name for s in steps] == ["v2", "v1"]
    assert steps[0].sentence.splitlines()[2] == \
        "  x.grad += ∂v2/∂x · v2.grad = 1 · v2.grad = (1.0)(1.0) = 1.0 (1 of 2 uses)"
    assert steps[1].sentence.splitlines()[1].endswith("= -1.0, now 0.0 (final)")
    y.zero_grad()
    with_leaves = list(backward_steps(y, leaves=True))
    assert [s.name for s in with_leaves] == ["v2", "v1", "w", "x"]
    assert with_leaves[-1].sentence == "step 4/4  x is a leaf: x.grad = 0.0 is final"


# -- final means final -------------------------------------------------------------------
def test_a_node_used_twice_is_pending_until_both_uses_are_done():
    x = Value(0.5, label="x")
    sq = x * x
    sq.label = "sq"
    y = sq.tanh() + x
    y.label = "y"
    s = Stepper(y)
    first = s.step()
    assert "x.grad += ∂y/∂x · y.grad = 1 · y.grad = (1.0)(1.0) = 1.0 (1 of 3 uses)" in str(first)
    state = s.states()[x]
    assert (state.status, state.done, state.uses, state.text()) == ("pending", 1, 3,
                                                                      "1.0 (1 of 3 uses)")
    assert s.states()[y].final and not s.states()[sq].final
    s.run()
    assert all(st.final for st in s.states().values())
    lines = [ln for step in s.steps for ln in step.sentence.splitlines() if "x.grad +=" in ln]
    assert [ln.rsplit("(", 1)[1] for ln in lines] == ["1 of 3 uses)", "2 of 3 uses)", "final)"]
    assert s.states()[x].value == x.grad


def test_where_shows_pending_gradients_with_their_uses():
    x = Value(0.5, label="x")
    y = x * x
    y.label = "y"
    s = Stepper(y)
    before = s.where().splitlines()
    assert before[0] == "step 0/1 done; next: y (a gradient is final once every node that " \
                        "uses it is done)"
    s.step()
    rows = {ln.split()[1]: ln for ln in s.where().splitlines()[2:]}
    assert rows["x"].endswith("  1.0") and rows["y"].endswith("  1.0")
    s.back()
    rows = {ln.split()[1]: ln for ln in s.where().splitlines()[2:]}
    assert rows["x"].endswith("0.0 (0 of 2 uses)")


def test_hooks_make_a_gradient_final_only_after_they_ran():
    x = Value(2.0, label="x")
    h = (x * 3).tanh()
    mid = h._prev[0]
    mid.register_hook(lambda g: g * 2)
    s = Stepper(h)
    s.step()
    state = s.states()[mid]
    assert state.status == "pending" and state.hook_pending
    assert state.text().endswith("(1 of 1 use, hook pending)")
    s.run()
    assert s.states()[mid].final


# -- gradients that were not zero ----------------------------------------------------------
def test_a_pass_on_earlier_gradients_says_so_and_shows_old_plus_this_pass():
    w = Value(0.5, label="w")
    x = Value(2.0, label="x", requires_grad=False)
    y = (w * x).tanh()
    y.label = "y"
    y.backward()
    first_pass = w.grad
    steps = Stepper(y).run()
    head, note, line = steps[0].sentence.splitlines()
    assert head == "step 1/2  y = tanh(v1)   (the pass starts here: Δy.grad = 1.0; " \
                   "y.grad = 1.0 + 1.0 = 2.0)"
    assert note == "  note: 3 nodes already held gradients: this pass adds to them (Δ marks " \
                   "this pass's part; each gradient = old + Δ); zero_grad() starts from 0"
    assert line.startswith("  Δv1.grad += ∂y/∂v1 · Δy.grad = (1 − y²) · Δy.grad = ")
    assert line.endswith("; v1.grad = 0.42 + 0.42 = 0.8399 (final)")
    f = autograd.explainer.fmt
    w_line = steps[1].sentence.splitlines()[1]
    assert w_line.endswith(f"; w.grad = {f(first_pass)} + {f(first_pass)} = {f(w.grad)} (final)")
    assert w.grad == first_pass + first_pass and all(s.delta for s in steps)
    y.zero_grad()
    fresh = next(iter(backward_steps(y)))
    assert "note:" not in str(fresh) and "Δ" not in str(fresh) and not fresh.delta


_NUMBER = r"-?(?:\d[\d.]*(?:e[+-]?\d+)?|inf|nan)"
_LINE = re.compile(
    rf"^\s*Δ(?P<lhs>\S+)\.grad \+= ∂.* · Δ(?P<up>\S+)\.grad = .* · Δ(?P=up)\.grad = "
    rf"\((?P<x>{_NUMBER})\)\((?P<y>{_NUMBER})\) = (?P<z>{_NUMBER})"
    rf"(?:, now (?P<now>{_NUMBER}))?"
    rf"(?:; (?P=lhs)\.grad = (?P<old>{_NUMBER}) \+ \(?(?P<d>{_NUMBER})\)? = (?P<new>{_NUMBER}))?"
    rf" \((?:final|\d+ of \d+ uses?)\)$")


def _close(a, b):
    return math.isclose(float(a), float(b), rel_tol=2e-3, abs_tol=1e-12)


@pytest.mark.parametrize("by", BY)
def test_every_equation_of_a_pass_on_earlier_gradients_holds_as_printed(by):
    """The Δ names: the number in every product is the named quantity, "now" is the sum of
    this pass's terms so far, and old + Δ = new (here: a batch loss, weights used twice)."""
    model = MLP(2, [2, 1], activation="tanh", seed=3)
    xs = [[1.0, -2.0], [0.5, 1.5]]
    loss = mse([model(x) for x in xs], [0.5, -0.5])
    loss.backward()
    loss.backward()                               # two earlier passes: the root holds 2.0
    old = {n: n.grad for n in graph.topo_order(loss)}
    steps = list(backward_steps(loss, by=by))
    head = steps[0].sentence.splitlines()[0]
    assert head.endswith("(the pass starts here: Δmse.grad = 1.0; mse.grad = 2.0 + 1.0 = 3.0)")
    delta = {loss: 1.0}           # this pass's gradient of each node, as the sentences state it
    checked = 0
    for step in steps:
        lines = [ln for ln in step.sentence.splitlines() if ".grad +=" in ln]
        terms = [(p, t) for p in step.parts for t in p.terms if t.updated]
        assert len(lines) == len(terms)
        for line, (part, term) in zip(lines, terms):
            m = _LINE.match(line)
            assert m, line
            assert m["y"] == autograd.explainer.fmt(delta[part.node]), line   # Δnode.grad
            assert _close(float(m["x"]) * float(m["y"]), m["z"]), line
            so_far = delta.get(term.child, 0.0)
            now = so_far + float(m["z"])
            if so_far:
                assert m["now"] is not None and _close(m["now"], now), line
            else:
                assert m["now"] is None, line
            delta[term.child] = term.grad_after
            if old[term.child]:
                assert _close(m["d"], now) and _close(m["old"], old[term.child]), line
                a, b, total = float(m["old"]), float(m["d"]), float(m["new"])
                assert abs(a + b - total) <= 2e-3 * max(abs(a), abs(b)) + 1e-12, line
            checked += 1
    assert checked >= 20
    twice = [ln for s in steps for ln in s.sentence.splitlines() if ", now " in ln]
    assert twice                                   # the shared weights' second contributions


def test_where_during_a_pass_on_earlier_gradients_says_what_grad_holds():
    w = Value(0.5, label="w")
    sq = w * w
    sq.label = "sq"
    y = sq * 2
    y.backward()
    s = Stepper(y)
    assert s.where().splitlines()[1] == ("nodes hold gradients from before: this pass will "
                                         "add to them (zero_grad() starts from 0)")
    s.step()
    where = s.where()
    assert "grad shows old + this pass" in where
    assert where.splitlines()[1] == ("nodes held gradients before this pass: grad shows old + "
                                     "this pass; .grad holds this pass's part until the pass "
                                     "ends")
    rows = {ln.split()[1]: ln for ln in where.splitlines()[3:]}
    assert rows["sq"].endswith("  2.0 + 2.0 = 4.0")              # old + this pass, final
    assert rows["w"].endswith("2.0 + 0.0 = 2.0 (0 of 2 uses)")   # nothing yet this pass
    assert sq.grad == 2.0                          # the engine holds this pass's part
    s.run()
    assert "grad shows old" not in s.where() and w.grad == 4.0 and sq.grad == 4.0


# -- one stepping pass per graph ----------------------------------------------------------
def test_a_new_stepper_closes_an_unfinished_one_and_rolls_its_gradients_back():
    _, y = mlp()
    y.label = "o"
    fresh = [n.grad for n in graph.topo_order(y)]
    first = Stepper(y, by="neuron")
    first.step()                                            # half-way, and kept alive
    assert any(n.grad for n in graph.topo_order(y))
    second = Stepper(y, by="layer")
    assert [n.grad for n in graph.topo_order(y)] == fresh   # rolled back at once
    note = ("note: an unfinished Stepper of o (by neuron, at step 1/4) was closed and its "
            "gradients rolled back")
    assert second.where().splitlines()[1] == note
    head, line, *_ = str(second.step()).splitlines()
    assert head.endswith("(the pass starts here: o.grad = 1.0)")     # not 1.0 + 1.0 = 2.0
    assert line == "  " + note and "already held" not in str(second.steps[0])
    assert first.closed and repr(first) == "<Stepper of o: closed>"
    for move in (first.step, first.back, first.run):
        with pytest.raises(RuntimeError, match=r"Stepper of o is closed \(a newer stepping "
                                               r"pass started on its graph.*Stepper\(o\)"):
            move()
    second.run()
    _, ry = mlp()
    ry.backward()
    assert grads(y) == grads(ry)                              # exactly one pass


def test_close_rolls_back_an_unfinished_pass_and_keeps_a_finished_one():
    _, y = mlp()
    fresh = grads(y)
    s = Stepper(y, by="neuron")
    s.step()
    s.step()
    assert s.close().startswith("closed the Stepper of L2.N1.z at step 2/4: every gradient "
                                "is back as before this pass")
    assert grads(y) == fresh and s.closed
    assert s.close() == "the Stepper of L2.N1.z is already closed"
    with pytest.raises(RuntimeError, match=r"closed by close\(\)"):
        s.step()
    done = Stepper(y)
    done.run()
    after = grads(y)
    assert done.close().endswith("its gradients stay (every one final)") and grads(y) == after
    # a finished Stepper stays usable until a newer pass on its graph makes its first step
    y.zero_grad()
    again = Stepper(y)
    again.run()
    other = Stepper(y)                  # made, not started: nothing changed yet
    assert again.back().startswith("undid") and not again.closed
    again.step()
    held = grads(y)
    assert "note: an unfinished" not in str(other.step())   # a finished pass is left alone
    assert not again.closed and grads(y) != held
    with pytest.raises(RuntimeError, match="changed outside this Stepper"):
        again.back()                    # … but cannot undo numbers the newer pass made
    other.close()
    assert grads(y) == held


def test_an_abandoned_backward_steps_iterator_is_closed_by_a_new_pass():
    _, y = mlp()
    fresh = grads(y)
    it = backward_steps(y)
    next(it)
    assert grads(y) != fresh
    s = Stepper(y)
    assert grads(y) == fresh
    assert "an unfinished backward_steps() pass of L2.N1.z (1 of" in str(s.step())
    with pytest.raises(RuntimeError, match=r"this pass of L2\.N1\.z was closed"):
        next(it)
    s.run()
    _, ry = mlp()
    ry.backward()
    assert grads(y) == grads(ry)


def test_a_stepper_refuses_to_go_on_after_gradients_changed_outside_it():
    _, y = mlp()
    fresh = grads(y)
    s = Stepper(y)
    s.step()
    y.zero_grad()                     # zero_grad() does not know the Stepper: it notices
    with pytest.raises(RuntimeError, match=r"gradients changed outside this Stepper after "
                                           r"step 1/\d+ \(backward\(\), zero_grad\(\) or an "
                                           r"optimizer ran\?\).*close\(\) puts them back"):
        s.step()
    with pytest.raises(RuntimeError, match="changed outside"):
        s.back()
    s.close()
    assert grads(y) == fresh


def test_backward_mid_stepper_closes_it_and_runs_one_full_pass():
    import warnings

    _, y = mlp()
    _, twin = mlp()
    twin.backward()
    s = Stepper(y)
    s.step()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y.backward()                  # the Stepper is closed (rolled back) first
    with pytest.raises(RuntimeError, match="is closed"):
        s.step()
    assert grads(y) == grads(twin)


def test_a_dead_relu_shows_zero_not_negative_zero():
    x = Value(-1.0, label="x")
    w = Value(0.5, label="w")
    z = x * w
    z.label = "z"
    y = z.relu() * Value(-0.03091, label="k")
    y.label = "y"
    text = "\n".join(str(s) for s in backward_steps(y))
    assert re.search(r"-0\.0(?!\d)", text) is None, text          # no "-0.0" anywhere
    assert "(0.0)(-0.03091) = 0.0 (final)" in text


# -- slides and handouts -------------------------------------------------------------------
def test_markdown_and_latex_escape_every_name():
    a = Value(2.0, label="a_1|*$%&#{}")
    y = a * a
    y.label = "y~^\\"
    s = Stepper(y)
    s.run()
    md = s.to_markdown()
    assert "a\\_1\\|\\*\\$%\\&#{}" in md and "**step 1/1**" in md
    assert "y~^\\" not in md and "y\\~^\\\\" in md
    assert md.count("\n- ") == 2
    tex = s.to_latex()
    assert "a\\_1\\textbar{}*\\$\\%\\&\\#\\{\\}" in tex
    assert "y\\textasciitilde{}\\textasciicircum{}\\textbackslash{}" in tex
    assert tex.startswith("\\begin{description}") and tex.rstrip().endswith("\\end{description}")
    table = trace(y)
    assert table.to_markdown().splitlines()[1] == "|---:|---|---|---|---:|---:|"
    latex_table = table.to_latex()
    assert latex_table.startswith("\\begin{tabular}{rlllrr}")
    assert "a\\_1\\textbar{}" in latex_table
    _check_latex_specials(tex)
    _check_latex_specials(latex_table)


def _check_latex_specials(tex):
    """Every $ opens or closes math; no raw _, %, #, & outside our own structure."""
    body = tex.replace("\\$", "").replace("\\%", "").replace("\\#", "").replace("\\&", "")
    body = body.replace("\\_", "").replace("\\{", "").replace("\\}", "")
    assert body.count("$") % 2 == 0
    assert "%" not in body and "#" not in body and "_" not in body
    for line in body.splitlines():      # & only as the column separator of the table
        assert line.count("&") in (0, 5)


def test_long_tables_keep_the_gap_in_markdown_and_latex():
    x = Value(1.0, label="x")
    y = x
    for _ in range(60):
        y = y * 1.5
    table = trace(y, max_rows=10)
    md = table.to_markdown().splitlines()
    assert len(md) == 2 + 11 and "more nodes" in md[2 + 7]
    assert "\\multicolumn{5}{c}{\\ldots{} 51 more nodes \\ldots{}}" in table.to_latex()


def test_backward_closes_a_half_done_stepper_of_its_graph_first():
    import gc
    import warnings

    from autograd.nn import MLP

    model, twin = MLP(2, [3, 1], seed=0), MLP(2, [3, 1], seed=0)
    out = model([1.0, 2.0])
    twin([1.0, 2.0]).backward()
    stepper = autograd.Stepper(out, by="neuron")
    stepper.step()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out.backward()
    assert any("unfinished Stepper" in str(w.message) for w in caught)
    expected = [p.grad for p in twin.parameters()]
    assert [p.grad for p in model.parameters()] == expected
    del stepper
    gc.collect()                 # collecting the closed stepper must not undo backward()
    assert [p.grad for p in model.parameters()] == expected
