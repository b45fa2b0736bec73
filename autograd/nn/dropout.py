"""Dropout: zero random units while training, so no unit can rely on another."""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, overload

from ..engine import Value
from ..modes import Scope
from ..rng import make_rng
from .module import Module, is_number

__all__ = ["Dropout"]


class Dropout(Module):
    """Inverted dropout: in training mode each input is zeroed with probability ``p``
    and the survivors are scaled by ``1/(1 − p)``, so the expected value is unchanged
    and evaluation needs no rescaling.  In eval mode (``model.eval()``) it is the
    identity.  Masks come from ``rng`` / ``seed`` / the package generator.

    Each output is a ``*`` node (input × 0 or input × 1/(1−p)), so the diagram shows
    why a dropped unit gets no gradient.  Output ``j`` is labelled ``'<name>.drop<j>'``
    (``'L1.drop3'`` after an :class:`MLP`'s first layer; ``'drop3'`` on its own).
    """

    def __init__(self, p: float = 0.5, *, seed: int | None = None,
                 rng: random.Random | None = None, scope: Scope | None = None,
                 name: str = "") -> None:
        if not is_number(p):
            raise TypeError(f"Dropout p must be a number, got {type(p).__name__}: {p!r}")
        if not 0.0 <= p < 1.0:
            raise ValueError(f"Dropout p must be in [0, 1), got {p!r}")
        if not isinstance(name, str):
            raise TypeError(f"Dropout: name must be a str, got {type(name).__name__}: {name!r}")
        self.p = float(p)
        self.scope = scope if scope is not None else Scope("Dropout")
        self.rng = make_rng(seed, rng, "Dropout")   # the generator its masks come from
        self.name, self._stem = name, f"{name}.drop" if name else "drop"

    @overload
    def __call__(self, x: Value) -> Value: ...

    @overload
    def __call__(self, x: Sequence[Value]) -> list[Value]: ...

    def __call__(self, x: Value | Sequence[Value]) -> Value | list[Value]:
        """Drop (training) or pass through (eval) each Value of ``x`` (or ``x`` itself)."""
        if isinstance(x, Value):
            return self([x])[0]
        p = self.p
        if not self.training or p == 0.0:
            return list(x)
        keep, draw = 1.0 / (1.0 - p), self.rng.random
        out = [v * (0.0 if draw() < p else keep) for v in x]
        self.scope.tag(*out)
        stem = self._stem
        for j, v in enumerate(out, 1):
            v._label = f"{stem}{j}"
        return out

    def config(self) -> dict[str, Any]:
        """Architecture: type and p."""
        return {"type": "Dropout", "p": self.p}

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"
