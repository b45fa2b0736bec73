"""A new op needs ONE registration, and then works everywhere: backward, create_graph,
the stepper's sentences, diagrams, the command line, copy and pickle.  Also the op table's
own consistency: the float and Value math namespaces agree, and every op's derivative TEXT
evaluates to its derivative CODE at sample points."""

import copy
import math
import pickle
import re

import pytest

import autograd
from autograd import Value
from autograd.engine import VALUE_MATH
from autograd.ops import FLOAT_MATH, OPS

# -- one registration --------------------------------------------------------------------------


def _softplus_rule():
    """softplus(x) = log(1 + eˣ), ∂/∂x = σ(x) = 1 − e^(−out), in op-rule style."""
    return autograd.define_op(
        "softplus_t", forward=lambda x: math.log1p(math.exp(x)),
        derivative=lambda F, out, x: (1 - F.exp(-out) if F.val is not float else
                                      1.0 - math.exp(-out),),
        formula="softplus({0})", derivative_text="1 − e^(−{out})")


@pytest.fixture
def softplus():
    op = _softplus_rule()
    yield op
    # leave the registry as other tests expect (a user op can be replaced, never removed here)


def test_backward_and_create_graph(softplus):
    x = Value(0.3, label="x")
    y = x.softplus_t()
    y.backward(create_graph=True)
    sig = 1 / (1 + math.exp(-0.3))
    assert x.grad.data == pytest.approx(sig, rel=1e-12)
    g = x.grad
    x.grad = 0.0
    g.backward()
    assert x.grad == pytest.approx(sig * (1 - sig), rel=1e-12)   # d²/dx² softplus = σ(1 − σ)


def test_stepper_sentence_uses_the_formula_text(softplus):
    x = Value(0.3, label="x")
    y = x.softplus_t()
    y.label = "y"
    text = "\n".join(str(s) for s in autograd.backward_steps(y))
    assert "y = softplus(x)" in text
    assert "1 − e^(−y)" in text


def test_diagram_labels_the_op(softplus):
    pytest.importorskip("graphviz")
    x = Value(0.3, label="x")
    y = x.softplus_t()
    source = autograd.draw_graph(y).source
    assert "softplus_t" in source


