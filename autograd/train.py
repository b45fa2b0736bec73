"""The training loop: ``fit()`` a model to data and keep a :class:`History`.

One optimizer step on a mini-batch B is the whole story of training::

    outputs = [model(x) for x in B]              forward pass, one graph per sample
    L = loss_fn(outputs, targets)  (+ R(model))  mean loss over B (+ regularization)
    optimizer.zero_grad(); L.backward()          ∂L/∂θ for every parameter θ
    optimizer.step()                             θ ← θ − η·∂L/∂θ (or Adam's rule …)

An *epoch* is one pass over the data, ⌈n / batch_size⌉ steps (one step with the
default full batch).  ``Ctrl-C`` stops cleanly after the current step; the
history so far is returned with ``interrupted=True``.

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

import importlib
import math
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from .data import _count, _rng, _same_length, batches
from .engine import Value, no_grad

__all__ = ["History", "accuracy", "evaluate", "fit", "infer_task", "predict"]

Task = Literal["auto", "binary", "multiclass", "regression"]
LossFn = Callable[[list[Any], list[Any]], Value]
AccuracyFn = Callable[[list[Any], Sequence[Any]], float]
Callback = Callable[[int, "History"], Any]
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


# -- outputs, tasks and accuracy -------------------------------------------------------
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
    if not _same_length(X, y):
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


# -- progress display and Ctrl-C --------------------------------------------------------
class _Progress:
    """A tqdm bar when tqdm is installed, else a plain line every 10 % of the epochs."""

    def __init__(self, epochs: int, verbose: bool) -> None:
        self.epochs, self.verbose, self.every = epochs, verbose, max(1, epochs // 10)
        self.bar: Any = None
        if verbose:
            try:
                tqdm = importlib.import_module("tqdm").tqdm
            except ImportError:
                return
            self.bar = tqdm(total=epochs, unit="epoch", desc="fit")

    def update(self, history: History) -> None:
        short = {"accuracy": "acc", "val_accuracy": "val_acc", "penalty": "reg"}
        shown = {short.get(k, k): f"{v:.4f}" for k, v in history.last().items()}
        if self.bar is not None:
            self.bar.set_postfix(shown, refresh=False)
            self.bar.update(1)
        elif self.verbose and (history.epochs % self.every == 0 or history.epochs == self.epochs):
            width = len(str(self.epochs))
            print(f"epoch {history.epochs:>{width}}/{self.epochs}  "
                  + "  ".join(f"{k} {v}" for k, v in shown.items()), flush=True)

    def close(self, history: History) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.verbose and history.interrupted:
            print(f"interrupted: kept the history of {history.epochs} complete epoch(s)")


@contextmanager
def _sigint_as_flag() -> Iterator[Callable[[], bool]]:
    """Inside, a first Ctrl-C only raises a flag (checked after each step); a
    second one interrupts at once.  Installed only in the main thread and only
    over Python's default handler; elsewhere Ctrl-C raises KeyboardInterrupt."""
    hit = [False]

    def handler(signum: int, frame: Any) -> None:
        if hit[0]:
            raise KeyboardInterrupt
        hit[0] = True

    install = (threading.current_thread() is threading.main_thread()
               and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    previous = signal.signal(signal.SIGINT, handler) if install else None
    try:
        yield lambda: hit[0]
    finally:
        if install:
            signal.signal(signal.SIGINT, previous)


# -- the loop ---------------------------------------------------------------------------------
def _pair(data: Any, name: str) -> tuple[Sequence[Any], Sequence[Any]]:
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(f"{name} must be a pair (X, y), got {type(data).__name__}")
    _nonempty(data[0], data[1], f"fit() {name}: fit")
    return data[0], data[1]


@dataclass
class _Epoch:
    """Running sums over one epoch's steps."""

    steps: int = 0
    loss: float = 0.0
    penalty: float = 0.0
    norms: list[float] = field(default_factory=list)
    outs: list[Output] = field(default_factory=list)
    targets: list[Any] = field(default_factory=list)


class _Trainer:
    """The pieces of one fit() run; ``step`` is one optimizer step on one batch."""

    def __init__(self, model: Any, loss_fn: LossFn, optimizer: Any,
                 regularization: Callable[[Any], Value] | None, track_grad_norms: bool) -> None:
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.regularization = regularization
        layers = getattr(model, "layers", None) if track_grad_norms else None
        self.groups = ([list(layer.parameters()) for layer in layers] if layers
                       else [list(model.parameters())] if track_grad_norms else [])

    def step(self, xb: list[Any], yb: list[Any], run: _Epoch, history: History,
             task: Task, y: Sequence[Any]) -> None:
        outputs = [self.model(x) for x in xb]
        if history.task == "auto":
            history.task, history.threshold = _resolve(task, outputs[0], y, self.loss_fn)
        loss = self.loss_fn(outputs, yb)
        if not isinstance(loss, Value):
            raise TypeError(f"loss_fn must return a Value, got {type(loss).__name__}: {loss!r}")
        objective = loss
        if self.regularization is not None:
            penalty = self.regularization(self.model)
            objective = loss + penalty
            run.penalty += float(penalty) * len(yb)
        self.optimizer.zero_grad()
        objective.backward()
        norms = [math.sqrt(sum(float(p.grad) ** 2 for p in g)) for g in self.groups]
        run.norms = [a + b for a, b in zip(run.norms, norms)] if run.norms else norms
        self.optimizer.step()
        run.steps += 1
        run.loss += loss.data * len(yb)
        run.outs += [_floats(o) for o in outputs]
        run.targets += yb
        history.step_loss.append(loss.data)

    def record(self, run: _Epoch, history: History, accuracy_fn: AccuracyFn | None) -> None:
        n = len(run.targets)
        history.loss.append(run.loss / n)
        if accuracy_fn is not None:
            history.accuracy.append(float(accuracy_fn(run.outs, run.targets)))
        elif history.task != "regression":
            history.accuracy.append(
                _accuracy(run.outs, run.targets, history.task, history.threshold))
        if self.regularization is not None:
            history.penalty.append(run.penalty / n)
        if self.groups:
            history.grad_norms.append([s / run.steps for s in run.norms])
        lr = getattr(self.optimizer, "lr", None)
        if isinstance(lr, (int, float)):
            history.lr.append(float(lr))


def fit(model: Any, loss_fn: LossFn, data: tuple[Sequence[Any], Sequence[Any]], optimizer: Any,
        epochs: int, batch_size: int | None = None, *,
        val_data: tuple[Sequence[Any], Sequence[Any]] | None = None, task: Task = "auto",
        accuracy_fn: AccuracyFn | None = None,
        regularization: Callable[[Any], Value] | None = None,
        callbacks: Callback | Sequence[Callback] = (), schedule: Any = None,
        track_grad_norms: bool = False, shuffle: bool = True, seed: int | None = None,
        verbose: bool = True) -> History:
    """Train ``model`` on ``data = (X, y)`` for ``epochs`` passes; return the :class:`History`.

    Each step calls ``loss_fn(outputs, targets)`` with ``outputs = [model(x) for x in
    batch]`` (Values, or lists of Values for several outputs) and the batch's targets, so
    ``losses.mse``, ``losses.hinge`` and ``losses.cross_entropy`` plug in directly;
    ``regularization(model)`` (e.g. an L2 penalty) is added to the loss before
    ``backward()``.  ``batch_size=None`` trains on the full batch, in the data's order;
    mini-batches are reshuffled every epoch from ``seed``. ``callbacks`` are called as
    ``cb(epoch, history)`` after each epoch (1-based); one returning True stops training
    (``history.stopped_early``).  A learning-rate ``schedule`` (see
    :mod:`autograd.schedules`) is stepped after each epoch; ``history.lr`` holds the rate
    each epoch used.  ``track_grad_norms=True`` records the gradient norm of each of
    ``model.layers``.  Progress shows with tqdm when it is installed, as a line every 10 %
    of the epochs otherwise; ``verbose=False`` is silent.  The model trains in train() mode
    and is evaluated in eval() mode.
    """
    X, y = _pair(data, "data")
    val = _pair(val_data, "val_data") if val_data is not None else None
    _count("epochs", epochs)
    size = len(X) if batch_size is None else _count("batch_size", batch_size)
    hooks = [callbacks] if callable(callbacks) else list(callbacks)
    for i, hook in enumerate(hooks):
        if not callable(hook):
            raise TypeError(f"callbacks[{i}] must be callable, got {type(hook).__name__}")
    _resolve(task, 0.0, [], None)                        # validates task before training
    rng, history = _rng(seed), History()
    trainer = _Trainer(model, loss_fn, optimizer, regularization, track_grad_norms)
    steps_per_epoch = math.ceil(len(X) / size)
    progress = _Progress(epochs, verbose)
    with _sigint_as_flag() as stop, _mode(model, True):
        try:
            for epoch in range(1, epochs + 1):
                run = _Epoch()
                for xb, yb in batches(X, y, size, shuffle and batch_size is not None,
                                      seed=rng):
                    trainer.step(xb, yb, run, history, task, y)
                    if stop():
                        break
                if run.steps < steps_per_epoch:          # Ctrl-C inside the epoch
                    history.interrupted = True
                    break
                trainer.record(run, history, accuracy_fn)
                if val is not None:
                    with _mode(model, False), no_grad():
                        outputs = [model(x) for x in val[0]]
                    metrics = _metrics(outputs, val[1], loss_fn, history.task,
                                       history.threshold, accuracy_fn)
                    history.val_loss.append(metrics["loss"])
                    if "accuracy" in metrics:
                        history.val_accuracy.append(metrics["accuracy"])
                if schedule is not None:
                    schedule.step()
                progress.update(history)
                if any([hook(epoch, history) is True for hook in hooks]):   # call them all
                    history.stopped_early = True
                    break
                if stop():
                    history.interrupted = True
                    break
        except KeyboardInterrupt:
            history.interrupted = True
    progress.close(history)
    return history
