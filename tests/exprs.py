"""Random expression graphs for property tests, evaluated by several backends.

A *program* is a list of steps ``(op, i, j, k)``: each step applies ``op`` to
nodes ``i``, ``j``, ``k`` of the pool (inputs first, then earlier results) and
appends the result.  Indices are drawn from the whole pool, so intermediate
nodes are reused, which is exactly what breaks naive backward implementations.
The same program runs on Values, on plain floats (finite differences) and on
torch tensors (cross-check), through the small backend namespaces below.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from hypothesis import strategies as st

import autograd
from autograd import Value

SMOOTH = ["add", "sub", "mul", "div", "tanh", "sigmoid", "sin", "cos", "exp", "log",
          "sqrt", "pow2", "pow3", "powv", "neg", "sum", "dot", "rdiv", "rsub"]
KINKED = ["relu", "abs", "leaky"]


def karpathy_neuron(x1_label: str = "x1") -> tuple[Value, dict[str, Value]]:
    """micrograd's neuron ``o = tanh(x1·w1 + x2·w2 + b)`` (= 1/√2), and its leaves by name."""
    x1, x2 = Value(2.0, label=x1_label), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.881373587019543, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b}


def apply(op: str, a: Any, b: Any, c: Any, B: Any) -> Any:
    """One step on backend B (only +, -, *, /, ** and B's functions)."""
    if op == "add":
        return a + b
    if op == "sub":
        return a - b
    if op == "rsub":
        return 1.5 - a
    if op == "mul":
        return a * b
    if op == "div":
        return a / (b * b + 1)
    if op == "rdiv":
        return 2.0 / (a * a + 0.5)
    if op == "neg":
        return -a
    if op == "pow2":
        return a ** 2
    if op == "pow3":
        return a ** 3
    if op == "powv":  # exponent never exactly 0: there torch masks ∂²/∂base∂exponent to 0
        return (a * a + 1) ** (B.tanh(b) + 0.5)
    if op == "exp":
        return B.exp(B.tanh(a))
    if op == "log":
        return B.log(a * a + 1)
    if op == "sqrt":
        return B.sqrt(a * a + 1)
    if op == "sum":
        return B.sum([a, b, c])
    if op == "dot":
        return B.dot([a, b], [b, c], a)
    return getattr(B, op)(a)


def run(program: Sequence[tuple[str, int, int, int]], leaves: Sequence[Any], B: Any) -> Any:
    pool = list(leaves)
    for op, i, j, k in program:
        n = len(pool)
        pool.append(apply(op, pool[i % n], pool[j % n], pool[k % n], B))
    # the root uses the last node and one reused earlier node
    return pool[-1] * 0.5 + pool[len(pool) // 2]


VALUE = SimpleNamespace(
    tanh=Value.tanh, sigmoid=Value.sigmoid, sin=Value.sin, cos=Value.cos, exp=Value.exp,
    log=Value.log, sqrt=Value.sqrt, relu=Value.relu, abs=Value.abs,
    leaky=lambda v: v.leaky_relu(0.1), sum=autograd.sum, dot=autograd.dot)


def _fsig(x: float) -> float:
    return 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))


FLOAT = SimpleNamespace(
    tanh=math.tanh, sigmoid=_fsig, sin=math.sin, cos=math.cos, exp=math.exp, log=math.log,
    sqrt=math.sqrt, relu=lambda x: max(0.0, x), abs=abs,
    leaky=lambda x: x if x > 0 else 0.1 * x, sum=lambda xs: xs[0] + xs[1] + xs[2],
    dot=lambda w, x, b: w[0] * x[0] + w[1] * x[1] + b)


def torch_backend(torch: Any) -> Any:
    F = torch.nn.functional
    return SimpleNamespace(
        tanh=torch.tanh, sigmoid=torch.sigmoid, sin=torch.sin, cos=torch.cos,
        exp=torch.exp, log=torch.log, sqrt=torch.sqrt, relu=torch.relu, abs=torch.abs,
        leaky=lambda x: F.leaky_relu(x, 0.1), sum=lambda xs: xs[0] + xs[1] + xs[2],
        dot=lambda w, x, b: w[0] * x[0] + w[1] * x[1] + b)


def programs(ops: Sequence[str] = SMOOTH, min_steps: int = 3, max_steps: int = 12) -> Any:
    step = st.tuples(st.sampled_from(list(ops)), st.integers(0, 99), st.integers(0, 99),
                     st.integers(0, 99))
    return st.lists(step, min_size=min_steps, max_size=max_steps)


def inputs(n_min: int = 1, n_max: int = 4) -> Any:
    return st.lists(st.floats(-2.0, 2.0, allow_nan=False), min_size=n_min, max_size=n_max)


def close(a: float, b: float, rel: float, abs_: float = 0.0) -> bool:
    return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))
