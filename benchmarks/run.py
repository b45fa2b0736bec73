"""The benchmark suite, one command: ``python -m benchmarks.run [--quick] [--sizes S]``.

Generates the moons data and the initial weights once (seeded), then runs every
(workload, engine) pair in its own subprocess (:mod:`benchmarks.worker`), one after
the other so that they never compete for the CPU.  Prints the table, the speed-ups
(peer time ÷ autograd time) and the targets, and writes everything as JSON
(``benchmarks/results/latest.json`` by default).

    python -m benchmarks.run                    # everything, default sizes (minutes)
    python -m benchmarks.run --quick            # fewer steps for the slow peers
    python -m benchmarks.run --quick --sizes tiny --workloads W1,W2 --engines autograd,micrograd
    python -m benchmarks.run --baseline 020adb8 --workloads W1,W6   # before/after a change

``--baseline REV`` extracts the ``autograd`` package of commit ``REV`` (``git archive``)
and runs it as the ``autograd_base`` column of W1 and W6, in the same run.  On a busy
machine, ``--rounds N`` runs every job N times, round after round (so that a slow
moment hits every engine alike), and reports the median of each measurement.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from time import perf_counter
from typing import Any

from . import plan, report
from .common import LAYERS, ROOT, init_weights, machine_info, make_moons, reference_first_loss
from .engines import PACKAGE, available

DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"


def _csv(choices: Sequence[str]) -> Any:
    def parse(text: str) -> list[str]:
        items = [t.strip() for t in text.split(",") if t.strip()]
        bad = [t for t in items if t not in choices]
        if bad:
            raise argparse.ArgumentTypeError(f"unknown {', '.join(bad)}; choose from "
                                             f"{', '.join(choices)}")
        return items
    return parse


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (see ``--help``)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", choices=sorted(plan.SIZES), default="default",
                   help="graph sizes and data points (tiny: a smoke run of seconds)")
    p.add_argument("--quick", action="store_true",
                   help="fewer timed steps for micrograd and scalar torch, shorter W5")
    p.add_argument("--workloads", type=_csv(plan.WORKLOADS), default=list(plan.WORKLOADS),
                   help="comma-separated subset of " + ",".join(plan.WORKLOADS))
    p.add_argument("--engines", type=_csv(plan.COLUMNS), default=list(plan.COLUMNS),
                   help="comma-separated subset of " + ",".join(plan.COLUMNS))
    p.add_argument("--steps", type=int, help="W1 steps for autograd and batched torch")
    p.add_argument("--peer-steps", type=int, help="W1 steps for micrograd and scalar torch")
    p.add_argument("--w5-steps", type=int, help="W5 steps (RSS compared with step 10)")
    p.add_argument("--seed", type=int, default=1337, help="seed of the data and weights")
    p.add_argument("--timeout", type=float, default=1800.0, help="seconds per subprocess")
    p.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the JSON")
    p.add_argument("--no-json", action="store_true", help="do not write the JSON file")
    p.add_argument("--rounds", type=int, default=1,
                   help="run every job this many times, interleaved; report medians")
    p.add_argument("--baseline", metavar="REV",
                   help="also run autograd as of git commit REV (column autograd_base)")
    p.add_argument("--plot", type=Path, default=ROOT / "benchmarks" / "results" / "scaling.png",
                   help="where to draw W7's time per node (needs matplotlib)")
    return p.parse_args(argv)


def extract_baseline(rev: str, into: Path) -> Path:
    """The ``autograd`` package as of commit ``rev``, unpacked under ``into``."""
    proc = subprocess.run(["git", "archive", "--format=tar", rev, "autograd"], cwd=ROOT,
                          capture_output=True, timeout=120)
    if proc.returncode != 0:
        raise SystemExit(f"--baseline {rev}: git archive failed: "
                         f"{proc.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, filter="data")
        else:                      # an older Python: our own repository's files, trusted
            tar.extractall(into)
    return into


def merge_rounds(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    """One result from several rounds of a job: the median of every number (nested dicts
    too); lists and texts from the first round; the first error, if any round failed."""
    merged = _median_of(rounds)
    if len(rounds) > 1 and "error" not in merged and "skipped" not in merged:
        merged["rounds"] = len(rounds)
    return merged


def _median_of(rounds: list[dict[str, Any]]) -> dict[str, Any]:
    for r in rounds:
        if "error" in r or "skipped" in r:
            return r
    out: dict[str, Any] = {}
    for key, first in rounds[0].items():
        values: list[Any] = [r.get(key) for r in rounds]
        if isinstance(first, bool) or not all(isinstance(v, (int, float, dict)) and
                                              type(v) is type(first) for v in values):
            out[key] = first
        elif isinstance(first, dict):
            out[key] = _median_of(values)
        elif isinstance(first, int):      # counts and sizes stay whole numbers
            out[key] = statistics.median_low(values)
        else:
            out[key] = statistics.median(values)
    return out


def run_job(job: plan.Job, data: dict[str, Any], timeout: float,
            baseline: Path | None = None) -> dict[str, Any]:
    """Run one job in a fresh ``python -m benchmarks.worker`` process."""
    if not available(job.engine):
        return {"skipped": f"{PACKAGE[job.engine]} is not installed"}
    spec = {"workload": job.workload, "engine": job.engine, "params": job.params,
            "recursion": job.recursion, "data": data,
            "autograd_path": str(baseline) if job.column == "autograd_base" and baseline
            else None}
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]))
    with tempfile.TemporaryDirectory() as tmp:
        spec_path, out_path = Path(tmp, "spec.json"), Path(tmp, "out.json")
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        try:
            proc = subprocess.run([sys.executable, "-m", "benchmarks.worker", str(spec_path),
                                   str(out_path)], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=timeout)
        except subprocess.TimeoutExpired:
            return {"error": f"timed out after {timeout:g} s"}
        if proc.returncode != 0 or not out_path.exists():
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            return {"error": f"worker exited with code {proc.returncode}", "stderr": tail}
        result: dict[str, Any] = json.loads(out_path.read_text(encoding="utf-8"))
        return result


def _status(result: dict[str, Any]) -> str:
    if "skipped" in result:
        return f"skipped: {result['skipped']}"
    if "error" in result:
        return f"ERROR: {result['error']}"
    return f"{result.get('wall_s', 0.0):.1f} s"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the suite; print the report; write the JSON.  Exit code 0 unless a job failed."""
    args = parse_args(argv)
    machine = machine_info()
    w5 = None if args.w5_steps is None else (10, args.w5_steps)
    cfg = plan.config(args.sizes, args.quick, {"w1": args.steps, "w1_peer": args.peer_steps,
                                               "w5": w5, "baseline": args.baseline})
    X, y = make_moons(cfg["points"], 0.1, args.seed)
    weights = init_weights(LAYERS, args.seed)
    data = {"X": X, "y": y, "layers": LAYERS, "weights": weights}
    reference = reference_first_loss(LAYERS, weights, X, y)
    todo = [j for j in plan.jobs(cfg) if j.workload in args.workloads and j.column in args.engines]
    results: dict[str, dict[str, Any]] = {}
    t_all = perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        baseline = extract_baseline(args.baseline, Path(tmp)) if args.baseline else None
        runs: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for r in range(max(1, args.rounds)):
            for i, job in enumerate(todo, 1):
                print(f"[{i}/{len(todo)}{f' round {r + 1}' if args.rounds > 1 else ''}] "
                      f"{job.workload:<4} {job.column:<17}", end=" ", file=sys.stderr,
                      flush=True)
                res = run_job(job, data, args.timeout, baseline)
                runs.setdefault((job.workload, job.column), []).append(res)
                print(_status(res), file=sys.stderr, flush=True)
        for (workload, column), rounds in runs.items():
            results.setdefault(workload, {})[column] = merge_rounds(rounds)
    try:
        doc = report.build(results, cfg, reference)
    except Exception:               # keep the measurements even if the report fails
        raw = args.json.with_suffix(".raw.json")
        raw.write_text(json.dumps({"config": cfg, "results": results}, indent=1),
                       encoding="utf-8")
        print(f"the report failed; the raw results are in {raw}", file=sys.stderr)
        raise
    machine["loadavg_end"] = os.getloadavg() if hasattr(os, "getloadavg") else None
    doc = {"machine": machine, "config": cfg, "seed": args.seed,
           "command": " ".join(["python -m benchmarks.run",
                                *(sys.argv[1:] if argv is None else argv)]),
           "total_s": perf_counter() - t_all, **doc}
    print(doc["table"])
    busy = max((machine["loadavg_start"] or [0.0])[0], (machine["loadavg_end"] or [0.0])[0])
    if busy > 0.5 * (machine["cores"] or 1):
        print(f"\nWARNING: the machine was busy (load average {busy:.1f} on "
              f"{machine['cores']} cores): timings are noisy; compare step_cpu_s in the JSON.")
    if not args.no_json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
        print(f"\nJSON written to {args.json}")
        if report.draw_scaling(results, args.plot):
            print(f"W7 plot written to {args.plot}")
    failed = any("error" in r for per in results.values() for r in per.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
