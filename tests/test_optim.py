"""Optimizers: three steps checked by hand, against torch.optim, state, clipping, schedules."""

import math

import pytest

from autograd import Value
from autograd.nn import MLP
from autograd.nn.losses import mse
from autograd.optim import (
    SGD,
    Adam,
    AdamW,
    CosineLR,
    LambdaLR,
    LinearLR,
    Momentum,
    RMSProp,
    StepLR,
    clip_grad_norm,
)


def descend(make, steps=3):
    """Minimise f(θ) = θ² from θ = 1 (so g = 2θ); return θ after each step."""
    theta = Value(1.0)
    opt = make([theta])
    out = []
    for _ in range(steps):
        opt.zero_grad()
        (theta * theta).backward()
        opt.step()
        out.append(theta.data)
    return out, opt, theta


def approx(xs, ys, tol=1e-12):
    return len(xs) == len(ys) and all(abs(x - y) <= tol * max(1.0, abs(y)) for x, y in zip(xs, ys))


# -- three steps by hand on f(θ) = θ², θ₀ = 1 -------------------------------------------
def test_sgd_by_hand():
    # θ ← θ − 0.1·2θ = 0.8θ:  0.8, 0.64, 0.512
    assert approx(descend(lambda p: SGD(p, lr=0.1))[0], [0.8, 0.64, 0.512])


def test_sgd_weight_decay_is_added_to_the_gradient():
    # g + wd·θ = 2θ + 0.5θ: θ ← θ − 0.1·2.5θ = 0.75θ
    assert approx(descend(lambda p: SGD(p, lr=0.1, weight_decay=0.5))[0],
                  [0.75, 0.5625, 0.421875])


def test_momentum_average_form_by_hand():
    # v₁ = 0.1·2 = 0.2,                θ₁ = 1 − 0.1·0.2 = 0.98
    # v₂ = 0.9·0.2 + 0.1·1.96 = 0.376,  θ₂ = 0.98 − 0.0376 = 0.9424
    # v₃ = 0.9·0.376 + 0.1·1.8848 = 0.52688, θ₃ = 0.9424 − 0.052688 = 0.889712
    thetas, opt, theta = descend(lambda p: Momentum(p, lr=0.1, beta=0.9))
    assert approx(thetas, [0.98, 0.9424, 0.889712])
    assert approx([opt.state[theta]["velocity"]], [0.52688])


def test_momentum_classic_form_by_hand():
    # v₁ = 2, θ₁ = 0.8;  v₂ = 1.8 + 1.6 = 3.4, θ₂ = 0.46;  v₃ = 3.06 + 0.92 = 3.98, θ₃ = 0.062
    assert approx(descend(lambda p: Momentum(p, lr=0.1, beta=0.9, form="classic"))[0],
                  [0.8, 0.46, 0.062])


def test_rmsprop_by_hand():
    # s₁ = 0.1·2² = 0.4, θ₁ = 1 − 0.01·2/√(0.4 + 1e-8)
    t1 = 1 - 0.01 * 2 / math.sqrt(0.4 + 1e-8)
    s2 = 0.9 * 0.4 + 0.1 * (2 * t1) ** 2
    t2 = t1 - 0.01 * 2 * t1 / math.sqrt(s2 + 1e-8)
    s3 = 0.9 * s2 + 0.1 * (2 * t2) ** 2
    t3 = t2 - 0.01 * 2 * t2 / math.sqrt(s3 + 1e-8)
    thetas, opt, theta = descend(lambda p: RMSProp(p, lr=0.01, beta=0.9, eps=1e-8))
    assert approx(thetas, [t1, t2, t3])
    assert approx([t1, t2, t3], [0.9683772237936009, 0.9457880252747615, 0.9270530984167914])
    assert approx([opt.state_for(theta)["mean_square"]], [s3])


def test_adam_by_hand():
    # step 1: m = 0.1·2 = 0.2, v = 0.001·4 = 0.004, m̂ = 2, v̂ = 4, θ = 1 − 0.1·2/(2 + 1e-8)
    thetas, opt, theta = descend(lambda p: Adam(p, lr=0.1))
    assert approx(thetas[:1], [1 - 0.2 / (2 + 1e-8)])
    g2 = 2 * thetas[0]
    m2, v2 = 0.9 * 0.2 + 0.1 * g2, 0.999 * 0.004 + 0.001 * g2 * g2
    t2 = thetas[0] - 0.1 * (m2 / (1 - 0.9 ** 2)) / (math.sqrt(v2 / (1 - 0.999 ** 2)) + 1e-8)
    assert approx(thetas, [0.9000000005, t2, 0.7015862729460303])
    assert opt.state[theta]["step"] == 3 and set(opt.state[theta]) == {"step", "m", "v"}


