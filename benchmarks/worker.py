"""One engine, one workload, in a fresh process: ``python -m benchmarks.worker SPEC OUT``.

``SPEC`` is a JSON file ``{"workload", "engine", "params", "data", "recursion"}``
written by :mod:`benchmarks.run`; the result is written as JSON to ``OUT``.  With
``"autograd_path"`` the ``autograd`` package is imported from that directory (an
earlier commit's, for the ``autograd_base`` column).
``recursion`` is ``"default"`` (the limit is set to Python's default, 1000) or
``"raised"``: the workload then runs in a thread with a 1 GiB stack and a recursion
limit of 10⁸, which is what micrograd's recursive topological sort needs for deep
graphs.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from collections.abc import Callable
from time import perf_counter
from typing import Any

from .engines import Unavailable
from .workloads.graphs import run_builtin_sum, run_bytes_per_node, run_chain
from .workloads.scaling import run_scaling
from .workloads.training import run_demo, run_memory, run_training

Workload = Callable[[str, dict[str, Any], dict[str, Any]], dict[str, Any]]
WORKLOADS: dict[str, Workload] = {
    "W1": run_training, "W1e": run_training, "W2": run_chain, "W3": run_bytes_per_node,
    "W4": run_builtin_sum, "W5": run_memory, "W6": run_demo, "W7": run_scaling,
}
DEFAULT_LIMIT = 1000
RAISED_LIMIT = 10**8
RAISED_STACK = 1 << 30


def run_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the workload the spec names; errors become ``{"error": …}``."""
    fn = WORKLOADS[spec["workload"]]
    result: dict[str, Any] = {}
    if spec.get("autograd_path"):
        sys.path.insert(0, spec["autograd_path"])
        import autograd
        if not autograd.__file__ or not autograd.__file__.startswith(spec["autograd_path"]):
            return {"error": f"autograd imported from {autograd.__file__}, not the baseline"}

    def target() -> None:
        t = perf_counter()
        try:
            result.update(fn(spec["engine"], spec.get("params", {}), spec.get("data", {})))
        except Unavailable as e:
            result["skipped"] = str(e)
        except Exception as e:  # reported, not raised: the other engines still run
            result["error"] = f"{type(e).__name__}: {e}"
            result["traceback"] = traceback.format_exc(limit=8)
        result["wall_s"] = perf_counter() - t

    if spec.get("recursion") == "raised":
        sys.setrecursionlimit(RAISED_LIMIT)
        threading.stack_size(RAISED_STACK)
        thread = threading.Thread(target=target)
        thread.start()
        thread.join()
        result["recursion_limit"] = RAISED_LIMIT
    else:
        sys.setrecursionlimit(DEFAULT_LIMIT)
        target()
        result["recursion_limit"] = DEFAULT_LIMIT
    return result


def main(argv: list[str] | None = None) -> int:
    """Entry point: read the spec, run it, write the result."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print("usage: python -m benchmarks.worker SPEC.json OUT.json", file=sys.stderr)
        return 2
    with open(args[0], encoding="utf-8") as f:
        spec = json.load(f)
    result = run_spec(spec)
    with open(args[1], "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
