"""The classroom demos: each --quick run must still show the idea its headline states.

Every demo runs once per module in-process (``run(quick=True, out=...)``) and the
tests assert on what it plotted (the lines, dots and texts of the saved figures,
read back from the Figure objects the run returns) and on the files it wrote.
"""

from __future__ import annotations

import inspect
import itertools
import math
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("matplotlib")

import demos
import demos.__main__ as demos_main
from autograd import MLP
from autograd.nn.losses import l2_penalty
from demos import (
    backprop_by_hand,
    dying_relu,
    first_neuron,
    initialization,
    moons,
    newton,
    nonlinearity_xor,
    optimizers,
    regularization,
    spiral_softmax,
    universal_approximation,
    vanishing_gradients,
)
from demos._common import DPI, DemoMain

ROOT = Path(__file__).resolve().parent.parent
ALL = [first_neuron, backprop_by_hand, nonlinearity_xor, moons, spiral_softmax,
       universal_approximation, optimizers, vanishing_gradients, dying_relu, regularization,
       initialization, newton]
FIGURES = [m for m in ALL if m is not backprop_by_hand]   # matplotlib pictures


def png_size(path: Path) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG's header (not its dpi metadata)."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Each demo's quick run, once, keyed by name (a demo runs on first use)."""
    cache: dict[str, dict[str, Any]] = {}

    def get(module: Any) -> dict[str, Any]:
        if module.NAME not in cache:
            cache[module.NAME] = module.run(True, tmp_path_factory.mktemp(module.NAME))
        return cache[module.NAME]

    return get


def by_gid(fig: Any, gid: str) -> Any:
    """The one artist of ``fig`` with this gid."""
    found = fig.findobj(lambda a: a.get_gid() == gid)
    assert len(found) == 1, f"{len(found)} artists with gid {gid!r}"
    return found[0]


def texts(fig: Any) -> str:
    """Every piece of text on the figure (titles, labels, legends, notes), joined."""
    from matplotlib.text import Text

    return "\n".join(t.get_text() for t in fig.findobj(Text))


# -- every demo: registered, same command line, sharp pictures ---------------------------
def test_every_demo_is_registered_with_a_description() -> None:
    assert [m.NAME for m in ALL] == demos.DEMOS
    for m in ALL:
        assert m.DESCRIPTION and "\n" not in m.DESCRIPTION and len(m.DESCRIPTION) < 100
        assert isinstance(m.main, DemoMain) and m.main.run is m.run
        params = inspect.signature(m.run).parameters
        assert params["fmt"].default == "png" and params["dpi"].default == DPI == 150


@pytest.mark.parametrize("module", FIGURES, ids=lambda m: m.NAME)
def test_default_pngs_are_sharp_on_a_projector(results: Any, module: Any) -> None:
    r = results(module)
    assert r["picture"] in r["pictures"] and all(p.exists() for p in r["pictures"])
    for path in r["pictures"]:
        fig = r["figures"][path.stem]
        inches = fig.get_size_inches()
        width, height = png_size(path)
        assert (width, height) == (round(inches[0] * 150), round(inches[1] * 150))
        assert width >= 800 and height >= 600
        assert path.stat().st_size > 30_000


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_backprop_diagram_png_is_drawn_at_150_dpi(results: Any) -> None:
    files = results(backprop_by_hand)["files"]
    svg = files["svg"].read_text(encoding="utf-8")
    points = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))   # 72 pt per inch
    width, _ = png_size(files["png"])
    assert abs(width - points / 72 * 150) <= 3 and width >= 900


def test_format_and_dpi_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert first_neuron.main(["--quick", "--out", str(tmp_path / "a"), "--dpi", "300"]) == 0
    assert png_size(tmp_path / "a" / "decision_lines.png")[0] == round(3 * 4.6 * 300)
    for fmt, magic in (("svg", b"<?xml"), ("pdf", b"%PDF")):
        assert newton.main(["--quick", "--out", str(tmp_path / fmt), "--format", fmt]) == 0
        written = sorted(p.name for p in (tmp_path / fmt).iterdir())
        assert written == [f"newton_1d.{fmt}", f"newton_2d.{fmt}"]
        assert (tmp_path / fmt / f"newton_2d.{fmt}").read_bytes().startswith(magic)
    capsys.readouterr()
    for bad in (["--format", "gif"], ["--dpi", "0"], ["--dpi", "high"]):
        with pytest.raises(SystemExit):
            first_neuron.main(["--quick", "--out", str(tmp_path / "x"), *bad])
    assert "--dpi must be" in capsys.readouterr().err


# -- first_neuron ------------------------------------------------------------------------
def test_first_neuron_is_the_sunny_day_neuron(results: Any) -> None:
    r = results(first_neuron)
    assert first_neuron.WEIGHTS == (0.6, 0.3, -0.4) and first_neuron.BIAS == 0.2
    assert abs(r["score"] - 0.7) < 1e-12 and r["sunny"] is True
    assert r["grad_w"] == r["inputs"] == [1.0, 1.0, 1.0] and r["grad_b"] == 1.0
    assert r["grad_x"] == list(first_neuron.WEIGHTS)
    cloudy = r["cloudy"]
    assert abs(cloudy["score"] - 0.1) < 1e-12 and cloudy["sunny"] is False
    assert cloudy["grad_w"] == [0.0, 1.0, 1.0]      # no input, no gradient


def test_first_neuron_picture_draws_that_neuron_and_what_w_and_b_do(results: Any) -> None:
    fig = results(first_neuron)["figures"]["decision_lines"]
    main, slide, turn = fig.axes

    def score(u: float, v: float) -> float:   # the sunny-day neuron, clouds = 1
        return 0.6 * u + 0.3 * v - 0.4 * 1.0 + 0.2

    line = by_gid(main, "line 0")
    assert all(abs(score(u, v) - 0.5) < 1e-12 for u, v in line.get_xydata())
    day = by_gid(main, "clear, warm day").get_xydata()[0]
    assert list(day) == [1.0, 1.0] and abs(score(*day) - 0.7) < 1e-12
    assert score(*by_gid(main, "cloudy warm day").get_xydata()[0]) < 0.5

    def slope_and_height(ax: Any, k: int) -> tuple[float, float]:
        (u0, v0), (u1, v1) = by_gid(ax, f"line {k}").get_xydata()
        return (v1 - v0) / (u1 - u0), v0 - (v1 - v0) / (u1 - u0) * u0

    slid = [slope_and_height(slide, k) for k in range(3)]
    assert all(abs(s - slid[0][0]) < 1e-12 for s, _ in slid)          # b: same direction
    assert len({round(h, 9) for _, h in slid}) == 3                   # ... moved
    turned = [slope_and_height(turn, k)[0] for k in range(3)]
    assert len({round(s, 9) for s in turned}) == 3                   # w: turned


def test_first_neuron_prints_each_gradient_once(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert first_neuron.main(["--quick", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert "= 0.7" in text and "sunny" in text and "w1.grad = 1    (= x1)" in text
    assert "b.grad  = 1    (the bias is added as it is" in text
    assert not re.search(r"= 1\s+= 1", text)
    assert f"picture: {tmp_path / 'decision_lines.png'}" in text
    assert "== done in " in text and f"1 file in {tmp_path}/: decision_lines.png" in text


# -- backprop_by_hand --------------------------------------------------------------------
def test_backprop_by_hand_steps_and_gradients(results: Any) -> None:
    r = results(backprop_by_hand)
    steps = len(r["sentences"])             # one per node or one per edge: the explainer's call
    assert steps >= 5 and r["sentences"][0].startswith(f"step 1/{steps}  o = tanh(n)")
    assert r["sentences"][-1].startswith(f"step {steps}/{steps}  ")
    assert any("x1.grad += ∂x1w1/∂x1" in s for s in r["sentences"])
    assert abs(r["output"] - math.sqrt(0.5)) < 1e-12
    expected = {"x1": -1.5, "x2": 0.5, "w1": 1.0, "w2": 0.0, "b": 0.5}
    for name, g in expected.items():
        assert abs(r["grads"][name] - g) < 1e-9
        assert abs(r["slopes"][name] - g) < 1e-4       # nudging agrees with backprop


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' is not installed")
def test_backprop_by_hand_writes_diagram_and_stepper_page(results: Any,
                                                          tmp_path: Path) -> None:
    files = results(backprop_by_hand)["files"]
    assert files["svg"].read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg"))
    page = files["html"].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page
    assert "Backpropagation through a tanh neuron" in page
    r = backprop_by_hand.run(True, tmp_path, fmt="svg")
    assert sorted(p.name for p in r["pictures"]) == ["graph.svg", "stepper.html"]


def test_backprop_by_hand_without_dot_says_nothing_was_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(backprop_by_hand.shutil, "which", lambda name: None)
    assert backprop_by_hand.main(["--out", str(tmp_path / "o")]) == 0
    text = capsys.readouterr().out
    assert "Graphviz 'dot' is not installed" in text
    assert re.search(r"^step (\d+)/\1  ", text, flags=re.MULTILINE)    # every step, to the last
    assert "nothing written (Graphviz 'dot' is not installed)" in text
    assert "pictures in" not in text and not list((tmp_path / "o").iterdir())


# -- nonlinearity_xor --------------------------------------------------------------------
def test_xor_needs_a_hidden_layer(results: Any) -> None:
    r = results(nonlinearity_xor)
    assert r["linear_accuracy"] <= 0.75
    assert r["best_line_accuracy"] == 0.75
    assert r["mlp_accuracy"] == 1.0


def test_xor_hidden_panel_says_which_corners_share_a_dot(results: Any) -> None:
    r = results(nonlinearity_xor)
    (h00, h01, h10, h11) = r["hidden"]
    assert math.dist(h01, h10) < 0.05 < min(math.dist(h00, h01), math.dist(h11, h01))
    hidden_panel = r["figures"]["xor"].axes[2]
    notes = [t for t in hidden_panel.texts if t.get_gid() == "corner label"]
    assert len(notes) == 3                                   # three dots, three labels
    shared = [t for t in notes if "(0,1) and (1,0)" in t.get_text()]
    assert len(shared) == 1 and "both land here" in shared[0].get_text()
    assert math.dist(shared[0].xy, h01) < 1e-12


# -- moons -------------------------------------------------------------------------------
def test_moons_quick_run_learns(results: Any) -> None:
    r = results(moons)
    assert r["accuracy"] >= 0.95
    assert r["loss"][-1] < r["loss"][0] / 5


def test_moons_printed_and_plotted_loss_include_the_penalty(
        results: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    r = results(moons)
    start = l2_penalty(MLP(2, [16, 16, 1], seed=moons.SEED), moons.ALPHA).data
    assert abs(r["penalty"][0] - start) < 1e-12 and start > 0.005    # α·Σθ² at step 1
    assert r["loss"] == [h + p for h, p in zip(r["hinge"], r["penalty"])]
    plotted = by_gid(r["figures"]["moons_loss"], "objective").get_ydata()
    assert list(plotted) == r["loss"]
    assert moons.main(["--quick", "--out", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    lines = re.findall(r"loss (\S+) = hinge (\S+) \+ L2 (\S+)", text)
    assert len(lines) == 11 and "step  40/40" in text and "final accuracy" in text
    for total, hinge, l2 in lines:
        assert abs(float(total) - float(hinge) - float(l2)) <= 1.5e-4 and float(l2) > 0
    assert "+ 0.0001·Σθ²" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["moons_boundary.png",
                                                         "moons_loss.png"]


@pytest.mark.slow
def test_moons_full_run_reaches_97_percent(tmp_path: Path) -> None:
    r = moons.run(False, tmp_path)
    assert r["n"] == 100 and r["steps"] == 100
    assert r["accuracy"] >= 0.97


# -- spiral_softmax, universal_approximation, optimizers ---------------------------------
def test_spiral_is_learned_far_above_chance(results: Any) -> None:
    r = results(spiral_softmax)
    assert r["accuracy"] >= 0.85 > 2.5 * r["chance"]


def test_universal_approximation_error_falls_with_width(results: Any) -> None:
    r = results(universal_approximation)
    errors_panel = r["figures"]["universal_approximation"].axes[1]
    widths, errors = errors_panel.lines[0].get_data()
    assert list(widths) == r["widths"]
    assert all(a > b for a, b in itertools.pairwise(errors))
    assert errors[0] > 3 * errors[-1]


def test_momentum_and_adam_beat_sgd_in_the_valley(results: Any) -> None:
    r = results(optimizers)
    ends = {line.get_label().split(" (")[0]: line.get_xydata()[-1]
            for line in r["figures"]["optimizers_valley"].axes[0].lines
            if "η =" in line.get_label()}
    valley = {name: optimizers.valley(*end) for name, end in ends.items()}
    assert valley == pytest.approx(r["valley"])
    assert valley["Momentum"] < valley["SGD"] / 2
    assert valley["Adam"] < valley["SGD"] / 2


# -- vanishing_gradients -----------------------------------------------------------------
def test_deep_sigmoid_gradients_vanish_and_the_picture_says_why(results: Any) -> None:
    r = results(vanishing_gradients)
    fig = r["figures"]["vanishing_gradients"]
    ratio = {}
    for act in ("sigmoid", "tanh", "relu"):
        bold = by_gid(fig, f"{act} geometric mean").get_ydata()
        first = [row[0] for row in r["norms"][act]]
        assert bold[0] == pytest.approx(math.prod(first) ** (1 / len(first)))
        ratio[act] = bold[0] / bold[-1]
    assert ratio["sigmoid"] <= 1e-2                   # first layer ≥ 100× smaller
    for act in ("tanh", "relu"):
        assert 0.1 <= ratio[act] <= 10                # within an order of magnitude
    words = texts(fig)
    assert "σ′(z) = σ(z)(1 − σ(z)) ≤ 1/4" in words and "geometric mean" in words


# -- dying_relu --------------------------------------------------------------------------
def test_dead_relu_units_never_come_back_and_leaky_ones_can(results: Any) -> None:
    r = results(dying_relu)
    for rate in ("small", "large"):                   # "never come back": exact
        for curve in r["curves"][f"ReLU/{rate}"]:
            assert all(b >= a for a, b in itertools.pairwise(curve))
        assert r["came_back"][f"ReLU/{rate}"] == 0
    assert r["gradient_through_off_units"]["ReLU"] == 0.0
    assert r["gradient_through_off_units"]["Leaky ReLU"] > 0.0
    assert r["came_back"]["Leaky ReLU/large"] > 0     # "some come back"
    final, mean = r["final"], r["mean"]
    assert mean["ReLU/large"] > mean["ReLU/small"] + 0.2            # "a large step"
    assert min(final["ReLU/large"]) > max(final["ReLU/small"])      # in every network
    assert mean["Leaky ReLU/large"] < mean["ReLU/large"] - 0.05     # "fewer stay off"
    fig = r["figures"]["dying_relu"]
    for key, values in final.items():                 # the dots are these numbers
        assert sorted(by_gid(fig, key).get_ydata()) == sorted(values)
    assert "never come back" in texts(fig) and len(final["ReLU/large"]) >= 8


# -- regularization ----------------------------------------------------------------------
def test_regularization_closes_the_gap(results: Any) -> None:
    gap = results(regularization)["loss_gap"]
    assert gap["L2"] < 0.7 * gap["none"]
    assert gap["dropout"] < 0.7 * gap["none"]


def test_regularization_headline_holds_on_the_panels_it_titles(results: Any) -> None:
    r = results(regularization)
    fig = r["figures"]["regularization"]
    claim = "L2 and dropout make it generalize"
    assert claim in regularization.__doc__.splitlines()[0]
    assert fig.get_suptitle() == regularization.HEADLINE.format(n=len(r["test_set"][0]))
    assert "memorizes" in fig.get_suptitle() and claim in fig.get_suptitle()
    plotted = {}
    for ax, name in zip(fig.axes, ("none", "L2", "dropout")):
        found = re.fullmatch(rf"{re.escape(regularization.LABELS[name])}: train (\d+)%, "
                             r"test (\d+)%", ax.get_title())
        assert found, ax.get_title()
        plotted[name] = (int(found[1]), int(found[2]))
    assert plotted["none"][0] == 100                       # "memorizes": every training point
    for name in ("L2", "dropout"):                         # "generalize": more test points right
        assert plotted[name][1] >= plotted["none"][1] + 3, plotted
        assert plotted[name][0] - plotted[name][1] < plotted["none"][0] - plotted["none"][1]


def test_regularization_draws_the_test_points_it_scores(results: Any) -> None:
    r = results(regularization)
    Xt, yt = r["test_set"]
    for ax, name in zip(r["figures"]["regularization"].axes, ("none", "L2", "dropout")):
        drawn = []
        for k in (0, 1):
            dots = [tuple(p) for p in by_gid(ax, f"test class {k}").get_offsets()]
            assert sorted(dots) == sorted(tuple(p) for p, t in zip(Xt, yt) if t == k)
            drawn += dots
        assert len(drawn) == len(Xt)
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        assert all(x0 <= u <= x1 and y0 <= v <= y1 for u, v in drawn)    # all in view
        assert f"test {r['accuracy'][name][1]:.0%}" in ax.get_title()


# -- initialization ----------------------------------------------------------------------
def test_initialization_headline_is_what_the_panels_measure(results: Any) -> None:
    r = results(initialization)
    fig = r["figures"]["initialization"]
    assert fig.get_suptitle() == initialization.HEADLINE          # fixed, not generated
    assert initialization.KEEPS == {"tanh": "he", "relu": "he"}

    def plotted(act: str, init: str) -> tuple[float, float]:
        """(forward, backward) end ÷ start, read off the bold lines."""
        fwd = by_gid(fig, f"{act}/{init}/forward").get_ydata()
        bwd = by_gid(fig, f"{act}/{init}/backward").get_ydata()
        assert fwd[0] == 1.0 and bwd[-1] == 1.0
        return fwd[-1], bwd[0]

    def off(x: float) -> float:
        return max(x, 1 / x)

    for act, best in initialization.KEEPS.items():
        ratios = {i: plotted(act, i) for i in initialization.INITS}
        worst = {i: max(off(f), off(b)) for i, (f, b) in ratios.items()}
        assert min(worst, key=worst.__getitem__) == best             # "keeps it best"
        assert worst[best] < 3
        assert min(ratios, key=lambda i: off(ratios[i][1])) == best   # backward: closest
        if act == "relu":                                            # forward: closest too
            assert min(ratios, key=lambda i: off(ratios[i][0])) == best
            assert min(ratios["uniform"]) > 1e3                      # explodes both ways
            assert max(ratios["xavier"]) < 0.1                        # halves every layer
    tanh = {i: plotted("tanh", i) for i in initialization.INITS}
    assert max(tanh["xavier"]) < 0.5                                 # "Xavier fades"
    assert off(tanh["he"][0]) < off(tanh["xavier"][0])
    # forward, U(−1, 1) is closest to 1 only because it saturates, as the panel says
    saturated = r["results"]["tanh/uniform"]["saturated"]
    assert saturated > 0.25 and tanh["uniform"][1] > 100
    assert f"{saturated:.0%} of layer 10's" in by_gid(fig, "saturated note").get_text()
    assert r["results"]["tanh/he"]["saturated"] < 0.02


# -- newton ------------------------------------------------------------------------------
def test_newton_legends_hide_no_step(results: Any) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    r = results(newton)
    for stem in ("newton_1d", "newton_2d"):
        fig = r["figures"][stem]
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        (ax,) = fig.axes
        box = ax.get_legend().get_window_extent(canvas.get_renderer())
        paths = [line for line in ax.lines if line.get_label() in ("Newton", "gradient descent")]
        assert len(paths) == 2
        for line in paths:
            for u, v in ax.transData.transform(line.get_xydata()):
                assert not box.contains(u, v), f"{stem}: the legend hides a step"


# -- the demos command -------------------------------------------------------------------
def test_python_m_demos_lists_all_twelve() -> None:
    out = subprocess.run([sys.executable, "-m", "demos"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    listed = re.findall(r"^\s*\d+\.\s+(\S+)", out, flags=re.MULTILINE)
    assert listed == demos.DEMOS and len(listed) == 12
    assert max(len(line) for line in out.splitlines()) <= 100


def test_demos_all_ends_with_a_summary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(demos_main, "DEMOS", ["first_neuron", "backprop_by_hand", "newton"])

    def broken(quick: bool, out: Path, **options: Any) -> dict[str, Any]:
        raise ImportError("the demos' pictures need matplotlib")

    monkeypatch.setattr(backprop_by_hand.main, "run", broken)
    assert demos_main.main(["all", "--quick", "--out", str(tmp_path), "--format", "svg"]) == 1
    text = capsys.readouterr().out
    summary = text[text.index("== summary"):].splitlines()
    assert summary[0].startswith("== summary: 2 of 3 demos ran (--quick) in ")
    assert summary[0].endswith(f"3 files written under {tmp_path}/")
    assert re.fullmatch(r"\s+first_neuron\s+ok\s+[\d.]+ s; decision_lines\.svg", summary[1])
    assert re.match(r"\s+backprop_by_hand\s+FAILED\s+[\d.]+ s; failed \(the demos'", summary[2])
    assert summary[3].endswith("s; newton_1d.svg, newton_2d.svg")
    assert summary[-2:] == ["failed: backprop_by_hand", hint_line()]    # the hint, once
    assert text.count(hint_line()) == 1


@pytest.mark.slow
def test_python_m_demos_all_quick(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "demos", "all", "--quick", "--out",
                           str(tmp_path), "--format", "pdf"], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "== summary: 12 of 12 demos ran (--quick)" in done.stdout
    for name in demos.DEMOS:
        assert f"== {name}:" in done.stdout
        assert re.search(rf"^\s+{name}\s+ok ", done.stdout, flags=re.MULTILINE)
        written = list((tmp_path / name).iterdir())
        assert all(p.suffix in (".pdf", ".svg", ".html") for p in written)
        assert any(p.suffix == ".pdf" for p in written) or name == "backprop_by_hand"


# -- optional packages: checked before any work, one install hint that works ------------
def hint_line() -> str:
    """The hint every demo prints: this interpreter, this clone, the demos' extra."""
    from autograd.install import install_hint

    return f"to install what the demos need: {install_hint('demos')}"


