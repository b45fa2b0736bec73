"""What every engine shares: the moons data, the initial weights, the reference loss.

Everything here is pure Python and seeded, computed once in the parent process and
handed to each engine's subprocess as JSON, so every engine trains the very same
model on the very same points.  :func:`reference_first_loss` evaluates micrograd's
demo loss with plain floats, in the same order of operations as the engines, so
each engine's first loss can be checked against an engine-free number.
"""

from __future__ import annotations

import math
import os
import platform
import random
import statistics
import subprocess
import sys
from collections.abc import Sequence
from importlib import metadata
from itertools import pairwise
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
LAYERS = [2, 16, 16, 1]          # micrograd's demo: MLP(2, [16, 16, 1])
ALPHA = 1e-4                     # L2 strength of micrograd's demo


def make_moons(n: int = 100, noise: float = 0.1, seed: int = 1337) -> tuple[list[list[float]],
                                                                           list[int]]:
    """Two interleaving half circles (scikit-learn's ``make_moons``, without numpy).

    The outer moon is (cos t, sin t), the inner one (1 − cos t, 1 − sin t − ½) for t
    evenly spaced in [0, π]; points are shuffled, then Gaussian noise of standard
    deviation ``noise`` is added.  Labels are ±1 (micrograd's ``y*2 - 1``).
    """
    rng = random.Random(seed)
    n_out = n // 2
    n_in = n - n_out

    def ts(m: int) -> list[float]:
        return [math.pi * i / (m - 1) if m > 1 else 0.0 for i in range(m)]

    points = [([math.cos(t), math.sin(t)], -1) for t in ts(n_out)]
    points += [([1.0 - math.cos(t), 1.0 - math.sin(t) - 0.5], 1) for t in ts(n_in)]
    rng.shuffle(points)
    xs = [[a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)] for (a, b), _ in points]
    return xs, [label for _, label in points]


def init_weights(layers: Sequence[int] = LAYERS, seed: int = 1337) -> list[float]:
    """Initial parameters in micrograd's order: per neuron its weights then its bias.

    Weights are uniform in [−1, 1] and biases 0, as ``micrograd.nn.Neuron`` draws them.
    """
    rng = random.Random(seed)
    flat: list[float] = []
    for nin, nout in pairwise(layers):
        for _ in range(nout):
            flat += [rng.uniform(-1.0, 1.0) for _ in range(nin)]
            flat.append(0.0)
    return flat


def split_weights(layers: Sequence[int], flat: Sequence[float]) -> list[list[tuple[list[float],
                                                                                    float]]]:
    """``flat`` as layers of neurons ``(weights, bias)``."""
    out, i = [], 0
    for nin, nout in pairwise(layers):
        layer = []
        for _ in range(nout):
            layer.append((list(flat[i:i + nin]), flat[i + nin]))
            i += nin + 1
        out.append(layer)
    if i != len(flat):
        raise ValueError(f"{len(flat)} weights do not fit layers {list(layers)} ({i} needed)")
    return out


def reference_first_loss(layers: Sequence[int], flat: Sequence[float],
                         xs: Sequence[Sequence[float]], ys: Sequence[int]) -> float:
    """micrograd's demo loss with plain floats, operation for operation.

    ``loss = Σᵢ relu(1 − yᵢ·scoreᵢ) · (1/n) + α·Σ p²`` where each neuron is
    ``b + w₁x₁ + w₂x₂ + …`` (ReLU on hidden layers, linear output).
    """
    net = split_weights(layers, flat)
    losses = []
    for x, y in zip(xs, ys):
        h = list(x)
        for depth, layer in enumerate(net):
            out = []
            for w, b in layer:
                act = b
                for wi, xi in zip(w, h):
                    act = act + wi * xi
                out.append(act if depth == len(net) - 1 else max(act, 0.0))
            h = out
        losses.append(max(1.0 + (-y) * h[0], 0.0))
    data_loss = sum(losses) * (1.0 / len(losses))
    return data_loss + ALPHA * sum(p * p for p in flat)


def median(xs: Sequence[float]) -> float:
    """The median (``nan`` for no data)."""
    return statistics.median(xs) if xs else math.nan


def rss_bytes() -> int:
    """Resident set size of this process now (Linux ``/proc/self/statm``; else peak)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine_info() -> dict[str, Any]:
    """CPU model, cores, Python and package versions, the repository commit."""
    cpu = platform.processor() or "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        commit = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                                capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    sys.path.insert(0, str(ROOT))
    try:
        import autograd
        ours = autograd.__version__
    finally:
        sys.path.pop(0)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": {"autograd (backprop-lab)": ours, "micrograd": _version("micrograd"),
                     "torch": _version("torch")},
        "commit": commit,
        "loadavg_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }
