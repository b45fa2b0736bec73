"""save/load as JSON (exact, validated, atomic), state_dict, and to_torch()."""

import json
import math
import os
import sys

import pytest

import autograd
from autograd import Value
from autograd.nn import MLP, Layer, Neuron
from autograd.nn.serialization import FORMAT


def inputs():
    return [[0.5, -1.25], [2.0, 0.75], [-3.0, 1e-3], [0.0, 0.0]]


@pytest.mark.parametrize("make", [
    lambda: MLP(2, [16, 16, 1], seed=0),
    lambda: MLP(2, [4, 3], activation="leaky_relu", alpha=0.2, output="softmax",
                dropout=0.3, seed=1),
    lambda: MLP(2, [5, 1], activation="tanh", output="sigmoid", init="xavier", seed=2),
    lambda: Layer(2, 3, "sigmoid", seed=3),
    lambda: Neuron(2, "tanh", seed=4),
])
def test_save_load_round_trip_is_exact(tmp_path, make):
    model = make()
    model.eval()
    path = tmp_path / "model.json"
    autograd.save(model, path)
    payload = json.loads(path.read_text())
    assert payload["format"] == FORMAT and payload["architecture"] == model.config()
    copy = autograd.load(path)
    assert type(copy) is type(model) and copy.config() == model.config()
    assert copy.state_dict() == model.state_dict()
    copy.eval()
    for x in inputs():
        ours, theirs = model(x), copy(x)
        if isinstance(ours, list):
            assert [v.data for v in ours] == [v.data for v in theirs]
        else:
            assert ours.data == theirs.data
    target = make()
    target.parameters()[-1].data = 99.0
    assert autograd.load(str(path), model=target) is target
    assert target.state_dict() == model.state_dict()


def test_loading_does_not_consume_the_package_generator(tmp_path):
    autograd.save(MLP(2, [3, 1], seed=0), tmp_path / "m.json")
    autograd.manual_seed(5)
    expected = MLP(2, [3, 1]).state_dict()
    autograd.manual_seed(5)
    autograd.load(tmp_path / "m.json")
    assert MLP(2, [3, 1]).state_dict() == expected


def write(path, payload):
    path.write_text(json.dumps(payload) if not isinstance(payload, str) else payload)
    return path


def good_payload():
    model = MLP(2, [3, 1], seed=7)
    return {"format": FORMAT, "version": 1, "architecture": model.config(),
            "parameters": model.state_dict()}


KEY = "layers.1.neurons.0.b"


@pytest.mark.parametrize("corrupt, match", [
    (lambda d: d["parameters"].pop(KEY), "missing 1 key.*layers.1.neurons.0.b"),
    (lambda d: d["parameters"].update(extra=1.0), "unexpected 1 key.*'extra'"),
    (lambda d: d["parameters"].update({KEY: "0.5"}), f"{KEY}.*must be a number"),
    (lambda d: d["parameters"].update({KEY: True}), f"{KEY}.*must be a number"),
    (lambda d: d["parameters"].update({KEY: None}), f"{KEY}.*must be a number"),
    (lambda d: d["parameters"].update({KEY: [1.0]}), f"{KEY}.*must be a number"),
    (lambda d: d["architecture"].update(nouts=[4, 1]), "nouts: file has"),
    (lambda d: d["architecture"].update(activation="tanh"), "activation"),
    (lambda d: d.update(format="pickle"), "unsupported format"),
    (lambda d: d.update(version=2), "version"),
    (lambda d: d.pop("architecture"), "not a model file"),
    (lambda d: d.update(parameters=[1.0, 2.0]), "'parameters' must be a dict"),
])
def test_malformed_files_are_refused_and_the_model_is_unchanged(tmp_path, corrupt, match):
    payload = good_payload()
    corrupt(payload)
    path = write(tmp_path / "bad.json", payload)
    model = MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    with pytest.raises((ValueError, TypeError), match=match):
        autograd.load(path, model=model)
    assert model.state_dict() == before


@pytest.mark.parametrize("text, match", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "not a model file"),
    (json.dumps(good_payload()).replace('"layers.0.neurons.0.b": 0.0',
                                        '"layers.0.neurons.0.b": NaN'),
     "layers.0.neurons.0.b.*not a finite number"),
    (json.dumps(good_payload()).replace('"layers.0.neurons.0.b": 0.0',
                                        '"layers.0.neurons.0.b": -Infinity'),
     "not a finite number"),
])
def test_broken_json_and_non_finite_numbers_are_refused(tmp_path, text, match):
    assert "NaN" not in text or '"layers.0.neurons.0.b": NaN' in text
    model = MLP(2, [3, 1], seed=1)
    before = model.state_dict()
    with pytest.raises(ValueError, match=match):
        autograd.load(write(tmp_path / "bad.json", text), model=model)
    assert model.state_dict() == before


