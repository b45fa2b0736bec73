"""A compiled step: run it, check it still fits the model, replay it eagerly, sync it."""

from __future__ import annotations

import builtins
import itertools
import linecache
import weakref
from collections.abc import Sequence
from math import copysign
from operator import attrgetter
from typing import Any

from .. import state
from ..collector import relaxed_gc
from ..engine import Value, _apply, _binary, _unary, is_real
from ..modes import enable_grad
from ..ops import FLOAT_MATH, Op
from .codegen import Source
from .plan import Plan

__all__ = ["Program", "StaleProgramError"]

_serial = itertools.count(1).__next__
_requires_grad = attrgetter("requires_grad")


class StaleProgramError(RuntimeError):
    """The model changed since the step was traced (a module added or replaced, a
    parameter frozen or unfrozen): compile again."""


class Program:
    """One traced step as Python code (see :func:`autograd.compile.compile`).

    ``prog(inputs)`` runs the forward and backward pass with the parameters'
    current ``.data`` and adds this pass's gradients to their ``.grad`` exactly as
    ``backward()`` does; it returns the outputs' numbers.  ``prog.source`` is the
    code; ``prog.sync()`` writes the latest run's numbers into the traced nodes.
    """

    def __init__(self, plan: Plan, shape: Any, source: Source, model: Any,
                 listed: list[Value]) -> None:
        self._plan, self._shape, self._model, self._listed = plan, shape, model, listed
        self.source: str = source.text
        """The generated Python: the forward pass line by line, then the backward pass."""
        self._params = plan.params
        self._grad_params = source.grad_params
        self._flags = tuple(map(_requires_grad, plan.params))
        self._row_sizes = [len(r) for r in plan.rows]
        self._X: list[float] = [float(v.data) for v in plan.inputs]
        self._last: tuple[list[Any], list[float]] | None = None
        filename = f"<autograd.compile #{_serial()}>"
        namespace: dict[str, Any] = dict(source.env)
        exec(builtins.compile(self.source, filename, "exec"), namespace)
        self._step = namespace["step"]
        lines = self.source.splitlines(keepends=True)
        linecache.cache[filename] = (len(self.source), None, lines, filename)
        weakref.finalize(self, linecache.cache.pop, filename, None)

    @property
    def params(self) -> list[Value]:
        """The parameters the step reads and trains (those that are nodes of the graph)."""
        return list(self._params)

    def __repr__(self) -> str:
        plan = self._plan
        return (f"Program({len(plan.order)} nodes, {len(plan.params)} parameters, "
                f"{len(plan.inputs)} inputs, {len(plan.groups)} shared functions, "
                f"{self.source.count(chr(10))} lines)")

    # -- running ----------------------------------------------------------------------------
    def __call__(self, inputs: Any = None, *, sync: bool = False) -> Any:
        """Run forward and backward once; return the outputs (numbers, as traced).

        ``inputs`` has the traced shape (rows of numbers or Values); ``None`` reuses
        the latest inputs (at first, the traced ones).  ``sync=True`` also calls
        :meth:`sync`.  Inside ``detect_anomaly()``, or when the compiled code raises
        (``log`` of a negative number …), the step runs eagerly instead, so that
        errors name the node exactly as ``backward()`` does.  The run happens inside
        :func:`autograd.collector.relaxed_gc` (the collector's settings come back after).
        """
        self._check_model()
        X = self._X if inputs is None else self._read(inputs)
        P = [p.data for p in self._params]
        if state.watch() is not None or state.check() is not None:   # detect_anomaly()
            outs = self._eager(X)
        else:
            with relaxed_gc():
                try:
                    outs, grads = self._step(P, X)
                except Exception:  # re-run eagerly: the engine raises with the node's name
                    outs = self._eager(X)
                else:
                    if not self._write(grads):
                        outs = self._eager(X)
        self._X, self._last = X, (P, X)
        if sync:
            self.sync()
        return _rebuild(self._shape, iter(outs))

    def _check_model(self) -> None:
        model = self._model
        if model is not None and list(model.parameters()) != self._listed:
            raise StaleProgramError("compiled step: the model's parameters changed since it "
                                    "was traced (a module added or replaced): compile again")
        if tuple(map(_requires_grad, self._params)) != self._flags:
            raise StaleProgramError("compiled step: a parameter's requires_grad changed since "
                                    "it was traced: compile again")

    def _read(self, inputs: Any) -> list[float]:
        sizes = self._row_sizes
        if isinstance(inputs, (str, bytes)) or not isinstance(inputs, Sequence) \
                or len(inputs) != len(sizes):
            raise ValueError(f"compiled step: inputs must be {len(sizes)} rows as traced, got "
                             f"{type(inputs).__name__}"[:200])
        flat: list[float] = []
        for i, (row, n) in enumerate(zip(inputs, sizes)):
            items = [row] if (isinstance(row, Value) or is_real(row)) else row
            if isinstance(items, (str, bytes)) or not isinstance(items, Sequence) \
                    or len(items) != n:
                raise ValueError(f"compiled step: inputs[{i}] must hold {n} number(s) as "
                                 f"traced, got {items!r}"[:200])
            for x in items:
                if isinstance(x, Value):
                    x = x.data
                if not is_real(x):
                    raise TypeError(f"compiled step: inputs[{i}] holds {type(x).__name__} "
                                    f"{x!r}, not a number"[:200])
                flat.append(float(x))
        return flat

    def _write(self, grads: Sequence[Any]) -> bool:
        """Add the pass's gradients to ``.grad`` as the engine does (pass + old).

        False, writing nothing, when an old gradient is not a plain float or is −0.0
        with no contribution here: then only an eager pass knows its exact sign.
        """
        new = []
        for p, a in zip(self._grad_params, grads):
            o = p.grad
            if type(o) is not float:
                return False
            if o:
                new.append(a + o)
            elif a or copysign(1.0, o) > 0:
                new.append(a)
            else:
                return False
        for p, v in zip(self._grad_params, new):
            p.grad = v
        return True

    def _eager(self, X: Sequence[float]) -> list[float]:
        """The step as the engine runs it: the traced graph rebuilt node by node, then
        ``backward()`` (errors and anomaly checks name the node, as always)."""
        plan = self._plan
        index = {v: i for i, v in enumerate(plan.inputs)}
        new: dict[Value, Value] = {}
        with enable_grad():
            for node in plan.order:
                kind = plan.kind[node]
                if kind == "param":
                    new[node] = node
                elif kind != "op":
                    x = X[index[node]] if kind == "input" else node.data
                    new[node] = Value(x, node.label, requires_grad=node.requires_grad)
                else:
                    v = _run_op(node._op, [new[c] for c in node._prev])
                    v.label = node.label
                    if node._scope is not None:
                        node._scope.tag(v)
                    new[node] = v
            new[plan.root].backward()
        return [new[v].data for v in plan.outputs]

    # -- sync ---------------------------------------------------------------------------------
    def sync(self) -> None:
        """Write the latest run's numbers into the traced nodes, so that ``trace()``,
        the stepper and the diagrams show this step.

        Every node gets its value, local derivatives and this pass's gradient
        (computed as ``backward()`` would on a fresh graph); the inputs get the run's
        numbers.  The parameters keep their ``.data`` (perhaps already updated by an
        optimizer) and their ``.grad`` (the run added to it).
        """
        if self._last is None:
            raise RuntimeError("compiled step: sync() needs a run first")
        plan = self._plan
        P, X = self._last
        pval = dict(zip(self._params, P))
        for v, x in zip(plan.inputs, X):
            v.data = x
        for n in plan.ops:
            xs = [pval[c] if c in pval else c.data for c in n._prev]
            op: Op = n._op
            if op.arity is None:
                n.data = op.forward(xs)
                n._local = op.derivative(FLOAT_MATH, n.data, xs)
            else:
                n.data = op.forward(*xs)
                n._local = op.derivative(FLOAT_MATH, n.data, *xs)
        for n in plan.order:
            if plan.kind[n] != "param":
                n.grad = 0.0
        plan.root.grad = 1.0
        for n in reversed(plan.ops):       # graph.backward_steps, without touching parameters
            g = n.grad
            if g == 0.0:
                total = sum(n._local)
                if total - total == 0.0:
                    continue
            for c, d in zip(n._prev, n._local):
                if c.requires_grad and plan.kind[c] != "param":
                    c.grad += d * g


def _run_op(op: Op, ins: list[Value]) -> Value:
    if op.arity is None:
        return _apply(op, tuple(ins))
    if op.arity == 1:
        return _unary(op, ins[0])
    return _binary(op, ins[0], ins[1])


def _rebuild(shape: Any, values: Any) -> Any:
    if shape is None:
        return next(values)
    return [_rebuild(s, values) for s in shape]
