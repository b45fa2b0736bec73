"""compare_with_torch(): the graph rebuilt in PyTorch from the op table's twins, side by side."""

import math
import sys
import xml.etree.ElementTree as ET

import pytest
from hypothesis import assume, given, settings

import autograd
from autograd import Value
from autograd.explainer.torch_compare import TorchComparison, compare_with_torch

from .exprs import KINKED, SMOOTH, VALUE, close, inputs, programs, run, torch_backend

torch = pytest.importorskip("torch")
TORCH = torch_backend(torch)


@settings(max_examples=120, deadline=None)
@given(programs(SMOOTH + KINKED, max_steps=12), inputs())
def test_random_graphs_agree_and_the_torch_column_is_torchs_own(program, xs):
    leaves = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
    root = run(program, leaves, VALUE)
    assume(math.isfinite(root.data) and root.requires_grad)
    table = compare_with_torch(root)
    # an independent PyTorch graph, built by the tests' own torch backend
    tl = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    run(program, tl, TORCH).backward()
    independent = {leaf: (0.0 if t.grad is None else t.grad.item()) for leaf, t in zip(leaves, tl)}
    assert {r.node for r in table.rows} <= set(leaves)
    for r in table.rows:
        tg = independent[r.node]
        assert (math.isnan(r.torch) and math.isnan(tg)) or close(r.torch, tg, 1e-12, 1e-300)
    assert table.agree(rtol=1e-9, atol=1e-12), (program, xs, repr(table))
    assert close(table.value[0], table.value[1], 1e-12, 1e-300)


def test_the_graphs_gradients_are_left_as_they_were():
    x, w = Value(0.5, label="x"), Value(-1.2, label="w")
    y = (x * w + x ** 3).tanh() + autograd.dot([x, w], [w, x]) + x.leaky_relu(0.2)
    y.backward()
    y.backward()                                   # accumulated: twice the gradient
    before = {n: n.grad for n in autograd.graph.topo_order(y)}
    table = compare_with_torch(y)
    assert {n: n.grad for n in autograd.graph.topo_order(y)} == before
    assert [r.name for r in table.rows] == ["x", "w"]
    assert table["x"].ours == pytest.approx(before[x] / 2, rel=1e-12)   # one fresh pass
    assert table.agree() and table.max_difference < 1e-12


def test_text_and_html_show_every_leaf_with_both_gradients():
    a, b = Value(2.0, label="a"), Value(-3.0, label="<b&>")
    c = (a * b).sigmoid()
    table = compare_with_torch(c)
    text = repr(table)
    lines = text.splitlines()
    assert lines[0].split() == ["leaf", "autograd", "grad", "PyTorch", "grad", "|difference|"]
    assert lines[1].split()[0] == "a" and lines[2].split()[0] == "<b&>"
    assert f"{table['a'].ours:.12g}" in lines[1] and f"{table['a'].torch:.12g}" in lines[1]
    assert "largest gradient difference" in lines[-1]
    html = table._repr_html_()
    root = ET.fromstring(html)                     # well-formed, labels escaped
    cells = [[td.text for td in tr] for tr in root.iter("tr")][1:]
    assert [row[0] for row in cells] == ["a", "<b&>"]
    assert "<b&>" not in html and "&lt;b&amp;&gt;" in html


def test_a_user_op_without_a_twin_is_named():
    op = autograd.define_op("cube_nt", forward=lambda x: x ** 3, derivative=lambda x: 3 * x * x,
                            formula="cube({0})", derivative_text="3·{0}²")
    x = Value(0.7, label="x")
    y = x.cube_nt() * 2
    y.label = "y"
    with pytest.raises(ValueError, match=r"node 'v1' uses the op 'cube_nt', which has no "
                                         r"PyTorch twin"):
        compare_with_torch(y)
    assert op.torch is None


def test_clear_errors(monkeypatch):
    with pytest.raises(TypeError, match="root must be a Value"):
        compare_with_torch(1.0)
    with autograd.no_grad():
        c = Value(1.0) * 2
    with pytest.raises(ValueError, match="needs no gradient"):
        compare_with_torch(c)
    monkeypatch.setitem(sys.modules, "torch", None)        # as if PyTorch were not installed
    with pytest.raises(ImportError, match=r"compare_with_torch\(\) needs PyTorch.*install"):
        compare_with_torch(Value(1.0, label="x") * 2)


def test_disagreement_is_reported():
    table = TorchComparison("y", (1.0, 1.0), [])
    assert table.agree() and table.max_difference == 0.0
    from autograd.explainer.torch_compare import GradientRow
    table = TorchComparison("y", (1.0, 1.0), [GradientRow("x", 1.0, 1.0 + 1e-6),
                                              GradientRow("n", math.nan, math.nan)])
    assert not table.agree() and table.agree(rtol=1e-5)
    assert table.max_difference == pytest.approx(1e-6)
    assert not TorchComparison("y", (1.0, 1.0), [GradientRow("x", math.nan, 0.0)]).agree()
