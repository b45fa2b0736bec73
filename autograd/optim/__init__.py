"""Optimizers and learning-rate schedules.

* :mod:`~autograd.optim.optimizers`: SGD, Momentum, RMSProp, Adam, AdamW, ``clip_grad_norm``;
* :mod:`~autograd.optim.schedules`: StepLR, LinearLR, CosineLR, LambdaLR.
"""

from __future__ import annotations

from .optimizers import SGD, Adam, AdamW, Momentum, Optimizer, RMSProp, clip_grad_norm
from .schedules import CosineLR, LambdaLR, LinearLR, LRSchedule, StepLR

__all__ = ["SGD", "Adam", "AdamW", "CosineLR", "LRSchedule", "LambdaLR", "LinearLR", "Momentum",
           "Optimizer", "RMSProp", "StepLR", "clip_grad_norm"]
