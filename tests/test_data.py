"""Toy datasets, splitting and batching (autograd/data.py)."""

import math
import random
from collections import Counter

import pytest

from autograd.training import data
from autograd.training.data import (
    batches,
    make_blobs,
    make_circles,
    make_moons,
    make_regression_1d,
    make_sine,
    make_spirals,
    make_xor,
    one_hot,
    to_pm1,
    train_test_split,
)

GENERATORS = [
    lambda seed: make_moons(50, noise=0.1, seed=seed),
    lambda seed: make_circles(50, noise=0.1, seed=seed),
    lambda seed: make_xor(40, noise=0.2, seed=seed),
    lambda seed: make_spirals(10, 4, seed=seed),
    lambda seed: make_blobs(30, centers=3, seed=seed),
    lambda seed: make_sine(30, seed=seed),
]


@pytest.mark.parametrize("make", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(make):
    assert make(3) == make(3)
    assert make(3) != make(4)


@pytest.mark.parametrize("make", GENERATORS)
def test_plain_lists_of_floats(make):
    X, y = make(0)
    assert type(X) is list and type(y) is list and len(X) == len(y)
    assert all(type(row) is list and all(type(v) is float for v in row) for row in X)
    assert len({len(row) for row in X}) == 1


def test_random_instance_is_used_as_the_stream():
    rng = random.Random(5)
    first = make_moons(10, seed=rng)
    second = make_moons(10, seed=rng)
    assert first != second                      # the shared stream moved on
    rng = random.Random(5)
    assert make_moons(10, seed=rng) == first


def test_moons_shapes_labels_and_geometry():
    X, y = make_moons(101, noise=0.0, seed=0)
    assert len(X) == 101 and Counter(y) == {0: 51, 1: 50}
    for (a, b), label in zip(X, y):
        if label == 0:      # upper moon: unit half circle centred at the origin
            assert math.isclose(a * a + b * b, 1.0) and b >= -1e-12
        else:               # lower moon: centred at (1, 0.5)
            assert math.isclose((a - 1) ** 2 + (b - 0.5) ** 2, 1.0) and b <= 0.5 + 1e-12


def test_circles_radii_and_pm1_labels():
    X, y = make_circles(40, noise=0.0, factor=0.3, seed=0, labels="pm1")
    assert set(y) == {-1, 1}
    for (a, b), label in zip(X, y):
        assert math.isclose(math.hypot(a, b), 1.0 if label == -1 else 0.3)


def test_noise_moves_points():
    clean, _ = make_moons(20, noise=0.0, seed=1)
    noisy, _ = make_moons(20, noise=0.3, seed=1)
    assert clean != noisy


def test_xor_truth_table_and_cloud():
    X, y = make_xor()
    assert X == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]] and y == [0, 1, 1, 0]
    assert make_xor(labels="pm1")[1] == [-1, 1, 1, -1]
    X, y = make_xor(200, noise=0.1, seed=0)
    assert Counter(y) == {0: 100, 1: 100}
    for (a, b), label in zip(X, y):        # noise is small: nearest corner decides
        assert label == (round(a) != round(b))


def test_spirals_classes_and_radius():
    X, y = make_spirals(25, n_classes=5, noise=0.0, seed=0)
    assert Counter(y) == dict.fromkeys(range(5), 25)
    assert max(math.hypot(*p) for p in X) == pytest.approx(1.0)


def test_blobs_explicit_centres_and_counts():
    X, y = make_blobs(9, centers=[[0.0, 0.0, 0.0], [10.0, 10.0, 10.0]], std=0.0, seed=0)
    assert Counter(y) == {0: 5, 1: 4}
    assert all(p == [10.0 * k] * 3 for p, k in zip(X, y))
    X, y = make_blobs(12, centers=4, n_features=3, std=0.5, box=(0.0, 1.0), seed=0)
    assert len(X[0]) == 3 and set(y) == {0, 1, 2, 3}


def test_regression_sorted_and_noiseless_targets():
    X, y = make_regression_1d(30, noise=0.0, fn=lambda x: x * x, low=-2, high=2, seed=0)
    xs = [row[0] for row in X]
    assert xs == sorted(xs) and all(-2 <= x <= 2 for x in xs)
    assert y == [x * x for x in xs]
    X, y = make_sine(30, noise=0.0, seed=0)
    assert y == [math.sin(row[0]) for row in X]


