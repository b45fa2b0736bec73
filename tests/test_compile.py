"""autograd.compile: a compiled step gives the engine's numbers bit for bit, and says no clearly."""

from __future__ import annotations

import ast
import copy
import math
import struct
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.compile import CompileError, StaleProgramError, compile
from autograd.explainer import AnomalyError, detect_anomaly, trace
from autograd.nn import MLP, Layer
from autograd.nn.losses import hinge, l2_penalty
from autograd.ops import OPS, Op
from autograd.optim import SGD
from autograd.training.data import make_moons
from autograd.training.fit import fit

from .exprs import KINKED, SMOOTH, VALUE, programs, run


def bits(x: Any) -> Any:
    """A float's bits (so −0.0 ≠ 0.0); any NaN is "nan" (CPython itself does not fix a NaN's
    sign or payload: ``a + b`` of two NaNs may give either, depending on specialisation)."""
    if type(x) is float:
        return "nan" if x != x else struct.pack("<d", x)
    return x


def same(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(bits(x) == bits(y) for x, y in zip(a, b))


# -- micrograd's demo step (W1, small) ----------------------------------------------------------
def demo_graph(model: MLP, X: list[list[float]], y: list[int]
               ) -> tuple[Value, list[Any], list[Any]]:
    """W1 as micrograd's README writes it: Value inputs, builtin sum(), hinge + L2."""
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg = 1e-4 * sum(p * p for p in model.parameters())
    return data_loss + reg, inputs, scores


def test_demo_step_is_bit_identical_over_steps_with_updates() -> None:
    X, y = make_moons(24, noise=0.1, seed=3, labels="pm1")
    eager_model, model = MLP(2, [8, 8, 1], seed=5), MLP(2, [8, 8, 1], seed=5)
    loss, inputs, scores = demo_graph(model, X, y)
    prog = compile(loss, params=model, inputs=inputs, outputs=[loss, scores])
    assert "def block_1" in prog.source          # each sample's forward pass: one function
    for k in range(6):
        ref, _, ref_scores = demo_graph(eager_model, X, y)
        eager_model.zero_grad()
        ref.backward()
        model.zero_grad()
        value, got_scores = prog()
        assert bits(value) == bits(ref.data)
        assert same(got_scores, [s.data for s in ref_scores])
        assert same([p.grad for p in model.parameters()],
                    [p.grad for p in eager_model.parameters()])
        for m in (eager_model, model):               # SGD, as the demo
            for p in m.parameters():
                p.data -= (1.0 - 0.09 * k) * p.grad
    dead = [n for n in autograd.graph.topo_order(ref) if n.op == "ReLU" and n.children[0].data < 0]
    assert len(dead) > 10                             # the zero-gradient skip was exercised


def test_new_inputs_give_the_eager_numbers() -> None:
    X, y = make_moons(12, noise=0.1, seed=1, labels="pm1")
    X2, _ = make_moons(12, noise=0.3, seed=2, labels="pm1")
    model, twin = MLP(2, [4, 1], seed=1), MLP(2, [4, 1], seed=1)
    loss, inputs, scores = demo_graph(model, X, y)
    prog = compile(loss, params=model, inputs=inputs, outputs=scores)
    ref, _, ref_scores = demo_graph(twin, X2, y)
    ref.backward()
    model.zero_grad()
    assert same(prog([[Value(a), b] for a, b in X2]), [s.data for s in ref_scores])
    assert same([p.grad for p in model.parameters()], [p.grad for p in twin.parameters()])
    assert same(prog(), [s.data for s in ref_scores])     # None: the latest inputs again


def test_gradients_accumulate_as_backward_does() -> None:
    x, w = Value(1.5, label="x"), Value(-0.5, label="w")
    twin_x, twin_w = Value(1.5, label="x"), Value(-0.5, label="w")
    prog = compile((x * w).tanh() * x, params=[x, w])
    ref = (twin_x * twin_w).tanh() * twin_x
    for start in (0.25, -0.0, 0.0, math.inf, math.nan):
        x.grad = w.grad = twin_x.grad = twin_w.grad = start
        prog()
        ref.backward()
        assert same([x.grad, w.grad], [twin_x.grad, twin_w.grad]), start


def test_minus_zero_and_int_gradients_follow_the_engine() -> None:
    """A −0.0 (or int) old gradient plus only zero terms: the engine's sign, not +0.0."""
    w, x = Value(2.0, label="w"), Value(3.0, label="x")
    twin_w, twin_x = Value(2.0, label="w"), Value(3.0, label="x")
    prog = compile(w * 0.0 + x, params=[w, x])
    ref = twin_w * 0.0 + twin_x
    for old in (-0.0, 0, 0.0):
        w.grad, twin_w.grad = old, old
        x.grad = twin_x.grad = 0.0
        prog()
        ref.backward()
        assert bits(w.grad) == bits(twin_w.grad) and type(w.grad) is type(twin_w.grad), old


def test_an_operation_node_that_needs_no_gradient() -> None:
    """requires_grad=False on an inner node: nothing flows into it, as in the engine."""
    def graph(x: Value) -> Value:
        frozen = x * 3.0
        frozen.requires_grad = False
        return frozen.tanh() * x + x.exp()

    x, twin = Value(0.5, label="x"), Value(0.5, label="x")
    prog = compile(graph(x), params=[x])
    ref = graph(twin)
    ref.backward()
    assert bits(prog()) == bits(ref.data) and bits(x.grad) == bits(twin.grad)
    assert "x * 3.0" in prog.source and "g_v1 +=" not in prog.source   # v1: the frozen node


def test_nan_and_infinity_propagate_as_in_the_engine() -> None:
    a, b = Value(1e300, label="a"), Value(0.0, label="b")
    twin_a, twin_b = Value(1e300, label="a"), Value(0.0, label="b")

    def graph(a: Value, b: Value) -> Value:
        big = a * a                           # inf
        return autograd.dot([big, b], [b, a], a) + (b * big) + (b.sqrt() * 0.0)

    prog = compile(graph(a, b), params=[a, b])
    ref = graph(twin_a, twin_b)
    out = prog()
    ref.backward()
    assert bits(out) == bits(ref.data)
    assert same([a.grad, b.grad], [twin_a.grad, twin_b.grad])
    assert math.isnan(b.grad)


# -- random graphs: every op --------------------------------------------------------------------
def _check_random(program: list[tuple[str, int, int, int]], xs: list[float],
                  xs2: list[float]) -> None:
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    root = run(program, leaves, VALUE)
    k = len(leaves) // 2
    prog = compile(root, params=leaves[:k], inputs=leaves[k:])
    for values in (xs, xs2):
        for p, v in zip(leaves[:k], values):
            p.data, p.grad = v, 0.0
        twins = [Value(v, label=f"x{i}") for i, v in enumerate(values)]
        try:
            ref = run(program, twins, VALUE)
            ref.backward()
        except (ValueError, ArithmeticError) as e:    # then the compiled step raises the same
            with pytest.raises(type(e)) as info:
                prog(values[k:])
            assert str(info.value) == str(e)
            continue
        got = prog(values[k:])
        assert bits(got) == bits(ref.data), program
        assert same([p.grad for p in leaves[:k]], [t.grad for t in twins[:k]]), program


@settings(max_examples=120, deadline=None)
@given(programs(SMOOTH + KINKED, max_steps=16),
       st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=2, max_size=5),
       st.lists(st.floats(-3.0, 3.0, allow_nan=False), min_size=5, max_size=5))
