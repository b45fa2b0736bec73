"""The Value API: construction, repr, comparisons, graph control, errors."""

import copy
import math

import pytest

import autograd
from autograd import Value
from autograd.engine import Value as EngineValue


def test_micrograd_names_and_import_paths():
    assert EngineValue is Value
    a, b = Value(2.0), Value(3.0)
    c = a * b
    assert c._prev == (a, b) and c.children == (a, b)
    assert c._op == "*" and c.op == "*" and a.op == "" and a._op == ""
    assert isinstance(c._prev, tuple)


def test_fields_and_defaults():
    v = Value(3, label="x")
    assert v.data == 3.0 and isinstance(v.data, float)
    assert v.grad == 0.0 and v.label == "x" and v.is_leaf and v.requires_grad
    assert float(v) == 3.0 and v.item() == 3.0


def test_repr_is_short():
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    assert repr(c) == "Value(data=-6.0, grad=0.0, op='*', label='c')"
    assert repr(Value(1.5)) == "Value(data=1.5, grad=0.0)"
    assert f"{c:.2f}" == "-6.00"


def test_equality_is_identity_and_ordering_uses_data():
    a, b = Value(1.0), Value(1.0)
    assert a != b and a == a
    assert len({a, b}) == 2 and {a: 1}[a] == 1
    assert b <= a and a >= b and not a < b and Value(0.5) < a and a > 0.5 and a < 2


def test_reused_nodes_accumulate():
    a = Value(3.0)
    b = a + a
    c = b + b
    c.backward()
    assert a.grad == 4.0 and b.grad == 2.0


def test_gradients_accumulate_like_pytorch():
    x = Value(2.0)
    y = x * x
    y.backward()
    y.backward()
    assert x.grad == 8.0  # 2 * (2x)
    assert y.grad == 2.0
    y.zero_grad()
    assert x.grad == 0.0 and y.grad == 0.0
    y.backward(3.0)
    assert x.grad == 12.0


def test_accumulation_across_two_graphs_sharing_a_leaf():
    w = Value(1.5)
    (w * 2).backward()
    (w * w).backward()
    assert w.grad == 2.0 + 3.0


def test_no_grad_records_nothing():
    x = Value(2.0)
    with autograd.no_grad():
        assert not autograd.is_grad_enabled()
        y = x * 3 + 1
        with autograd.enable_grad():
            z = x * 2
    assert autograd.is_grad_enabled()
    assert y.is_leaf and not y.requires_grad and y.data == 7.0
    assert z.children == (x,) or z.children[0] is x


def test_detach_and_constants():
    x = Value(2.0)
    d = (x * x).detach()
    assert d.is_leaf and not d.requires_grad and d.data == 4.0
    y = d * x
    y.backward()
    assert x.grad == 4.0 and d.grad == 0.0
    k = Value(5.0, requires_grad=False)
    (k * x).backward()
    assert k.grad == 0.0


@pytest.mark.parametrize("bad", ["3", None, 1 + 2j, [1.0], True])
def test_bad_construction_names_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


@pytest.mark.parametrize("op", ["+", "-", "*", "/", "**"])
def test_bad_operand_names_the_type(op):
    scope = {"x": Value(1.0)}
    with pytest.raises(TypeError, match="str"):
        eval(f"x {op} 'a'", scope)
    with pytest.raises(TypeError, match="str"):
        eval(f"'a' {op} x", scope)


@pytest.mark.parametrize("expr,exc,message", [
    ("x.log()", ValueError, "log() of -1.0 at node 'x'"),
    ("z.log()", ValueError, "log() of 0.0 at node 'z'"),
    ("x.sqrt()", ValueError, "sqrt() of -1.0 at node 'x'"),
    ("one / z", ZeroDivisionError, "division by zero: 1.0 / 0.0 at node 'z'"),
    ("1 / z", ZeroDivisionError, "at node 'z'"),
    ("z ** -2", ZeroDivisionError, "0.0 ** -2 (zero to a negative power) at node 'z'"),
    ("x ** 0.5", ValueError, "negative base, fractional power) at node 'x'"),
    ("x ** one", ValueError, "negative base with a Value exponent) at node 'x'"),
    ("(-2) ** one", ValueError, "negative base"),
])
def test_domain_errors_name_op_value_and_node(expr, exc, message):
    x = Value(-1.0, label="x")
    z = Value(0.0, label="z")
    one = Value(1.0, label="one")
    big = Value(1000.0, label="big")
    before = [(v, v.data, v.grad, v._prev) for v in (x, z, one, big)]
    with pytest.raises(exc) as info:
        eval(expr)
    assert message in str(info.value)
    assert "math domain error" not in str(info.value)
    assert [(v, v.data, v.grad, v._prev) for v in (x, z, one, big)] == before


def test_domain_error_on_unlabelled_node_says_which_op_made_it():
    a = Value(2.0)
    with pytest.raises(ValueError, match=r"log\(\) of -2.0 at node <unlabelled 'neg' result>"):
        (-a).log()


