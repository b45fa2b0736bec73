"""Random expression graphs (reusing intermediate nodes) against finite differences."""

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import autograd
from autograd import Value
from autograd.gradcheck import GradcheckError, gradcheck, numerical_grad

from .exprs import FLOAT, KINKED, SMOOTH, VALUE, close, inputs, programs, run


def _float_fn(program):
    return lambda *xs: run(program, list(xs), FLOAT)


@settings(max_examples=200, deadline=None)
@given(programs(SMOOTH), inputs())
def test_random_graphs_match_finite_differences(program, xs):
    leaves = [Value(x) for x in xs]
    root = run(program, leaves, VALUE)
    assume(math.isfinite(root.data) and abs(root.data) < 1e6)
    root.backward()
    f = _float_fn(program)

    def central(i, h):
        up, down = list(xs), list(xs)
        up[i] += h
        down[i] -= h
        return (f(*up) - f(*down)) / (2 * h)

    for i in range(len(xs)):
        numeric = central(i, 1e-6)
        assume(close(numeric, central(i, 1e-5), rel=1e-5, abs_=1e-6))   # a usable reference
        assert close(leaves[i].grad, numeric, rel=1e-4, abs_=1e-5), (i, program)


@settings(max_examples=100, deadline=None)
@given(programs(SMOOTH + KINKED), inputs())
def test_kinked_graphs_away_from_kinks(program, xs):
    leaves = [Value(x) for x in xs]
    root = run(program, leaves, VALUE)
    assume(math.isfinite(root.data) and abs(root.data) < 1e6)
    # skip inputs that sit within 1e-4 of a kink of relu/abs/leaky in this graph
    for node in autograd.graph.topo_order(root):
        if node.op in ("ReLU", "abs") or str(node.op).startswith("leaky"):
            assume(abs(node.children[0].data) > 1e-4)
    root.backward()
    numeric = numerical_grad(_float_fn(program), xs, eps=1e-7)
    coarser = numerical_grad(_float_fn(program), xs, eps=1e-6)
    for leaf, num, num2 in zip(leaves, numeric, coarser):
        # finite differences are only a reference where two step sizes agree (a huge
        # third derivative, e.g. x ↦ exp(…)³ near 0, makes them disagree with each other)
        assume(close(num, num2, rel=1e-4, abs_=1e-5))
        assert close(leaf.grad, num, rel=1e-3, abs_=1e-4)


@settings(max_examples=50, deadline=None)
@given(programs(SMOOTH), inputs(2, 3))
def test_gradcheck_accepts_correct_graphs(program, xs):
    assume(math.isfinite(run(program, xs, FLOAT)))
    assume(abs(run(program, xs, FLOAT)) < 1e4)
    assert gradcheck(lambda *v: run(program, list(v), VALUE), xs, atol=1e-4, rtol=1e-3)


def test_gradcheck_names_the_input_on_mismatch():
    def f(x, y):  # a wrong gradient: a hook doubles what flows back through z
        z = x * y
        z.register_hook(lambda g: 2 * g)
        return z

    with pytest.raises(GradcheckError, match=r"'input 0' \(= 2.0\).*backward gives 6.0.*"
                                             r"finite differences give 2.99999"):
        gradcheck(f, [2.0, 3.0])
    with pytest.raises(GradcheckError, match=r"for 'x' \(= 2.0\)"):
        gradcheck(f, [Value(2.0, label="x"), Value(3.0, label="y")], atol=0, rtol=0.1)


def test_gradcheck_bad_arguments():
    with pytest.raises(TypeError, match="input 1 must be a number or Value, got str"):
        gradcheck(lambda a, b: a * b, [1.0, "2"])
    with pytest.raises(ValueError, match="eps must be a finite number > 0, got 0"):
        gradcheck(lambda a: a, [1.0], eps=0)
    with pytest.raises(TypeError, match="return a Value, got list"):
        gradcheck(lambda a: [a], [1.0])


@given(st.floats(-50, 50), st.floats(-50, 50))
def test_comparisons_agree_with_data(a, b):
    assert (Value(a) < Value(b)) == (a < b)
    assert (Value(a) >= b) == (a >= b)


def _twice(program, xs):
    """The same graph built twice: one for backward(), one for the reference."""
    a = [Value(x) for x in xs]
    b = [Value(x) for x in xs]
    return a, run(program, a, VALUE), b, run(program, b, VALUE)


@settings(max_examples=200, deadline=None)
@given(programs(SMOOTH + KINKED), inputs())
def test_backward_is_the_reference_backward_bit_for_bit(program, xs):
    fast_leaves, fast, ref_leaves, ref = _twice(program, xs)
    fast.backward()
    autograd.graph.reference_backward(ref)
    for f, r in zip(fast_leaves, ref_leaves):
        assert f.grad == r.grad or (math.isnan(f.grad) and math.isnan(r.grad)), program
    for f, r in zip(autograd.graph.topo_order(fast), autograd.graph.topo_order(ref)):
        if f.requires_grad:
            assert f.grad == r.grad or (math.isnan(f.grad) and math.isnan(r.grad))


@settings(max_examples=100, deadline=None)
@given(programs(SMOOTH), inputs(), st.lists(st.floats(-3, 3), min_size=4, max_size=4))
def test_backward_onto_earlier_gradients_matches_the_reference(program, xs, earlier):
    fast_leaves, fast, ref_leaves, ref = _twice(program, xs)
    assume(math.isfinite(fast.data))
    for leaves in (fast_leaves, ref_leaves):
        for leaf, g in zip(leaves, earlier):
            leaf.grad = g
    fast.backward()
    autograd.graph.reference_backward(ref)
    for f, r in zip(fast_leaves, ref_leaves):
        assume(math.isfinite(r.grad))
        assert close(f.grad, r.grad, rel=1e-12, abs_=1e-12), program


def test_reference_backward_reads_like_a_textbook():
    """About fifteen lines of code, no recursion, and the README quotes it verbatim."""
    import ast
    import inspect
    import sys
    from pathlib import Path

    path = Path(autograd.graph.__file__)
    text = path.read_text(encoding="utf-8")
    node = next(n for n in ast.parse(text).body
                if isinstance(n, ast.FunctionDef) and n.name == "reference_backward")
    source = "\n".join(text.splitlines()[node.lineno - 1:node.end_lineno]) + "\n"
    if sys.version_info >= (3, 11):   # 3.10's getsource can read stale line numbers
        assert source == inspect.getsource(autograd.graph.reference_backward)
    body = [line for line in source.splitlines()[1:] if line.strip()
            and not line.strip().startswith(("#", '"""', "Starts", "gradients"))]
    assert len(body) <= 16, body
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert source in readme
