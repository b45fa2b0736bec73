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

Every node a loss makes is named (its label), in the style of the network's
nodes: the loss itself is ``mse``, ``bce``, ``bce_logits``, ``ce``, ``hinge`` or
``l2``; in a batch, sample 3's term is ``s3.mse`` with its pieces ``s3.mse.err`` …,
the sum ``mse.total`` (then the mean ``mse``).

>>> from autograd import Value
>>> from autograd.nn.losses import cross_entropy, mse
>>> mse([Value(1.0), Value(3.0)], [0.0, 1.0]).data       # ((1−0)² + (3−1)²) / 2
2.5
>>> round(cross_entropy([Value(2.0), Value(0.0)], 0).data, 6)   # log(1 + e⁻²)
0.126928
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .. import validate
from ..engine import Value
from ..nary import dot, sum
from .activations import exp_shifted
from .module import Module

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "cross_entropy",
           "hinge", "l2_penalty", "mse"]


def _value(x: Any, where: str, path: str) -> Value:
    if isinstance(x, Value):
        return x
    if validate.is_real(x):
        return Value(_number(where, f"prediction{path}", x), requires_grad=False)
    raise TypeError(f"{where}: prediction{path} must be a Value or a number, "
                    f"got {type(x).__name__} {x!r:.60}")


def _is_batch(x: Any) -> bool:
    return isinstance(x, Sequence) and not isinstance(x, (str, bytes))


def _pairs(pred: Any, target: Any, where: str, path: str = "") -> list[tuple[Value, Any, str]]:
    """Match predictions with targets (nested lists allowed), checking the shapes;
    each pair comes with its index path (``"[2][0]"``) for error messages."""
    if not _is_batch(pred):
        if _is_batch(target):
            raise ValueError(f"{where}: target{path} must be one value like prediction{path}, "
                             f"got a list of {len(target)}")
        return [(_value(pred, where, path), target, path)]
    if not _is_batch(target) or len(target) != len(pred):
        got = f"a list of {len(target)}" if _is_batch(target) else "one value"
        raise ValueError(f"{where}: target{path} must be a list of {len(pred)} like the "
                         f"predictions, got {got}")
    out: list[tuple[Value, Any, str]] = []
    for i, (p, t) in enumerate(zip(pred, target)):
        out += _pairs(p, t, where, f"{path}[{i}]")
    return out


def _named(node: Value, label: str) -> Value:
    """``node`` labelled ``label`` (losses name every node they make)."""
    node._label = label
    return node


def _prefix(path: str) -> str:
    """``'[2][0]'`` → ``'s3.o1.'``: sample 3, output 1 of a batch (``''`` for one sample)."""
    if not path:
        return ""
    first, *rest = (int(i) for i in path[1:-1].split("]["))
    return f"s{first + 1}." + "".join(f"o{i + 1}." for i in rest)


def _reduce(terms: list[Value], batch: bool, reduction: str, where: str,
            stem: str = "loss") -> Value:
    validate.choice(where, "reduction", reduction, ("mean", "sum"))
    if not terms:
        raise ValueError(f"{where}: the batch must not be empty, got no predictions")
    if not batch:
        return _named(terms[0], stem)
    if reduction == "sum":
        return _named(sum(terms), stem)
    return _named(_named(sum(terms), f"{stem}.total") / len(terms), stem)


def _elementwise(pred: Any, target: Any, reduction: str, where: str,
                 check: Callable[[str, str, Any], Any],
                 loss: Callable[[Value, Any, str], Value], stem: str) -> Value:
    """Apply a per-element ``loss(prediction, target, name)`` after checking every argument;
    ``name`` is the term's label (``'s3.mse'`` in a batch, ``stem`` alone for one sample)."""
    validate.choice(where, "reduction", reduction, ("mean", "sum"))
    pairs = _pairs(pred, target, where)
    checked = [check(where, f"target{path}", t) for _, t, path in pairs]
    terms = [loss(p, t, f"{_prefix(path)}{stem}") for (p, _, path), t in zip(pairs, checked)]
    return _reduce(terms, _is_batch(pred), reduction, where, stem)


def _real(who: str, name: str, t: Any) -> Any:
    if isinstance(t, Value):
        return t
    if not validate.is_real(t):
        raise TypeError(f"{who}: {name} must be a number or a Value, got {type(t).__name__} "
                        f"{t!r:.60}")
    return _number(who, name, t)


def _number(who: str, name: str, x: Any) -> float:
    """A real number as a float (NaN and ±inf pass: they propagate into the loss)."""
    try:
        return float(x)
    except OverflowError:   # an int or Fraction beyond a float: the check names it
        return validate.real(who, name, x)


def _probability(who: str, name: str, t: Any) -> float:
    return validate.real(who, name, t, low=0, high=1)


def _sign(who: str, name: str, t: Any) -> float:
    y = validate.real(who, name, t)
    if y not in (-1.0, 1.0):
        raise ValueError(f"{who}: {name} must be -1 or +1 (hinge labels), got {t!r:.60}")
    return y


def mse(pred: Any, target: Any, reduction: str = "mean") -> Value:
    """Mean squared error ``(p − t)²`` (averaged over every output of every sample)."""
    def loss(p: Value, t: Any, name: str) -> Value:
        return _named(_named(p - t, f"{name}.err") ** 2, name)

    return _elementwise(pred, target, reduction, "mse", _real, loss, "mse")


