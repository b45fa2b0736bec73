"""W1 now against W1 at an earlier commit, in ONE process, step after step: ``python -m
benchmarks.ab REV``.

A before/after comparison of a few percent drowns in the noise of a busy machine when
the two versions run one after the other.  Here both versions live in the same process
(the earlier one extracted with ``git archive`` and imported as ``autograd_base``: the
package imports itself relatively, so it can be renamed), and rounds alternate between
them, so a slow moment slows both alike.  Prints the median CPU time of a step (of
micrograd's demo, :func:`benchmarks.workloads.training.demo_step`) and the ratio.
"""

from __future__ import annotations

import argparse
import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from time import process_time
from typing import Any

from .common import LAYERS, ROOT, init_weights, make_moons
from .engines import copy_weights
from .workloads.training import demo_step


def _extract(rev: str, into: Path) -> None:
    proc = subprocess.run(["git", "archive", "--format=tar", rev, "autograd"], cwd=ROOT,
                          capture_output=True, timeout=120, check=True)
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        members = [m for m in tar.getmembers() if m.name.startswith("autograd/")]
        for m in members:
            m.name = "autograd_base/" + m.name[len("autograd/"):]
        if hasattr(tarfile, "data_filter"):
            tar.extractall(into, members, filter="data")
        else:                          # an older Python: our own repository's files
            tar.extractall(into, members)


def main(argv: Sequence[str] | None = None) -> int:
    """Compare W1's step time now and at ``REV``; print the medians and the ratio."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.ab", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("rev", help="the earlier commit")
    p.add_argument("--rounds", type=int, default=30, help="rounds of each version")
    p.add_argument("--steps", type=int, default=5, help="W1 steps per round")
    args = p.parse_args(argv)
    X, y = make_moons(100, 0.1, 1337)
    weights = init_weights(LAYERS, 1337)
    with tempfile.TemporaryDirectory() as tmp:
        _extract(args.rev, Path(tmp))
        sys.path.insert(0, tmp)
        versions: dict[str, Any] = {}
        for name, package in (("now", "autograd"), (args.rev, "autograd_base")):
            engine = importlib.import_module(package)
            nn = importlib.import_module(f"{package}.nn")
            versions[name] = (engine.Value, copy_weights(nn.MLP(2, [16, 16, 1]), weights))
        times: dict[str, list[float]] = {name: [] for name in versions}
        for r in range(args.rounds):
            order = list(versions) if r % 2 == 0 else list(reversed(versions))
            for name in order:
                value, model = versions[name]
                start = process_time()
                for k in range(args.steps):
                    demo_step(model, value, X, y, k)
                times[name].append((process_time() - start) / args.steps)
    medians = {name: statistics.median(t) for name, t in times.items()}
    for name, m in medians.items():
        print(f"W1 {name:>12}: {m * 1e3:.2f} ms per step (median CPU time of {args.rounds} "
              f"rounds of {args.steps} steps)")
    print(f"now ÷ {args.rev}: {medians['now'] / medians[args.rev]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
