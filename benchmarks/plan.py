"""What to run: size presets, step counts, and the list of (workload, column) jobs.

A *column* is an engine as it appears in the table: ``micrograd`` runs at Python's
default recursion limit, ``micrograd_raised`` is micrograd again with the limit
raised (in a thread with a big stack), for the deep-graph workloads W2, W4 and W7.
``autograd_compiled`` is this engine with the step compiled (``autograd.compile``),
``autograd_relaxed`` this engine inside ``relaxed_gc()``, ``float_floor`` the step
written by hand with floats, and ``autograd_base`` this engine at an earlier commit
(``--baseline REV``), run side by side to measure a change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COLUMNS = ("autograd", "autograd_compiled", "autograd_relaxed", "float_floor", "autograd_base",
           "micrograd", "micrograd_raised", "torch_scalar", "torch_batched")
WORKLOADS = ("W1", "W1e", "W2", "W3", "W4", "W5", "W6", "W7")
TITLES = {
    "W1": "moons training step, each engine's own MLP(2,[16,16,1])",
    "W1e": "moons step, neuron written with elementary * and + nodes",
    "W2": "deep chain x = x*a + b, N steps (2N nodes), forward and backward",
    "W3": "memory per node of a chain graph",
    "W4": "builtin sum() of n Values, then backward",
    "W5": "memory stability: RSS after many W1 steps vs after a few",
    "W6": "the moons demo's 100 training steps with fit(), end to end (compiling included)",
    "W7": "time per node from 10³ to 10⁶ nodes: a chain and a wide sum, build + backward",
}

SIZES: dict[str, dict[str, Any]] = {
    "tiny": {"points": 20, "chain": [1_000], "w3_nodes": 20_000, "w4_n": 2_000,
             "torch_chain_max": 1_000, "scaling": [1_000, 10_000]},
    "small": {"points": 100, "chain": [1_000, 10_000, 100_000], "w3_nodes": 200_000,
              "w4_n": 20_000, "torch_chain_max": 10_000, "scaling": [1_000, 10_000, 100_000]},
    "default": {"points": 100, "chain": [1_000, 10_000, 100_000, 1_000_000],
                "w3_nodes": 1_000_000, "w4_n": 100_000, "torch_chain_max": 100_000,
                "scaling": [1_000, 10_000, 100_000, 1_000_000]},
}
# steps: ours (and batched torch) / the slow scalar peers; W5: (early, final)
STEPS: dict[str, dict[str, Any]] = {
    "full": {"w1": 100, "w1_peer": 100, "w1e": 30, "w1e_peer": 10, "warmup": 3,
             "w5": (10, 1000), "w6": 100},
    "quick": {"w1": 100, "w1_peer": 8, "w1e": 10, "w1e_peer": 5, "warmup": 2, "w5": (10, 200),
              "w6": 100},
    "tiny": {"w1": 5, "w1_peer": 3, "w1e": 3, "w1e_peer": 3, "warmup": 1, "w5": (5, 20),
             "w6": 5},
}


@dataclass
class Job:
    """One subprocess: a workload on one column's engine."""

    workload: str
    column: str
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def engine(self) -> str:
        """The engine behind the column (``micrograd_raised`` runs micrograd)."""
        return "micrograd" if self.column == "micrograd_raised" else self.column

    @property
    def recursion(self) -> str:
        """``'raised'`` for micrograd_raised, else ``'default'``."""
        return "raised" if self.column == "micrograd_raised" else "default"


def config(sizes: str, quick: bool, overrides: dict[str, Any]) -> dict[str, Any]:
    """Sizes and step counts for a run (``tiny`` sizes imply tiny step counts)."""
    steps = STEPS["tiny" if sizes == "tiny" else "quick" if quick else "full"]
    cfg = {"sizes": sizes, "quick": quick, **SIZES[sizes], **steps}
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    return cfg


def jobs(cfg: dict[str, Any]) -> list[Job]:
    """Every (workload, column) job of the run, in table order (``autograd_base`` jobs
    only when the run has a baseline)."""
    w, peer = cfg["w1"], cfg["w1_peer"]
    warm = cfg["warmup"]
    early, final = cfg["w5"]

    def train(n: int, elementwise: bool = False) -> dict[str, Any]:
        return {"steps": n, "warmup": warm, "elementwise": elementwise}

    chain = cfg["chain"]
    base = [Job("W1", "autograd_base", train(w))] if cfg.get("baseline") else []
    base6 = [Job("W6", "autograd_base", {"steps": cfg["w6"]})] if cfg.get("baseline") else []
    scaling = {"sizes": cfg["scaling"]}
    return [
        Job("W1", "autograd", train(w)), Job("W1", "autograd_compiled", train(w)),
        Job("W1", "float_floor", train(w)), *base, Job("W1", "micrograd", train(peer)),
        Job("W1", "torch_scalar", train(peer)), Job("W1", "torch_batched", train(w)),
        Job("W1e", "autograd", train(cfg["w1e"], True)),
        Job("W1e", "micrograd", train(cfg["w1e_peer"], True)),
        Job("W1e", "torch_scalar", train(cfg["w1e_peer"], True)),
        Job("W2", "autograd", {"sizes": chain, "probe": True}),
        Job("W2", "micrograd", {"sizes": chain, "probe": True}),
        Job("W2", "micrograd_raised", {"sizes": chain}),
        Job("W2", "torch_scalar", {"sizes": chain, "max_steps": cfg["torch_chain_max"]}),
        Job("W3", "autograd", {"nodes": cfg["w3_nodes"]}),
        Job("W3", "micrograd", {"nodes": cfg["w3_nodes"]}),
        Job("W3", "torch_scalar", {"nodes": cfg["w3_nodes"], "tracemalloc": False}),
        Job("W4", "autograd", {"n": cfg["w4_n"]}), Job("W4", "micrograd", {"n": cfg["w4_n"]}),
        Job("W4", "micrograd_raised", {"n": cfg["w4_n"]}),
        Job("W4", "torch_scalar", {"n": cfg["w4_n"]}),
        Job("W5", "autograd", {"early": early, "steps": final}),
        Job("W5", "torch_batched", {"early": early, "steps": final}),
        Job("W6", "autograd", {"steps": cfg["w6"]}),
        Job("W6", "autograd_compiled", {"steps": cfg["w6"]}), *base6,
        Job("W7", "autograd", scaling), Job("W7", "autograd_relaxed", scaling),
        Job("W7", "micrograd_raised", scaling),
    ]
