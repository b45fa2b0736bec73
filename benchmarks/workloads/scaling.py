"""W7: does a node cost the same in a graph of 10³ nodes and in one of 10⁶?

Two shapes, built and backpropagated:

* **chain**: ``x = x*a + b``, N/2 times (N nodes, depth N);
* **wide sum**: N leaves summed (this engine: one ``autograd.sum`` node; micrograd:
  its builtin ``sum()``, a chain of N ``+`` nodes), N counted as the leaves.

The time per node is the CPU time of building plus backward, divided by N: the
median of several repeats for small N.  ``autograd_relaxed`` runs the same code
inside :func:`autograd.collector.relaxed_gc`; micrograd runs with its recursion
limit raised (its backward pass is recursive).  Graphs are freed (and collected)
between measurements, untimed.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable
from time import process_time
from typing import Any

from ..common import median
from ..engines import ScalarEngine, load

NODES_PER_POINT = 2_000_000     # small graphs are repeated up to about this many nodes


def _chain(engine: ScalarEngine, n: int) -> float:
    a, b, x = engine.param(1.0), engine.param(1e-6), engine.param(1.0)
    t = process_time()
    for _ in range(n // 2):
        x = x * a + b
    x.backward()
    return process_time() - t


def _wide(engine: ScalarEngine, n: int, total: Callable[[list[Any]], Any]) -> float:
    t = process_time()
    xs = [engine.param(1e-3 * i) for i in range(n)]
    s = total(xs)
    s.backward()
    return process_time() - t


def run_scaling(engine_name: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """Nanoseconds per node for each size, chain and wide sum."""
    if engine_name not in ("autograd", "autograd_relaxed", "micrograd"):
        raise ValueError(f"W7 has no {engine_name} column")
    engine = load(engine_name)
    if engine_name == "micrograd":
        total: Callable[[list[Any]], Any] = sum
    else:
        from autograd.nary import sum as nary_sum
        total = nary_sum
    relaxed: Callable[[], Any] = contextlib.nullcontext
    if engine_name == "autograd_relaxed":
        from autograd.collector import relaxed_gc
        relaxed = relaxed_gc
    out: dict[str, Any] = {"chain": {}, "wide": {}}
    for n in params["sizes"]:
        repeats = max(3, min(50, NODES_PER_POINT // n))
        for shape in ("chain", "wide"):
            times = []
            for _ in range(repeats):
                with relaxed():
                    seconds = _chain(engine, n) if shape == "chain" else _wide(engine, n, total)
                times.append(seconds / n * 1e9)
                gc.collect()
            out[shape][str(n)] = median(times)
    sizes = [str(n) for n in params["sizes"]]
    out["growth"] = {shape: out[shape][sizes[-1]] / out[shape][sizes[0]]
                     for shape in ("chain", "wide")}
    return out
