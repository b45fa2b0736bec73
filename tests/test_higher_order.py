"""Higher-order gradients: create_graph, grad of grad, Hessians (issue 8)."""

import math

import pytest
from hypothesis import assume, given, settings

import autograd
from autograd import Value, grad, hessian, value_and_grad

from .exprs import FLOAT, SMOOTH, VALUE, close, inputs, programs, run

S = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731

# f, then its 1st, 2nd and 3rd derivatives written out by hand
UNARY = [
    ("exp", Value.exp, math.exp, math.exp, math.exp),
    ("log", Value.log, lambda x: 1 / x, lambda x: -1 / x**2, lambda x: 2 / x**3),
    ("sqrt", Value.sqrt, lambda x: 0.5 * x**-0.5, lambda x: -0.25 * x**-1.5,
     lambda x: 0.375 * x**-2.5),
    ("tanh", Value.tanh, lambda x: 1 - math.tanh(x) ** 2,
     lambda x: -2 * math.tanh(x) * (1 - math.tanh(x) ** 2),
     lambda x: (1 - math.tanh(x) ** 2) * (6 * math.tanh(x) ** 2 - 2)),
    ("sigmoid", Value.sigmoid, lambda x: S(x) * (1 - S(x)),
     lambda x: S(x) * (1 - S(x)) * (1 - 2 * S(x)),
     lambda x: S(x) * (1 - S(x)) * (1 - 6 * S(x) + 6 * S(x) ** 2)),
    ("sin", Value.sin, math.cos, lambda x: -math.sin(x), lambda x: -math.cos(x)),
    ("cos", Value.cos, lambda x: -math.sin(x), lambda x: -math.cos(x), math.sin),
    ("cube", lambda v: v**3, lambda x: 3 * x * x, lambda x: 6 * x, lambda x: 6.0),
    ("pow2.5", lambda v: v**2.5, lambda x: 2.5 * x**1.5, lambda x: 3.75 * x**0.5,
     lambda x: 1.875 * x**-0.5),
    ("inverse", lambda v: 1 / v, lambda x: -1 / x**2, lambda x: 2 / x**3, lambda x: -6 / x**4),
    ("rpow", lambda v: 2**v, lambda x: 2**x * math.log(2), lambda x: 2**x * math.log(2) ** 2,
     lambda x: 2**x * math.log(2) ** 3),
    ("relu", Value.relu, lambda x: float(x > 0), lambda x: 0.0, lambda x: 0.0),
    ("leaky", lambda v: v.leaky_relu(0.1), lambda x: 1.0 if x > 0 else 0.1,
     lambda x: 0.0, lambda x: 0.0),
    ("abs", Value.abs, lambda x: math.copysign(1, x), lambda x: 0.0, lambda x: 0.0),
    ("neg", lambda v: -v, lambda x: -1.0, lambda x: 0.0, lambda x: 0.0),
]


@pytest.mark.parametrize("name,f,d1,d2,d3", UNARY, ids=[u[0] for u in UNARY])
@pytest.mark.parametrize("x", [0.3, 1.7])
def test_first_second_third_derivatives(name, f, d1, d2, d3, x):
    if name in ("relu", "leaky", "abs", "neg"):
        x = -x if name != "neg" else x
    g1, g2, g3 = grad(f), grad(grad(f)), grad(grad(grad(f)))
    assert g1(x) == pytest.approx(d1(x), rel=1e-12, abs=1e-15)
    assert g2(x) == pytest.approx(d2(x), rel=1e-12, abs=1e-15)
    assert g3(x) == pytest.approx(d3(x), rel=1e-11, abs=1e-14)


