"""Modules: micrograd compatibility, activations, output units, dropout, init, scopes."""

import math
import random
import statistics

import pytest

import autograd
from autograd import Value, gradcheck
from autograd.graph import topo_order
from autograd.nn import MLP, Dropout, Layer, Module, Neuron, log_softmax, softmax


def close(a, b, tol=1e-12):
    return abs(a - b) <= tol * max(1.0, abs(a), abs(b))


# -- micrograd compatibility ------------------------------------------------------------
def test_micrograd_layout_and_parameter_order():
    model = MLP(2, [16, 16, 1], seed=0)
    assert len(model.parameters()) == model.num_parameters() == 337
    expected = [p for layer in model.layers for n in layer.neurons for p in [*n.w, n.b]]
    assert model.parameters() == expected
    assert [n.activation for layer in model.layers for n in layer.neurons[:1]] == \
        ["relu", "relu", "linear"]
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1",
                         "layers.0.neurons.0.b"]
    assert "layers.0.neurons.3.w.1" in names and len(set(names)) == 337
    assert dict(model.named_parameters())["layers.2.neurons.0.b"] is model.layers[2].neurons[0].b


def test_same_numbers_and_gradients_as_micrograd():
    mg_nn = pytest.importorskip("micrograd.nn")
    mg_engine = pytest.importorskip("micrograd.engine")
    ours, theirs = MLP(3, [4, 4, 1], seed=3), mg_nn.MLP(3, [4, 4, 1])
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        q.data = p.data = random.Random(id(p) % 1000).uniform(-1, 1)
    for x in ([0.5, -1.0, 2.0], [1.5, 0.25, -0.75]):
        y, z = ours(x), theirs([mg_engine.Value(v) for v in x])
        (y * y).backward()
        (z * z).backward()
        assert close(y.data, z.data)
    for p, q in zip(ours.parameters(), theirs.parameters()):
        assert close(p.grad, q.grad)


def test_call_returns_value_for_one_output_else_list():
    assert isinstance(MLP(2, [3, 1], seed=0)([1.0, 2.0]), Value)
    out = MLP(2, [3, 2], seed=0)([1.0, 2.0])
    assert isinstance(out, list) and len(out) == 2
    assert isinstance(Layer(2, 1, seed=0)([1.0, 2.0]), Value)
    assert len(Layer(2, 3, seed=0).outputs([1.0, 2.0])) == 3
    assert len(MLP(2, [3, 1], seed=0).outputs([1.0, 2.0])) == 1


def test_hidden_layer_of_width_one_and_scalar_input():
    model = MLP(3, [4, 1, 2], seed=1)
    assert len(model([1.0, 2.0, 3.0])) == 2
    one = MLP(1, [1, 1], seed=1)
    assert one(2.0).data == one([2.0]).data == one([Value(2.0)]).data


def test_micrograd_nonlin_keyword():
    assert Neuron(2, nonlin=False).activation == "linear"
    assert Layer(2, 3, nonlin=True).activation == "relu"


# -- graph shape, scopes -------------------------------------------------------------------
def test_neuron_is_one_dot_node_plus_one_activation_node():
    n = Neuron(3, "tanh", seed=0)
    y = n([1.0, 2.0, 3.0])
    assert y.op == "tanh" and y.children[0].op == "dot"
    z = y.children[0]
    assert set(z.children) == {*n.w, n.b} | set(z.children[3:6])
    assert len(topo_order(y)) == 3 + 3 + 1 + 2   # w, x, b, dot, tanh
    assert Neuron(3, "linear", seed=0)([1.0, 2.0, 3.0]).op == "dot"


def test_inputs_are_converted_once_and_shared_by_all_neurons():
    model = MLP(2, [5, 1], seed=0)
    y = model([1.0, 2.0])
    leaves = {v for v in topo_order(y) if v.is_leaf and not v.requires_grad}
    assert sorted(v.label for v in leaves) == ["x1", "x2"]


def test_scopes_tag_dot_and_activation_nodes():
    model = MLP(2, [4, 3, 1], seed=0)
    y = model([1.0, -1.0])
    neuron = model.layers[0].neurons[2]
    assert neuron.scope.title == "Layer 1 · Neuron 3"
    assert neuron.scope.parent is model.layers[0].scope
    assert model.layers[1].scope.title == "Layer 2"
    tagged = [v for v in topo_order(y) if v.scope is neuron.scope]
    assert sorted(v.op for v in tagged) == ["ReLU", "dot"]
    assert y.scope.title == "Layer 3 · Neuron 1"


@pytest.mark.parametrize("name, g", [
    ("relu", lambda z: max(z, 0.0)), ("tanh", math.tanh), ("linear", lambda z: z),
    ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
    ("leaky_relu", lambda z: z if z > 0 else 0.2 * z)])
