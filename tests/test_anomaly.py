"""detect_anomaly(): the first NaN/∞ of a forward or backward pass, with its source line."""

import inspect
import math
import os

import pytest

import autograd
from autograd import Value, graph, state
from autograd.explainer import Stepper, names, trace
from autograd.explainer.anomaly import AnomalyError, AnomalyMode, detect_anomaly

HERE = os.path.abspath(__file__)


def line_of(marker):
    """The line number of this file's line that contains ``marker``."""
    lines, start = inspect.getsourcelines(inspect.getmodule(line_of))
    return next(i for i, text in enumerate(lines, start or 1) if marker in text and
                "line_of(" not in text)


def test_the_error_is_an_arithmetic_error():
    assert issubclass(AnomalyError, FloatingPointError)
    assert issubclass(AnomalyError, ArithmeticError)
    assert autograd.AnomalyError is AnomalyError and autograd.detect_anomaly is detect_anomaly


def test_forward_nan_names_op_node_inputs_and_line():
    big = Value(math.inf, label="big")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        big - big  # <- forward nan here
    e = info.value
    assert e.phase == "forward" and math.isnan(e.node.data)
    assert e.location == f"{HERE}:{line_of('<- forward nan here')}"
    text = str(e)
    assert text.splitlines()[0] == "forward pass, at node v1 = big − big (op '-'): the value is nan"
    assert "inputs: big = inf, big = inf" in text
    assert "big - big  # <- forward nan here" in text
    assert "test_forward_nan_names_op_node_inputs_and_line" in text


def test_forward_overflow_to_infinity():
    x = Value(1e308, label="x")
    with detect_anomaly(), pytest.raises(AnomalyError, match="the value is inf") as info:
        x * 10
    assert "inputs: x = 1e+308, 10.0\n" in str(info.value)    # a constant shows as its number
    with detect_anomaly() as mode:
        y = x * 0.5
        assert mode.sources[y][0] == HERE
    assert y.data == 5e307


def test_forward_failure_leaves_no_record_and_engine_state_restored():
    x = Value(math.inf, label="x")
    with detect_anomaly() as mode:
        with pytest.raises(AnomalyError) as info:
            x * 0
        assert info.value.node not in mode.sources
        assert all(not n._prev for n in mode.sources)   # only the constant 0 was made
    assert state.watch() is None and state.check() is None
    with pytest.raises(AnomalyError), detect_anomaly():
        x - x
    assert state.watch() is None and state.check() is None


def test_backward_infinite_slope_names_the_culprit_and_its_term():
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt()  # <- sqrt at zero
        z = y * 3
        with pytest.raises(AnomalyError) as info:
            z.backward()
    e = info.value
    assert e.phase == "backward" and e.node is y
    assert e.location == f"{HERE}:{line_of('<- sqrt at zero')}"
    lines = str(e).splitlines()
    assert lines[0] == "backward pass, at node v1 = sqrt(x) (op 'sqrt'): it would send inf to x"
    assert lines[1] == "  x.grad += ∂v1/∂x · v1.grad = (1 / (2·v1)) · v1.grad = (inf)(3.0) = inf"
    assert lines[2] == "  inputs: x = 0.0"


def test_backward_zero_times_infinity_is_nan():
    x = Value(0.0, label="x")
    with detect_anomaly():
        y = x.sqrt() * 0
        with pytest.raises(AnomalyError, match="it would send nan to x"):
            y.backward()


def test_backward_nan_gradient_after_a_hook():
    a = Value(2.0, label="a")
    with detect_anomaly():
        b = a * a
        b.label = "b"
        b.register_hook(lambda g: math.nan)
        with pytest.raises(AnomalyError) as info:
            (b + 1).backward()
    assert "at node b = a·a (op '*'): its gradient is nan (after its hooks)" in str(info.value)


def test_a_non_finite_constant_is_caught_where_it_enters():
    x = Value(1.0, label="x")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        x * math.nan  # <- nan constant
    assert str(info.value).startswith("forward pass, at the constant nan: the value is nan")
    assert info.value.location == f"{HERE}:{line_of('<- nan constant')}"


def test_backward_non_finite_seed_and_leaf_without_location():
    a = Value(2.0, label="a")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        a.backward(math.inf)
    assert info.value.node is a and info.value.location is None
    assert "location unknown" in str(info.value)


