"""Training: toy data, the ``fit()`` loop, metrics, progress output and plots.

* :mod:`~autograd.training.data`: datasets (moons, circles, spirals …), splits, batches;
* :mod:`~autograd.training.fit`: ``fit()``, the training loop;
* :mod:`~autograd.training.metrics`: ``History``, predictions, accuracy, ``evaluate()``;
* :mod:`~autograd.training.progress`: the progress bar and clean Ctrl-C;
* :mod:`~autograd.training.plot`: matplotlib pictures (loaded only when used).
"""

from __future__ import annotations

from .data import (
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
from .fit import fit
from .metrics import History, accuracy, evaluate, infer_task, predict

__all__ = ["History", "accuracy", "batches", "evaluate", "fit", "infer_task", "make_blobs",
           "make_circles", "make_moons", "make_regression_1d", "make_sine", "make_spirals",
           "make_xor", "one_hot", "predict", "to_pm1", "train_test_split"]
