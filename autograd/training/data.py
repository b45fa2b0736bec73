"""Toy datasets, a train/test split and a mini-batch iterator, in pure Python.

Every generator returns plain lists, ``X`` (one list of floats per sample) and
``y`` (one label or target per sample), and is reproducible: pass ``seed=`` (an
int, or a :class:`random.Random` to share one stream); ``seed=None`` draws from
the package generator, so ``autograd.manual_seed(n)`` makes a whole run repeatable.

Label conventions
-----------------
* ``make_moons``, ``make_circles``, ``make_xor``: binary labels 0/1, or -1/+1 with
  ``labels="pm1"`` (what a hinge loss wants: it scores ``max(0, 1 − y·s)``).
  :func:`to_pm1` converts afterwards.
* ``make_spirals``, ``make_blobs``: class indices 0, 1, …, K−1 (for a softmax /
  cross-entropy model with K outputs; :func:`one_hot` gives target vectors).
* ``make_sine`` / ``make_regression_1d``: real targets, ``X`` is ``[[x], …]``.

>>> X, y = make_moons(6, noise=0.0, seed=0)
>>> len(X), len(X[0]), sorted(set(y))
(6, 2, [0, 1])
>>> make_xor()
([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
"""

from __future__ import annotations

import math
import numbers
import random
from collections.abc import Callable, Iterator, Sequence
from typing import Literal, TypeVar, cast

from .. import validate
from ..rng import get_rng

__all__ = [
    "batches",
    "make_blobs",
    "make_circles",
    "make_moons",
    "make_regression_1d",
    "make_sine",
    "make_spirals",
    "make_xor",
    "one_hot",
    "to_pm1",
    "train_test_split",
]

XT = TypeVar("XT")
YT = TypeVar("YT")
Seed = int | random.Random | None
LabelStyle = Literal["01", "pm1"]
Points = list[list[float]]


# -- argument checks (autograd.validate: "{who}: {name} must …, got …") -----------------
def _generator(who: str, seed: Seed) -> random.Random:
    if isinstance(seed, random.Random):
        return seed
    if seed is None:
        return get_rng()
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"{who}: seed must be an int, a random.Random or None, got "
                        f"{type(seed).__name__} {seed!r:.60}")
    return random.Random(int(seed))


# Kept for training/fit.py and training/plot.py (their messages, their tests) until they
# call autograd.validate themselves: not part of this module's API.
def _count(name: str, value: object, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}: {value!r:.60}")
    if value < minimum:
        raise ValueError(f"{name} must be ≥ {minimum}, got {value}")
    return int(value)


def _rng(seed: Seed) -> random.Random:
    return _generator("seed", seed)


def _style(who: str, labels: object) -> LabelStyle:
    """``'01'`` (labels 0/1) or ``'pm1'`` (labels -1/+1)."""
    return cast(LabelStyle, validate.choice(who, "labels", labels, ("01", "pm1")))


def _noise(who: str, noise: object, name: str = "noise") -> float:
    return validate.real(who, name, noise, low=0)


def _linspace(a: float, b: float, k: int, endpoint: bool = True) -> list[float]:
    """k evenly spaced numbers from a to b (b included when ``endpoint``)."""
    steps = (k - 1 if endpoint else k) or 1
    return [a + (b - a) * i / steps for i in range(k)]


def _finish(X: Points, y: list[int], rng: random.Random, labels: LabelStyle,
            noise: float) -> tuple[Points, list[int]]:
    """Add N(0, noise²) to every coordinate, shuffle, apply the label style."""
    X = [[c + rng.gauss(0.0, noise) if noise else c for c in p] for p in X]
    order = list(range(len(X)))
    rng.shuffle(order)
    ys = [y[i] for i in order]
    return [X[i] for i in order], to_pm1(ys) if labels == "pm1" else ys