def test_adamw_decays_before_the_adam_step():
    # θ₁ = 1·(1 − 0.1·0.5) − 0.1·2/(2 + 1e-8): the decay is not divided by √v̂
    thetas = descend(lambda p: AdamW(p, lr=0.1, weight_decay=0.5))[0]
    assert approx(thetas, [0.8500000004999999, 0.7082484433597453, 0.5749739307415968])
    coupled = descend(lambda p: Adam(p, lr=0.1, weight_decay=0.5))[0]
    assert coupled[0] == pytest.approx(0.9, abs=1e-8)   # the first Adam step is ≈ lr·sign(g)


# -- against torch.optim -----------------------------------------------------------------
X = [[0.5, -1.0], [1.5, 0.25], [-0.3, 0.8], [2.0, -2.0]]
Y = [[1.0, 0.0], [0.0, 1.0], [0.5, 0.5], [-1.0, 2.0]]


def flat_torch(tmodel):
    out = []
    for lin in (m for m in tmodel if hasattr(m, "weight")):
        for row, b in zip(lin.weight.tolist(), lin.bias.tolist()):
            out += [*row, b]
    return out


@pytest.mark.parametrize("ours, theirs", [
    (lambda p: SGD(p, lr=0.1, weight_decay=0.01),
     lambda t, p: t.optim.SGD(p, lr=0.1, weight_decay=0.01)),
    (lambda p: Momentum(p, lr=0.05, beta=0.8, form="classic"),
     lambda t, p: t.optim.SGD(p, lr=0.05, momentum=0.8)),
    (lambda p: RMSProp(p, lr=0.01, beta=0.9, eps=1e-300),   # ε vanishes beside s: same steps
     lambda t, p: t.optim.RMSprop(p, lr=0.01, alpha=0.9, eps=1e-300)),
    (lambda p: Adam(p, lr=0.01, beta1=0.8, beta2=0.99, eps=1e-8, weight_decay=0.1),
     lambda t, p: t.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), eps=1e-8, weight_decay=0.1)),
    (lambda p: AdamW(p, lr=0.01, weight_decay=0.3),
     lambda t, p: t.optim.AdamW(p, lr=0.01, weight_decay=0.3)),
])
def test_three_steps_equal_torch_optim(ours, theirs):
    torch = pytest.importorskip("torch")
    model = MLP(2, [3, 2], activation="tanh", seed=4)
    tmodel = model.to_torch()
    opt, topt = ours(model.parameters()), theirs(torch, tmodel.parameters())
    tx, ty = torch.tensor(X, dtype=torch.float64), torch.tensor(Y, dtype=torch.float64)
    for _ in range(3):
        opt.zero_grad()
        mse([model(x) for x in X], Y).backward()
        opt.step()
        topt.zero_grad()
        torch.nn.functional.mse_loss(tmodel(tx), ty).backward()
        topt.step()
        assert approx([p.data for p in model.parameters()], flat_torch(tmodel), 1e-12)


# -- state, state_dict ------------------------------------------------------------------------
def test_state_is_inspectable_and_state_dict_round_trips():
    a, b = Value(1.0), Value(-2.0)
    opt = Adam([a, b], lr=0.1)
    assert opt.state[a] == {"step": 0, "m": 0.0, "v": 0.0} and opt.state_for(b) is opt.state[b]
    with pytest.raises(KeyError, match="does not optimize"):
        opt.state_for(Value(0.0))

    def loss():
        return a * a + (b - 3) ** 2

    for _ in range(2):
        opt.zero_grad()
        loss().backward()
        opt.step()
    saved = opt.state_dict()
    assert saved["type"] == "Adam" and saved["steps"] == 2 and len(saved["state"]) == 2
    a2, b2 = Value(a.data), Value(b.data)
    opt2 = Adam([a2, b2], lr=0.5)
    opt2.load_state_dict(saved)
    assert opt2.lr == 0.1 and opt2.state[b2] == opt.state[b]
    for o, (x, y) in ((opt, (a, b)), (opt2, (a2, b2))):
        o.zero_grad()
        (x * x + (y - 3) ** 2).backward()
        o.step()
    assert (a.data, b.data) == (a2.data, b2.data)


@pytest.mark.parametrize("corrupt, match", [
    (lambda s: s.update(type="SGD"), "SGD"),
    (lambda s: s["state"].pop(), "list of 2"),
    (lambda s: s["state"][1].update(m=float("nan")), r"state\[1\]\['m'\]"),
    (lambda s: s["state"][0].pop("v"), r"state\[0\]"),
    (lambda s: s["hyperparameters"].update(lr=-1.0), "lr"),
    (lambda s: s["hyperparameters"].update(beta1=1.0), "beta1"),
    (lambda s: s.update(steps=-1), "steps"),
    (lambda s: s.pop("state"), "keys"),
])
def test_load_state_dict_refuses_bad_state_and_changes_nothing(corrupt, match):
    p, q = Value(1.0), Value(2.0)
    opt = Adam([p, q], lr=0.1)
    (p * q).backward()
    opt.step()
    before = (opt.state_dict(), opt.lr)
    bad = opt.state_dict()
    corrupt(bad)
    with pytest.raises(ValueError, match=match):
        opt.load_state_dict(bad)
    assert (opt.state_dict(), opt.lr) == before


