"""Learning-rate schedules: change an optimizer's ``lr`` as training goes on.

A large learning rate makes fast progress early; a smaller one lets the
parameters settle into a minimum later.  A schedule remembers the optimizer's
starting rate ``η₀`` and, each time its ``step()`` is called (once per epoch or
per batch, your choice), sets ``optimizer.lr`` to its rate for step ``k``:

=========== ==================================================================
StepLR      η₀·γ^⌊k / step_size⌋                      (drop by γ every few steps)
LinearLR    η₀·(1 − (1 − end_factor)·min(k, T)/T)      (straight line to η₀·end_factor)
CosineLR    η_min + (η₀ − η_min)·(1 + cos(π·min(k, T)/T))/2
LambdaLR    η₀·f(k)
=========== ==================================================================

micrograd's demo uses ``lr = 1.0 − 0.9·k/100``: ``LinearLR(opt, 100, end_factor=0.1)``
with ``lr=1.0``.

>>> from autograd import Value
>>> from autograd.optim import SGD
>>> opt = SGD([Value(0.0)], lr=1.0)
>>> sched = LinearLR(opt, total_steps=100, end_factor=0.1)
>>> [round(sched.step(), 3) for _ in range(3)]
[0.991, 0.982, 0.973]
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Protocol

from .. import validate

__all__ = ["CosineLR", "LRSchedule", "LambdaLR", "LinearLR", "StepLR"]


class _HasLR(Protocol):
    lr: float


class LRSchedule:
    """Base class: ``lr_at(k)`` gives the rate for step ``k`` (``k = 0`` at creation).

    Creating a schedule sets ``optimizer.lr = lr_at(0)``; each :meth:`step` advances
    ``k`` by one and sets ``optimizer.lr = lr_at(k)``.  Every argument is checked
    before the optimizer is touched, and a step whose rate is refused (``LambdaLR``'s
    ``fn`` returning NaN, say) changes neither ``k`` nor the rate.
    """

    def __init__(self, optimizer: _HasLR) -> None:
        if not hasattr(optimizer, "lr"):
            raise TypeError(f"{type(self).__name__}: optimizer must have an lr attribute, "
                            f"got {type(optimizer).__name__}")
        base_lr = validate.real(type(self).__name__, "optimizer.lr", optimizer.lr, low=0)
        self.optimizer, self.base_lr, self.k = optimizer, base_lr, 0
        optimizer.lr = self.lr_at(0)

    def lr_at(self, k: int) -> float:
        """The learning rate for step ``k``."""
        raise NotImplementedError

    @property
    def lr(self) -> float:
        """The current rate ``lr_at(k)``."""
        return self.lr_at(self.k)

    def step(self) -> float:
        """Advance one step, set the optimizer's ``lr`` and return it."""
        lr = self.lr_at(self.k + 1)
        self.optimizer.lr = lr
        self.k += 1
        return lr

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_lr={self.base_lr!r}, k={self.k}, lr={self.lr!r})"


class StepLR(LRSchedule):
    """Multiply the rate by ``gamma`` every ``step_size`` steps: ``η₀·γ^⌊k/step_size⌋``."""

    def __init__(self, optimizer: _HasLR, step_size: int, gamma: float = 0.1) -> None:
        self.step_size = validate.count("StepLR", "step_size", step_size)
        self.gamma = validate.real("StepLR", "gamma", gamma, low=0)
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        """``η₀·γ^⌊k/step_size⌋``."""
        return self.base_lr * self.gamma ** (k // self.step_size)


class LinearLR(LRSchedule):
    """Go in a straight line from ``η₀`` to ``η₀·end_factor`` over ``total_steps``, then stay."""

    def __init__(self, optimizer: _HasLR, total_steps: int, end_factor: float = 0.0) -> None:
        self.total_steps = validate.count("LinearLR", "total_steps", total_steps)
        self.end_factor = validate.real("LinearLR", "end_factor", end_factor, low=0)
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        """``η₀·(1 − (1 − end_factor)·min(k, T)/T)``."""
        return self.base_lr * (1.0 - (1.0 - self.end_factor) * min(k, self.total_steps)
                               / self.total_steps)


class CosineLR(LRSchedule):
    """Half a cosine wave from ``η₀`` down to ``min_lr`` over ``total_steps``, then stay."""

    def __init__(self, optimizer: _HasLR, total_steps: int, min_lr: float = 0.0) -> None:
        self.total_steps = validate.count("CosineLR", "total_steps", total_steps)
        self.min_lr = validate.real("CosineLR", "min_lr", min_lr, low=0)
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        """``η_min + (η₀ − η_min)·(1 + cos(π·min(k, T)/T))/2``."""
        frac = min(k, self.total_steps) / self.total_steps
        return self.min_lr + (self.base_lr - self.min_lr) * (1.0 + math.cos(math.pi * frac)) / 2


class LambdaLR(LRSchedule):
    """``η₀·f(k)`` for any function ``f`` of the step number."""

    def __init__(self, optimizer: _HasLR, fn: Callable[[int], float]) -> None:
        if not callable(fn):
            raise TypeError(f"LambdaLR: fn must be callable, got {type(fn).__name__} "
                            f"{fn!r:.60}")
        self.fn = fn
        super().__init__(optimizer)

    def lr_at(self, k: int) -> float:
        """``η₀·f(k)``; ``f(k)`` must be a finite number ≥ 0."""
        return self.base_lr * validate.real("LambdaLR", f"fn({k})", self.fn(k), low=0)
