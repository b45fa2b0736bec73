"""The training loop: ``fit()`` a model to data and keep a :class:`History`.

One optimizer step on a mini-batch B is the whole story of training::

    outputs = [model(x) for x in B]              forward pass, one graph per sample
    L = loss_fn(outputs, targets)  (+ R(model))  mean loss over B (+ regularization)
    optimizer.zero_grad(); L.backward()          ∂L/∂θ for every parameter θ
    optimizer.step()                             θ ← θ − η·∂L/∂θ (or Adam's rule …)

An *epoch* is one pass over the data, ⌈n / batch_size⌉ steps (one step with the
default full batch).  ``Ctrl-C`` stops cleanly after the current step; the
history so far is returned with ``interrupted=True``.

``compile=True`` runs the first step of each batch as above, compiles it
(:func:`autograd.compile.compile`) and replays the compiled step afterwards:
the same gradients bit for bit, several times faster.  The batches must then
be the same every epoch (the full batch, or ``shuffle=False``), as must the
graph's shape (no dropout in training mode).  The cyclic garbage collector runs
rarely while ``fit()`` runs (:func:`autograd.collector.relaxed_gc`).

What accuracy means is decided by the *task*: see :mod:`autograd.training.metrics`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .. import validate
from ..collector import relaxed_gc
from ..compile import Program
from ..compile import compile as compile_step
from ..engine import Value
from ..modes import no_grad
from ..nn.dropout import Dropout
from .data import _count, _rng, batches
from .metrics import (
    AccuracyFn,
    History,
    LossFn,
    Output,
    Task,
    _accuracy,
    _floats,
    _metrics,
    _mode,
    _nonempty,
    _resolve,
    accuracy,
    evaluate,
    infer_task,
    predict,
)
from .progress import _Progress, _sigint_as_flag

__all__ = ["History", "accuracy", "evaluate", "fit", "infer_task", "predict"]

Callback = Callable[[int, "History"], Any]


# -- outputs, tasks and accuracy -------------------------------------------------------
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
                 regularization: Callable[[Any], Value] | None, track_grad_norms: bool,
                 compiled: bool) -> None:
        self.model, self.loss_fn, self.optimizer = model, loss_fn, optimizer
        self.regularization = regularization
        layers = getattr(model, "layers", None) if track_grad_norms else None
        self.groups = ([list(layer.parameters()) for layer in layers] if layers
                       else [list(model.parameters())] if track_grad_norms else [])
        self.programs: dict[int, Program] | None = {} if compiled else None

    def step(self, xb: list[Any], yb: list[Any], run: _Epoch, history: History,
             task: Task, y: Sequence[Any], batch: int = 0) -> None:
        prog = self.programs.get(batch) if self.programs is not None else None
        if prog is not None:                       # a compiled replay of this batch's step
            self.optimizer.zero_grad()
            loss, outs, *penalty = prog()
        else:
            loss, outs, penalty = self._traced(xb, yb, history, task, y, batch)
        if penalty:
            run.penalty += penalty[0] * len(yb)
        norms = [math.sqrt(sum(float(p.grad) ** 2 for p in g)) for g in self.groups]
        run.norms = [a + b for a, b in zip(run.norms, norms)] if run.norms else norms
        self.optimizer.step()
        run.steps += 1
        run.loss += loss * len(yb)
        run.outs += [_floats(o) for o in outs]
        run.targets += yb
        history.step_loss.append(loss)

    def _traced(self, xb: list[Any], yb: list[Any], history: History, task: Task,
                y: Sequence[Any], batch: int) -> tuple[float, list[Any], list[float]]:
        """One step with the engine (compiled for the next epochs when asked)."""
        leaves = [_leaves(x) for x in xb] if self.programs is not None else []
        rows = leaves if leaves and all(r is not None for r in leaves) else None
        outputs = [self.model(x) for x in (xb if rows is None else rows)]
        if history.task == "auto":
            history.task, history.threshold = _resolve(task, outputs[0], y, self.loss_fn)
        loss = self.loss_fn(outputs, yb)
        if not isinstance(loss, Value):
            raise TypeError(f"loss_fn must return a Value, got {type(loss).__name__}: {loss!r}")
        objective, penalty = loss, []
        if self.regularization is not None:
            term = self.regularization(self.model)
            objective, penalty = loss + term, [term]
        if self.programs is not None:
            self.programs[batch] = compile_step(objective, params=self.model, inputs=rows,
                                                outputs=[loss, outputs, *penalty])
        self.optimizer.zero_grad()
        objective.backward()
        return loss.data, outputs, [float(p) for p in penalty]

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


def _leaves(x: Any) -> Any:
    """A sample as input leaves, made as ``as_inputs`` makes them (``x1``, ``x2`` …, no
    gradient), so that a compiled step knows each sample's inputs; None if not numbers."""
    if validate.is_real(x):
        return Value(float(x), "x1", requires_grad=False)
    if isinstance(x, (list, tuple)) and all(validate.is_real(v) for v in x):
        return [Value(float(v), f"x{i + 1}", requires_grad=False) for i, v in enumerate(x)]
    return None


