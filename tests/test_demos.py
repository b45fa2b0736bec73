"""The classroom demos (issue 6): each --quick run must still show the idea it teaches.

Every demo runs once per module in-process (``run(quick=True, out=...)``) and the
tests assert on the numbers it returns and the pictures it writes.
"""

from __future__ import annotations

import itertools
import math
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

import demos
from demos import (
    backprop_by_hand,
    dying_relu,
    first_neuron,
    initialization,
    moons,
    nonlinearity_xor,
    optimizers,
    regularization,
    spiral_softmax,
    universal_approximation,
    vanishing_gradients,
)

ROOT = Path(__file__).resolve().parent.parent
MINE = [first_neuron, backprop_by_hand, nonlinearity_xor, moons, spiral_softmax,
        universal_approximation, optimizers, vanishing_gradients, dying_relu, regularization,
        initialization]


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) of a PNG file, checking its signature."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


def assert_picture(path: Path | None) -> None:
    """A real picture: a PNG of a few hundred pixels with some content."""
    assert path is not None and path.exists(), f"missing picture {path}"
    width, height = png_size(path)
    assert width >= 300 and height >= 200
    assert path.stat().st_size > 8_000


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Each demo's quick run, once, keyed by name (a demo runs on first use)."""
    cache: dict = {}

    def get(module):
        if module.NAME not in cache:
            cache[module.NAME] = module.run(True, tmp_path_factory.mktemp(module.NAME))
        return cache[module.NAME]

    return get


def test_every_demo_is_registered_with_a_description():
    assert [m.NAME for m in MINE] + ["newton"] == demos.DEMOS
    for m in MINE:
        assert m.DESCRIPTION and "\n" not in m.DESCRIPTION and len(m.DESCRIPTION) < 100
        assert callable(m.main)


@pytest.mark.parametrize("module", MINE, ids=lambda m: m.NAME)
def test_gallery_picture(results, module):
    assert_picture(results(module)["picture"])


def test_first_neuron_scores_sunny_and_gradients_are_inputs(results):
    r = results(first_neuron)
    assert abs(r["score"] - 0.7) < 1e-12
    assert r["sunny"] is True
    assert r["grad_w"] == r["inputs"] == [1.0, 1.0, 1.0]
    assert r["grad_b"] == 1.0
    assert r["grad_x"] == list(first_neuron.WEIGHTS)
    cloudy = r["cloudy"]
    assert abs(cloudy["score"] - 0.1) < 1e-12 and cloudy["sunny"] is False
    assert cloudy["grad_w"] == [0.0, 1.0, 1.0]      # no input, no gradient