def test_random_graphs_compile_bit_for_bit(program: list[Any], xs: list[float],
                                           xs2: list[float]) -> None:
    _check_random(program, xs, xs2[:len(xs)])


def test_every_op_of_the_table_is_compiled_bit_for_bit() -> None:
    names = SMOOTH + KINKED
    program = [(op, 3 + i, i, 2 * i + 1) for i, op in enumerate(names)]  # each uses the last
    _check_random(program, [0.3, -1.2, 0.7, 1.9], [-0.4, 0.9, -1.7, 0.2])
    _check_random(program, [1e-3, 2.0, -2.0, 0.5], [1e5, -1e5, 3.0, -0.0])
    root = run(program, [Value(0.5), Value(-1.0), Value(1.5), Value(0.25)], VALUE)
    used = {n.op.base.name for n in autograd.graph.topo_order(root) if n.children}
    assert used >= {op.name for op in OPS.values()
                    if op.name and not getattr(op, "user", False) and op.name != "slope"}


def test_sum_and_dot_add_left_to_right_on_every_python() -> None:
    """Not Python 3.12+'s compensated sum(): the elementwise graph's numbers, and micrograd's."""
    xs = [1e16, 1.0, -1e16]
    by_hand = ((0.0 + 1e16) + 1.0) + -1e16
    assert by_hand == 0.0
    leaves = [Value(x) for x in xs]
    assert autograd.sum(leaves).data == by_hand == sum(leaves).data    # one node = the chain
    ones = [Value(1.0) for _ in xs]
    b = Value(0.5)
    dot = autograd.dot(ones, leaves, b)
    micrograd_neuron = sum((w * x for w, x in zip(ones, leaves)), b)
    assert dot.data == ((0.5 + 1e16) + 1.0) + -1e16 == micrograd_neuron.data
    total = autograd.sum(leaves) + dot
    prog = compile(total, params=[*ones, b], inputs=leaves)
    assert prog() == total.data