def test_unknown_architecture_needs_model_argument(tmp_path):
    payload = good_payload()
    payload["architecture"] = {"type": "Transformer"}
    with pytest.raises(ValueError, match="pass model="):
        autograd.load(write(tmp_path / "x.json", payload))
    payload["architecture"] = {"type": "MLP", "nin": 2, "nouts": "big"}
    with pytest.raises(ValueError, match=r"load: architecture\['nouts'\] must be a non-empty "
                                         "list of layer sizes, got 'big'"):
        autograd.load(write(tmp_path / "x.json", payload))


def test_load_state_dict_validates_everything_first():
    model = MLP(2, [3, 1], seed=0)
    before = model.state_dict()
    bad = dict(before)
    bad["layers.0.neurons.2.w.1"] = math.nan
    bad["layers.0.neurons.0.w.0"] = 123.0   # a good value before the bad one: not applied
    with pytest.raises(ValueError, match=r"layers\.0\.neurons\.2\.w\.1"):
        model.load_state_dict(bad)
    assert model.state_dict() == before
    with pytest.raises(TypeError, match="dict"):
        model.load_state_dict([1.0])
    bad = {k: v + 1 for k, v in before.items()}
    model.load_state_dict(bad)
    assert model.state_dict() == bad


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    autograd.save(MLP(2, [3, 1], seed=0), path)
    old = path.read_text()
    broken = MLP(2, [3, 1], seed=1)
    broken.layers[0].neurons[1].w[0].data = math.inf
    with pytest.raises(ValueError, match=r"layers.0.neurons.1.w.0"):
        autograd.save(broken, path)
    assert path.read_text() == old

    def crash(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="disk full"):
        autograd.save(MLP(2, [3, 1], seed=2), path)
    assert path.read_text() == old
    assert os.listdir(tmp_path) == ["model.json"]     # the temporary file is gone


# -- to_torch ------------------------------------------------------------------------------
@pytest.mark.parametrize("make", [
    lambda: MLP(2, [16, 16, 1], seed=0),
    lambda: MLP(2, [4, 4, 3], activation="leaky_relu", alpha=0.1, output="softmax", seed=1),
    lambda: MLP(2, [5, 2], activation="tanh", output="sigmoid", dropout=0.5, seed=2),
    lambda: Layer(2, 3, "sigmoid", seed=3),
    lambda: Neuron(2, "relu", seed=4),
])
def test_to_torch_gives_the_same_outputs_and_gradients(make):
    torch = pytest.importorskip("torch")
    model = make().eval()
    tmodel = model.to_torch()
    assert not tmodel.training
    assert all(p.dtype == torch.float64 for p in tmodel.parameters())
    for x in inputs():
        ours = model(x)
        ours = ours if isinstance(ours, list) else [ours]
        theirs = tmodel(torch.tensor(x, dtype=torch.float64)).tolist()
        assert len(ours) == len(theirs)
        for o, t in zip(ours, theirs):
            assert abs(o.data - t) <= 1e-12 * max(1.0, abs(t))
    model.zero_grad()
    out = model(inputs()[0])
    (out if isinstance(out, Value) else autograd.sum(out[:1])).backward()
    tout = tmodel(torch.tensor(inputs()[0], dtype=torch.float64))
    tout[0].backward()
    tgrads = []
    for lin in (m for m in tmodel if hasattr(m, "weight")):
        for row, b in zip(lin.weight.grad.tolist(), lin.bias.grad.tolist()):
            tgrads += [*row, b]
    assert all(abs(p.grad - g) <= 1e-12 for p, g in zip(model.parameters(), tgrads, strict=True))


def test_to_torch_without_torch_says_how_to_get_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    with pytest.raises(ImportError, match=r"needs PyTorch.*pip install"):
        MLP(2, [1], seed=0).to_torch()


def test_to_torch_refuses_unknown_modules():
    pytest.importorskip("torch")

    class Mine(autograd.Module):
        pass

    with pytest.raises(TypeError, match="Mine"):
        Mine().to_torch()
