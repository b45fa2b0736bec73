"""Loss functions: one number that says how wrong the model is.

Every loss is built from engine operations, so its graph can be drawn and its
backward pass stepped through like any other.  Each takes either one sample
(a Value and a number) or a batch (lists of them) and, for a batch, returns the
mean of the per-sample losses (``reduction="mean"``) or their sum (``"sum"``),
as one ``sum`` node (divided by the batch size for the mean).

===================================== ===============================================
loss                                  per sample
===================================== ===============================================
mse(pred, target)                     (p − t)²
binary_cross_entropy(p, y)            −[y·log p + (1 − y)·log(1 − p)],  p clamped to [ε, 1 − ε]
binary_cross_entropy_with_logits(z, y) max(z, 0) − z·y + log(1 + e^(−|z|))   (= BCE of σ(z))
cross_entropy(logits, k)              −log softmax(z)ₖ = log Σⱼ exp zⱼ − zₖ
hinge(score, y)                       max(0, 1 − y·score),  y = ±1   (micrograd's demo)
l2_penalty(params, λ)                 λ·Σ θ²
===================================== ===============================================

Cross-entropy measures the "surprise" −log p(correct answer) under the model: it
is small when the model puts high probability on the right label.

>>> from autograd import Value
>>> from autograd.nn.losses import cross_entropy, mse
>>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data       # ((1−0)² + (3−1)²) / 2
2.5
>>> round(cross_entropy([Value(2.0), Value(0.0)], 0).data, 6)   # log(1 + e⁻²)
0.126928
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from ..engine import Value
from ..nary import dot, sum
from .layers import _exp_shifted
from .module import Module, is_number

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "hinge", "l2_penalty", "mse"]


def _value(x: Any, where: str) -> Value:
    if isinstance(x, Value):
        return x
    if is_number(x):
        return Value(float(x), requires_grad=False)
    raise TypeError(f"{where}: prediction must be a Value or a number, "
                    f"got {type(x).__name__}: {x!r}")


def _is_batch(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, (str, bytes))


def _pairs(pred: Any, target: Any, where: str, path: str = "") -> list[tuple[Value, Any]]:
    """Match predictions with targets (nested lists allowed), checking the shapes."""
    if not _is_batch(pred):
        if _is_batch(target):
            raise ValueError(f"{where}: prediction{path} is one value but target{path} "
                             f"is a list of {len(target)}")
        return [(_value(pred, where), target)]
    if not _is_batch(target) or len(target) != len(pred):
        got = f"a list of {len(target)}" if _is_batch(target) else "one value"
        raise ValueError(f"{where}: target{path} must be a list of {len(pred)} like the "
                         f"predictions, got {got}")
    out: list[tuple[Value, Any]] = []
    for i, (p, t) in enumerate(zip(pred, target)):
        out += _pairs(p, t, where, f"{path}[{i}]")
    return out


def _reduce(terms: list[Value], batch: bool, reduction: str, where: str) -> Value:
    if reduction not in ("mean", "sum"):
        raise ValueError(f"{where}: reduction must be 'mean' or 'sum', got {reduction!r}")
    if not terms:
        raise ValueError(f"{where}: empty batch")
    if not batch:
        return terms[0]
    total = sum(terms)
    return total / len(terms) if reduction == "mean" else total


def _elementwise(pred: Any, target: Any, reduction: str, where: str,
                 check: Callable[[Any, str], Any], loss: Callable[[Value, Any], Value]) -> Value:
    """Apply a per-element ``loss(prediction, target)`` after checking every target."""
    pairs = _pairs(pred, target, where)
    checked = [check(t, f"{where}: target {t!r}") for _, t in pairs]
    terms = [loss(p, t) for (p, _), t in zip(pairs, checked)]
    return _reduce(terms, _is_batch(pred), reduction, where)


def _real(t: Any, where: str) -> Any:
    if isinstance(t, Value) or is_number(t):
        return t
    raise TypeError(f"{where} must be a number or Value")


def _probability(t: Any, where: str) -> float:
    if not is_number(t) or not 0.0 <= t <= 1.0:
        raise ValueError(f"{where} must be a number in [0, 1]")
    return float(t)


def _sign(t: Any, where: str) -> float:
    if not is_number(t) or t not in (-1, 1):
        raise ValueError(f"{where} must be -1 or +1 (hinge labels)")
    return float(t)


def mse(pred: Any, target: Any, reduction: str = "mean") -> Value:
    """Mean squared error ``(p − t)²`` (averaged over every output of every sample)."""
    return _elementwise(pred, target, reduction, "mse", _real, lambda p, t: (p - t) ** 2)


def binary_cross_entropy(prob: Any, target: Any, reduction: str = "mean",
                         eps: float = 1e-12) -> Value:
    """``−[y·log p + (1 − y)·log(1 − p)]`` for probabilities ``p`` (e.g. sigmoid outputs).

    ``p`` is clamped to ``[eps, 1 − eps]`` so log never sees 0; a clamped ``p`` is a
    constant (no gradient flows through the clamp, as with ``torch.clamp``).  A term
    whose weight ``y`` or ``1 − y`` is 0 is left out of the graph.
    """
    if not is_number(eps) or not 0.0 < eps < 0.5:
        raise ValueError(f"binary_cross_entropy: eps must be in (0, 0.5), got {eps!r}")

    def loss(p: Value, y: float) -> Value:
        if not eps <= p.data <= 1.0 - eps:  # also catches NaN
            p = Value(min(max(p.data, eps), 1.0 - eps), "clamp(p)", requires_grad=False)
        parts = [] if y == 0 else [y * p.log()]
        if y != 1:
            parts.append((1.0 - y) * (1.0 - p).log())
        return -(parts[0] if len(parts) == 1 else parts[0] + parts[1])

    return _elementwise(prob, target, reduction, "binary_cross_entropy", _probability, loss)


def binary_cross_entropy_with_logits(logit: Any, target: Any, reduction: str = "mean") -> Value:
    """BCE of ``σ(z)`` computed from the logit ``z`` without ever overflowing:
    ``max(z, 0) − z·y + log(1 + e^(−|z|))``, with gradient ``σ(z) − y``.

    The branch is picked from the sign of ``z`` (z ≥ 0: ``z·(1 − y) + log(1 + e⁻ᶻ)``,
    z < 0: ``log(1 + eᶻ) − z·y``), so each exp sees a non-positive number and the
    gradient is exact even at ``z = 0``.
    """
    def loss(z: Value, y: float) -> Value:
        if z.data >= 0:
            return z * (1.0 - y) + ((-z).exp() + 1.0).log()
        return (z.exp() + 1.0).log() - z * y

    return _elementwise(logit, target, reduction, "binary_cross_entropy_with_logits",
                        _probability, loss)


def hinge(score: Any, label: Any, reduction: str = "mean") -> Value:
    """Max-margin loss ``max(0, 1 − y·score)`` with labels ``y = ±1`` (micrograd's demo):
    zero once a sample is on the right side with a margin of at least 1."""
    return _elementwise(score, label, reduction, "hinge", _sign,
                        lambda s, y: (1.0 - y * s).relu())


def _class_index(t: Any, n: int, where: str) -> int:
    if not isinstance(t, int) or isinstance(t, bool):
        raise TypeError(f"{where}: target must be an int class index, "
                        f"got {type(t).__name__}: {t!r}")
    if not 0 <= t < n:
        raise ValueError(f"{where}: target {t} out of range for {n} classes (0 … {n - 1})")
    return t


def cross_entropy(logits: Sequence[Any], target: Any, reduction: str = "mean") -> Value:
    """``−log softmax(z)ₖ = log Σⱼ exp(zⱼ − m) − (zₖ − m)`` with ``m = max z``.

    ``logits`` is one sample's list of raw scores with ``target`` an int class index,
    or a batch: a list of such lists with a list of indices.  Stable for logits of
    any size (the log-sum-exp trick).
    """
    where = "cross_entropy"
    batch = _is_batch(target)
    if not _is_batch(logits) or not logits:
        raise ValueError(f"{where}: logits must be a non-empty list, got {logits!r}")
    rows, targets = (logits, target) if batch else ([logits], [target])
    if len(rows) != len(targets):
        raise ValueError(f"{where}: {len(rows)} rows of logits but {len(targets)} targets")
    terms = []
    for i, (z, t) in enumerate(zip(rows, targets)):
        if not _is_batch(z):
            raise ValueError(f"{where}: logits[{i}] must be a list of class scores")
        k = _class_index(t, len(z), f"{where} (sample {i})" if batch else where)
        d, _, total = _exp_shifted(z)
        terms.append(total.log() - d[k])
    return _reduce(terms, batch, reduction, where)


def l2_penalty(params: Iterable[Value] | Module, lam: float) -> Value:
    """``λ·Σ θ²`` (weight decay as a loss term), with ``Σ θ²`` as ONE ``dot(θ, θ)`` node:
    each θ feeds it twice, so its gradient is ``2λθ``."""
    if not is_number(lam) or not lam >= 0 or not math.isfinite(lam):
        raise ValueError(f"l2_penalty: lam must be a finite number ≥ 0, got {lam!r}")
    ps = list(params.parameters() if isinstance(params, Module) else params)
    for i, p in enumerate(ps):
        if not isinstance(p, Value):
            raise TypeError(f"l2_penalty: params[{i}] is {type(p).__name__}, not a Value")
    return float(lam) * dot(ps, ps)
