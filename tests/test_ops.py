"""Each op against its analytic derivative, including kinks and extreme inputs."""

import math

import pytest

import autograd
from autograd import Value
from autograd.ops import OPS

SIG = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731

# (name, f on a Value, f on a float, analytic derivative, points)
UNARY = [
    ("exp", Value.exp, math.exp, math.exp, [-3.0, 0.0, 1.5, 700.0]),
    ("log", Value.log, math.log, lambda x: 1 / x, [1e-300, 0.5, 1.0, 1e300]),
    ("sqrt", Value.sqrt, math.sqrt, lambda x: 0.5 / math.sqrt(x), [1e-12, 2.0, 1e300]),
    ("tanh", Value.tanh, math.tanh, lambda x: 1 - math.tanh(x) ** 2, [-3.0, 0.0, 0.7, 30.0]),
    ("sigmoid", Value.sigmoid, SIG, lambda x: SIG(x) * (1 - SIG(x)), [-5.0, 0.0, 2.0]),
    ("relu", Value.relu, lambda x: max(0.0, x), lambda x: float(x > 0), [-2.0, 3.0]),
    ("leaky_relu", Value.leaky_relu, lambda x: x if x > 0 else 0.01 * x,
     lambda x: 1.0 if x > 0 else 0.01, [-2.0, 3.0]),
    ("abs", Value.abs, abs, lambda x: math.copysign(1.0, x), [-2.0, 3.0]),
    ("sin", Value.sin, math.sin, math.cos, [-1.0, 0.0, 2.5]),
    ("cos", Value.cos, math.cos, lambda x: -math.sin(x), [-1.0, 0.0, 2.5]),
    ("neg", Value.__neg__, lambda x: -x, lambda x: -1.0, [-1.0, 2.0]),
    ("square", lambda v: v ** 2, lambda x: x * x, lambda x: 2 * x, [-1.5, 0.0, 3.0]),
    ("cube", lambda v: v ** 3, lambda x: x ** 3, lambda x: 3 * x * x, [-1.5, 2.0]),
    ("inverse", lambda v: v ** -1, lambda x: 1 / x, lambda x: -1 / x / x, [-2.0, 0.5]),
    ("root", lambda v: v ** 0.5, math.sqrt, lambda x: 0.5 / math.sqrt(x), [0.25, 4.0]),
    ("rdiv", lambda v: 3 / v, lambda x: 3 / x, lambda x: -3 / x / x, [-2.0, 0.5]),
    ("rsub", lambda v: 3 - v, lambda x: 3 - x, lambda x: -1.0, [1.0]),
    ("rpow", lambda v: 2 ** v, lambda x: 2 ** x, lambda x: 2 ** x * math.log(2), [-1.0, 3.0]),
]


@pytest.mark.parametrize("name,f,ff,df,points", UNARY, ids=[u[0] for u in UNARY])
def test_unary_value_and_derivative(name, f, ff, df, points):
    for p in points:
        x = Value(p, label="x")
        y = f(x)
        y.backward()
        assert y.data == pytest.approx(ff(p), rel=1e-12, abs=1e-300)
        assert x.grad == pytest.approx(df(p), rel=1e-12, abs=1e-300), (name, p)


BINARY = [
    ("add", lambda a, b: a + b, lambda a, b: (1.0, 1.0)),
    ("sub", lambda a, b: a - b, lambda a, b: (1.0, -1.0)),
    ("mul", lambda a, b: a * b, lambda a, b: (b, a)),
    ("div", lambda a, b: a / b, lambda a, b: (1 / b, -a / b / b)),
    ("pow", lambda a, b: a ** b, lambda a, b: (b * a ** (b - 1), a ** b * math.log(a))),
]


@pytest.mark.parametrize("name,f,df", BINARY, ids=[b[0] for b in BINARY])
def test_binary_derivatives(name, f, df):
    for pa, pb in [(1.5, -2.0), (0.3, 4.0), (2.0, 0.5)]:
        a, b = Value(pa), Value(pb)
        y = f(a, b)
        y.backward()
        assert y.data == pytest.approx(f(pa, pb), rel=1e-12)
        da, db = df(pa, pb)
        assert (a.grad, b.grad) == (pytest.approx(da, rel=1e-12), pytest.approx(db, rel=1e-12))


def test_numbers_on_either_side():
    x = Value(2.0)
    assert (x + 1).data == (1 + x).data == 3.0
    assert (x - 1).data == 1.0 and (1 - x).data == -1.0
    assert (x * 3).data == (3 * x).data == 6.0
    assert (x / 4).data == 0.5 and (4 / x).data == 2.0
    assert (x ** 3).data == 8.0 and (3 ** x).data == 9.0
    assert (x ** Value(2.0)).data == 4.0


@pytest.mark.parametrize("x,relu,abs_,leaky", [(0.0, 0.0, 0.0, 0.01)])
def test_kinks_follow_pytorch(x, relu, abs_, leaky):
    for f, expected in [(Value.relu, relu), (Value.abs, abs_), (Value.leaky_relu, leaky)]:
        v = Value(x)
        f(v).backward()
        assert v.grad == expected


def test_sqrt_and_fractional_power_at_zero_have_infinite_slope():
    for f in (Value.sqrt, lambda v: v ** 0.5):
        v = Value(0.0)
        f(v).backward()
        assert v.grad == math.inf


def test_sigmoid_and_tanh_are_stable_at_extremes():
    for x, s, t in [(1e308, 1.0, 1.0), (-1e308, 0.0, -1.0), (800.0, 1.0, 1.0),
                    (-800.0, 0.0, -1.0)]:
        a, b = Value(x), Value(x)
        assert a.sigmoid().data == s and b.tanh().data == t
        a.sigmoid().backward()
        b.tanh().backward()
        assert a.grad == 0.0 and b.grad == 0.0


def test_leaky_relu_alpha():
    v = Value(-2.0)
    y = v.leaky_relu(0.2)
    y.backward()
    assert y.data == pytest.approx(-0.4) and v.grad == 0.2
    assert y.op == "leaky_relu(0.2)"


def test_sum_node_is_one_node_with_many_children():
    xs = [Value(float(i)) for i in range(10)]
    s = autograd.sum(xs)
    assert s.op == "sum" and s.children == tuple(xs) and s.data == 45.0
    s.backward()
    assert all(x.grad == 1.0 for x in xs)
    assert autograd.sum([]).data == 0.0
    assert autograd.sum([Value(1.0), 2, 3.5]).data == 6.5


def test_dot_node():
    w = [Value(0.6), Value(0.3), Value(-0.4)]
    x = [Value(1.0), Value(1.0), Value(1.0)]
    b = Value(0.2)
    y = autograd.dot(w, x, b)
    assert y.op == "dot" and len(y.children) == 7
    assert y.data == pytest.approx(0.7)
    y.backward()
    assert [wi.grad for wi in w] == [1.0, 1.0, 1.0]
    assert [xi.grad for xi in x] == [0.6, 0.3, -0.4]
    assert b.grad == 1.0
    assert autograd.dot([2.0], [Value(3.0)]).data == 6.0


def test_dot_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="2 weights and 1 inputs"):
        autograd.dot([1.0, 2.0], [Value(1.0)])


def test_every_op_has_readable_formulas():
    for op in OPS.values():
        if op.arity == 0:
            continue
        for text in op.formulas():
            assert text.startswith("∂") and " = " in text
    assert OPS["*"].formula(0) == "∂(a·b)/∂a = b"
    assert OPS["tanh"].formula() == "∂tanh(x)/∂x = 1 − tanh(x)²"