def test_nodes_made_inside_the_package_point_at_user_code():
    w = [Value(1.0), Value(2.0)]
    x = [Value(3.0), Value(4.0)]
    with detect_anomaly() as mode:
        n = autograd.dot(w, x, 0.5)  # <- dot node
        s = autograd.sum([n, n])
        assert mode.where(n).startswith(f"{HERE}:{line_of('<- dot node')} in ")
        assert mode.where(n).endswith("n = autograd.dot(w, x, 0.5)  # <- dot node")
        assert mode.sources[s][1] == line_of("<- dot node") + 1
        assert mode.where(Value(1.0)) is not None  # leaves made by Value() are watched too
    assert mode.where(n) is None                   # the record is dropped on exit


def test_nothing_is_recorded_outside_and_clean_graphs_match_plain_backward():
    x = Value(0.7, label="x")
    with detect_anomaly() as mode:
        y = (x * x).tanh() + x.exp()
        y.backward()
    assert mode.sources == {}                    # dropped on exit
    z = (x * x).tanh() + x.exp()
    assert state.watch() is None
    x2 = Value(0.7)
    y2 = (x2 * x2).tanh() + x2.exp()
    y2.backward()
    assert x.grad == x2.grad
    assert z.data == y.data


def test_nested_blocks_share_the_record_and_restore_on_exit():
    x = Value(1.0)
    with detect_anomaly() as outer:
        watch = state.watch()
        with detect_anomaly() as inner:
            assert inner is outer and state.watch() is watch
            y = x * 2
        assert y in outer.sources       # still known after the inner block
        assert state.watch() is watch
    assert state.watch() is None and state.check() is None


def test_foreign_watchers_are_chained_and_restored(monkeypatch):
    seen_f, seen_b = [], []
    token = state.set_watchers(seen_f.append, lambda n, g, root: seen_b.append(g))
    try:
        x = Value(1.0)
        with detect_anomaly():
            y = x * 3
            y.backward()
        assert seen_f[-1] is y and seen_b == [1.0, 0.0, 3.0]   # y, the constant 3, x
        assert state.watch() == seen_f.append
    finally:
        state.restore(token)
    assert state.watch() is None


def test_a_backward_anomaly_names_nodes_as_the_views_of_its_root_do():
    a, b = Value(1.0, label="a"), Value(0.0, label="b")
    u = a * 2
    s = b.sqrt()            # v1 of its own graph, v2 of y's
    y = u * s
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        y.backward()
    shown = names(y)
    assert shown[s] == "v2" and "at node v2 = sqrt(b)" in str(info.value)
    assert any(line.split()[1:3] == ["v2", "sqrt"] for line in trace(y).splitlines())


def test_stepper_checks_too_and_restores_the_grads():
    x = Value(0.0, label="x")
    w = Value(1.0, label="w")
    with detect_anomaly():
        y = x.sqrt() * w
        w.grad = 5.0
        s = Stepper(y)
        s.step()
        with pytest.raises(AnomalyError, match="it would send inf to x"):
            s.step()
    assert (x.grad, w.grad, y.grad) == (0.0, 5.0, 0.0)
    assert s.position == 0
    assert [n.grad for n in graph.topo_order(y)].count(0.0) == 3


def test_mode_type():
    with detect_anomaly() as mode:
        assert isinstance(mode, AnomalyMode)


def test_an_infinite_derivative_node_under_create_graph_is_a_backward_anomaly():
    x = Value(0.0, label="x")
    with detect_anomaly(), pytest.raises(AnomalyError) as info:
        y = x.sqrt()
        y.label = "y"
        y.backward(create_graph=True)
    assert info.value.phase == "backward"
    assert "backward(create_graph=True) was writing the derivatives of y = sqrt(x)" in str(
        info.value)
    assert (x.grad, y.grad) == (0.0, 0.0)
    with detect_anomaly(), pytest.raises(AnomalyError) as info:   # a finite ∂ times a huge grad
        w = Value(1e300, label="w")
        z = w * x
        z.label = "z"
        z.backward(1e300, create_graph=True)
    assert "writing the derivatives of z = w·x" in str(info.value)
    with detect_anomaly(), pytest.raises(AnomalyError, match=r"^forward pass"):
        Value(1e300, label="big") * 1e10  # outside backward, still the forward pass
