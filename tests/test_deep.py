"""Deep chains and wide sums at Python's default recursion limit (no recursion)."""

import sys

import pytest

import autograd
from autograd import Value


@pytest.fixture(autouse=True)
def default_recursion_limit():
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(1000)
    yield
    sys.setrecursionlimit(old)


@pytest.mark.slow
def test_chain_of_a_million_operations():
    a, b = Value(1.0), Value(1e-6)
    x = Value(1.0)
    for _ in range(500_000):
        x = x * a + b  # 2 nodes per step: 1,000,000 operations
    x.backward()
    assert x.data == pytest.approx(1.5)
    assert b.grad == 500_000.0
    assert a.grad == pytest.approx(sum(1.0 + k * 1e-6 for k in range(500_000)))


def test_builtin_sum_of_100k_values():
    xs = [Value(float(i % 7)) for i in range(100_000)]
    s = sum(xs)
    assert s.data == sum(i % 7 for i in range(100_000))
    s.backward()
    assert all(x.grad == 1.0 for x in xs)
    s.zero_grad()
    assert xs[0].grad == 0.0


def test_nary_sum_of_100k_values_is_one_node():
    xs = [Value(1.0) for _ in range(100_000)]
    s = autograd.sum(xs)
    s.backward()
    assert s.data == 100_000.0 and len(s.children) == 100_000
    assert xs[-1].grad == 1.0


def test_topological_order_is_valid():
    a = Value(1.0)
    b = a * 2
    c = b + a
    d = c * b
    order = autograd.graph.topo_order(d)
    pos = {n: i for i, n in enumerate(order)}
    assert order[-1] is d and len(order) == len(set(order))
    for n in order:
        for ch in n.children:
            assert pos[ch] < pos[n]
