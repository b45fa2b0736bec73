"""Cross-check against PyTorch float64 on the same random expressions."""

import math

import pytest
from hypothesis import assume, given, settings

from autograd import Value

from .exprs import KINKED, SMOOTH, VALUE, close, inputs, programs, run, torch_backend

torch = pytest.importorskip("torch")
TORCH = torch_backend(torch)


@settings(max_examples=200, deadline=None)
@given(programs(SMOOTH + KINKED, max_steps=15), inputs())
def test_gradients_equal_pytorch(program, xs):
    leaves = [Value(x) for x in xs]
    root = run(program, leaves, VALUE)
    assume(math.isfinite(root.data))
    root.backward()
    tl = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    troot = run(program, tl, TORCH)
    troot.backward()
    assert close(root.data, troot.item(), rel=1e-12, abs_=1e-300)
    for v, t in zip(leaves, tl):
        tg = 0.0 if t.grad is None else t.grad.item()
        if math.isnan(tg):
            assert math.isnan(v.grad)
        else:
            assert close(v.grad, tg, rel=1e-9, abs_=1e-12), (program, xs)


@pytest.mark.parametrize("x", [0.0, -0.0, 1e-300, -2.5, 3.0, 700.0, -1e308, 1e308])
def test_unary_ops_and_kinks_equal_pytorch(x):
    for name, ours, theirs in [
        ("relu", Value.relu, torch.relu), ("abs", Value.abs, torch.abs),
        ("leaky", lambda v: v.leaky_relu(0.01), torch.nn.functional.leaky_relu),
        ("tanh", Value.tanh, torch.tanh), ("sigmoid", Value.sigmoid, torch.sigmoid),
        ("sin", Value.sin, torch.sin), ("cos", Value.cos, torch.cos),
    ]:
        if name in ("sin", "cos") and abs(x) > 1e6:
            continue
        v = Value(x)
        ours(v).backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        theirs(t).backward()
        assert close(v.grad, t.grad.item(), rel=1e-12, abs_=1e-300), (name, x)


def test_sqrt_at_zero_equals_pytorch():
    v = Value(0.0)
    v.sqrt().backward()
    t = torch.tensor(0.0, dtype=torch.float64, requires_grad=True)
    t.sqrt().backward()
    assert v.grad == t.grad.item() == math.inf
