"""Golden output: the explainer's text for karpathy's neuron, tanh(x1·w1 + x2·w2 + b),
and for a small network, ``MLP(2, [3, 1])`` with a fixed seed (names, input rows,
neuron- and layer-level steps, a batch of two samples).

The expected text lives in ``tests/golden/*.txt``.  After an intended change of
wording, regenerate with ``AUTOGRAD_UPDATE_GOLDEN=1 python -m pytest
tests/test_explain_golden.py`` and review the diff.
"""

import difflib
import os
from pathlib import Path

import pytest

import autograd
from autograd import Value, graph
from autograd.explainer import Stepper, explain, trace, tree

GOLDEN = Path(__file__).resolve().parent / "golden"
B = 6.8813735870195432


def labelled(value, label):
    value.label = label
    return value


def inputs():
    return (Value(2.0, label="x1"), Value(0.0, label="x2"), Value(-3.0, label="w1"),
            Value(1.0, label="w2"), Value(B, label="b"))


def neuron_elementwise():
    x1, x2, w1, w2, b = inputs()
    x1w1 = labelled(x1 * w1, "x1w1")
    x2w2 = labelled(x2 * w2, "x2w2")
    x1w1x2w2 = labelled(x1w1 + x2w2, "x1w1x2w2")
    n = labelled(x1w1x2w2 + b, "n")
    return labelled(n.tanh(), "o"), (x1, x2, w1, w2, b)


def neuron_dot():
    x1, x2, w1, w2, b = inputs()
    n = labelled(autograd.dot([w1, w2], [x1, x2], b), "n")
    return labelled(n.tanh(), "o"), (x1, x2, w1, w2, b)


def transcript(o, leaves):
    """Everything the explainer says about one backward pass through the neuron."""
    parts = ["## trace (forward)", trace(o), "## tree", tree(o), "## stepping"]
    s = Stepper(o)
    parts.append(str(s.step()))
    parts += ["## where", s.where(), "## back", s.back(), "## run", repr(s.run()),
              "## trace (after)", trace(o), "## explain"]
    parts += [explain(leaf) for leaf in leaves]
    return "\n".join(parts) + "\n"


def check_golden(name, text):
    path = GOLDEN / name
    if os.environ.get("AUTOGRAD_UPDATE_GOLDEN"):
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        pytest.skip(f"rewrote {path}")
    expected = path.read_text(encoding="utf-8")
    if text != expected:
        diff = "\n".join(difflib.unified_diff(expected.splitlines(), text.splitlines(),
                                              "expected", "actual", lineterm=""))
        pytest.fail(f"explainer output differs from {path}:\n{diff}")


@pytest.mark.parametrize("build, name", [(neuron_elementwise, "neuron_elementwise.txt"),
                                         (neuron_dot, "neuron_dot.txt")])
def test_neuron_golden(build, name):
    o, leaves = build()
    assert round(o.data, 4) == 0.7071
    check_golden(name, transcript(o, leaves))
    # karpathy's gradients for x1, x2, w1, w2, b
    assert [round(v.grad, 12) for v in leaves] == [-1.5, 0.5, 1.0, 0.0, 0.5]
    again, _ = build()
    again.backward()
    assert [n.grad for n in graph.topo_order(o)] == [n.grad for n in graph.topo_order(again)]


def test_golden_text_is_plain_and_fits_80_columns():
    for name in ("neuron_elementwise.txt", "neuron_dot.txt"):
        text = (GOLDEN / name).read_text(encoding="utf-8")
        assert "\x1b" not in text                        # no colour codes
        table_lines = [ln for ln in text.splitlines() if ln[:3].strip().isdigit()]
        assert table_lines and all(len(ln) <= 80 for ln in table_lines)


def mlp_transcript():
    """Everything the explainer says about MLP(2, [3, 1]): names, rows, steps by neuron."""
    from autograd.nn import MLP
    from autograd.nn.losses import mse

    model = MLP(2, [3, 1], activation="tanh", seed=3)
    y = model([1.0, -2.0])
    parts = ["## trace (forward)", trace(y), "## tree", tree(y), "## stepping by neuron"]
    s = Stepper(y, by="neuron")
    parts.append(str(s.step()))
    parts += ["## where", s.where(), "## run", repr(s.run()), "## explain",
              explain(model.layers[0].neurons[1].w[0])]
    y.zero_grad()
    parts += ["## stepping by layer", repr(Stepper(y, by="layer").run())]
    model.zero_grad()
    loss = mse([model([1.0, -2.0]), model([0.5, 0.5])], [1.0, 0.0])
    parts += ["## a batch of two samples", trace(loss, max_rows=60),
              "## stepping the batch by layer", repr(Stepper(loss, by="layer").run())]
    return "\n".join(parts) + "\n", model, loss


def test_mlp_golden():
    text, model, loss = mlp_transcript()
    check_golden("mlp_2_3_1.txt", text)
    grads = [p.grad for p in model.parameters()]
    model.zero_grad()
    for n in graph.topo_order(loss):
        n.grad = 0.0
    loss.backward()
    assert [p.grad for p in model.parameters()] == grads     # stepping ≡ backward()
