"""The explainer: names, trace, tree, stepping (≡ backward, bit for bit), explain(), hooks."""

import math
import struct

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value, graph
from autograd.explainer import (
    Step,
    Stepper,
    Text,
    backward_steps,
    explain,
    fmt,
    names,
    trace,
    tree,
)

from .exprs import KINKED, SMOOTH, VALUE, inputs, programs, run


def bits(x):
    return struct.pack("<d", x)


def same_grads(g1, g2):
    """Every node's grad, compared bit for bit (so -0.0 ≠ 0.0 and NaN = NaN)."""
    n1, n2 = graph.topo_order(g1), graph.topo_order(g2)
    assert len(n1) == len(n2)
    return [bits(a.grad) for a in n1] == [bits(b.grad) for b in n2]


def small():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c + a**2
    d.label = "d"
    return a, b, c, d


# -- names and numbers ---------------------------------------------------------------------
def test_fmt_is_short_and_keeps_float_look():
    xs = (-3.0, 0.5, 0.7071067811865476, 0.9999999999999998, 6.8813735870195432)
    assert [fmt(x) for x in xs] == ["-3.0", "0.5", "0.7071", "1.0", "6.881"]
    assert [fmt(x) for x in (1e-9, 123456.0, math.inf, -math.inf, math.nan, -0.0)] \
        == ["1e-09", "1.235e+05", "inf", "-inf", "nan", "0.0"]


def test_names_labels_then_v_numbers_in_creation_order():
    x = Value(1.0, label="x")
    y = Value(2.0)
    p = x * y
    q = p + x
    r = q.tanh()
    shown = names(r)
    assert [shown[n] for n in (x, y, p, q, r)] == ["x", "v1", "v2", "v3", "v4"]
    assert list(shown) == graph.topo_order(r)


def test_names_constants_show_their_number_and_duplicates_get_suffixes():
    a1, a2 = Value(1.0, label="a"), Value(2.0, label="a")
    clash = Value(3.0, label="v1")
    y = (a1 + a2) * 2.5 - clash
    shown = names(y)
    assert shown[a1] == "a" and shown[a2] == "a_2" and shown[clash] == "v1"
    const = next(n for n in shown if not n.requires_grad)
    assert shown[const] == "2.5"
    unlabelled = [shown[n] for n in shown if n._prev]
    assert unlabelled == ["v2", "v3", "v4"]        # v1 is taken by a label
    assert len(set(shown.values())) == len(shown)


def test_names_of_detached_and_no_grad_values_are_numbers():
    x = Value(3.0, label="x")
    with autograd.no_grad():
        k = x * 2
    y = x * k + x.detach()
    shown = names(y)
    assert shown[k] == "6.0"
    assert "x_2" in shown.values()   # detach() keeps the label


# -- trace and tree ------------------------------------------------------------------------
def test_trace_lists_nodes_in_order_with_expressions():
    _a, _b, _c, d = small()
    text = trace(d)
    lines = text.splitlines()
    assert lines[0].split() == ["#", "node", "op", "expression", "data"]
    assert [ln.split()[1] for ln in lines[1:]] == ["a", "b", "c", "v1", "d"]
    assert "a·b" in lines[3] and "-6.0" in lines[3]
    assert "c + v1" in lines[5]
    d.backward()
    with_grad = trace(d).splitlines()
    assert with_grad[0].split()[-1] == "grad"
    assert with_grad[1].split()[-1] == "1.0"       # a.grad = b + 2a = 1


def test_trace_fits_width_and_abbreviates_long_graphs():
    x = Value(0.5, label="a_rather_long_input_label_indeed")
    y = x
    for _ in range(100):
        y = y * 1.01 + x
    text = trace(y, width=80, max_rows=20)
    lines = text.splitlines()
    assert all(len(ln) <= 80 for ln in lines), max(map(len, lines))
    assert len(lines) == 1 + 20 + 1
    assert any("… 181 more nodes …" in ln for ln in lines)
    assert lines[-1].split()[0] == "201"           # the root is always shown
    assert len(trace(y, width=50).splitlines()[3]) <= 50
    with pytest.raises(ValueError, match="width"):
        trace(y, width=10)