def test_step_records_no_graph_and_zero_grad():
    w = Value(2.0)
    opt = Momentum([w, w], lr=0.1)
    assert len(opt.params) == 1                       # duplicates are removed
    (w * 3).backward()
    opt.step()
    assert w.is_leaf and w.data == pytest.approx(2 - 0.1 * 0.1 * 3)
    opt.zero_grad()
    assert w.grad == 0.0
    assert "Momentum(lr=0.1" in repr(opt) and "1 parameters" in repr(opt)


def test_optimizer_accepts_a_module():
    model = MLP(2, [3, 1], seed=0)
    assert SGD(model, lr=0.1).params == model.parameters()


@pytest.mark.parametrize("make, exc, match", [
    (lambda p: SGD(p, lr=-0.1), ValueError, "lr"),
    (lambda p: SGD(p, lr="fast"), TypeError, "lr"),
    (lambda p: Adam(p, lr=float("nan")), ValueError, "lr"),
    (lambda p: Momentum(p, lr=0.1, beta=1.0), ValueError, "beta"),
    (lambda p: Momentum(p, lr=0.1, form="nesterov"), ValueError, "form"),
    (lambda p: RMSProp(p, lr=0.1, eps=-1.0), ValueError, "eps"),
    (lambda p: Adam(p, weight_decay=-1), ValueError, "weight_decay"),
    (lambda p: SGD([*p, 3.0], lr=0.1), TypeError, r"params\[1\]"),
    (lambda p: SGD(p[0], lr=0.1), TypeError, "one Value"),
])
def test_bad_hyperparameters_name_the_argument(make, exc, match):
    with pytest.raises(exc, match=match):
        make([Value(1.0)])
    opt = SGD([Value(1.0)], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = -1
    assert opt.lr == 0.1


# -- gradient clipping ------------------------------------------------------------------------
def test_clip_grad_norm_matches_torch():
    torch = pytest.importorskip("torch")
    grads = [3.0, -4.0, 12.0]                       # norm 13
    ps = [Value(0.0) for _ in grads]
    for p, g in zip(ps, grads):
        p.grad = g
    assert clip_grad_norm(ps, 6.5) == 13.0
    t = [torch.zeros(1, dtype=torch.float64, requires_grad=True) for _ in grads]
    for ti, g in zip(t, grads):
        ti.grad = torch.tensor([g], dtype=torch.float64)
    torch.nn.utils.clip_grad_norm_(t, 6.5)
    assert approx([p.grad for p in ps], [ti.grad.item() for ti in t])
    assert math.hypot(*(p.grad for p in ps)) == pytest.approx(6.5, rel=1e-6)
    assert clip_grad_norm(ps, 100.0) == pytest.approx(6.5, rel=1e-6)   # below: unchanged
    assert approx([p.grad for p in ps], [ti.grad.item() for ti in t])
    ps[0].grad = float("nan")
    assert math.isnan(clip_grad_norm(ps, 1.0)) and ps[1].grad == t[1].grad.item()
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm(ps, -1.0)


# -- learning-rate schedules -----------------------------------------------------------------
def lrs(sched, n):
    return [sched.optimizer.lr] + [sched.step() for _ in range(n)]


def test_schedules():
    opt = SGD([Value(0.0)], lr=1.0)
    assert approx(lrs(StepLR(opt, step_size=2, gamma=0.5), 5), [1, 1, 0.5, 0.5, 0.25, 0.25])
    opt.lr = 1.0
    # micrograd's demo: lr = 1.0 − 0.9·k/100
    karpathy = lrs(LinearLR(opt, total_steps=100, end_factor=0.1), 120)
    assert approx(karpathy[:101], [1.0 - 0.9 * k / 100 for k in range(101)])
    assert karpathy[-1] == pytest.approx(0.1)
    opt.lr = 2.0
    cos = lrs(CosineLR(opt, total_steps=4, min_lr=0.5), 5)
    assert approx(cos, [2.0, 1.78033008588991, 1.25, 0.71966991411009, 0.5, 0.5])
    opt.lr = 1.0
    sched = LambdaLR(opt, lambda k: 1 / (k + 1))
    assert approx(lrs(sched, 3), [1, 1 / 2, 1 / 3, 1 / 4]) and sched.lr == opt.lr
    for bad, error, words in [
            (lambda: StepLR(opt, 0), ValueError, "StepLR: step_size must be an int ≥ 1, got 0"),
            (lambda: LinearLR(opt, 10, end_factor=-1), ValueError,
             "LinearLR: end_factor must be a finite number ≥ 0, got -1"),
            (lambda: CosineLR(opt, 5, min_lr="x"), TypeError,
             "CosineLR: min_lr must be a number, got str 'x'")]:
        with pytest.raises(error, match=words):
            bad()
    with pytest.raises(TypeError, match="lr attribute"):
        StepLR(object(), 2)