def test_label_helpers():
    assert to_pm1([0, 1, 1, -1]) == [-1, 1, 1, -1]
    assert one_hot([2, 0], 3) == [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    assert one_hot([1]) == [[0.0, 1.0]]
    with pytest.raises(ValueError, match=r"to_pm1: y\[1\] must be 0 or 1 \(or -1\), got 2"):
        to_pm1([0, 2])
    with pytest.raises(ValueError, match=r"one_hot: y\[0\] must be an int in \[0, 2\], got 3"):
        one_hot([3], 3)
    with pytest.raises(TypeError, match=r"one_hot: y\[1\] must be an int, got 1.5"):
        one_hot([0, 1.5])


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda: make_moons(0), ValueError, "make_moons: n must be an int ≥ 1, got 0"),
    (lambda: make_moons(2.5), TypeError, "make_moons: n must be an int, got 2.5"),
    (lambda: make_circles(10, noise=-0.1), ValueError,
     "make_circles: noise must be a finite number ≥ 0, got -0.1"),
    (lambda: make_circles(10, factor=1.5), ValueError,
     r"make_circles: factor must be a finite number in \(0, 1\), got 1.5"),
    (lambda: make_moons(10, labels="bool"), ValueError,
     "make_moons: labels must be one of '01', 'pm1', got str 'bool'"),
    (lambda: make_spirals(10, n_classes=1), ValueError,
     "make_spirals: n_classes must be an int ≥ 2, got 1"),
    (lambda: make_xor(seed="x"), TypeError,
     "make_xor: seed must be an int, a random.Random or None, got str 'x'"),
    (lambda: make_blobs(10, centers=[]), ValueError, "make_blobs: centers must be"),
    (lambda: make_blobs(10, centers=[[0.0, "a"]]), TypeError,
     r"make_blobs: centers\[0\]\[1\] must be a number, got str 'a'"),
    (lambda: make_blobs(10, box=(1.0, 1.0)), ValueError, "make_blobs: box must be"),
    (lambda: make_sine(10, low=1.0, high=0.0), ValueError,
     "make_regression_1d: low must be < high, got low=1.0, high=0.0"),
    (lambda: train_test_split([1, 2], [1, 2], test_size=1.0), ValueError,
     r"train_test_split: test_size must be a finite number in \(0, 1\), got 1.0"),
    (lambda: train_test_split([1], [1]), ValueError,
     "train_test_split: X must have at least 2 samples, got 1"),
    (lambda: train_test_split([1, 2], [1]), ValueError,
     "train_test_split: X and y must have the same length, got 2 and 1"),
    (lambda: batches([1], [1], 0), ValueError, "batches: batch_size must be an int ≥ 1, got 0"),
])
def test_bad_arguments_are_named(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_split_sizes_partition_and_pairing():
    X = [[float(i)] for i in range(10)]
    y = list(range(10))
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, seed=0)
    assert (len(X_tr), len(X_te)) == (7, 3)                 # ⌈2.5⌉ = 3 test samples
    assert sorted(y_tr + y_te) == y
    assert all(row == [float(label)] for row, label in zip(X_tr + X_te, y_tr + y_te))
    assert train_test_split(X, y, seed=0) == train_test_split(X, y, seed=0)
    assert train_test_split(X, y, seed=0) != train_test_split(X, y, seed=1)
    assert len(train_test_split(X, y, test_size=0.01)[1]) == 1     # never empty
    assert len(train_test_split(X, y, test_size=0.99)[0]) == 1
    assert train_test_split(X, y, test_size=0.2, shuffle=False)[3] == [0, 1]


@pytest.mark.parametrize(("n", "size"), [(10, 3), (10, 5), (7, 10), (1, 1)])
def test_batches_cover_every_sample_once(n, size):
    X = [[float(i)] for i in range(n)]
    y = list(range(n))
    got = list(batches(X, y, size, seed=0))
    assert [len(yb) for _, yb in got] == [min(size, n - k) for k in range(0, n, size)]
    assert sorted(label for _, yb in got for label in yb) == y
    assert all(xr == [float(label)] for xb, yb in got for xr, label in zip(xb, yb))


def test_batches_shuffle_order_and_drop_last():
    y = list(range(20))
    unshuffled = [yb for _, yb in batches(y, y, 6, shuffle=False)]
    assert unshuffled == [y[0:6], y[6:12], y[12:18], y[18:]]
    shuffled = [yb for _, yb in batches(y, y, 6, seed=0)]
    assert shuffled != unshuffled and shuffled == [yb for _, yb in batches(y, y, 6, seed=0)]
    assert [len(yb) for _, yb in batches(y, y, 6, drop_last=True, seed=0)] == [6, 6, 6]
    rng = random.Random(0)       # one stream over several epochs: a new order each time
    epoch1 = [yb for _, yb in batches(y, y, 20, seed=rng)]
    epoch2 = [yb for _, yb in batches(y, y, 20, seed=rng)]
    assert epoch1 != epoch2


def test_public_names():
    assert set(data.__all__) <= set(dir(data))


def test_no_seed_uses_the_package_generator():
    from autograd.rng import manual_seed
    manual_seed(7)
    first = make_moons(10)
    manual_seed(7)
    assert make_moons(10) == first