def test_tree_marks_shared_nodes_and_shows_constants():
    a, _b, _c, d = small()
    text = tree(d)
    assert text.splitlines() == [
        "d = c + v1 = -2.0",
        "├── c = a·b = -6.0",
        "│   ├── a = 2.0",
        "│   └── b = -3.0",
        "└── v1 = a^2 = 4.0",
        "    └── a (see above)",
    ]
    d.backward()
    assert tree(d).splitlines()[0] == "d = c + v1 = -2.0   grad 1.0"
    y = 3 * a
    assert tree(y).splitlines()[1] == "├── 3.0"


def test_tree_of_a_deep_chain_is_cut_without_recursion():
    x = Value(1.0, label="x")
    y = x
    for _ in range(5000):
        y = y + 1
    lines = tree(y, max_lines=30).splitlines()
    assert len(lines) == 30
    assert lines[-1] == "… more lines (tree(root, max_lines=…) shows more)"


def test_value_methods_and_text_repr():
    _a, _b, _c, d = small()
    assert d.tree() == tree(d) and d.trace() == trace(d)
    assert isinstance(d.tree(), Text) and repr(d.tree()) == str(d.tree())
    steps = list(d.backward_steps())
    assert [s.name for s in steps] == ["d", "v1", "c"]          # leaves: no steps of their own


# -- stepping ------------------------------------------------------------------------------
def test_step_sentences_use_the_op_formula_and_the_numbers():
    _a, _b, _c, d = small()
    steps = list(backward_steps(d))
    assert [s.index for s in steps] == [1, 2, 3]
    assert {s.total for s in steps} == {3}
    assert steps[2].sentence == (
        "step 3/3  c = a·b\n"
        "  a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0, now 1.0 (final)\n"
        "  b.grad += ∂c/∂b · c.grad = a · c.grad = (2.0)(1.0) = 2.0 (final)")
    assert steps[1].sentence.splitlines()[1] == (     # a is used twice: pending after one use
        "  a.grad += ∂v1/∂a · v1.grad = (2·a^(2−1)) · v1.grad = (4.0)(1.0) = 4.0 (1 of 2 uses)")
    assert repr(steps[0]) == str(steps[0]) == steps[0].sentence
    d.zero_grad()
    with_leaves = list(backward_steps(d, leaves=True))
    assert [s.name for s in with_leaves] == ["d", "v1", "c", "b", "a"]
    assert with_leaves[4].sentence == "step 5/5  a is a leaf: a.grad = 1.0 is final"
    assert with_leaves[4].is_leaf and not with_leaves[2].is_leaf


def test_step_terms_hold_the_numbers():
    a, _b, c, d = small()
    step = list(backward_steps(d))[2]
    assert isinstance(step, Step) and step.node is c and step.expr == "a·b"
    ta, tb = step.terms
    assert (ta.child, ta.name, ta.index, ta.local, ta.text) == (a, "a", 0, -3.0, "b")
    assert (ta.upstream, ta.contribution, ta.grad_before, ta.grad_after) == (1.0, -3.0, 4.0, 1.0)
    assert (tb.grad_before, tb.grad_after, tb.updated) == (0.0, 2.0, True)


def test_repeated_inputs_and_constants():
    x = Value(3.0, label="x")
    y = x * x * 2
    steps = list(backward_steps(y))
    assert len(steps) == 2                       # v2, v1: the constant 2 and the leaf x: no step
    first = steps[0]
    assert [t.updated for t in first.terms] == [True, False]
    assert len(first.sentence.splitlines()) == 2  # no line for the constant
    square = steps[1]
    assert [(t.grad_before, t.grad_after) for t in square.terms] == [(0.0, 6.0), (6.0, 12.0)]
    assert [t.state.progress() for t in square.terms] == ["1 of 2 uses", "final"]  # x * x
    assert x.grad == 12.0
    k = Value(2.0, requires_grad=False) * 3
    only = list(backward_steps(k))
    assert only[0].sentence.endswith("(no input needs a gradient)")


def test_a_constant_root_makes_no_steps_but_still_runs():
    k = Value(5.0, requires_grad=False)
    assert trace(k).splitlines()[1].split() == ["1", "5.0", "(leaf)", "5.0"]
    assert tree(k) == "5.0"
    assert list(backward_steps(k)) == []
    assert k.grad == 1.0


def test_backward_steps_rejects_bad_arguments():
    with pytest.raises(TypeError, match="needs a Value"):
        backward_steps(3.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="grad must be a number"):
        backward_steps(Value(1.0), "1")  # type: ignore[arg-type]


