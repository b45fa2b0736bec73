"""Losses against PyTorch float64 (values and gradients) and finite differences."""

import math

import pytest

from autograd import Value, gradcheck
from autograd.graph import topo_order
from autograd.nn import MLP
from autograd.nn.losses import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    hinge,
    l2_penalty,
    mse,
)

torch = pytest.importorskip("torch")
F = torch.nn.functional


def close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


def both(ours, theirs, preds, targets, reduction="mean"):
    """Loss value and gradient w.r.t. the predictions, ours and torch's, must agree."""
    vs = [Value(p) for p in preds]
    loss = ours(vs, targets, reduction=reduction)
    loss.backward()
    t = torch.tensor(preds, dtype=torch.float64, requires_grad=True)
    tloss = theirs(t, torch.tensor(targets, dtype=torch.float64), reduction)
    tloss.backward()
    assert close(loss.data, tloss.item()), (loss.data, tloss.item())
    for v, g in zip(vs, t.grad.tolist()):
        assert close(v.grad, g), (v.grad, g)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_mse_equals_torch(reduction):
    both(mse, lambda t, y, r: F.mse_loss(t, y, reduction=r),
         [0.5, -1.5, 2.0, 3.25], [1.0, 0.0, 2.5, -1.0], reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_binary_cross_entropy_equals_torch(reduction):
    both(binary_cross_entropy, lambda t, y, r: F.binary_cross_entropy(t, y, reduction=r),
         [0.1, 0.75, 0.5, 0.999, 0.3], [0.0, 1.0, 1.0, 0.0, 0.25], reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_bce_with_logits_equals_torch_even_for_huge_logits(reduction):
    both(binary_cross_entropy_with_logits,
         lambda t, y, r: F.binary_cross_entropy_with_logits(t, y, reduction=r),
         [0.0, 0.0, 2.5, -3.0, 40.0, -40.0, 1000.0, -1000.0, 1e-9],
         [0.0, 1.0, 1.0, 0.3, 0.0, 0.0, 1.0, 1.0, 0.5], reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_hinge_equals_torch(reduction):
    def theirs(t, y, r):
        losses = torch.relu(1 - y * t)
        return losses.mean() if r == "mean" else losses.sum()
    both(hinge, theirs, [0.5, -2.0, 1.5, 0.0], [1.0, -1.0, -1.0, 1.0], reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum"])
def test_cross_entropy_equals_torch_for_huge_logits(reduction):
    rows = [[1.0, 2.0, 0.5], [1000.0, -1000.0, 0.0], [-1000.0, -999.0, -1001.0], [0.0, 0.0, 0.0]]
    targets = [2, 1, 0, 1]
    vs = [[Value(z) for z in row] for row in rows]
    loss = cross_entropy(vs, targets, reduction=reduction)
    loss.backward()
    t = torch.tensor(rows, dtype=torch.float64, requires_grad=True)
    tloss = F.cross_entropy(t, torch.tensor(targets), reduction=reduction)
    tloss.backward()
    assert close(loss.data, tloss.item())
    for vrow, grow in zip(vs, t.grad.tolist()):
        for v, g in zip(vrow, grow):
            assert abs(v.grad - g) < 1e-12


def test_single_sample_forms():
    assert close(cross_entropy([Value(2.0), Value(0.0)], 0).data, math.log(1 + math.exp(-2)))
    assert mse(Value(3.0), 1.0).data == 4.0
    assert hinge(Value(0.25), -1).data == 1.25
    assert close(binary_cross_entropy(Value(0.25), 1).data, -math.log(0.25))
    assert close(binary_cross_entropy_with_logits(Value(0.0), 1).data, math.log(2))
    # multi-output regression: mean over every output of every sample
    assert mse([[Value(1.0), Value(2.0)], [Value(0.0), Value(0.0)]], [[0, 0], [0, 2]]).data == 2.25


def test_losses_match_finite_differences():
    assert gradcheck(lambda a, b: mse([a, b], [0.3, -1.0]), [1.2, 0.4])
    assert gradcheck(lambda a, b: binary_cross_entropy([a, b], [1.0, 0.2]), [0.3, 0.8])
    assert gradcheck(lambda a, b: binary_cross_entropy_with_logits([a, b], [1.0, 0.0]),
                     [-1.3, 2.1])
    assert gradcheck(lambda a, b, c: cross_entropy([a, b, c], 1), [0.3, -0.2, 1.5])
    assert gradcheck(lambda a, b: hinge([a, b], [1, -1]), [0.2, -0.4])
    assert gradcheck(lambda a, b: l2_penalty([a, b], 0.5), [0.7, -1.1])


def test_bce_with_logits_gradient_is_exact_at_zero():
    for y in (0.0, 0.25, 1.0):
        z = Value(0.0)
        binary_cross_entropy_with_logits(z, y).backward()
        assert z.grad == 0.5 - y                          # σ(0) − y


def test_binary_cross_entropy_clamps_instead_of_failing():
    p = Value(0.0)
    loss = binary_cross_entropy(p, 1.0)
    assert close(loss.data, -math.log(1e-12))
    loss.backward()
    assert p.grad == 0.0                                  # no gradient through the clamp
    # 1 − (1 − 1e-6) is 1e-6 only to about 1e-11 in floating point
    assert close(binary_cross_entropy(Value(1.0), 0.0, eps=1e-6).data, -math.log(1e-6), 1e-9)
    assert math.isfinite(binary_cross_entropy(Value(1.0), 1.0).data)


def test_l2_penalty_is_one_dot_node_with_gradient_2_lambda_theta():
    model = MLP(2, [3, 1], seed=0)
    pen = l2_penalty(model, 1e-2)
    sq = math.fsum(p.data ** 2 for p in model.parameters())
    assert close(pen.data, 1e-2 * sq)
    assert pen.children[1].op == "dot"
    pen.backward()
    assert all(close(p.grad, 2e-2 * p.data) for p in model.parameters())


def test_batch_losses_are_one_sum_node_divided_by_n():
    scores = [Value(s) for s in (0.5, -0.25, 2.0)]
    loss = hinge(scores, [1, 1, -1])
    assert loss.op == "/" and loss.children[0].op == "sum"
    assert len(loss.children[0].children) == 3
    assert all(s in topo_order(loss) for s in scores)
    assert hinge(scores, [1, 1, -1], reduction="sum").op == "sum"


@pytest.mark.parametrize("call, exc, match", [
    (lambda: cross_entropy([Value(1.0), Value(2.0)], 2), ValueError,
     r"cross_entropy: target must be an int in \[0, 1\], got 2"),
    (lambda: cross_entropy([[1.0, 2.0]], [-1]), ValueError,
     r"cross_entropy: target\[0\] must be an int in \[0, 1\], got -1"),
    (lambda: cross_entropy([1.0, 2.0], True), TypeError, "target must be an int, got bool"),
    (lambda: cross_entropy([[1.0, 2.0]], [0, 1]), ValueError,
     "target must be a list of 1 class indices .*, got 2"),
    (lambda: cross_entropy([], 0), ValueError, "logits"),
    (lambda: hinge([Value(1.0)], [0]), ValueError, "-1 or"),
    (lambda: binary_cross_entropy(Value(0.5), 2.0), ValueError, r"\[0, 1\]"),
    (lambda: binary_cross_entropy(Value(0.5), 1.0, eps=0.0), ValueError, "eps"),
    (lambda: mse([Value(1.0), Value(2.0)], [1.0]), ValueError, "list of 2"),
    (lambda: mse(Value(1.0), [1.0]), ValueError, "one value"),
    (lambda: mse([Value(1.0)], ["a"]), TypeError, "target"),
    (lambda: mse(["a"], [1.0]), TypeError, "prediction"),
    (lambda: mse([Value(1.0)], [1.0], reduction="max"), ValueError, "reduction"),
    (lambda: mse([], []), ValueError, "empty"),
    (lambda: l2_penalty([Value(1.0)], -1e-4), ValueError, "lam"),
    (lambda: l2_penalty([1.0], 1e-4), TypeError, r"params\[0\]"),
])
def test_bad_input_names_the_argument(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