def test_activation_values(name, g):
    n = Neuron(2, name, alpha=0.2, seed=5)
    for x in ([1.0, 2.0], [-3.0, 0.5], [-1.0, -4.0]):
        z = n.w[0].data * x[0] + n.w[1].data * x[1] + n.b.data
        assert close(n(x).data, g(z))
        assert close(n.preactivation(x).data, z)


# -- output units, softmax ------------------------------------------------------------------
def test_output_units():
    x = [0.3, -0.7]
    sig = MLP(2, [5, 1], output="sigmoid", seed=2)
    (z,) = sig.logits(x)
    assert close(sig(x).data, 1 / (1 + math.exp(-z.data)))
    soft = MLP(2, [5, 3], output="softmax", seed=2)
    probs, logits = soft(x), soft.logits(x)
    assert close(math.fsum(p.data for p in probs), 1.0)
    assert [p.data for p in probs] == [p.data for p in softmax(logits)]
    assert probs[0].scope is soft.output_scope


def test_softmax_is_stable_and_matches_torch():
    torch = pytest.importorskip("torch")
    for zs in ([1.0, 2.0, 3.0], [1000.0, -1000.0, 0.0], [-1000.0, -999.0], [5.0]):
        for ours, theirs in ((softmax, torch.softmax), (log_softmax, torch.log_softmax)):
            vs = [Value(z) for z in zs]
            out = ours(vs)
            weights = [0.3, -1.2, 2.0][:len(zs)]
            autograd.sum([w * o for w, o in zip(weights, out)]).backward()
            t = torch.tensor(zs, dtype=torch.float64, requires_grad=True)
            tout = theirs(t, dim=0)
            (tout * torch.tensor(weights, dtype=torch.float64)).sum().backward()
            for o, to in zip(out, tout.tolist()):
                assert close(o.data, to)
            for v, tg in zip(vs, t.grad.tolist()):
                assert abs(v.grad - tg) < 1e-12


def test_softmax_finite_differences():
    assert gradcheck(lambda a, b, c: softmax([a, b, c])[1] * 3, [0.2, -1.0, 0.7])
    assert gradcheck(lambda a, b, c: log_softmax([a, b, c])[2], [2.0, -1.0, 0.5])


def test_softmax_needs_a_non_empty_list():
    for bad in ([], Value(1.0), 2.0):
        with pytest.raises(ValueError, match="softmax"):
            softmax(bad)


# -- dropout, train/eval --------------------------------------------------------------------
def test_dropout_inverted_seeded_and_off_in_eval():
    xs = [Value(float(i + 1)) for i in range(200)]
    drop = Dropout(0.25, seed=7)
    out = drop(xs)
    kept = [o.data != 0.0 for o in out]
    assert all(close(o.data, x.data / 0.75) for o, x, k in zip(out, xs, kept) if k)
    assert 0.15 < kept.count(False) / len(kept) < 0.35
    assert [o.data for o in Dropout(0.25, seed=7)(xs)] == [o.data for o in out]
    out[0].backward()
    assert xs[0].grad == (1 / 0.75 if kept[0] else 0.0)
    one = Dropout(0.5, seed=1)
    assert {one(Value(2.0)).data for _ in range(20)} == {0.0, 4.0}
    drop.eval()
    assert drop(xs) == xs and one.eval()(xs[0]) is xs[0]
    assert Dropout(0.0)(xs) == xs


def test_mlp_dropout_between_hidden_layers_and_train_eval_propagation():
    model = MLP(2, [8, 8, 1], dropout=0.5, seed=1)
    assert len(model.dropouts) == 2 and "dropout 0.5" in repr(model)
    x = [0.4, -0.3]
    train_out = [model(x).data for _ in range(5)]
    assert len(set(train_out)) > 1          # a new mask each call
    model.eval()
    assert all(not m.training for _, m in model.named_modules())
    assert model(x).data == model(x).data
    assert model.train() is model and model.dropouts[1].training


# -- initialization and seeds ----------------------------------------------------------------
def test_seed_and_manual_seed_reproducible_and_independent():
    assert MLP(2, [4, 1], seed=9).state_dict() == MLP(2, [4, 1], seed=9).state_dict()
    autograd.manual_seed(123)
    a = MLP(2, [4, 1]).state_dict()
    autograd.manual_seed(123)
    MLP(2, [4, 1], seed=5)                  # its own generator: the package one is untouched
    assert MLP(2, [4, 1]).state_dict() == a
    rng = random.Random(4)
    b = MLP(2, [4, 1], rng=rng).state_dict()
    assert b == MLP(2, [4, 1], rng=random.Random(4)).state_dict()


@pytest.mark.parametrize("init, bound", [
    ("uniform", lambda i, o: 1.0), ("xavier", lambda i, o: math.sqrt(6 / (i + o))),
    ("he", lambda i, o: math.sqrt(6 / i))])
