"""The command line and its safe expression parser (never eval)."""

import math
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograd import Value
from autograd.__main__ import main
from autograd.expr import EvaluationError, ExpressionError, evaluate, parse

ROOT = Path(__file__).resolve().parent.parent
has_dot = shutil.which("dot") is not None


def run(*args, cwd=None):
    """``python -m autograd ...`` in a subprocess: (exit status, stdout, stderr)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.run([sys.executable, "-m", "autograd", *args], capture_output=True,
                       text=True, cwd=cwd, env=env, timeout=120)
    return p.returncode, p.stdout, p.stderr


def call(capsys, *args):
    """``main(argv)`` in this process: (exit status, stdout, stderr)."""
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


# -- the parser --------------------------------------------------------------------------
def test_parse_finds_variables_in_order_of_appearance():
    assert parse("tanh(x*w + b)").variables == ("x", "w", "b")
    assert parse("b + a*b + exp(a)").variables == ("b", "a")
    assert parse("θ**2 + 1").variables == ("θ",)
    assert parse("2 * 3").variables == ()


def test_evaluate_builds_the_same_graph_values_as_python():
    x, w, b = 2.0, -3.0, 1.0
    y = evaluate("tanh(x*w + b)", {"x": x, "w": w, "b": b})
    assert y.data == math.tanh(x * w + b) and y.op == "tanh"
    y.backward()
    leaves = {n.label: n for n in _leaves(y)}
    assert set(leaves) == {"x", "w", "b"}
    assert leaves["x"].grad == pytest.approx((1 - y.data ** 2) * w)
    z = evaluate("-x**2 + 2**x - x/4 + sqrt(abs(x)) * sigmoid(x) - log(x) + relu(-x) + "
                 "sin(x)*cos(x) + leaky_relu(-x, 0.2) + leaky_relu(x)", {"x": 1.5})
    expected = (-1.5 ** 2 + 2 ** 1.5 - 1.5 / 4 + math.sqrt(1.5) / (1 + math.exp(-1.5))
                - math.log(1.5) + 0 + math.sin(1.5) * math.cos(1.5) - 0.3 + 1.5)
    assert z.data == pytest.approx(expected)


def _leaves(root):
    from autograd.graph import topo_order
    return [n for n in topo_order(root) if not n._prev and n.requires_grad]


def test_constant_parts_are_folded_and_exponents_stay_numbers():
    y = evaluate("2*3*x", {"x": 1.0})
    assert y.data == 6.0 and sorted(c.data for c in y._prev) == [1.0, 6.0]
    assert evaluate("x**-1", {"x": 4.0}).op == "**-1"       # a power, not x ** Value(-1)
    with pytest.raises(EvaluationError, match="negative base with a Value exponent"):
        evaluate("(-2)**x", {"x": 1.0})              # the engine's rule, as in Python code
    v = Value(3.0, label="given")
    assert evaluate("v*2", {"v": v})._prev[0] is v           # existing Values are used as is
    assert evaluate("1 + 1", {}).data == 2.0


@pytest.mark.parametrize("text, message, col", [
    ("__import__('os')", "unknown function '__import__'", 0),
    ("x.__class__", "attribute access", 1),
    ("x[0]", "subscripts", 1),
    ("lambda: 1", "lambda is not allowed", 0),
    ("foo(x)", "unknown function 'foo'", 0),
    ("x^2", "'^' is not a power: write x**2", 1),
    ("x // 2", "'//' is not supported", 2),
    ("x +* 2", "invalid syntax", 3),
    ("exp + 1", "exp is a function", 0),
    ("'rm -rf'", "only numbers are allowed", 0),
    ("True * x", "only numbers are allowed", 0),
    ("1e999 * x", "number 1e999 is too large", 0),
    ("tanh(x, 2)", "takes 1 argument", 0),
    ("sin(x=1)", "no keyword arguments", 4),
    ("leaky_relu(x, x)", "α must be a number", 14),
    ("x if x else 1", "'if ... else' is not allowed", 0),
    ("(y := 2)", "assignment", 1),
    ("[x for x in 'ab']", "listcomp is not allowed", 0),
    ("θ.real", "attribute access", 1),          # columns count characters, not bytes
])
def test_refused_expressions_point_at_the_token(text, message, col):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    e = info.value
    assert message in str(e) and e.col == col, (str(e), e.col)
    line, caret = e.pointer().splitlines()
    assert line == "  " + text and caret.index("^") == 2 + col


@pytest.mark.parametrize("text, fix, col, end", [
    ("2x", "2*x", 0, 2),
    ("2x + 3", "2*x", 0, 2),
    ("3 x", "3*x", 0, 3),
    ("x y", "x*y", 0, 3),
    ("2.5x", "2.5*x", 0, 4),
    ("1e-3x", "1e-3*x", 0, 5),
    ("x*2y", "2*y", 2, 4),
    ("2 sin(x)", "2*sin(x)", 0, 8),
    ("(x+1)x", "(x+1)*x", 0, 6),
    ("2(x+1)", "2*(x+1)", 0, 6),
    ("(x+1)(x-1)", "(x+1)*(x-1)", 0, 10),
    ("tanh(x)(x+1)", "tanh(x)*(x+1)", 0, 12),
])
def test_implicit_multiplication_says_what_to_write(text, fix, col, end):
    with pytest.raises(ExpressionError) as info:
        parse(text)
    e = info.value
    assert str(e) == f"implicit multiplication is not supported: write {fix} at column {col + 1}"
    assert (e.col, e.end_col) == (col, end)
    line, caret = e.pointer().splitlines()
    assert line == "  " + text and caret == "  " + " " * col + "^" * (end - col)
    assert "decimal literal" not in str(e)


def test_huge_or_deep_input_is_refused_quickly():
    with pytest.raises(EvaluationError, match="overflows"):
        evaluate("9**9**9", {})
    with pytest.raises(EvaluationError, match="overflows"):
        evaluate("x * 10**10**10", {"x": 1.0})
    with pytest.raises(ExpressionError, match="too long"):
        parse("x+" * 600 + "x")
    assert evaluate("-" * 900 + "x", {"x": 2.0}).data == 2.0      # no recursion limit
    assert evaluate("+".join(["x"] * 450), {"x": 1.0}).data == 450.0
    with pytest.raises(ExpressionError, match="empty"):
        parse("   ")


def test_domain_errors_carry_the_engines_message():
    with pytest.raises(EvaluationError, match=r"log\(\) of -1.0 at node 'x' \(column 1\)"):
        evaluate("log(x)", {"x": -1.0})
    with pytest.raises(EvaluationError, match="division by zero"):
        evaluate("x / (1 - 1)", {"x": 1.0})
    with pytest.raises(ExpressionError, match="no value given for variable 'w'") as info:
        evaluate("x*w + w", {"x": 1.0})
    assert info.value.col == 2


# -- the command line ----------------------------------------------------------------------
@pytest.mark.skipif(not has_dot, reason="Graphviz 'dot' not installed")
def test_classroom_command_prints_gradients_and_writes_both_files(tmp_path):
    code, out, err = run("graph", "tanh(x*w + b)", "x=2", "w=-3", "b=1", "--out", "graph.svg",
                         "--html", "backprop.html", cwd=tmp_path)
    assert code == 0, err
    f = math.tanh(-5.0)
    lines = out.splitlines()
    assert lines[0] == f"f = tanh(x*w + b) = {_fmt(f)}"
    assert lines[1:4] == [f"∂f/∂x = {_fmt((1 - f * f) * -3)}", f"∂f/∂w = {_fmt((1 - f * f) * 2)}",
                          f"∂f/∂b = {_fmt(1 - f * f)}"]
    svg = ET.parse(tmp_path / "graph.svg").getroot()
    assert svg.tag.endswith("svg")
    shown = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {"x", "w", "b", "f", "tanh"} <= shown
    page = (tmp_path / "backprop.html").read_text()
    assert "f = tanh(x*w + b)" in page and page.count("<svg") == 1
    assert lines[4:] == [f"wrote {Path('graph.svg')}", f"wrote {Path('backprop.html')}"]


def _fmt(x):
    from autograd.explainer import fmt
    return fmt(x)


def test_main_in_process_options(capsys, tmp_path):
    code, out, _ = call(capsys, "graph", "x*y + y", "x=3", "y=0.5", "--fmt", ".3f", "--steps")
    assert code == 0
    assert out.splitlines()[0] == "f = x*y + y = 2.000"
    assert "step 1/" in out and "y.grad +=" in out
    assert out.splitlines()[-2:] == ["∂f/∂x = 0.500", "∂f/∂y = 4.000"]
    code, out, _ = call(capsys, "graph", "f*2", "f=1")       # a variable named f
    assert code == 0 and out.splitlines()[0] == "out = f*2 = 2.0"
    code, out, _ = call(capsys, "graph", "2*3")
    assert code == 0 and "no variables" in out
    code, out, _ = call(capsys, "graph", "--", "-x**2", "x=3")
    assert code == 0 and out.splitlines()[1] == "∂f/∂x = -6.0"
    if has_dot:
        code, out, err = call(capsys, "graph", "x*x", "x=3", "--out", str(tmp_path / "g.dot"),
                              "--edge-labels", "both", "--rankdir", "TB", "--no-grads")
        assert code == 0, err
        source = (tmp_path / "g.dot").read_text()
        assert "rankdir=TB" in source and "x = 3.0" in source and "data 3.0" in source
        assert "<TD>grad" not in source and "<TD>data 3.0" in source


def test_a_lone_variable_is_shown_once(capsys):
    code, out, _ = call(capsys, "graph", "x", "x=1")
    assert code == 0 and out.splitlines() == ["x = 1.0", "∂x/∂x = 1.0"]
    code, out, _ = call(capsys, "graph", "2x", "x=1")
    assert code == 2


@pytest.mark.parametrize("args, message, status", [
    (["__import__('os').system('echo hacked')"], "unknown function '__import__'", 2),
    (["x.__class__", "x=1"], "attribute access", 2),
    (["(lambda: 1)()"], "lambda is not allowed", 2),
    (["(x)(2)", "x=1"], "unknown function 'x'", 2),
    (["f(x)(2)", "x=1"], "unknown function 'f'", 2),
    (["(2)(x)", "x=1"], "implicit multiplication is not supported: write (2)*(x)", 2),
    (["x[0]", "x=1"], "subscripts", 2),
    (["foo(x)", "x=1"], "unknown function 'foo'", 2),
    (["x +* 2", "x=1"], "invalid syntax", 2),
    (["x*y", "x=1"], "no value for y: add y=<number>", 2),
    (["x*y", "x=1", "y=2", "z=3"], "no variable 'z' (its variables: x, y)", 2),
    (["x", "x=abc"], "'abc' is not a number", 2),
    (["x", "x=nan"], "finite number", 2),
    (["x", "x"], "is not NAME=VALUE", 2),
    (["x", "x=1", "x=2"], "given twice", 2),
    (["x", "x=1", "--out", "g.jpg"], "unknown extension '.jpg'", 2),
    (["x", "x=1", "--fmt", "q"], "--fmt", 2),
    (["log(x)", "x=-1"], "log() of -1.0 at node 'x'", 1),
    (["9**9**9"], "overflows", 1),
])
def test_bad_input_gets_one_clear_line_and_a_status(capsys, args, message, status):
    code, out, err = call(capsys, "graph", *args)
    assert code == status and message in err.splitlines()[0], err
    assert "Traceback" not in err and out == ""


def test_bad_input_in_a_subprocess_points_with_a_caret():
    code, out, err = run("graph", "x + __import__('os').getcwd()", "x=1")
    assert code == 2 and out == "" and "Traceback" not in err
    assert err.splitlines() == ["autograd graph: error: unknown function '__import__' (known: "
                                "exp, log, sqrt, tanh, sigmoid, relu, leaky_relu, abs, sin, "
                                "cos) at column 5",
                                "  x + __import__('os').getcwd()",
                                "      ^^^^^^^^^^"]
    code, _, err = run("graph", "log(x)", "x=-1")
    assert code == 1 and "Traceback" not in err and "log() of -1.0" in err


def test_help_and_usage(capsys):
    code, out, _ = run("--help")
    assert code == 0 and "graph" in out and "examples:" in out
    code, out, _ = call(capsys, "graph", "--help")
    assert code == 0 and "NAME=VALUE" in out and "--html" in out and "never executed" in out
    code, _, err = call(capsys)
    assert code == 2 and "COMMAND" in err
    code, _, err = call(capsys, "graph")
    assert code == 2 and "required" in err
    code, out, _ = call(capsys, "--version")
    assert code == 0 and out.startswith("backprop-lab ")


def test_missing_dot_is_exit_status_1(capsys, tmp_path, monkeypatch):
    pytest.importorskip("graphviz")
    monkeypatch.setenv("PATH", str(tmp_path))
    code, out, err = call(capsys, "graph", "x*2", "x=1", "--out", str(tmp_path / "g.svg"))
    assert code == 1 and "apt-get install -y graphviz" in err
    assert "∂f/∂x = 2.0" in out                  # the gradients were printed first
    # shell advice for a shell user, not Python's (diagram.source)
    assert "diagram." not in err and "--out " + str(tmp_path / "g.dot") in err
    assert f"dot -Tsvg {tmp_path / 'g.dot'}" in err and str(tmp_path / "g.svg") in err
    code, _, err = call(capsys, "graph", "x*2", "x=1", "--html", str(tmp_path / "p.html"))
    assert code == 1 and "diagram." not in err and "p.html cannot be written" in err


# -- hostile command lines (issue #13 item 5, issue #15 item 8) --------------------------------
@pytest.mark.parametrize("args, message", [
    (["x + " + "1" * 310, "x=1"], "number 11111111…1111 (310 characters) is too large"),
    (["x * " + "9" * 400 + ".0", "x=1"], "is too large"),
    (["leaky_relu(x, " + "1" * 320 + ")", "x=1"], "is too large"),
    (["x", "x=1", "--fmt", "1000000000"], "--fmt: width must be at most 40, got 1000000000"),
    (["x", "x=1", "--fmt", ".1000f"], "--fmt: precision must be at most 20, got 1000"),
    (["x", "x=1", "--fmt", "9" * 5000], "--fmt: width must be at most 40, got 999999999999…"),
    (["x", "x=1", "--fmt", "\x1b<5f"], "--fmt: SPEC must be a format spec"),
    (["x", "x=1", "--max-nodes", "0"], "--max-nodes must be an int ≥ 1, got 0"),
    (["x", "x=1", "--max-nodes", "-1"], "--max-nodes must be an int ≥ 1, got -1"),
])
def test_hostile_command_lines_are_usage_errors_in_one_short_line(capsys, args, message):
    code, out, err = call(capsys, "graph", *args)
    assert code == 2 and out == "" and "Traceback" not in err
    assert message in err.splitlines()[0], err
    assert len(err.splitlines()) <= 3 and all(len(line) <= 200 for line in err.splitlines())


def test_a_long_pointer_is_cut_to_a_window_around_the_token():
    text = "x+" * 100 + "y.a"
    with pytest.raises(ExpressionError) as info:
        parse(text)
    line, carets = info.value.pointer().splitlines()
    assert line == "  …" + text[-80:] and len(line) == 83
    assert carets == " " * (len(line) - 2) + "^^"


def test_fmt_never_shows_a_nonzero_gradient_as_zero(capsys):
    code, out, _ = call(capsys, "graph", "tanh(x*w + b)", "x=2", "w=-3", "b=1", "--fmt", ".3f")
    assert code == 0
    assert out.splitlines()[1:] == ["∂f/∂x = -0.001", "∂f/∂w = 0.000363", "∂f/∂b = 0.000182"]
    code, out, _ = call(capsys, "graph", "x*0 + y*1e-9", "x=1", "y=1", "--fmt", ".2f")
    assert code == 0
    assert out.splitlines()[1:] == ["∂f/∂x = 0.00", "∂f/∂y = 1e-09"]    # a true 0 stays 0
    code, out, _ = call(capsys, "graph", "x*1e-9", "x=1", "--fmt", ".0f")
    assert out.splitlines()[1] == "∂f/∂x = 1e-09"


def test_without_the_graphviz_package_only_drawing_fails():
    code = ("import sys; sys.modules['graphviz'] = None\n"
            "from autograd.__main__ import main\n"
            "print(main(['graph', 'x*2', 'x=1']), main(['graph', 'x*2', 'x=1', '--out', 'g.svg']))")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                       timeout=120)
    assert p.stdout.splitlines()[-1] == "0 1" and "Traceback" not in p.stderr
    from autograd.install import install_hint
    assert install_hint("viz") in p.stderr          # a command that works here (not on PyPI)
