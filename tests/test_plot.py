"""Plots (autograd/plot.py): PNGs are written, figures are right, matplotlib is optional."""

import math
import struct
import sys

import pytest

pytest.importorskip("matplotlib")

from autograd import Value
from autograd.nn import MLP
from autograd.nn.losses import hinge
from autograd.optim import SGD
from autograd.training.data import make_blobs, make_moons, make_sine
from autograd.training.fit import History, fit
from autograd.training.plot import (
    _margins,
    plot_decision_boundary,
    plot_grad_norms,
    plot_history,
    plot_regression_1d,
    plot_trajectories,
)


def png_size(path):
    """(width, height) from a PNG's IHDR chunk, after checking the signature."""
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", head[16:24])


@pytest.fixture(scope="module")
def trained():
    X, y = make_moons(30, noise=0.1, seed=0, labels="pm1")
    model = MLP(2, [6, 1], seed=1)
    history = fit(model, hinge, (X, y), SGD(model, lr=0.1), 4, 10, val_data=(X, y),
                  track_grad_norms=True, verbose=False, seed=0)
    return model, X, y, history


def linear_model(w1, w2, b=0.0):
    """A one-neuron model computing w1·x1 + w2·x2 + b."""
    model = MLP(2, [1], seed=0)
    neuron = model.layers[0].neurons[0]
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = w1, w2, b
    return model


def test_history_plot_two_panels(tmp_path, trained):
    path = tmp_path / "deep" / "er" / "history.png"            # folders are created
    fig = plot_history(trained[3], path, title="moons")
    assert len(fig.axes) == 2 and fig.canvas.manager is None      # not a pyplot figure
    assert png_size(path) == (1100, 450) and path.stat().st_size > 10_000
    labels = [line.get_label() for line in fig.axes[0].lines]
    assert labels == ["training loss", "validation loss"]


def test_history_without_accuracy_has_one_panel(tmp_path):
    fig = plot_history(History(loss=[1.0, 0.5], penalty=[0.1, 0.1]), tmp_path / "h.png",
                       log_loss=True)
    assert len(fig.axes) == 1 and fig.axes[0].get_yscale() == "log"
    assert png_size(tmp_path / "h.png") == (550, 450)
    with pytest.raises(ValueError, match="no epochs"):
        plot_history(History())


def test_decision_boundary_binary_png(tmp_path, trained):
    model, X, y, _ = trained
    fig = plot_decision_boundary(model, X, y, tmp_path / "b.png", resolution=30)
    assert png_size(tmp_path / "b.png") == (550, 450)
    assert fig.axes[0].get_legend().get_title().get_text().startswith("accuracy ")


