"""W2, W3 and W4: big graphs — a deep chain, bytes per node, a long builtin ``sum()``.

* W2 builds ``x = x*a + b`` N times (2N nodes, depth 2N), then ``x.backward()``.
  With a = 1 and b = 10⁻⁶, ∂x/∂b = N exactly, which checks the result.  Sizes are
  tried in increasing order until one fails (RecursionError, MemoryError); with
  ``probe`` the largest N that works is then found by bisection.
* W3 measures the memory of a 1,000,000-node chain: tracemalloc (every Python
  allocation) and the RSS growth, each divided by the number of nodes.
* W4 adds 100,000 Values with the builtin ``sum()`` (a chain of 100,000 ``+``
  nodes) and backpropagates.
"""

from __future__ import annotations

import gc
import tracemalloc
from time import perf_counter
from typing import Any

from ..common import rss_bytes
from ..engines import ScalarEngine, load

_FAILURES = (RecursionError, MemoryError)


def _chain(engine: ScalarEngine, steps: int) -> tuple[Any, Any]:
    a, b, x = engine.param(1.0), engine.param(1e-6), engine.param(1.0)
    for _ in range(steps):
        x = x * a + b
    return x, b


def _chain_once(engine: ScalarEngine, steps: int) -> dict[str, Any]:
    t0 = perf_counter()
    x, b = _chain(engine, steps)
    t1 = perf_counter()
    try:
        x.backward()
        t2 = perf_counter()
        ok = engine.grad(b) == float(steps)
        result: dict[str, Any] = {"ok": ok, "nodes": 2 * steps, "forward_s": t1 - t0,
                                  "backward_s": t2 - t1}
        if not ok:
            result["failure"] = f"wrong gradient: ∂x/∂b = {engine.grad(b)!r}, expected {steps}"
    except _FAILURES as e:
        result = {"ok": False, "nodes": 2 * steps, "forward_s": t1 - t0,
                  "failure": f"{type(e).__name__}: {e}"}
    t3 = perf_counter()
    del x, b
    gc.collect()
    result["free_s"] = perf_counter() - t3
    return result


def run_chain(engine_name: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """W2: forward and backward time of the chain for each size; the first failure."""
    engine = load(engine_name)
    cap = params.get("max_steps")
    runs: dict[str, Any] = {}
    largest_ok, first_failed = 0, None
    for n in params["sizes"]:
        if cap is not None and n > cap:
            runs[str(n)] = {"ok": False, "skipped": f"above this engine's cap ({cap:,} steps)"}
            continue
        r = runs[str(n)] = _chain_once(engine, n)
        if not r["ok"]:
            first_failed = n
            break
        largest_ok = n
    out: dict[str, Any] = {"runs": runs, "largest_ok": largest_ok, "first_failed": first_failed}
    if params.get("probe") and first_failed is not None:
        lo, hi = largest_ok, first_failed
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if _chain_once(engine, mid)["ok"] else (lo, mid)
        out["max_steps"] = lo
    return out


def run_bytes_per_node(engine_name: str, params: dict[str, Any],
                       data: dict[str, Any]) -> dict[str, Any]:
    """W3: memory of a ``params['nodes']``-node chain, per node (RSS, then tracemalloc)."""
    engine = load(engine_name)
    steps = int(params["nodes"]) // 2
    nodes = 2 * steps
    gc.collect()
    r0 = rss_bytes()
    x, _ = _chain(engine, steps)
    out: dict[str, Any] = {"nodes": nodes, "rss_bytes_per_node": (rss_bytes() - r0) / nodes}
    del x
    gc.collect()
    if params.get("tracemalloc", True):
        tracemalloc.start()
        m0 = tracemalloc.get_traced_memory()[0]
        x, _ = _chain(engine, steps)
        out["bytes_per_node"] = (tracemalloc.get_traced_memory()[0] - m0) / nodes
        tracemalloc.stop()
        del x
    return out


def run_builtin_sum(engine_name: str, params: dict[str, Any],
                    data: dict[str, Any]) -> dict[str, Any]:
    """W4: ``s = sum(xs)`` (builtin) of ``params['n']`` Values, then ``s.backward()``."""
    engine = load(engine_name)
    n = int(params["n"])
    xs = [engine.param(float(i % 7)) for i in range(n)]
    t0 = perf_counter()
    s = sum(xs)
    t1 = perf_counter()
    out: dict[str, Any] = {"n": n, "sum_s": t1 - t0}
    try:
        s.backward()
        out["backward_s"] = perf_counter() - t1
        out["total_s"] = out["sum_s"] + out["backward_s"]
        out["ok"] = engine.grad(xs[0]) == 1.0 and engine.grad(xs[-1]) == 1.0
    except _FAILURES as e:
        out.update(ok=False, failure=f"{type(e).__name__}: {e}")
    if engine_name == "autograd":            # the n-ary alternative: one node
        from autograd.nary import sum as nary_sum
        t2 = perf_counter()
        nary_sum(xs).backward()
        out["nary_sum_backward_s"] = perf_counter() - t2
    return out