def _build(program, xs, hooks=False):
    leaves = [Value(x) for x in xs]
    root = run(program, leaves, VALUE)
    calls = []
    if hooks:
        for i, node in enumerate(graph.topo_order(root)):
            if i % 3 == 1:
                node.register_hook(lambda g, i=i: calls.append((i, g)) or g * 0.5)
    return root, calls


@settings(max_examples=150, deadline=None)
@given(programs(SMOOTH + KINKED), inputs(), st.booleans(), st.booleans())
def test_stepping_equals_backward_bit_for_bit(program, xs, hooks, accumulate):
    r1, calls1 = _build(program, xs, hooks)
    r2, calls2 = _build(program, xs, hooks)
    assume(math.isfinite(r1.data))
    if accumulate:            # a previous pass: the stepped pass must add to it as backward()
        r1.backward(0.25)
        r2.backward(0.25)
    r1.backward()
    steps = list(backward_steps(r2))
    assert same_grads(r1, r2)
    assert calls1 == calls2
    assert steps[-1].index == steps[-1].total == len(steps)
    assert len(steps) == sum(1 for n in graph.topo_order(r2) if n._prev or n is r2 or (
        n.requires_grad and n._hooks is not None))        # leaves only with a hook


@settings(max_examples=100, deadline=None)
@given(programs(SMOOTH), inputs(), st.lists(st.booleans(), max_size=60), st.booleans())
def test_stepper_back_and_forth_restores_exactly(program, xs, moves, accumulate):
    r1, calls1 = _build(program, xs, hooks=True)
    r2, calls2 = _build(program, xs, hooks=True)
    assume(math.isfinite(r1.data))
    if accumulate:
        r1.backward()
        r2.backward()
    r1.backward()
    s = Stepper(r2)
    snapshots = [[bits(n.grad) for n in graph.topo_order(r2)]]
    for forward in moves:
        if forward and not s.done:
            s.step()
            if s.position == len(snapshots):
                snapshots.append([bits(n.grad) for n in graph.topo_order(r2)])
        elif not forward and s.position:
            s.back()
        now = [bits(n.grad) for n in graph.topo_order(r2)]
        assert now == snapshots[s.position], "back()/step() did not restore the grads exactly"
    s.run()
    assert s.done and same_grads(r1, r2)
    assert calls1 == calls2              # replayed steps do not call the hooks again


def test_stepper_session(capsys):
    _a, _b, _c, d = small()
    s = Stepper(d)
    assert repr(s) == "<Stepper of d: step 0/3 done, next: d>"
    first = s.step()
    assert first is not None and first.index == 1
    where = s.where()
    assert where.splitlines()[0] == (
        "step 1/3 done; next: v1 (a gradient is final once every node that uses it is done)")
    row = {ln.split()[1]: ln for ln in where.splitlines()[2:]}
    assert row["a"].endswith("0.0 (0 of 2 uses)") and row["d"].endswith("  1.0")
    assert row["c"].endswith("  1.0") and row["v1"].endswith("  1.0")   # d was their only use
    assert s.final() == {d, *d._prev}
    assert s.back() == "undid step 1/3 (d); next: d"
    assert s.back() == "at the start: nothing to undo"
    assert [st.index for st in s.run()] == [1, 2, 3]
    assert capsys.readouterr().out == ""            # echo is off by default
    assert s.step() is None and s.done              # past the end: None, and it says so
    assert capsys.readouterr().out == "done: all 3 steps applied, every gradient is final\n"
    assert repr(s.run()) == "all 3 steps were already applied: every gradient is final"
    assert "already applied" in s.run()._repr_html_()
    assert repr(Stepper(d * 1).steps) == "(no steps)"
    assert "every gradient is final" in s.where()
    assert capsys.readouterr().out == ""
    loud = Stepper(d * 1, echo=True)
    loud.step()
    assert capsys.readouterr().out.startswith("step 1/")


def test_stepper_equals_backward_on_the_small_graph():
    a, _b, _c, d = small()
    s = Stepper(d)
    s.step()
    s.step()
    assert a.grad == 4.0          # partial: only v1 = a² has pushed so far
    s.run()
    _a2, _b2, _c2, d2 = small()
    d2.backward()
    assert same_grads(d, d2)