def pixel(fig, ax, x, y):
    """RGB of the rendered figure at data point (x, y)."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = np.asarray(canvas.buffer_rgba())
    px, py = ax.transData.transform((x, y))
    return image[int(image.shape[0] - py), int(px), :3].astype(int)


@pytest.mark.parametrize(("labels", "threshold", "bias"), [
    ([-1, 1], None, 0.0),     # ±1 labels: boundary at score 0, i.e. x1 = 0
    ([0, 1], None, 0.5),      # 0/1 labels: at 0.5, and score = x1 + 0.5
    ([0, 1], 0.0, 0.0),       # a logits model: threshold given
])
def test_decision_boundary_colours_the_right_side(labels, threshold, bias):
    X = [[-1.0, -1.0], [1.0, 1.0]]
    fig = plot_decision_boundary(linear_model(1.0, 0.0, bias), X, labels, resolution=20,
                                 threshold=threshold)
    ax = fig.axes[0]
    left, right = pixel(fig, ax, -1.2, 0.5), pixel(fig, ax, 1.2, -0.5)
    assert left[2] > left[0] and right[0] > right[2]        # blue = class 0, red = class 1


def test_decision_boundary_multiclass(tmp_path):
    X, y = make_blobs(15, centers=[[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]], std=0.3, seed=0)
    fig = plot_decision_boundary(MLP(2, [4, 3], seed=0), X, y, tmp_path / "m.png",
                                 resolution=25)
    assert png_size(tmp_path / "m.png") == (550, 450)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "class 0", "class 1", "class 2"]


def test_margins_are_positive_exactly_for_the_predicted_class():
    assert _margins([0.7, 0.2], "binary", 0.5) == [
        [pytest.approx(-0.2), pytest.approx(0.3)], [pytest.approx(0.2), pytest.approx(-0.3)]]
    grid = [[1.0, 3.0, 2.0], [0.0, -1.0, -2.0]]
    margins = _margins(grid, "multiclass", 0.5)
    for i, row in enumerate(grid):
        winner = row.index(max(row))
        assert [k for k in range(3) if margins[k][i] > 0] == [winner]


def test_decision_boundary_errors():
    model = MLP(2, [1], seed=0)
    with pytest.raises(ValueError, match="2-D inputs, got 3"):
        plot_decision_boundary(MLP(3, [1], seed=0), [[0.0, 0.0, 0.0]], [1])
    with pytest.raises(ValueError, match="look like regression"):
        plot_decision_boundary(model, [[0.0, 0.0], [1.0, 1.0]], [0.3, 0.7])
    with pytest.raises(ValueError, match="resolution must be an int ≥ 2"):
        plot_decision_boundary(model, [[0.0, 0.0]], [1], resolution=1)


def test_regression_fit_png(tmp_path):
    X, y = make_sine(20, seed=0)
    fig = plot_regression_1d(MLP(1, [4, 1], "tanh", seed=0), X, y, tmp_path / "r.png",
                             true_fn=math.sin, n_points=50)
    assert png_size(tmp_path / "r.png") == (550, 450)
    assert [line.get_label() for line in fig.axes[0].lines] == ["true function", "model"]
    with pytest.raises(ValueError, match=r"X = \[\[x\]"):
        plot_regression_1d(MLP(2, [1], seed=0), [[0.0, 1.0]], [1.0])


def test_grad_norms_lines_and_bars(tmp_path, trained):
    history = trained[3]
    fig = plot_grad_norms(history, tmp_path / "g.png")
    assert fig.axes[0].get_yscale() == "log" and len(fig.axes[0].lines) == 2   # 2 layers
    assert png_size(tmp_path / "g.png") == (550, 450)
    fig = plot_grad_norms([0.5, 0.01, 1e-4], tmp_path / "bar.png", layer_names=["a", "b", "c"])
    assert len(fig.axes[0].patches) == 3
    with pytest.raises(ValueError, match="track_grad_norms=True"):
        plot_grad_norms(History())


def test_trajectories_on_a_surface(tmp_path):
    def bowl(x, y):
        return x * x + 10 * y * y

    def descend(lr):
        p = [Value(-2.0), Value(1.0)]
        opt, path = SGD(p, lr=lr), []
        for _ in range(15):
            path.append((p[0].data, p[1].data))
            opt.zero_grad()
            bowl(*p).backward()
            opt.step()
        return path

    fig = plot_trajectories(bowl, {"lr 0.01": descend(0.01), "lr 0.09": descend(0.09)},
                            tmp_path / "t.png", minimum=(0.0, 0.0), resolution=40)
    assert png_size(tmp_path / "t.png") == (600, 500)
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == [
        "lr 0.01", "lr 0.09", "minimum"]
    fig = plot_trajectories(lambda x, y: Value(x) ** 2 + y * y, [[(1.0, 1.0), (0.5, 0.2)]],
                            labels=["sgd"], xlim=(-2.0, 2.0), ylim=(-1.0, 1.0), resolution=20)
    assert fig.axes[0].get_xlim() == (-2.0, 2.0)
    with pytest.raises(ValueError, match="at least one point"):
        plot_trajectories(bowl, {})


def test_missing_matplotlib_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    with pytest.raises(ImportError, match=r"needs matplotlib: .* -m pip install -e '.*\[plot\]'"):
        plot_history(History(loss=[1.0]), tmp_path / "x.png")
    assert not (tmp_path / "x.png").exists()


def test_decision_boundary_on_given_axes(tmp_path):
    from matplotlib.figure import Figure

    from autograd.nn import MLP
    from autograd.training.plot import plot_decision_boundary

    fig = Figure(figsize=(8, 4))
    left, right = fig.subplots(1, 2)
    model = MLP(2, [4, 1], seed=0)
    X, y = [[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]], [0, 0, 1, 1]
    out = plot_decision_boundary(model, X, y, tmp_path / "p.png", ax=right, title="right panel",
                                 resolution=10)
    assert out is fig and right.get_title() == "right panel" and not left.collections
    assert right.collections and (tmp_path / "p.png").stat().st_size > 1000