def test_backprop_by_hand_steps_and_gradients(results):
    r = results(backprop_by_hand)
    assert len(r["sentences"]) == 10
    assert r["sentences"][0].startswith("step 1/10  o = tanh(n)")
    assert any("x1.grad += ∂x1w1/∂x1" in s for s in r["sentences"])
    assert abs(r["output"] - math.sqrt(0.5)) < 1e-12
    expected = {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5}
    for name, g in expected.items():
        assert abs(r["grads"][name] - g) < 1e-9
        assert abs(r["slopes"][name] - g) < 1e-4       # nudging agrees with backprop


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_backprop_by_hand_writes_diagram_and_stepper_page(results):
    files = results(backprop_by_hand)["files"]
    assert files["svg"].read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    page = files["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "step 1/10" in page
    assert_picture(files["png"])


def test_backprop_by_hand_without_dot_still_steps(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(backprop_by_hand.shutil, "which", lambda name: None)
    r = backprop_by_hand.run(True, tmp_path)
    text = capsys.readouterr().out
    assert "Graphviz 'dot' is not installed" in text and "step 10/10" in text
    assert r["files"] == {} and not list(tmp_path.iterdir())


def test_xor_needs_a_hidden_layer(results):
    r = results(nonlinearity_xor)
    assert r["linear_accuracy"] <= 0.75
    assert r["best_line_accuracy"] == 0.75
    assert r["mlp_accuracy"] == 1.0


def test_moons_quick_run_learns(results):
    r = results(moons)
    assert r["accuracy"] >= 0.95
    assert r["loss"][-1] < r["loss"][0] / 5


@pytest.mark.slow
def test_moons_full_run_reaches_97_percent(tmp_path):
    r = moons.run(False, tmp_path)
    assert r["n"] == 100 and r["steps"] == 100
    assert r["accuracy"] >= 0.97


def test_spiral_is_learned_far_above_chance(results):
    r = results(spiral_softmax)
    assert r["accuracy"] >= 0.85 > 2.5 * r["chance"]


def test_universal_approximation_error_falls_with_width(results):
    errors = results(universal_approximation)["errors"]
    widths = sorted(errors)
    assert all(errors[a] > errors[b] for a, b in itertools.pairwise(widths))
    assert errors[widths[0]] > 3 * errors[widths[-1]]


def test_momentum_and_adam_beat_sgd_in_the_valley(results):
    valley = results(optimizers)["valley"]
    assert valley["Momentum"] < valley["SGD"] / 2
    assert valley["Adam"] < valley["SGD"] / 2


def test_deep_sigmoid_gradients_vanish(results):
    ratio = results(vanishing_gradients)["ratio_first_last"]
    assert ratio["sigmoid"] <= 1e-2                   # first layer ≥ 100× smaller
    for act in ("tanh", "relu"):
        assert 0.1 <= ratio[act] <= 10                # within an order of magnitude


def test_large_learning_rate_kills_more_relu_than_leaky_units(results):
    r = results(dying_relu)
    share = r["mean_share"]
    assert share["ReLU/large"] > share["Leaky ReLU/large"] + 0.1
    assert share["ReLU/large"] > share["ReLU/small"]
    assert r["gradient_through_off_units"]["ReLU"] == 0.0
    assert r["gradient_through_off_units"]["Leaky ReLU"] > 0.0


def test_regularization_closes_the_gap(results):
    r = results(regularization)
    gap = r["loss_gap"]
    assert gap["L2"] < 0.7 * gap["none"]
    assert gap["dropout"] < 0.7 * gap["none"]


def test_xavier_and_he_keep_the_signal_uniform_does_not(results):
    r = results(initialization)
    spread, stats = r["spread"], r["stats"]
    assert spread["relu/he"] < 4                       # He: steady for ReLU
    assert spread["tanh/xavier"] < 10                  # Xavier: a slow drift at most
    assert spread["relu/uniform"] > 1e4                # uniform: explodes
    assert spread["relu/xavier"] > 10                  # Xavier halves ReLU's signal
    assert all(s["saturated"] > 0.25 for s in stats["tanh/uniform"])   # uniform: saturates
    assert all(s["saturated"] < 0.02 for s in stats["tanh/xavier"])


def test_main_prints_what_it_shows_and_where(tmp_path, capsys):
    assert first_neuron.main(["--quick", "--out", str(tmp_path / "n")]) == 0
    text = capsys.readouterr().out
    assert "= 0.7" in text and "sunny" in text and "w1.grad = x1" in text
    assert f"picture: {tmp_path / 'n' / 'decision_lines.png'}" in text
    assert moons.main(["--quick", "--out", str(tmp_path / "m")]) == 0
    text = capsys.readouterr().out
    assert "step  40/40" in text and "final accuracy" in text and "pictures:" in text
    assert (tmp_path / "m" / "moons_boundary.png").exists()
    assert (tmp_path / "m" / "moons_loss.png").exists()


def test_python_m_demos_lists_all_twelve():
    out = subprocess.run([sys.executable, "-m", "demos"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    listed = re.findall(r"^\s*\d+\.\s+(\S+)", out, flags=re.MULTILINE)
    assert listed == demos.DEMOS and len(listed) == 12


@pytest.mark.slow
def test_python_m_demos_all_quick(tmp_path):
    done = subprocess.run([sys.executable, "-m", "demos", "all", "--quick", "--out",
                           str(tmp_path)], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for name in demos.DEMOS:
        assert f"== {name}:" in done.stdout
        assert any((tmp_path / name).glob("*.png")) or name == "backprop_by_hand"