def test_every_op_row_has_a_code_template() -> None:
    missing = [name for name, op in OPS.items() if name and op.code is None
               and not getattr(op, "user", False)]
    assert not missing


# -- what the source looks like ---------------------------------------------------------------
def test_source_reads_top_to_bottom() -> None:
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    d = c.tanh()
    d.label = "d"
    src = compile(d, params=[a, b]).source
    lines = src.splitlines()
    assert "    c = a * b  # c = a·b" in lines
    assert "    d = tanh(c)  # d = tanh(c)" in lines
    assert "    g_c += (1.0 - d * d) * g_d  # ∂d/∂c = 1 − d²" in lines
    assert "    g_a += b * g_c  # ∂c/∂a = b" in lines
    assert lines.index("    g_c += (1.0 - d * d) * g_d  # ∂d/∂c = 1 − d²") < lines.index(
        "    g_a += b * g_c  # ∂c/∂a = b")


def test_labels_never_become_code() -> None:
    evil = ['x"); import os; os.system("echo hi") #', "a\nimport os", "\x00\x1b[31m", "for",
            "g_a", "1x", "θ", "P", "step", "exp"]
    leaves = [Value(1.0 + i, label=text) for i, text in enumerate(evil)]
    total = leaves[0]
    for v in leaves[1:]:
        total = (total * v).exp().log()
    total.label = "a\u2028b\rc"
    prog = compile(total, params=leaves)
    assert all(line.split("#", 1)[0].isascii() for line in prog.source.splitlines())
    helpers = {"exp", "log", "next"}
    for node in ast.walk(ast.parse(prog.source)):
        assert not isinstance(node, (ast.Import, ast.ImportFrom, ast.Attribute, ast.Lambda))
        assert not (isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)))
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name) and node.func.id in helpers, ast.dump(node)
    ref_leaves = [Value(1.0 + i, label=text) for i, text in enumerate(evil)]
    ref = ref_leaves[0]
    for v in ref_leaves[1:]:
        ref = (ref * v).exp().log()
    ref.backward()
    assert bits(prog()) == bits(ref.data)
    assert same([v.grad for v in leaves], [v.grad for v in ref_leaves])