def _check_compile(model: Any, shuffled: bool) -> None:
    if shuffled:
        raise ValueError("fit: compile=True needs the same batches every epoch (a compiled "
                         "step replays its batch): use shuffle=False or the full batch")
    modules = model.modules() if callable(getattr(model, "modules", None)) else []
    if any(isinstance(m, Dropout) and m.p > 0 for m in modules):
        raise ValueError("fit: compile=True cannot replay dropout (its masks would be frozen "
                         "in the compiled step): train without compile, or without dropout")


def fit(model: Any, loss_fn: LossFn, data: tuple[Sequence[Any], Sequence[Any]], optimizer: Any,
        epochs: int, batch_size: int | None = None, *,
        val_data: tuple[Sequence[Any], Sequence[Any]] | None = None, task: Task = "auto",
        accuracy_fn: AccuracyFn | None = None,
        regularization: Callable[[Any], Value] | None = None,
        callbacks: Callback | Sequence[Callback] = (), schedule: Any = None,
        track_grad_norms: bool = False, shuffle: bool = True, seed: int | None = None,
        verbose: bool = True, compile: bool = False) -> History:
    """Train ``model`` on ``data = (X, y)`` for ``epochs`` passes; return the :class:`History`.

    Each step calls ``loss_fn(outputs, targets)`` with ``outputs = [model(x) for x in
    batch]`` (Values, or lists of Values for several outputs) and the batch's targets, so
    ``losses.mse``, ``losses.hinge`` and ``losses.cross_entropy`` plug in directly;
    ``regularization(model)`` (e.g. an L2 penalty) is added to the loss before
    ``backward()``.  ``batch_size=None`` trains on the full batch, in the data's order;
    mini-batches are reshuffled every epoch from ``seed``. ``callbacks`` are called as
    ``cb(epoch, history)`` after each epoch (1-based); one returning True stops training
    (``history.stopped_early``).  A learning-rate ``schedule`` (see
    :mod:`autograd.optim.schedules`) is stepped after each epoch; ``history.lr`` holds the rate
    each epoch used.  ``track_grad_norms=True`` records the gradient norm of each of
    ``model.layers``.  Progress shows with tqdm when it is installed, as a line every 10 %
    of the epochs otherwise; ``verbose=False`` is silent.  The model trains in train() mode
    and is evaluated in eval() mode.

    ``compile=True`` compiles each batch's step after its first run and replays it (see
    the module's documentation): same results, several times faster.  It needs fixed
    batches (full batch or ``shuffle=False``) and no dropout; Python decisions that the
    loss takes from the numbers (a clamp, a branch on a sign, softmax's shift) are frozen
    at their first run, so such a loss gives the same numbers only up to rounding.
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
    shuffled = shuffle and batch_size is not None
    if validate.boolean("fit", "compile", compile):
        _check_compile(model, shuffled)
    rng, history = _rng(seed), History()
    trainer = _Trainer(model, loss_fn, optimizer, regularization, track_grad_norms, compile)
    steps_per_epoch = math.ceil(len(X) / size)
    progress = _Progress(epochs, verbose)
    with _sigint_as_flag() as stop, _mode(model, True), relaxed_gc():
        try:
            for epoch in range(1, epochs + 1):
                run = _Epoch()
                for batch, (xb, yb) in enumerate(batches(X, y, size, shuffled, seed=rng)):
                    trainer.step(xb, yb, run, history, task, y, batch)
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