def test_uniform_initializers_stay_in_their_bounds(init, bound):
    layer = Layer(50, 20, init=init, seed=0)
    ws = [w.data for n in layer.neurons for w in n.w]
    assert max(map(abs, ws)) <= bound(50, 20)
    assert max(map(abs, ws)) > 0.9 * bound(50, 20)
    assert all(n.b.data == 0.0 for n in layer.neurons)


@pytest.mark.parametrize("init, var", [("he_normal", 2 / 40), ("xavier_normal", 2 / 60)])
def test_normal_initializers_have_the_right_variance(init, var):
    ws = [w.data for n in Layer(40, 20, init=init, seed=1).neurons for w in n.w]
    assert abs(statistics.pvariance(ws) / var - 1) < 0.1


def test_custom_initializer_callable():
    n = Neuron(3, init=lambda fan_in, fan_out, rng: 0.5)
    assert [w.data for w in n.w] == [0.5, 0.5, 0.5]


# -- the Module base -------------------------------------------------------------------------
def test_module_subclass_discovers_parameters_and_zero_grad():
    class Affine(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.inner = Neuron(1, "linear", seed=0)
            self.extra = [Value(1.0), "not a parameter"]

        def __call__(self, x):
            return self.inner([x]) * self.scale + self.extra[0]

    m = Affine()
    # own parameters first, then the sub-modules' (PyTorch's order)
    assert [n for n, _ in m.named_parameters()] == ["scale", "extra.0", "inner.w.0", "inner.b"]
    m(3.0).backward()
    assert m.scale.grad != 0
    m.zero_grad()
    assert all(p.grad == 0 for p in m.parameters())
    assert "337 parameters" in repr(MLP(2, [16, 16, 1], seed=0))


# -- bad input ----------------------------------------------------------------------------------
@pytest.mark.parametrize("make, exc, match", [
    (lambda: MLP(2, [3, 1], seed=0)([1.0, 2.0, 3.0]), ValueError, "expects 2 inputs"),
    (lambda: Layer(3, 2, seed=0)([1.0]), ValueError, "Layer expects 3 inputs"),
    (lambda: Neuron(2, seed=0)([1.0]), ValueError, "Neuron expects 2 inputs"),
    (lambda: Neuron(2, seed=0)([1.0, "a"]), TypeError, r"x\[1\]"),
    (lambda: MLP(2, [3, 1], seed=0)("ab"), TypeError, "input x"),
    (lambda: MLP(2, [3], activation="swish"), ValueError, "activation"),
    (lambda: MLP(2, [3], output="probit"), ValueError, "output"),
    (lambda: MLP(2, [3], init="lecun"), ValueError, "init"),
    (lambda: MLP(0, [3]), ValueError, "nin"),
    (lambda: MLP(2, []), ValueError, "nouts"),
    (lambda: MLP(2, [3, 0]), ValueError, r"nouts\[1\]"),
    (lambda: MLP(2, [3, 1], dropout=1.0), ValueError, "Dropout p"),
    (lambda: Dropout(-0.1), ValueError, "p must be in"),
    (lambda: Neuron(2, "leaky_relu", alpha="big"), TypeError, "alpha"),
    (lambda: MLP(2, [3], seed=1, rng=random.Random()), ValueError, "seed= or rng="),
    (lambda: autograd.manual_seed(1.5), TypeError, "seed"),
])
def test_bad_input_names_the_argument(make, exc, match):
    with pytest.raises(exc, match=match):
        make()


def test_layer_outputs_equal_calling_each_neuron():
    """Layer.outputs (one autograd.dots call) builds exactly the nodes neuron calls build."""
    from autograd.nn.module import as_inputs

    layer = Layer(3, 4, activation="tanh", seed=2)
    x = as_inputs([0.5, -1.0, 2.0], 3, "t")
    fused, single = layer.outputs(x), [n(x) for n in layer.neurons]
    for f, s, n in zip(fused, single, layer.neurons):
        assert f.data == s.data and f.op == s.op == "tanh" and f.scope is s.scope is n.scope
        (zf,), (zs,) = f.children, s.children
        assert zf.children == zs.children and zf.local_grads == zs.local_grads
        assert zf.data == zs.data and zf.scope is n.scope


def test_shared_parameters_are_listed_once():
    a, b = Neuron(2, seed=0), Neuron(2, seed=1)
    b.w = a.w  # weight tying

    class Pair(Module):
        def __init__(self) -> None:
            self.a, self.b = a, b

    pair = Pair()
    assert len(pair.parameters()) == 2 + 1 + 1 == len(pair.named_parameters())
    assert [n for n, _ in pair.named_parameters()] == ["a.w.0", "a.w.1", "a.b", "b.b"]