def test_numbers_without_a_literal_are_bound_as_names() -> None:
    x = Value(1.0, label="x")
    y = (x + math.inf) * 0.0 + x * -0.0 + (x - math.nan).relu() + x.leaky_relu(-0.0)
    prog = compile(y, params=[x])
    code = "\n".join(line.split("#", 1)[0] for line in prog.source.splitlines())
    assert "INF" in code and "NAN" in code and "NEG_ZERO" in code
    assert "inf" not in code.replace("INF", "") and "nan" not in code.replace("NAN", "")
    twin = Value(1.0, label="x")
    ref = (twin + math.inf) * 0.0 + twin * -0.0 + (twin - math.nan).relu() + twin.leaky_relu(-0.0)
    ref.backward()
    assert bits(prog()) == bits(ref.data) and bits(x.grad) == bits(twin.grad)


def test_a_batch_compiles_to_one_function_per_repeated_row() -> None:
    lines, nodes = [], []
    for n in (20, 40):
        X, y = make_moons(n, noise=0.1, seed=0, labels="pm1")
        model = MLP(2, [16, 16, 1], seed=0)
        loss, inputs, _ = demo_graph(model, X, y)
        prog = compile(loss, params=model, inputs=inputs)
        assert prog.source.count("def block_") == 1
        lines.append(prog.source.count("\n"))
        nodes.append(len(autograd.graph.topo_order(loss)))
    per_sample = (lines[1] - lines[0]) / 20       # a call, its outputs, its loss terms
    assert per_sample < 25 < (nodes[1] - nodes[0]) / 20


# -- sync: the compiled step can still be drawn and explained ---------------------------------
def test_sync_writes_the_run_into_the_traced_nodes() -> None:
    X, y = make_moons(6, noise=0.1, seed=4, labels="pm1")
    X2, _ = make_moons(6, noise=0.2, seed=9, labels="pm1")
    model = MLP(2, [3, 1], seed=2)
    loss, inputs, _ = demo_graph(model, X, y)
    prog = compile(loss, params=model, inputs=inputs)
    for p in model.parameters():
        p.data += 0.25
    twin = copy.deepcopy(model)
    model.zero_grad()
    prog([[a, b] for a, b in X2], sync=True)
    ref, _, _ = demo_graph(twin, X2, y)
    ref.backward()
    assert trace(loss, max_rows=400) == trace(ref, max_rows=400)
    assert same([n.grad for n in autograd.graph.topo_order(loss)],
                [n.grad for n in autograd.graph.topo_order(ref)])


def test_sync_needs_a_run() -> None:
    x = Value(1.0)
    with pytest.raises(RuntimeError, match="sync"):
        compile(x * x, params=[x]).sync()


# -- refusals -----------------------------------------------------------------------------------
def test_hooks_are_refused() -> None:
    x = Value(1.0, label="x")
    y = x * x
    y.register_hook(lambda g: g * 2)
    with pytest.raises(CompileError, match="hook"):
        compile(y, params=[x])


def test_dropout_in_train_mode_is_refused() -> None:
    model = MLP(2, [4, 1], dropout=0.5, seed=0)
    with pytest.raises(CompileError, match="dropout"):
        compile(model([1.0, 2.0]) * 1.0, params=model)
    model.eval()
    compile(model([1.0, 2.0]) * 1.0, params=model)   # eval mode: no mask, nothing to freeze


def test_ops_without_code_are_refused() -> None:
    base = OPS["tanh"]
    raw = Op("mytanh", "mytanh", base.forward, base.derivative, "mytanh({0})", ("1 − {out}²",))
    x = Value(0.5, label="x")
    from autograd.engine import _unary
    y = _unary(raw, x) * 2.0
    with pytest.raises(CompileError, match=r"'mytanh'.*no code template"):
        compile(y, params=[x])


