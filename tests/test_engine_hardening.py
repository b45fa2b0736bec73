"""The engine under hostile input: bad arguments, huge numbers, NaN and domain edges
(issue #13's engine items), each refused or handled before anything changes."""

import gc
import pydoc

import pytest

from autograd import Value, no_grad


def test_label_must_be_a_str_on_assignment_too():
    v = Value(1.0, label="v")
    with pytest.raises(TypeError, match=r"Value\.label must be a str, got int: 5"):
        v.label = 5  # type: ignore[assignment]
    assert v.label == "v"


@pytest.mark.parametrize("flag", ["no", 0, 1, None])
def test_requires_grad_must_be_a_bool(flag):
    with pytest.raises(TypeError, match="requires_grad must be True or False"):
        Value(1.0, requires_grad=flag)


def test_backward_from_a_node_that_needs_no_gradient_is_refused_and_changes_nothing():
    c = Value(2.0, label="c", requires_grad=False)
    with pytest.raises(RuntimeError, match="backward\\(\\) from 'c', which needs no gradient"):
        c.backward()
    assert c.grad == 0.0
    x = Value(3.0, label="x")
    with no_grad():
        y = x * x
    with pytest.raises(RuntimeError, match="needs no gradient"):
        y.backward()
    assert (x.grad, y.grad) == (0.0, 0.0)


@pytest.mark.parametrize("bad", [None, "1", [1.0]])
def test_backward_seed_must_be_a_number(bad):
    x = Value(3.0)
    y = x * x
    with pytest.raises(TypeError, match="backward\\(\\) grad must be a number"):
        y.backward(bad)
    assert x.grad == 0.0


def test_numbers_too_large_for_a_float_name_the_operation():
    x = Value(1.0, label="x")
    with pytest.raises(OverflowError, match=r"\+: the number 1000.*\(401 characters\) is too "
                                            r"large for a float"):
        x + 10 ** 400
    with pytest.raises(OverflowError, match=r"Value\(\): the number .* is too large"):
        Value(10 ** 400)
    with pytest.raises(OverflowError, match=r"backward\(\) grad: the number"):
        (x * 2).backward(10 ** 400)


def test_round_gives_a_number():
    assert round(Value(2.567)) == 3 and round(Value(2.567), 1) == 2.6


def test_help_shows_docstrings_not_section_comments():
    text = pydoc.render_doc(Value, renderer=pydoc.plaintext)
    assert "# --" not in text
    assert "a new node; ∂/∂a = 1, ∂/∂b = 1" in text


def test_equality_is_identity_and_order_compares_numbers():
    a, b = Value(2.0), Value(2.0)
    assert a == a and a != b and not (a == 2.0)
    assert a <= b and a >= b and a <= 2.0 and not a < b
    assert len({a, b}) == 2
    assert max([Value(1.0), a, Value(-3.0)]) is a


def test_create_graph_cycles_are_broken_by_zero_grad_and_plain_backward_makes_none():
    """The README's promise: create_graph=True ties a node to its gradient's graph (as in
    PyTorch); zero_grad() breaks every such cycle; plain backward() never makes one."""
    x = Value(0.3, label="x")
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            y = (x * x).tanh() * x.exp() + x.sin()
            y.backward(create_graph=True)
            y.zero_grad()
            del y
        assert gc.collect() == 0
        for _ in range(3):
            y = (x * x).tanh() * x.exp() + x.sin()
            y.backward(create_graph=True)
            x.grad = 0.0                   # only the leaf's gradient reset: not enough
            del y
        assert gc.collect() > 0            # the cycles are real without zero_grad()
        for _ in range(3):
            y = (x * x).tanh() * x.exp() + x.sin()
            y.backward()
            del y
        assert gc.collect() == 0
    finally:
        gc.enable()