def test_binary_ops_mixed_partials():
    a, b = 1.3, 0.7
    H = hessian(lambda x, y: x * y + x / y + x**y)(a, b)
    # ∂²/∂x² = y(y−1)x^(y−2), ∂²/∂y² = 2x/y³ + x^y ln²x, ∂²/∂x∂y = 1 − 1/y² + x^(y−1)(1 + y ln x)
    expected = [
        [b * (b - 1) * a ** (b - 2), 1 - 1 / b**2 + a ** (b - 1) * (1 + b * math.log(a))],
        [1 - 1 / b**2 + a ** (b - 1) * (1 + b * math.log(a)),
         2 * a / b**3 + a**b * math.log(a) ** 2],
    ]
    for row, erow in zip(H, expected):
        assert row == pytest.approx(erow, rel=1e-12)


def test_nary_sum_and_dot_second_derivatives():
    f = lambda x, y: autograd.dot([x, y], [x, y], x * y) + autograd.sum([x * x, y])  # noqa: E731
    # f = 2x² + y² + xy + y
    assert hessian(f)(0.5, -2.0) == [[4.0, 1.0], [1.0, 2.0]]


def test_backward_create_graph_gives_value_grads():
    x = Value(0.5, label="x")
    y = (x * x).sin() * x.exp()
    y.backward(create_graph=True)
    g = x.grad
    assert isinstance(g, Value)
    fprime = lambda t: (2 * t * math.cos(t * t) + math.sin(t * t)) * math.exp(t)  # noqa: E731
    assert g.data == pytest.approx(fprime(0.5), rel=1e-12)
    x.grad = 0.0
    g.backward()
    h = 1e-5
    assert x.grad == pytest.approx((fprime(0.5 + h) - fprime(0.5 - h)) / (2 * h), rel=1e-7)


def test_create_graph_accumulates_into_existing_grad():
    x = Value(2.0)
    y = x * x * x
    x.grad = 1.0
    y.backward(create_graph=True)
    assert isinstance(x.grad, Value) and x.grad.data == 13.0


def test_plain_backward_is_unchanged_by_the_feature():
    x = Value(2.0)
    (x * x).backward()
    assert type(x.grad) is float and x.grad == 4.0


def test_value_and_grad_and_argnums():
    f = lambda x, y: x * x * y  # noqa: E731
    v, g = value_and_grad(f)(3.0, 2.0)
    assert (v, g) == (18.0, 12.0)
    assert grad(f, argnums=1)(3.0, 2.0) == 9.0
    assert grad(f, argnums=(0, 1))(3.0, 2.0) == (12.0, 9.0)
    assert grad(lambda x: 5.0)(1.0) == 0.0
    assert grad(lambda x, y: y)(1.0, 2.0) == 0.0


def test_grad_of_values_returns_values_with_graph():
    x = Value(1.5, label="x")
    g = grad(lambda t: t.tanh() * t)(x)
    assert isinstance(g, Value) and g.children  # a graph that can be stepped through/drawn
    order = autograd.graph.topo_order(g)
    assert x in order


def test_pure_functions_leave_grad_fields_alone():
    w = Value(3.0)
    grad(lambda x: x * w)(2.0)
    hessian(lambda x: x * x * w)(2.0)
    assert w.grad == 0.0


@pytest.mark.parametrize("f,message", [
    (lambda x: [x, x], "got list"),
    (lambda x: "x", "got str"),
    (lambda x: None, "got NoneType"),
])
def test_grad_of_non_scalar_is_a_type_error(f, message):
    with pytest.raises(TypeError, match=message):
        grad(f)(1.0)
    with pytest.raises(TypeError, match=message):
        hessian(f)(1.0)


def test_bad_arguments():
    with pytest.raises(TypeError, match="argument 0 must be a number or Value, got str"):
        grad(lambda x: x)("1")
    with pytest.raises(ValueError, match=r"argnums must be positions .*\(-2 … 1\), got 2"):
        grad(lambda x, y: x * y, argnums=2)(1.0, 2.0)
    with pytest.raises(TypeError, match="callable"):
        grad(42)
    with pytest.raises(ValueError, match="at least one"):
        hessian(lambda: 1.0)()