def test_a_failing_step_restores_the_grads_and_starts_over():
    a, _b, _c, d = small()
    d.backward()
    before = [n.grad for n in graph.topo_order(d)]

    def boom(g):
        raise RuntimeError("hook failed")

    handle = a.register_hook(boom)
    s = Stepper(d)
    s.step()
    with pytest.raises(RuntimeError, match="hook failed"):
        s.run()
    assert [n.grad for n in graph.topo_order(d)] == before
    assert s.position == 0
    handle.remove()
    s.run()
    assert a.grad == 2.0 and d.grad == 2.0       # accumulated over the two passes


# -- hooks ---------------------------------------------------------------------------------
def test_stepping_runs_hooks_like_backward():
    def build():
        a, _b, c, d = small()
        seen = []
        c.register_hook(lambda g: seen.append(("c", g)) or g * 10)
        h = a.register_hook(lambda g: seen.append(("a", g)))
        return a, d, seen, h

    _a1, d1, seen1, _ = build()
    d1.backward()
    _a2, d2, seen2, _ = build()
    steps = list(backward_steps(d2))
    assert seen1 == seen2 == [("c", 1.0), ("a", -26.0)]
    assert same_grads(d1, d2)
    hooked = next(s for s in steps if s.name == "c")
    assert (hooked.grad_in, hooked.grad) == (1.0, 10.0)
    assert hooked.sentence.splitlines()[0] == "step 3/4  c = a·b   (hook: c.grad 1.0 → 10.0)"
    assert [s.name for s in steps][-1] == "a"      # a leaf with a hook keeps its own step
    _a3, d3, seen3, handle = build()
    handle.remove()
    list(backward_steps(d3))
    assert seen3 == [("c", 1.0)]


# -- explain() -----------------------------------------------------------------------------
def test_explain_sums_every_use_in_backward_order():
    a, b, _c, d = small()
    d.backward()
    text = explain(a, root=d)
    assert text.splitlines() == [
        "a.grad = Σ ∂p/∂a · p.grad over the nodes p that use a:",
        "  v1 = a^2   ∂v1/∂a · v1.grad = (2·a^(2−1)) · v1.grad = (4.0)(1.0) = 4.0",
        "  c = a·b    ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0",
        "a.grad = 4.0 − 3.0 = 1.0",
    ]
    assert explain(b, d).splitlines()[-1] == "b.grad = 2.0"
    assert explain(d, d).startswith("d.grad = 1.0: d is the root")


def test_explain_repeated_inputs_and_many_uses():
    x = Value(3.0, label="x")
    y = x * x
    z = autograd.sum([y] + [x] * 8)
    z.backward()
    text = explain(x, z)
    assert "v1 = x·x (input 1)" in text and "v1 = x·x (input 2)" in text
    assert text.splitlines()[-1] == "x.grad = 1.0 + 1.0 + 1.0 + … (6 more) + 3.0 = 14.0"
    assert x.grad == 14.0


def test_explain_notes_accumulated_gradients_and_constants():
    a, _b, _c, d = small()
    d.backward()
    d.backward()      # every grad doubled, the intermediate ones too: the sum still holds
    assert explain(a, d).splitlines()[-1] == "a.grad = 8.0 − 6.0 = 2.0"
    a.grad = 0.0      # e.g. an optimizer zeroed the leaves only
    assert explain(a, d).splitlines()[-1].startswith("note: a.grad holds 0.0, not this sum")
    a2, _b2, _c2, d2 = small()
    a2.register_hook(lambda g: 3 * g)
    d2.backward()
    assert "note: a.grad holds 3.0" in explain(a2, d2)
    k = Value(2.0, requires_grad=False, label="k")
    y = k * a
    y.backward()
    assert "needs no gradient" in explain(k, y)


