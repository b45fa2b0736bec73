"""Where autograd's time goes on W1 / W1e: ``python -m benchmarks.profile_engine``.

For each workload (the moons step with ``autograd.nn.MLP``, and with the neuron
written in ``*``/``+`` nodes) it reports, as Markdown:

* the graph of one step: nodes, edges, time per node;
* step time with the cyclic garbage collector on and off, and the collector's own
  time measured with ``gc.callbacks`` (from each 'start' to its 'stop'), per generation;
* the phases (forward, zero_grad + backward, update);
* cProfile's top functions by own time;
* tracemalloc: bytes allocated during one step, and the lines that allocate the
  memory the graph holds (snapshot taken after ``backward()``, graph alive).
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import tracemalloc
from collections.abc import Callable, Sequence
from pathlib import Path
from time import process_time
from typing import Any

from .common import LAYERS, ROOT, init_weights, make_moons, median
from .engines import load
from .workloads.training import demo_step

StepFn = Callable[[int], Any]


def stepper(elementwise: bool, points: int = 100, seed: int = 1337) -> StepFn:
    """``step(k)`` for autograd returning the loss node (its graph alive)."""
    eng = load("autograd")
    X, y = make_moons(points, 0.1, seed)
    w = init_weights(LAYERS, seed)
    model = eng.elementwise_mlp(LAYERS, w) if elementwise else eng.own_mlp(LAYERS, w)
    return lambda k: demo_step(model, eng.Value, X, y, k)


def graph_size(loss: Any) -> tuple[int, int]:
    """(nodes, edges) reachable from ``loss``."""
    seen, stack, edges = {id(loss)}, [loss], 0
    while stack:
        for child in stack.pop()._prev:
            edges += 1
            if id(child) not in seen:
                seen.add(id(child))
                stack.append(child)
    return len(seen), edges


def collector_time(step: StepFn, ks: Sequence[int]) -> dict[str, Any]:
    """Median step CPU time and, per step, the collector's time by generation.

    The collector's time is the span from each ``gc.callbacks`` 'start' to its 'stop'.
    CPU time (``process_time``) is used throughout: it is robust to a busy machine.
    """
    spans: list[tuple[int, float]] = []
    started = [0.0]

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started[0] = process_time()
        else:
            spans.append((info["generation"], process_time() - started[0]))

    times, phases = [], []
    gc.callbacks.append(callback)
    try:
        for k in ks:
            t = process_time()
            _, _, ts = step(k)
            times.append(process_time() - t)
            phases.append((ts[1] - ts[0], ts[2] - ts[1], ts[3] - ts[2]))
    finally:
        gc.callbacks.remove(callback)
    n = len(ks)
    return {"step_s": median(times), "gc_s": sum(s for _, s in spans) / n,
            "gc_share": sum(s for _, s in spans) / sum(times),
            "collections": {g: sum(1 for gg, _ in spans if gg == g) / n for g in (0, 1, 2)},
            "gc_by_gen": {g: sum(s for gg, s in spans if gg == g) / n for g in (0, 1, 2)},
            "phases": tuple(median([p[i] for p in phases]) for i in range(3))}


def with_and_without_collector(step: StepFn, ks: Sequence[int], rounds: int = 3) -> tuple[
        float, float]:
    """Median step CPU time with the collector on, and with ``gc.disable()``, alternating."""
    on: list[float] = []
    off: list[float] = []
    for _ in range(rounds):
        for times in (on, off):
            if times is off:
                gc.disable()
            try:
                for k in ks:
                    t = process_time()
                    step(k)
                    times.append(process_time() - t)
            finally:
                gc.enable()
    return median(on), median(off)


def cpu_profile(step: StepFn, ks: Sequence[int], top: int) -> str:
    """cProfile's top functions by own time, paths relative to the repository."""
    prof = cProfile.Profile()
    prof.enable()
    for k in ks:
        step(k)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    text = out.getvalue().replace(str(ROOT) + "/", "")
    return text[text.index("ncalls"):].rstrip() if "ncalls" in text else text


def memory(step: StepFn, k: int, top: int) -> tuple[int, int, list[str]]:
    """(bytes held after one step, peak bytes during it, top allocating lines)."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    loss = step(k)[0]
    held, peak = tracemalloc.get_traced_memory()
    snap = tracemalloc.take_snapshot().filter_traces(
        [tracemalloc.Filter(False, tracemalloc.__file__)])
    tracemalloc.stop()
    lines = [f"{s.size / 1024:8.1f} KiB {s.count:7d} blocks  "
             f"{str(s.traceback[0]).replace(str(ROOT) + '/', '')}"
             for s in snap.statistics("lineno")[:top]]
    del loss
    return held - base, peak - base, lines


def report(name: str, elementwise: bool, steps: int, top: int) -> str:
    """The Markdown section for one workload."""
    step = stepper(elementwise)
    for k in range(3):                       # warm-up
        step(k)
    loss = step(3)[0]
    nodes, edges = graph_size(loss)
    del loss
    gc_stats = collector_time(step, range(4, 4 + steps))
    on, off = with_and_without_collector(step, range(4, 4 + steps))
    held, peak, lines = memory(step, 4 + steps, top)
    prof = cpu_profile(step, range(5, 5 + min(steps, 5)), top)
    f, b, u = gc_stats["phases"]
    c = gc_stats["collections"]
    return "\n".join([
        f"## {name}", "",
        f"- graph of one step: {nodes:,} nodes, {edges:,} edges",
        f"- step CPU time (median of {steps}): {gc_stats['step_s'] * 1e3:.1f} ms "
        f"= {gc_stats['step_s'] / nodes * 1e6:.2f} µs per node; phases (wall): "
        f"forward {f * 1e3:.1f} ms, zero_grad+backward {b * 1e3:.1f} ms, update {u * 1e3:.1f} ms",
        f"- cyclic GC (gc.callbacks): {gc_stats['gc_s'] * 1e3:.1f} ms per step "
        f"({gc_stats['gc_share']:.0%} of the step); per step: " + ", ".join(
            f"gen{g} {c[g]:.1f}× {gc_stats['gc_by_gen'][g] * 1e3:.1f} ms" for g in (0, 1, 2)),
        f"- step CPU time, collector on / gc.disable(), alternating 3×{steps} steps: "
        f"{on * 1e3:.1f} / {off * 1e3:.1f} ms (the collector costs {1 - off / on:.0%})",
        f"- tracemalloc: {held / 2**20:.2f} MiB held by the graph after backward "
        f"({held / nodes:.0f} B per node), peak {peak / 2**20:.2f} MiB", "",
        "Top allocation sites (graph alive):", "", "```", *lines, "```", "",
        "cProfile, top functions by own time:", "", "```", prof, "```", ""])


def main(argv: Sequence[str] | None = None) -> int:
    """Print (or write with ``--out``) the profile of W1 and W1e."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.profile_engine",
                                description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", type=int, default=10, help="timed steps per measurement")
    p.add_argument("--top", type=int, default=15, help="rows of cProfile and tracemalloc")
    p.add_argument("--out", type=Path, help="write the Markdown here")
    args = p.parse_args(argv)
    text = "\n".join([
        "# autograd profile (moons step, MLP(2,[16,16,1]), 100 points)", "",
        report("W1: autograd.nn.MLP", False, args.steps, args.top),
        report("W1e: neuron in elementary * and + nodes", True, args.steps, args.top)])
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
