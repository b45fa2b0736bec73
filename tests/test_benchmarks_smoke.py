"""The benchmark suite runs end to end at tiny sizes (no timing is asserted here).

``python -m benchmarks.run --quick --sizes tiny`` runs in a subprocess; the JSON must
hold every workload and engine, every engine must start from the same loss, and the
table must print.  Engines whose package is missing (micrograd, torch) must be
reported as skipped, not crash the run.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks import plan
from benchmarks.common import LAYERS, init_weights, make_moons, reference_first_loss
from benchmarks.engines import PACKAGE

ROOT = Path(__file__).resolve().parent.parent


def installed(column: str) -> bool:
    engine = "micrograd" if column == "micrograd_raised" else column
    return not PACKAGE[engine] or importlib.util.find_spec(PACKAGE[engine]) is not None


@pytest.fixture(scope="module")
def smoke(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("bench") / "smoke.json"
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--quick", "--sizes", "tiny", "--json", str(out),
         "--plot", str(out.with_suffix(".png"))],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout, json.loads(out.read_text(encoding="utf-8"))


@pytest.mark.slow
def test_every_workload_and_engine_is_reported(smoke: tuple[str, dict[str, Any]]) -> None:
    _, doc = smoke
    expected = {(j.workload, j.column) for j in plan.jobs(doc["config"])}
    got = {(w, c) for w, per in doc["results"].items() for c in per}
    assert got == expected
    for w, c in expected:
        res = doc["results"][w][c]
        assert "error" not in res, (w, c, res)
        assert ("skipped" in res) == (not installed(c)), (w, c, res)


@pytest.mark.slow
def test_first_losses_agree_with_the_reference(smoke: tuple[str, dict[str, Any]]) -> None:
    _, doc = smoke
    chk = doc["checks"]
    ran = [c for c in plan.COLUMNS if installed(c) and c in doc["results"]["W1"]]
    assert {f"W1/{c}" for c in ran} <= set(chk["first_loss_diff"])
    assert all(d <= 1e-9 for d in chk["first_loss_diff"].values())
    assert chk["first_losses_agree"] is True
    assert doc["results"]["W1"]["autograd"]["first_loss"] == pytest.approx(
        chk["reference_first_loss"], abs=1e-12)


@pytest.mark.slow
def test_autograd_results_are_sane(smoke: tuple[str, dict[str, Any]]) -> None:
    _, doc = smoke
    r = doc["results"]
    assert r["W2"]["autograd"]["largest_ok"] == max(doc["config"]["chain"])
    assert r["W2"]["autograd"]["first_failed"] is None
    assert 0 < r["W3"]["autograd"]["bytes_per_node"] < 10_000
    assert r["W4"]["autograd"]["ok"] is True
    assert r["W5"]["autograd"]["rss_final"] > 0
    assert len(r["W1"]["autograd"]["losses"]) == doc["config"]["w1"]
    if installed("micrograd"):  # the comparison the suite exists for: micrograd's recursion
        assert r["W2"]["micrograd"]["max_steps"] < max(doc["config"]["chain"])
        assert r["W2"]["micrograd_raised"]["largest_ok"] == max(doc["config"]["chain"])
        assert r["W4"]["micrograd"]["ok"] is False


@pytest.mark.slow
def test_compiled_floor_and_scaling_results(smoke: tuple[str, dict[str, Any]]) -> None:
    _, doc = smoke
    r, chk = doc["results"], doc["checks"]
    assert r["W1"]["autograd_compiled"]["losses"] == r["W1"]["autograd"]["losses"]
    assert r["W1"]["float_floor"]["losses"] == r["W1"]["autograd"]["losses"]
    assert chk["float_floor_equals_engine"] is True
    assert chk["W6_compiled_equals_eager"] is True
    for col in ("autograd", "autograd_relaxed"):
        w7 = r["W7"][col]
        assert set(w7["chain"]) == set(w7["wide"]) == {str(n) for n in doc["config"]["scaling"]}
        assert all(0 < v < 1e6 for v in w7["chain"].values())
    names = {t["target"] for t in doc["targets"]}
    assert "W1 compiled within 1.3× of the float floor" in names
    assert "W6 moons end to end: compiled ≥ 3× eager" in names


@pytest.mark.slow
def test_table_and_machine_info_print(smoke: tuple[str, dict[str, Any]]) -> None:
    out, doc = smoke
    for text in ("W1 step (median)", "W2 largest N that works", "W3 bytes/node",
                 "Speed-ups", "Targets:", "First loss"):
        assert text in out
    assert doc["table"] in out
    m = doc["machine"]
    assert m["python"] == sys.version.split()[0] and m["cpu"] and m["cores"] >= 1
    assert {t["target"] for t in doc["targets"]} >= {"W3 < 300 bytes per node", "W4 works"}


def test_shared_data_is_seeded_and_shaped() -> None:
    X, y = make_moons(100, 0.1, 1337)
    assert (X, y) == make_moons(100, 0.1, 1337) and (X, y) != make_moons(100, 0.1, 1)
    assert len(X) == 100 and all(len(p) == 2 for p in X)
    assert sorted(set(y)) == [-1, 1] and y.count(1) == 50
    weights = init_weights(LAYERS, 1337)
    assert len(weights) == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1 == 337
    assert all(-1 <= w <= 1 for w in weights)


def test_float_floor_is_the_engine_bit_for_bit() -> None:
    """The hand-written W1 gives the engine's loss and gradients exactly."""
    from benchmarks.workloads.floor import check_against_engine

    X, y = make_moons(30, 0.1, 5)
    check = check_against_engine({"X": X, "y": y, "layers": LAYERS,
                                  "weights": init_weights(LAYERS, 5)})
    assert check == {"loss_equal": True, "grads_equal": True, "max_grad_diff": 0.0}


def test_reference_loss_matches_autograd_in_process() -> None:
    """The engine-free reference is the loss autograd computes for the demo's model."""
    from autograd import Value
    from benchmarks.workloads.scalar_mlp import ScalarMLP
    from benchmarks.workloads.training import demo_step

    X, y = make_moons(30, 0.1, 7)
    weights = init_weights(LAYERS, 7)
    model = ScalarMLP(LAYERS, weights, Value, 0.0)
    loss, _, _ = demo_step(model, Value, X, y, 0)
    assert loss.data == reference_first_loss(LAYERS, weights, X, y)


def test_rounds_merge_to_medians_at_every_depth() -> None:
    from benchmarks.run import merge_rounds

    rounds = [{"step_s": s, "ok": True, "losses": [s], "runs": {"1000": {"ok": True, "t": s}}}
              for s in (3.0, 1.0, 2.0)]
    merged = merge_rounds(rounds)
    assert merged["step_s"] == 2.0 and merged["runs"] == {"1000": {"ok": True, "t": 2.0}}
    assert merged["losses"] == [3.0] and merged["rounds"] == 3 and merged["ok"] is True
    assert merge_rounds([{"x": 1.0}, {"error": "boom"}]) == {"error": "boom"}