def binary_cross_entropy(prob: Any, target: Any, reduction: str = "mean",
                         eps: float = 1e-12) -> Value:
    """``−[y·log p + (1 − y)·log(1 − p)]`` for probabilities ``p`` (e.g. sigmoid outputs).

    ``p`` is clamped to ``[eps, 1 − eps]`` so log never sees 0; a clamped ``p`` is a
    constant (no gradient flows through the clamp, as with ``torch.clamp``).  A term
    whose weight ``y`` or ``1 − y`` is 0 is left out of the graph.
    """
    eps = validate.real("binary_cross_entropy", "eps", eps, low=0, high=0.5, low_open=True,
                        high_open=True)

    def loss(p: Value, y: float, name: str) -> Value:
        if not eps <= p.data <= 1.0 - eps:  # also catches NaN
            p = Value(min(max(p.data, eps), 1.0 - eps), f"{name}.p_clamped",
                      requires_grad=False)
        parts = [] if y == 0 else [
            _named(y * _named(p.log(), f"{name}.log_p"), f"{name}.y_log_p")]
        if y != 1:
            q = _named(1.0 - p, f"{name}.q")
            parts.append(_named((1.0 - y) * _named(q.log(), f"{name}.log_q"),
                                f"{name}.w_log_q"))
        both = parts[0] if len(parts) == 1 else _named(parts[0] + parts[1], f"{name}.sum")
        return _named(-both, name)

    return _elementwise(prob, target, reduction, "binary_cross_entropy", _probability, loss,
                        "bce")


def binary_cross_entropy_with_logits(logit: Any, target: Any, reduction: str = "mean") -> Value:
    """BCE of ``σ(z)`` computed from the logit ``z`` without ever overflowing:
    ``max(z, 0) − z·y + log(1 + e^(−|z|))``, with gradient ``σ(z) − y``.

    The branch is picked from the sign of ``z`` (z ≥ 0: ``z·(1 − y) + log(1 + e⁻ᶻ)``,
    z < 0: ``log(1 + eᶻ) − z·y``), so each exp sees a non-positive number and the
    gradient is exact even at ``z = 0``.
    """
    def loss(z: Value, y: float, name: str) -> Value:
        if z.data >= 0:
            e = _named(_named(-z, f"{name}.neg_z").exp(), f"{name}.exp")
            soft = _named(_named(e + 1.0, f"{name}.one_plus").log(), f"{name}.softplus")
            return _named(_named(z * (1.0 - y), f"{name}.z_q") + soft, name)
        e = _named(z.exp(), f"{name}.exp")
        soft = _named(_named(e + 1.0, f"{name}.one_plus").log(), f"{name}.softplus")
        return _named(soft - _named(z * y, f"{name}.z_y"), name)

    return _elementwise(logit, target, reduction, "binary_cross_entropy_with_logits",
                        _probability, loss, "bce_logits")


def hinge(score: Any, label: Any, reduction: str = "mean") -> Value:
    """Max-margin loss ``max(0, 1 − y·score)`` with labels ``y = ±1`` (micrograd's demo):
    zero once a sample is on the right side with a margin of at least 1."""
    def loss(s: Value, y: float, name: str) -> Value:
        margin = _named(y * s, f"{name}.margin")
        return _named(_named(1.0 - margin, f"{name}.gap").relu(), name)

    return _elementwise(score, label, reduction, "hinge", _sign, loss, "hinge")


def _class_index(t: Any, n: int, where: str, name: str) -> int:
    """A class index in ``[0, n − 1]`` (any integral type; not bool)."""
    return validate.count(where, name, t, low=0, high=n - 1)


def cross_entropy(logits: Sequence[Any], target: Any, reduction: str = "mean") -> Value:
    """``−log softmax(z)ₖ = log Σⱼ exp(zⱼ − m) − (zₖ − m)`` with ``m = max z``.

    ``logits`` is one sample's list of raw scores with ``target`` an int class index,
    or a batch: a list of such lists with a list of indices.  Stable for logits of
    any size (the log-sum-exp trick).
    """
    where = "cross_entropy"
    validate.choice(where, "reduction", reduction, ("mean", "sum"))
    batch = _is_batch(target)
    if not _is_batch(logits) or not logits:
        raise ValueError(f"{where}: logits must be a non-empty list, got {logits!r:.60}")
    rows, targets = (logits, target) if batch else ([logits], [target])
    if len(rows) != len(targets):
        raise ValueError(f"{where}: target must be a list of {len(rows)} class indices (one "
                         f"per row of logits), got {len(targets)}")
    ks = []
    for i, (z, t) in enumerate(zip(rows, targets)):
        if not _is_batch(z) or not z:
            raise ValueError(f"{where}: logits[{i}] must be a non-empty list of class scores, "
                             f"got {z!r:.60}")
        ks.append(_class_index(t, len(z), where, f"target[{i}]" if batch else "target"))
    terms = []
    for i, (z, k) in enumerate(zip(rows, ks)):
        name = f"s{i + 1}.ce" if batch else "ce"
        d, _, total = exp_shifted(z, name)
        terms.append(_named(_named(total.log(), f"{name}.lse") - d[k], name))
    return _reduce(terms, batch, reduction, where, "ce")


def l2_penalty(params: Iterable[Value] | Module, lam: float) -> Value:
    """``λ·Σ θ²`` (weight decay as a loss term), with ``Σ θ²`` as ONE ``dot(θ, θ)`` node:
    each θ feeds it twice, so its gradient is ``2λθ``."""
    lam = validate.real("l2_penalty", "lam", lam, low=0)
    ps = list(params.parameters() if isinstance(params, Module) else params)
    for i, p in enumerate(ps):
        if not isinstance(p, Value):
            raise TypeError(f"l2_penalty: params[{i}] must be a Value, got {type(p).__name__} "
                            f"{p!r:.60}")
    return _named(lam * _named(dot(ps, ps), "l2.sumsq"), "l2")
