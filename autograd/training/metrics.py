"""Predictions and accuracy: what a model's outputs mean for the task at hand.

What accuracy means is decided by the *task* (``task="auto"`` looks at the data):

* several outputs per sample and whole-number labels → ``"multiclass"``:
  the prediction is the index of the largest output (argmax);
* one output and labels in {-1, +1} → ``"binary"``, positive when score > 0;
* one output and labels in {0, 1} → ``"binary"``, positive when output > 0.5,
  or > 0 when the loss function's name says it takes logits (``…with_logits``);
* anything else → ``"regression"``: no accuracy.

``accuracy_fn(outputs, targets) -> float`` replaces that rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import validate
from ..engine import Value
from ..modes import no_grad

__all__ = ["History", "accuracy", "evaluate", "infer_task", "predict"]

Task = Literal["auto", "binary", "multiclass", "regression"]
LossFn = Callable[[list[Any], list[Any]], Value]
AccuracyFn = Callable[[list[Any], Sequence[Any]], float]
Output = float | list[float]



@dataclass
class History:
    """Per-epoch record of a :func:`fit` run (lists have one entry per completed epoch).

    ``loss``: sample-weighted mean of the batch losses (regularization excluded,
    see ``penalty``); ``accuracy``: on the outputs seen during the epoch (before
    each step's update); ``val_*``: measured after the epoch in eval mode;
    ``grad_norms[e][l]``: ‖∂L/∂θ‖₂ over layer l's parameters, averaged over the
    steps of epoch e; ``step_loss``: every step's batch loss.
    """

    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    val_accuracy: list[float] = field(default_factory=list)
    penalty: list[float] = field(default_factory=list)
    grad_norms: list[list[float]] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    step_loss: list[float] = field(default_factory=list)
    task: str = "auto"
    threshold: float | None = None
    interrupted: bool = False
    stopped_early: bool = False

    @property
    def epochs(self) -> int:
        """Number of completed epochs."""
        return len(self.loss)

    def last(self) -> dict[str, float]:
        """The latest value of every per-epoch scalar metric that was recorded."""
        return {name: values[-1] for name, values in self._scalars() if values}

    def _scalars(self) -> list[tuple[str, list[float]]]:
        return [("loss", self.loss), ("accuracy", self.accuracy), ("val_loss", self.val_loss),
                ("val_accuracy", self.val_accuracy), ("penalty", self.penalty)]

    def __repr__(self) -> str:
        shown = "".join(f", {k}={v:.4g}" for k, v in self.last().items())
        flags = ", interrupted" * self.interrupted + ", stopped early" * self.stopped_early
        return f"History(epochs={self.epochs}, task={self.task!r}{shown}{flags})"


def _floats(out: Any) -> Output:
    """A model output (Value, number or list of them) as plain floats."""
    if isinstance(out, (list, tuple)):
        return [float(v) for v in out] if len(out) != 1 else float(out[0])
    return float(out)


def _whole(t: Any) -> bool:
    return isinstance(t, (int, float)) and not isinstance(t, bool) and float(t).is_integer()


def infer_task(output: Any, targets: Sequence[Any], loss_fn: Any = None
               ) -> tuple[str, float | None]:
    """``(task, threshold)`` for one model ``output`` and all the ``targets``.

    The rules are listed in this module's docstring; ``threshold`` is None
    except for ``"binary"``.
    """
    out = _floats(output)
    labels = set(targets) if all(_whole(t) for t in targets) else None
    if isinstance(out, list):
        return ("multiclass" if labels is not None else "regression"), None
    if labels is not None and labels <= {-1, 1}:
        return "binary", 0.0
    if labels is not None and labels <= {0, 1}:
        name = getattr(getattr(loss_fn, "func", loss_fn), "__name__", "")
        return "binary", 0.0 if "logit" in name else 0.5
    return "regression", None


def _correct(out: Output, target: Any, task: str, threshold: float | None) -> bool:
    if task == "multiclass":
        scores = out if isinstance(out, list) else [out]
        return bool(max(range(len(scores)), key=scores.__getitem__) == target)
    score = out if isinstance(out, float) else out[0]
    return (score > (0.5 if threshold is None else threshold)) == bool(target == 1)


def _accuracy(outs: Sequence[Output], targets: Sequence[Any], task: str,
              threshold: float | None) -> float:
    return sum(_correct(o, t, task, threshold) for o, t in zip(outs, targets)) / len(outs)


@contextmanager
def _mode(model: Any, training: bool) -> Iterator[None]:
    """Put the model in train()/eval() mode inside, restore its previous mode after."""
    before = getattr(model, "training", None)
    switch = getattr(model, "train" if training else "eval", None)
    if callable(switch):
        switch()
    try:
        yield
    finally:
        if before is not None and before != training:
            getattr(model, "train" if before else "eval")()


def predict(model: Any, X: Sequence[Sequence[float]]) -> list[Output]:
    """The model's outputs as floats (eval mode, no graph recorded): one float per
    sample for a single-output model, else one list of floats per sample."""
    with no_grad(), _mode(model, False):
        return [_floats(model(x)) for x in X]


def _resolve(task: Task, out: Any, y: Sequence[Any], loss_fn: Any) -> tuple[str, float | None]:
    if task not in ("auto", "binary", "multiclass", "regression"):
        raise ValueError(f"task must be 'auto', 'binary', 'multiclass' or 'regression', "
                         f"got {task!r}")
    found, threshold = infer_task(out, y, loss_fn)
    if task == "auto":
        return found, threshold
    return task, (threshold if threshold is not None else 0.5) if task == "binary" else None


def accuracy(model: Any, X: Sequence[Sequence[float]], y: Sequence[Any], *, task: Task = "auto",
             threshold: float | None = None) -> float:
    """Fraction of samples classified correctly (task rules in the module docstring)."""
    outs = predict(model, X[:_nonempty(X, y, "accuracy")])
    found, auto_threshold = _resolve(task, outs[0], y, None)
    if found == "regression":
        raise ValueError(f"accuracy() of what looks like regression (targets {list(y[:3])}…): "
                         f"pass task='binary' or 'multiclass'")
    return _accuracy(outs, y, found, auto_threshold if threshold is None else threshold)


def evaluate(model: Any, X: Sequence[Sequence[float]], y: Sequence[Any],
             loss_fn: LossFn | None = None, *, task: Task = "auto",
             accuracy_fn: AccuracyFn | None = None) -> dict[str, float]:
    """``{"loss": …, "accuracy": …}`` on (X, y), in eval mode without recording a graph.

    ``loss`` is there when ``loss_fn`` is given; ``accuracy`` for a
    classification task or when ``accuracy_fn`` is given.
    """
    _nonempty(X, y, "evaluate")
    with no_grad(), _mode(model, False):
        outputs = [model(x) for x in X]
    return _metrics(outputs, y, loss_fn, *_resolve(task, outputs[0], y, loss_fn), accuracy_fn)


def _nonempty(X: Sequence[Any], y: Sequence[Any], name: str) -> int:
    if not validate.same_length(name, X, y):
        raise ValueError(f"{name}() needs at least one sample, got none")
    return len(X)


def _metrics(outputs: list[Any], y: Sequence[Any], loss_fn: LossFn | None, task: str,
             threshold: float | None, accuracy_fn: AccuracyFn | None) -> dict[str, float]:
    with no_grad():
        result = {"loss": float(loss_fn(outputs, list(y)))} if loss_fn is not None else {}
    if accuracy_fn is not None:
        result["accuracy"] = float(accuracy_fn(outputs, y))
    elif task != "regression":
        result["accuracy"] = _accuracy([_floats(o) for o in outputs], y, task, threshold)
    return result