# -- binary problems --------------------------------------------------------------------
def make_moons(n: int = 100, noise: float = 0.1, *, seed: Seed = None,
               labels: LabelStyle = "01") -> tuple[Points, list[int]]:
    """Two interleaving half circles (scikit-learn's moons), ``n`` points in all.

    Class 0 (⌈n/2⌉ points): (cos t, sin t) for t in [0, π]; class 1: (1 − cos t,
    ½ − sin t).  Each coordinate gets Gaussian noise of standard deviation
    ``noise``; the samples are shuffled.  Not linearly separable: a hidden layer
    is needed.
    """
    who = "make_moons"
    n = validate.count(who, "n", n)
    noise, labels, rng = _noise(who, noise), _style(who, labels), _generator(who, seed)
    n_out = n - n // 2
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, math.pi, n_out)]
    X += [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _linspace(0.0, math.pi, n // 2)]
    return _finish(X, [0] * n_out + [1] * (n // 2), rng, labels, noise)


def make_circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, *, seed: Seed = None,
                 labels: LabelStyle = "01") -> tuple[Points, list[int]]:
    """A ring (class 0, radius 1) around a smaller ring (class 1, radius ``factor``).

    Points are evenly spaced in angle, then noised and shuffled.  A linear model
    fails; features x², y² (or a hidden layer) separate them.
    """
    who = "make_circles"
    n = validate.count(who, "n", n)
    noise, labels, rng = _noise(who, noise), _style(who, labels), _generator(who, seed)
    factor = validate.real(who, "factor", factor, low=0, high=1, low_open=True, high_open=True)
    n_out = n - n // 2
    X = [[math.cos(t), math.sin(t)] for t in _linspace(0.0, 2 * math.pi, n_out, False)]
    X += [[factor * math.cos(t), factor * math.sin(t)]
          for t in _linspace(0.0, 2 * math.pi, n // 2, False)]
    return _finish(X, [0] * n_out + [1] * (n // 2), rng, labels, noise)


def make_xor(n: int = 4, noise: float = 0.0, *, seed: Seed = None,
             labels: LabelStyle = "01") -> tuple[Points, list[int]]:
    """The XOR problem: label = x₁ XOR x₂ at the corners of the unit square.

    With the defaults it is the truth table itself, in order::

        (0,0)→0  (0,1)→1  (1,0)→1  (1,1)→0

    With ``n`` > 4 or ``noise`` > 0 it is a cloud: point i sits at corner i mod 4
    plus Gaussian noise (std ``noise``), shuffled.  The classic proof that one
    neuron (a line) is not enough.
    """
    who = "make_xor"
    n = validate.count(who, "n", n)
    noise, labels, rng = _noise(who, noise), _style(who, labels), _generator(who, seed)
    corners = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    X = [list(corners[i % 4]) for i in range(n)]
    ys = [int(i % 4 in (1, 2)) for i in range(n)]
    if n == 4 and noise == 0.0:
        return X, to_pm1(ys) if labels == "pm1" else ys
    return _finish(X, ys, rng, labels, noise)


# -- multi-class problems ---------------------------------------------------------------
def make_spirals(n_per_class: int = 50, n_classes: int = 3, noise: float = 0.2, *,
                 seed: Seed = None) -> tuple[Points, list[int]]:
    """``n_classes`` interleaved spiral arms (the CS231n spiral), labels 0…K−1.

    Arm j: radius r from 0 to 1 and angle θ = 4j + 4r (+ Gaussian noise of std
    ``noise`` on θ); the point is (r·sin θ, r·cos θ).  Shuffled.
    """
    who = "make_spirals"
    n_per_class = validate.count(who, "n_per_class", n_per_class)
    n_classes = validate.count(who, "n_classes", n_classes, low=2)
    noise, rng = _noise(who, noise), _generator(who, seed)
    X: Points = []
    y: list[int] = []
    for j in range(n_classes):
        for r in _linspace(0.0, 1.0, n_per_class):
            theta = 4.0 * j + 4.0 * r + (rng.gauss(0.0, noise) if noise else 0.0)
            X.append([r * math.sin(theta), r * math.cos(theta)])
            y.append(j)
    return _finish(X, y, rng, "01", 0.0)


def make_blobs(n: int = 100, centers: int | Sequence[Sequence[float]] = 3, std: float = 1.0,
               *, n_features: int = 2, box: tuple[float, float] = (-5.0, 5.0),
               seed: Seed = None) -> tuple[Points, list[int]]:
    """Gaussian clusters: sample i belongs to cluster i mod K, label = cluster index.

    ``centers`` is a number of clusters (centres drawn uniformly in ``box`` along
    each of ``n_features`` axes) or an explicit list of centre points.
    """
    who = "make_blobs"
    n = validate.count(who, "n", n)
    std, rng = _noise(who, std, "std"), _generator(who, seed)
    if isinstance(centers, numbers.Integral) and not isinstance(centers, bool):
        k = validate.count(who, "centers", centers)
        n_features = validate.count(who, "n_features", n_features)
        lo, hi = _interval(who, "box", box)
        points = [[rng.uniform(lo, hi) for _ in range(n_features)] for _ in range(k)]
    else:
        points = _points(who, centers)
    y = [i % len(points) for i in range(n)]
    return _finish([list(points[k]) for k in y], y, rng, "01", std)


# -- regression ---------------------------------------------------------------------------
def make_regression_1d(n: int = 100, noise: float = 0.1, *,
                       fn: Callable[[float], float] = math.sin, low: float = -math.pi,
                       high: float = math.pi, seed: Seed = None) -> tuple[Points, list[float]]:
    """y = fn(x) + ε, ε ~ N(0, noise²), x uniform in [low, high], sorted by x.

    ``X`` is ``[[x₁], [x₂], …]`` (one feature per sample) so it feeds an
    ``MLP(1, …)`` directly; ``y`` is a list of floats.
    """
    who = "make_regression_1d"
    n = validate.count(who, "n", n)
    noise, rng = _noise(who, noise), _generator(who, seed)
    low, high = validate.real(who, "low", low), validate.real(who, "high", high)
    if not low < high:
        raise ValueError(f"{who}: low must be < high, got low={low!r}, high={high!r}")
    if not callable(fn):
        raise TypeError(f"{who}: fn must be callable, got {type(fn).__name__} {fn!r:.60}")
    xs = sorted(rng.uniform(low, high) for _ in range(n))
    return [[x] for x in xs], [float(fn(x)) + (rng.gauss(0.0, noise) if noise else 0.0)
                               for x in xs]


def make_sine(n: int = 100, noise: float = 0.1, *, low: float = -math.pi,
              high: float = math.pi, seed: Seed = None) -> tuple[Points, list[float]]:
    """Noisy sine wave, y = sin(x) + ε: :func:`make_regression_1d` with ``fn=math.sin``."""
    return make_regression_1d(n, noise, fn=math.sin, low=low, high=high, seed=seed)


# -- label helpers ----------------------------------------------------------------------------
def to_pm1(y: Sequence[int]) -> list[int]:
    """Map 0/1 labels to -1/+1 (labels already ±1 pass through unchanged)."""
    out: list[int] = []
    for i, label in enumerate(y):
        if isinstance(label, bool) or not isinstance(label, numbers.Real) \
                or label not in (0, 1, -1):
            raise ValueError(f"to_pm1: y[{i}] must be 0 or 1 (or -1), got {label!r:.60}")
        out.append(1 if label == 1 else -1)
    return out


def one_hot(y: Sequence[int], n_classes: int | None = None) -> list[list[float]]:
    """Class indices → one-hot rows: ``one_hot([2, 0], 3) == [[0,0,1], [1,0,0]]``."""
    labels = [validate.count("one_hot", f"y[{i}]", label, low=0) for i, label in enumerate(y)]
    k = max(labels, default=-1) + 1 if n_classes is None else \
        validate.count("one_hot", "n_classes", n_classes)
    for i, label in enumerate(labels):
        validate.count("one_hot", f"y[{i}]", label, low=0, high=k - 1)
    return [[1.0 if j == label else 0.0 for j in range(k)] for label in labels]


# -- splitting and batching ---------------------------------------------------------------------
def _paired(who: str, X: Sequence[object], y: Sequence[object]) -> int:
    if len(X) != len(y):
        raise ValueError(f"{who}: X and y must have the same length, got {len(X)} and {len(y)}")
    return len(X)


def _same_length(X: Sequence[object], y: Sequence[object]) -> int:  # kept for metrics.py
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same length, got {len(X)} and {len(y)}")
    return len(X)


def _interval(who: str, name: str, pair: object) -> tuple[float, float]:
    """``(low, high)``: two finite numbers with ``low < high``."""
    if not isinstance(pair, (tuple, list)) or len(pair) != 2:
        raise ValueError(f"{who}: {name} must be (low, high) with low < high, got {pair!r:.60}")
    lo, hi = (validate.real(who, f"{name}[{i}]", v) for i, v in enumerate(pair))
    if not lo < hi:
        raise ValueError(f"{who}: {name} must be (low, high) with low < high, got {pair!r:.60}")
    return lo, hi


def _points(who: str, centers: object) -> list[list[float]]:
    """Explicit cluster centres: ≥ 1 points of the same non-zero length."""
    rows = centers if isinstance(centers, Sequence) and not isinstance(centers, str) else None
    if not rows or any(not isinstance(p, Sequence) or isinstance(p, str) for p in rows) \
            or len({len(p) for p in rows}) != 1 or not rows[0]:
        raise ValueError(f"{who}: centers must be ≥ 1 points of the same non-zero length (or a "
                         f"number of clusters), got {centers!r:.60}")
    return [[validate.real(who, f"centers[{i}][{j}]", c) for j, c in enumerate(p)]
            for i, p in enumerate(rows)]


def train_test_split(X: Sequence[XT], y: Sequence[YT], test_size: float = 0.25, *,
                     seed: Seed = None, shuffle: bool = True
                     ) -> tuple[list[XT], list[XT], list[YT], list[YT]]:
    """Split into ``X_train, X_test, y_train, y_test`` (scikit-learn's order).

    The test part has ⌈test_size·n⌉ samples, and both parts at least one.
    """
    who = "train_test_split"
    n = _paired(who, X, y)
    test_size = validate.real(who, "test_size", test_size, low=0, high=1, low_open=True,
                              high_open=True)
    if n < 2:
        raise ValueError(f"{who}: X must have at least 2 samples, got {n}")
    rng = _generator(who, seed) if shuffle else None
    n_test = min(max(1, math.ceil(test_size * n - 1e-9)), n - 1)
    order = list(range(n))
    if rng is not None:
        rng.shuffle(order)
    test, train = order[:n_test], order[n_test:]
    return [X[i] for i in train], [X[i] for i in test], [y[i] for i in train], [y[i] for i in test]


def batches(X: Sequence[XT], y: Sequence[YT], batch_size: int, shuffle: bool = True, *,
            seed: Seed = None, drop_last: bool = False) -> Iterator[tuple[list[XT], list[YT]]]:
    """Yield ``(X_batch, y_batch)`` mini-batches covering each sample once.

    One call is one epoch (arguments are checked at the call, not lazily).  The
    last batch may be smaller (dropped with ``drop_last=True``).  For a new order
    every epoch yet a reproducible run, pass the same ``random.Random(seed)``
    object each epoch.

    >>> [yb for _, yb in batches([[0], [1], [2]], [0, 1, 2], 2, shuffle=False)]
    [[0, 1], [2]]
    """
    n = _paired("batches", X, y)
    batch_size = validate.count("batches", "batch_size", batch_size)
    order = list(range(n))
    if shuffle:
        _generator("batches", seed).shuffle(order)
    stop = n - n % batch_size if drop_last else n
    chunks = [order[k:k + batch_size] for k in range(0, stop, batch_size)]
    return (([X[i] for i in idx], [y[i] for i in idx]) for idx in chunks)
