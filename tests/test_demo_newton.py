"""The Newton demo (issue 8): curvature makes Newton converge in a handful of steps."""

import pytest

pytest.importorskip("matplotlib")

from demos import newton


def test_newton_beats_gradient_descent(tmp_path):
    r = newton.run(quick=True, out=tmp_path)
    assert len(r["newton_1d"]) - 1 <= 10 and abs(r["newton_1d"][-1] - 1.0) < 1e-10
    assert len(r["gd_1d"]) > 5 * len(r["newton_1d"])
    assert r["dist_newton_2d"] < 1e-10 < r["dist_gd_2d"]
    assert r["curvature_at_2"] == 12.0  # f''(x) = 3x² at x = 2
    for name in ("newton_1d.png", "newton_2d.png"):
        assert (tmp_path / name).stat().st_size > 10_000


def test_main_prints_and_writes(tmp_path, capsys):
    assert newton.main(["--quick", "--out", str(tmp_path / "o")]) == 0
    text = capsys.readouterr().out
    assert "Newton:" in text and "gradient descent:" in text and "pictures:" in text
    assert (tmp_path / "o" / "newton_2d.png").exists()