def test_command_line_knows_the_new_function(softplus, capsys):
    from autograd.cli import main

    assert main(["graph", "softplus_t(x)", "x=0.3"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"0\.57", out)   # σ(0.3) = 0.5744


def test_copy_and_pickle_keep_the_op(softplus):
    x = Value(0.3, label="x")
    y = x.softplus_t()
    for twin in (copy.deepcopy(y), pickle.loads(pickle.dumps(y))):
        assert twin.op is OPS["softplus_t"] and twin.data == y.data
        twin.backward()
        assert twin.children[0].grad == pytest.approx(0.5744, abs=1e-4)


def test_defining_again_replaces_but_builtins_are_refused(softplus):
    again = autograd.define_op("softplus_t", forward=lambda x: 2 * x, derivative=lambda x: 2.0,
                               formula="2{0}", derivative_text="2")
    assert OPS["softplus_t"] is again and Value(1.0).softplus_t().data == 2.0
    _softplus_rule()
    with pytest.raises(ValueError, match="already a Value attribute or built-in op"):
        autograd.define_op("tanh", forward=math.tanh, derivative=lambda x: 1.0,
                           formula="t({0})", derivative_text="1")
    with pytest.raises(ValueError, match="'tanh' is already a built-in op"):
        autograd.register_op(autograd.ops.Op("tanh", "tanh", math.tanh, lambda F, o, x: (1.0,),
                                             "t({0})", ("1",)))


def test_plain_derivative_refuses_higher_order_instead_of_being_silently_wrong():
    autograd.define_op("cube_t", forward=lambda x: x ** 3, derivative=lambda x: 3 * x * x,
                       formula="{0}³", derivative_text="3·{0}²")
    x = Value(2.0)
    x.cube_t().backward()
    assert x.grad == 12.0
    with pytest.raises(NotImplementedError, match="op-rule style"):
        Value(2.0).cube_t().backward(create_graph=True)


def test_forward_errors_name_the_op_and_node():
    autograd.define_op("logit_t", forward=lambda p: math.log(p / (1 - p)),
                       derivative=lambda p: 1 / (p * (1 - p)), formula="logit({0})",
                       derivative_text="1 / ({0}(1 − {0}))", domain=lambda p: 0 < p < 1)
    with pytest.raises(ValueError, match=r"logit_t\(\) of 1\.0: .* at node 'p'"):
        Value(1.0, label="p").logit_t()
    assert autograd.check_op(OPS["logit_t"])


def test_check_op_catches_a_wrong_derivative_in_one_sentence():
    wrong = autograd.define_op("sig_t", forward=lambda x: 1 / (1 + math.exp(-x)),
                               derivative=lambda x: math.exp(-x),   # forgot the denominator
                               formula="σ({0})", derivative_text="e^(−{0})")
    with pytest.raises(autograd.OpCheckError,
                       match=r"^sig_t: at x = -?[\d.]+ your derivative gives -?[\d.e+-]+, "
                             r"finite differences give -?[\d.e+-]+$"):
        autograd.check_op(wrong)


def test_two_input_ops_are_checked_per_input():
    op = autograd.define_op("hyp_t", forward=lambda a, b: math.hypot(a, b),
                            derivative=lambda a, b: (a / math.hypot(a, b), a / math.hypot(a, b)),
                            formula="hypot({0}, {1})", derivative_text=("{0}/{out}", "{1}/{out}"))
    with pytest.raises(autograd.OpCheckError, match="with respect to x2"):
        autograd.check_op(op)


# -- the op table's own consistency ------------------------------------------------------------


def test_float_and_value_math_namespaces_agree():
    assert set(vars(FLOAT_MATH)) == set(vars(VALUE_MATH))
    for name in vars(FLOAT_MATH):
        if name in ("val", "kink"):
            continue
        assert getattr(VALUE_MATH, name)(Value(0.7)).data == getattr(FLOAT_MATH, name)(0.7)


_TEXT = [("−", "-"), ("·", "*"), ("²", "**2"), ("^", "**"), ("ln ", "log "), ("σ", "sigmoid")]


def _evaluate(text: str, names: dict[str, float]) -> float:
    """A derivative text such as '1 − out²' or '{p}·x^({p}−1)' read as Python."""
    py = text
    for a, b in _TEXT:
        py = py.replace(a, b)
    py = re.sub(r"\bsign\(", "_sign(", py)
    py = re.sub(r"log (\w+)", r"log(\1)", py)
    scope = {"exp": math.exp, "log": math.log, "sin": math.sin, "cos": math.cos,
             "sigmoid": lambda z: 1 / (1 + math.exp(-z)), "_sign": lambda z: (z > 0) - (z < 0),
             **names}
    return float(eval(py, scope))


@pytest.mark.parametrize("name", [n for n, op in OPS.items()
                                  if n and not op.user and op.arity in (1, 2)])
def test_derivative_text_evaluates_to_the_derivative_code(name):
    base = OPS[name]
    op = base.bind(*[1.5 if p == "n" else 0.2 for p in base.param_names]) \
        if base.param_names else base
    points = [0.7, -1.3, 2.1] if op.arity == 1 else [(0.7, 1.9), (2.3, 0.4)]
    for point in points:
        xs = (point,) if op.arity == 1 else point
        if any(x < 0 for x in xs) and name in ("log", "sqrt", "pow", "**"):
            continue
        out = op.forward(*xs)
        code = op.local_derivatives(FLOAT_MATH, out, xs)
        names = {"x": xs[0], "a": xs[0], "out": out}
        if len(xs) == 2:
            names["b"] = xs[1]
        generic = ["x"] if op.arity == 1 else ["a", "b"]
        for i in range(len(xs)):
            text = op.dshow(i, generic, "out")
            assert _evaluate(text, names) == pytest.approx(code[i], rel=1e-12), (name, text)


def test_a_two_input_op_is_a_method_taking_the_other_input():
    autograd.define_op("hyp2_t", forward=lambda a, b: math.hypot(a, b),
                       derivative=lambda a, b: (a / math.hypot(a, b), b / math.hypot(a, b)),
                       formula="hypot({0}, {1})", derivative_text=("{0}/{out}", "{1}/{out}"))
    p, q = Value(3.0), Value(4.0)
    r = p.hyp2_t(q)
    r.backward()
    assert r.data == 5.0 and (p.grad, q.grad) == (0.6, 0.8)


def test_a_user_activation_works_in_a_network_and_is_refused_where_it_cannot_go(tmp_path):
    from autograd.nn import MLP

    autograd.define_op("soft_t", forward=lambda x: math.log1p(math.exp(x)),
                       derivative=lambda x: 1 / (1 + math.exp(-x)), formula="soft({0})",
                       derivative_text="σ({0})", activation=True)
    model = MLP(2, [3, 1], activation="soft_t", seed=0)
    y = model([1.0, -1.0])
    y.backward()
    assert any(n.op == "soft_t" for n in autograd.graph.topo_order(y))
    assert all(p.grad == p.grad for p in model.parameters())
    target = tmp_path / "m.json"
    with pytest.raises(ValueError, match="activation 'soft_t' is not a built-in one"):
        autograd.save(model, target)
    assert not target.exists()
    pytest.importorskip("torch")
    with pytest.raises(ValueError, match=r"'soft_t' has no PyTorch twin"):
        model.to_torch()
    with pytest.raises(ValueError, match=r"activation must be one of .*soft_t"):
        MLP(2, [1], activation="nope")