def test_explain_warns_when_gradients_piled_up_over_several_passes():
    w1 = Value(2.0, label="w1")
    x = Value(-3.0, label="x", requires_grad=False)
    o = w1 * x
    o.label = "o"
    o.backward()
    assert not explain(w1).startswith("note")             # one pass: nothing to warn about
    o.backward()                                          # the forgotten zero_grad()
    first, *rest = explain(w1).splitlines()
    assert first == ("note: o.grad is 2.0, not 1.0: backward() ran twice without zero_grad(), "
                     "so every gradient here is the sum of both passes (unless backward() was "
                     "given grad=2.0); call zero_grad() before backward() to see one pass")
    assert rest[-1] == "w1.grad = -6.0"                   # … which a student reads as ∂o/∂w1
    assert explain(o).splitlines()[1] == first            # the root's own explanation too
    o.backward()
    assert "ran 3 times without zero_grad(), so every gradient here is the sum of all 3 " \
           "passes" in explain(w1)
    o.zero_grad()
    o.backward(0.5)
    assert explain(w1).startswith("note: o.grad is 0.5, not 1.0: backward() was given "
                                  "grad=0.5, or passes piled up")
    o.zero_grad()
    assert explain(w1).startswith("note: o.grad is 0.0, not 1.0: no backward() from o")
    # the node's own gradient holds earlier passes through another graph that uses it
    o.backward()
    other = w1 * 10
    other.backward()
    text = explain(w1, root=o)
    assert not text.startswith("note") and text.splitlines()[-1] == (
        "note: w1.grad holds 7.0, not this sum: the difference, 10.0, is from earlier "
        "backward() passes (gradients pile up until zero_grad()), a hook that changed it, or "
        "a pass that has not reached it yet")


def test_explain_and_views_after_create_graph():
    x = Value(3.0, label="x")
    y = x * x * x
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value)
    assert explain(x, y).splitlines()[-1] == "x.grad = 9.0 + 9.0 + 9.0 = 27.0"
    assert trace(y).splitlines()[1].split()[-1] == "27.0"


def test_explain_uses_the_latest_pass(monkeypatch):
    import gc

    a, _b, _c, d = small()
    Value(1.0).backward()          # a pass whose root is then dropped
    gc.collect()
    with pytest.raises(ValueError, match=r"explain\(node, root=loss\)"):
        explain(a)
    d.backward()                   # a plain backward() is remembered too
    assert explain(a) == explain(a, root=d)
    a.zero_grad()
    Stepper(d).run()
    assert explain(a) == explain(a, root=d)
    other = Value(1.0, label="other")
    with pytest.raises(ValueError, match="'other' is not in the graph of root 'd'"):
        explain(other)
    with pytest.raises(TypeError, match="needs a Value"):
        explain(1.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("first", ["", "import autograd.explainer", "import autograd.viz",
                                   "from autograd.explainer import explanation, stepper, steps"])
def test_autograd_explain_is_the_function_whatever_was_imported_first(first):
    import subprocess
    import sys

    code = f"{first}\nfrom autograd import explain\nimport autograd, types\n" \
           "assert isinstance(explain, types.FunctionType), explain\n" \
           "assert autograd.explain is explain\n"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_explain_remembers_the_latest_stepped_root():
    a = Value(2.0, label="a")
    y = a * 3
    y.backward()
    expected = explain(a, root=y)
    assert autograd.explain(a, root=y) == expected
    assert list(backward_steps(y))                 # remembers y for explain(a)
    assert explain(a) == "\n".join([               # and accumulates: a second pass
        "note: v1.grad is 2.0, not 1.0: backward() ran twice without zero_grad(), so every "
        "gradient here is the sum of both passes (unless backward() was given grad=2.0); "
        "call zero_grad() before backward() to see one pass",
        "a.grad = Σ ∂p/∂a · p.grad over the nodes p that use a:",
        "  v1 = a·3.0   ∂v1/∂a · v1.grad = 3.0 · v1.grad = (3.0)(2.0) = 6.0",
        "a.grad = 6.0"])


def test_explain_without_a_root_works_across_notebook_cells():
    """In a real Jupyter kernel each cell may run in a fresh copy of the context: the latest
    pass (a plain backward() or a stepped one) must still be found in the next cell."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    cells = [
        "from autograd import Value, Stepper, explain\n"
        "a = Value(2.0, label='a'); b = Value(-3.0, label='b')\n"
        "d = a * b + a ** 2; d.label = 'd'",
        "d.backward()",
        "assert explain(a) == explain(a, root=d), explain(a)\n"
        "print(explain(a).splitlines()[-1])",
        "y = (a * 3).tanh(); y.label = 'y'\ns = Stepper(y, by='neuron')\ns.run();",
        "assert explain(a) == explain(a, root=y)\nprint('stepped pass found')",
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in cells])
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    outputs = [o.get("text", "") for c in nb.cells for o in c.outputs]
    assert "a.grad = 4.0 − 3.0 = 1.0\n" in outputs and "stepped pass found\n" in outputs