def test_hooks_see_complete_gradient_and_can_replace_it():
    x = Value(3.0, label="x")
    y = x * x
    z = y + y
    seen = []
    h = y.register_hook(lambda g: seen.append(g))
    z.backward()
    assert seen == [2.0] and x.grad == 12.0
    h.remove()
    h.remove()
    x.grad = 0.0
    y.register_hook(lambda g: g * 0.5)
    z.backward()
    assert x.grad == 6.0 and y.grad == 3.0  # y.grad keeps its accumulated value (2 + 1)
    with pytest.raises(TypeError, match="callable"):
        y.register_hook(42)


def test_backward_rejects_bad_seed():
    with pytest.raises(TypeError, match="str"):
        Value(1.0).backward("1")


def test_scope_tags_nodes():
    with autograd.scope("Layer 1"):
        with autograd.scope("Neuron 3") as s:
            y = Value(1.0) * 2
    z = y + 1
    assert y.scope is s and y.scope.title == "Layer 1 · Neuron 3"
    assert [p.name for p in s.path] == ["Layer 1", "Neuron 3"]
    assert z.scope is None


def test_ops_survive_copy():
    y = Value(2.0) ** 3
    assert copy.deepcopy(y.op) is y.op


def test_no_reference_cycles():
    import gc
    gc.collect()
    gc.disable()
    try:
        x = Value(1.0)
        y = (x * 2).tanh() + x.exp()
        y.backward()
        del x, y
        assert gc.collect() == 0
    finally:
        gc.enable()


def test_nan_passes_through_silently_outside_anomaly_mode():
    y = Value(math.nan) * 2
    assert math.isnan(y.data)


def test_a_failing_backward_leaves_every_grad_as_it_was():
    x = Value(2.0, label="x")
    y = x * x
    z = y * 3
    z.backward()
    assert (x.grad, y.grad, z.grad) == (12.0, 3.0, 1.0)

    def boom(g):
        raise RuntimeError("hook failed")

    y.register_hook(boom)
    with pytest.raises(RuntimeError, match="hook failed"):
        z.backward()
    assert (x.grad, y.grad, z.grad) == (12.0, 3.0, 1.0)


def test_constants_are_marked_before_watchers_see_them(monkeypatch):
    from autograd import state

    seen = []
    x = Value(1.0)
    token = state.set_watchers(lambda v: seen.append(v.requires_grad), None)
    try:
        x * 2
    finally:
        state.restore(token)
    assert seen == [False, True]


def test_other_real_number_types_are_accepted():
    from fractions import Fraction

    np = pytest.importorskip("numpy")
    x = Value(np.int64(3), label="x")
    assert x.data == 3.0 and type(x.data) is float
    y = x * np.float32(0.5) + Fraction(1, 4) - np.int32(1)
    assert y.data == 0.75 and (x ** np.int64(2)).data == 9.0 and x > np.int8(2)
    y.backward(np.float64(2.0))
    assert x.grad == 1.0


def _edges_in_creation_order(root):
    """True when every node (gradient graphs included) is newer than each of its inputs."""
    seen, stack = {root}, [root]
    while stack:
        node = stack.pop()
        for c in (*node._prev, *([node.grad] if isinstance(node.grad, Value) else [])):
            if c not in seen:
                seen.add(c)
                stack.append(c)
    return all(c._id < n._id for n in seen for c in n._prev)


@pytest.mark.parametrize("how", ["deepcopy", *range(6)])
def test_a_copied_graph_keeps_creation_order_and_its_second_derivatives(how):
    import pickle

    x = Value(3.0, label="x")
    y = x * x * x
    y.backward(create_graph=True)     # x.grad = 3x² is a graph that uses x itself
    twin = copy.deepcopy(y) if how == "deepcopy" else pickle.loads(pickle.dumps(y, how))
    assert _edges_in_creation_order(twin)
    x2 = next(n for n in autograd.graph.reachable(twin) if n.label == "x")
    assert x2 is not x and x2._id > x._id
    g = x2.grad
    assert g.data == 27.0
    x2.grad = 0.0
    g.backward()
    assert x2.grad == 18.0            # d(3x²)/dx at 3, as on the original
    assert x.grad.data == 27.0        # the original untouched


def test_a_copy_has_hooks_of_its_own_and_a_deep_graph_copies_without_recursion():
    a = Value(1.0, label="a")
    a.register_hook(lambda g: None)
    b = copy.copy(a)
    b.register_hook(lambda g: 2 * g)
    assert (len(a._hooks), len(b._hooks)) == (1, 2)
    y = a
    for _ in range(20_000):           # far beyond the recursion limit
        y = y * 1.0
    twin = copy.deepcopy(y)
    order = autograd.graph.topo_order(twin)
    assert len(order) == len(autograd.graph.topo_order(y))
    assert order[0].label == "a" and order[0] is not a
    assert order[0]._hooks == a._hooks and order[0]._hooks is not a._hooks
    twin.backward()
    assert order[0].grad == 1.0 and a.grad == 0.0