def test_bad_arguments_are_refused_clearly() -> None:
    x = Value(1.0, label="x")
    y = x * 3.0
    with pytest.raises(CompileError, match="root must be an operation"):
        compile(x, params=[x])
    with pytest.raises(CompileError, match="not a leaf"):
        compile(y, params=[y])
    with pytest.raises(CompileError, match="also a parameter"):
        compile(y, params=[x], inputs=[x])
    with pytest.raises(CompileError, match="not a node of the graph"):
        compile(y, params=[x], outputs=[Value(2.0)])
    with pytest.raises(TypeError, match="must be a Value"):
        compile(3.0, params=[x])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="params"):
        compile(y, params=3)
    prog = compile(y, params=[], inputs=[x])
    with pytest.raises(ValueError, match="1 rows as traced"):
        prog([1.0, 2.0])
    with pytest.raises(TypeError, match="not a number"):
        prog([[None]])
    with pytest.raises(ValueError, match="must hold 1 number"):
        prog(["a"])
    assert prog([4.0]) == 12.0


def test_a_changed_model_refuses_to_run() -> None:
    model = MLP(2, [3, 1], seed=0)
    prog = compile(model([1.0, 2.0]) * 1.0, params=model)
    prog()
    model.layers[0] = Layer(2, 3, seed=1)
    with pytest.raises(StaleProgramError, match="changed"):
        prog()
    model = MLP(2, [3, 1], seed=0)
    prog = compile(model([1.0, 2.0]) * 1.0, params=model)
    model.parameters()[0].requires_grad = False
    with pytest.raises(StaleProgramError, match="requires_grad"):
        prog()


# -- errors name the node, as eager errors do ---------------------------------------------------
def test_a_failing_step_reruns_eagerly_and_names_the_node() -> None:
    w, x = Value(1.0, label="w"), Value(4.0, label="x")
    z = w * x
    z.label = "z"
    prog = compile(z.sqrt() + w, params=[w], inputs=[x])
    w.data = -1.0
    with pytest.raises(autograd.DomainError, match=r"sqrt.*-4\.0.*node 'z'"):
        prog()
    assert w.grad == 0.0                                # nothing half-written


def test_detect_anomaly_sees_a_compiled_step() -> None:
    w = Value(1.0, label="w")
    big = w * 1e308
    big.label = "big"
    prog = compile(big * 10.0, params=[w])
    prog()
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"forward pass.*inf"):
        prog()


# -- fit(compile=True) --------------------------------------------------------------------------
@pytest.mark.parametrize("batch_size", [None, 7])
def test_fit_compiled_trains_exactly_as_fit(batch_size: int | None) -> None:
    X, y = make_moons(30, noise=0.1, seed=1, labels="pm1")
    runs = []
    for compiled in (False, True):
        model = MLP(2, [8, 8, 1], seed=1)
        history = fit(model, hinge, (X, y), SGD(model, lr=0.5), 12, batch_size=batch_size,
                      shuffle=False, regularization=lambda m: l2_penalty(m, 1e-3),
                      track_grad_norms=True, verbose=False, compile=compiled)
        runs.append((history, [p.data for p in model.parameters()]))
    (eager, eager_params), (comp, comp_params) = runs
    assert same(comp_params, eager_params)
    assert same(comp.loss, eager.loss) and same(comp.step_loss, eager.step_loss)
    assert comp.accuracy == eager.accuracy and same(comp.penalty, eager.penalty)
    assert comp.grad_norms == eager.grad_norms


def test_fit_compile_refuses_what_it_cannot_replay() -> None:
    X, y = make_moons(10, noise=0.1, seed=1, labels="pm1")
    model = MLP(2, [4, 1], seed=1)
    with pytest.raises(ValueError, match="same batches every epoch"):
        fit(model, hinge, (X, y), SGD(model, lr=0.1), 2, batch_size=4, verbose=False,
            compile=True)
    dropped = MLP(2, [4, 1], dropout=0.2, seed=1)
    with pytest.raises(ValueError, match="dropout"):
        fit(dropped, hinge, (X, y), SGD(dropped, lr=0.1), 2, verbose=False, compile=True)
    with pytest.raises(TypeError, match="compile must be True or False"):
        fit(model, hinge, (X, y), SGD(model, lr=0.1), 2, verbose=False,
            compile="yes")  # type: ignore[arg-type]