def without(modules: tuple[str, ...], argv: list[str]) -> subprocess.CompletedProcess[str]:
    """``python -m demos ARGV`` in a fresh interpreter where ``modules`` cannot be imported
    (None in sys.modules, as Python does for a blocked import)."""
    code = ("import sys\n"
            f"for name in {modules!r}:\n    sys.modules[name] = None\n"
            "from demos.__main__ import main\n"
            f"sys.exit(main({argv!r}))")
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_the_hint_installs_the_demos_extra_into_this_interpreter() -> None:
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "project"]["optional-dependencies"]
    packages = {re.split(r"[<>=\[ ]", spec)[0] for spec in extras["demos"]}
    assert {"matplotlib", "graphviz"} <= packages
    line = hint_line()
    assert "[demos]" in line and str(ROOT) in line and "pip install" in line
    assert sys.executable in line or str(ROOT / ".venv") in line


@pytest.mark.parametrize("name", ["initialization", "moons"])
def test_a_demo_without_matplotlib_stops_before_any_work(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    done = without(("matplotlib",), [name, "--out", str(out)])      # the full run
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and done.stderr == ""
    text = done.stdout
    assert text.count(hint_line()) == 1 and text.count("pip install") == 1, text
    assert "needs matplotlib, which is not installed" in text
    assert not re.search(r"^step |trained in|random inputs", text, flags=re.MULTILINE)
    assert not out.exists()                                           # nothing written


def test_every_demo_checks_its_packages_before_running(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    for blocked in ("matplotlib", "graphviz"):
        monkeypatch.setitem(sys.modules, blocked, None)
    for module in ALL:
        ran: list[str] = []

        def fake(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI,
                 name: str = module.NAME, ran: list[str] = ran) -> dict[str, Any]:
            ran.append(name)
            return {"pictures": []}

        monkeypatch.setattr(module.main, "run", fake)
        status = module.main(["--quick", "--out", str(tmp_path / module.NAME)])
        text = capsys.readouterr().out
        assert text.count(hint_line()) == 1, (module.NAME, text)
        if module is backprop_by_hand:            # its lesson is text; pictures are extra
            assert module.main.needs == () and module.main.wants == ("graphviz",)
            assert status == 0 and ran == [module.NAME] and "graphviz not installed" in text
        else:
            assert "matplotlib" in module.main.needs
            assert status == 1 and ran == [], module.NAME
            assert not (tmp_path / module.NAME).exists()


def test_demos_all_without_the_packages_hints_once(tmp_path: Path) -> None:
    done = without(("matplotlib", "graphviz"), ["all", "--quick", "--out", str(tmp_path)])
    assert done.returncode == 1 and done.stderr == "", done.stderr[-2000:]
    text = done.stdout
    assert text.count(hint_line()) == 1 and text.count("pip install") == 1, text
    summary = text[text.index("== summary"):].splitlines()
    assert summary[0].startswith("== summary: 1 of 12 demos ran (--quick)")
    assert re.fullmatch(r"\s+backprop_by_hand\s+ok\s+[\d.]+ s; nothing written \(.*graphviz.*\)",
                        summary[2]), summary[2]
    assert all("failed (matplotlib not installed)" in line
               for line in summary[1:13] if "backprop_by_hand" not in line)
    assert summary[-2:] == ["not installed here: graphviz, matplotlib", hint_line()]


def near(path: Path, colours: list[str], within: float = 20) -> int:
    """How many pixels of the picture lie within ``within`` (RGB distance) of a colour."""
    from PIL import Image

    targets = [tuple(int(c[i:i + 2], 16) for i in (1, 3, 5)) for c in colours]
    with Image.open(path) as image:
        counted = image.convert("RGB").getcolors(1 << 24)
    return sum(n for n, pixel in counted
               if any(math.dist(pixel, t) <= within for t in targets))


def test_readme_pictures_are_remade_in_the_okabe_ito_palette() -> None:
    from autograd.training.plot import PALETTE
    from autograd.viz.labels import COLORS, OKABE_ITO
    from demos import _gallery

    images = sorted((ROOT / "demos" / "images").glob("*.png"))
    assert [p.stem for p in images] == sorted([*demos.DEMOS, *_gallery.DIAGRAMS])
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in images:
        assert f"](demos/images/{path.name})" in readme, path.name
        if path.stem in ("backprop_by_hand", "graph_neuron"):      # diagrams: the box tints
            ours, theirs = near(path, [COLORS["parameter"]]), near(path, ["#dcfce7"])
        else:                                                       # plots: the line colours
            ours = near(path, [OKABE_ITO["blue"], OKABE_ITO["vermillion"]])
            theirs = near(path, ["#d62728"])                        # tab10's red, the old one
        assert ours >= 100 and 10 * theirs < ours, f"{path.name}: {ours} vs old {theirs}"
    assert PALETTE[:2] == (OKABE_ITO["blue"], OKABE_ITO["vermillion"])


def test_readme_gallery_has_a_row_and_a_thumbnail_per_demo() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    gallery = readme[readme.index("## Gallery"):]
    gallery = gallery[:gallery.index("\n## ")]
    rows = re.findall(r"^\| `(\w+)` \|.*\| !\[\]\((demos/images/\w+\.png)\) \|$", gallery,
                      flags=re.MULTILINE)
    assert [name for name, _ in rows] == demos.DEMOS
    for name, image in rows:
        assert image == f"demos/images/{name}.png"
        width, _ = png_size(ROOT / image)
        assert width in (480, 640)