def _fd_hessian(f, xs, h=1e-5):
    """Finite differences of the (exact) first derivatives."""
    n = len(xs)
    rows = []
    for i in range(n):
        row = []
        for j in range(n):
            up, down = list(xs), list(xs)
            up[j] += h
            down[j] -= h
            gi = grad(f, argnums=i)
            row.append((gi(*up) - gi(*down)) / (2 * h))
        rows.append(row)
    return rows


@settings(max_examples=60, deadline=None)
@given(programs(SMOOTH, max_steps=8), inputs(1, 3))
def test_random_graph_hessians_match_finite_differences_of_gradients(program, xs):
    y = run(program, xs, FLOAT)
    assume(math.isfinite(y) and abs(y) < 1e4)
    f = lambda *v: run(program, list(v), VALUE)  # noqa: E731
    H = hessian(f)(*xs)
    assume(all(math.isfinite(h) and abs(h) < 1e4 for row in H for h in row))
    fd = _fd_hessian(f, xs)
    for i, row in enumerate(H):
        for j, hij in enumerate(row):
            assert close(hij, fd[i][j], rel=1e-4, abs_=1e-5), (i, j, program)
            assert close(hij, H[j][i], rel=1e-9, abs_=1e-12)  # symmetry


@settings(max_examples=60, deadline=None)
@given(programs(SMOOTH, max_steps=8), inputs(1, 3))
def test_double_backward_equals_pytorch(program, xs):
    torch = pytest.importorskip("torch")
    from .exprs import torch_backend

    TB = torch_backend(torch)
    y = run(program, xs, FLOAT)
    assume(math.isfinite(y) and abs(y) < 1e6)
    H = hessian(lambda *v: run(program, list(v), VALUE))(*xs)
    tx = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    ty = run(program, tx, TB)
    tg = torch.autograd.grad(ty, tx, create_graph=True, allow_unused=True)
    for i, g in enumerate(tg):
        if g is None or not g.requires_grad:
            assert all(h == 0.0 for h in H[i])
            continue
        row = torch.autograd.grad(g, tx, retain_graph=True, allow_unused=True)
        for j, r in enumerate(row):
            expected = 0.0 if r is None else r.item()
            assert close(H[i][j], expected, rel=1e-9, abs_=1e-12), (i, j, program)


def test_hessian_equals_torch_func_hessian():
    torch = pytest.importorskip("torch")

    def f(x, y, z):
        return (x * y).sin() * z.exp() + (x * x + 1).log() * y**3 / (z * z + 2)

    xs = [0.7, -1.2, 0.4]
    ours = hessian(f)(*xs)
    t = torch.tensor(xs, dtype=torch.float64)
    theirs = torch.func.hessian(lambda v: f(v[0], v[1], v[2]))(t)
    for i in range(3):
        for j in range(3):
            assert ours[i][j] == pytest.approx(theirs[i, j].item(), rel=1e-12, abs=1e-14)


def test_mixed_partial_of_power_at_zero_exponent():
    """∂²(aᵇ)/∂a∂b = aᵇ⁻¹(1 + b·ln a) = 1/a at b = 0 (PyTorch's double backward masks it to 0)."""
    H = hessian(lambda a, b: a ** b)(2.0, 0.0)
    assert H[0][1] == H[1][0] == 0.5
    assert H[0][0] == 0.0 and H[1][1] == pytest.approx(math.log(2.0) ** 2)


def test_gradient_graphs_can_be_explained_stepped_and_drawn(tmp_path):
    """A gradient from create_graph is an ordinary graph: trace, Stepper, draw_graph work."""
    from autograd import Stepper, trace

    x = Value(0.5, label="x")
    g = grad(lambda t: (t * t).tanh())(x)  # 2x·(1 − tanh²(x²))
    table = trace(g)
    assert "tanh" in table and "x·x" in table
    steps = Stepper(g).run()
    assert len(steps) >= 5 and x.grad == pytest.approx(grad(grad(lambda t: (t * t).tanh()))(0.5))
    graphviz = pytest.importorskip("graphviz")
    d = autograd.draw_graph(g)
    assert isinstance(d, graphviz.Digraph) and "tanh" in d.source
