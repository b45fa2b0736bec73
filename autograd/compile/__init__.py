"""Compile a traced step into straight-line Python: the chain rule as code.

Build one step's graph with the engine as usual, then::

    from autograd.compile import compile
    prog = compile(loss, params=model, inputs=rows, outputs=[loss, scores])
    for k in range(100):
        model.zero_grad()
        loss_value, score_values = prog()      # or prog(new_rows)
        for p in model.parameters():
            p.data -= lr * p.grad

``prog(...)`` runs the forward and the backward pass with the parameters'
*current* ``.data`` and adds the gradients to their ``.grad`` exactly as
``loss.backward()`` would on a freshly built graph: the same operations, the same
order of additions, so the same floats, bit for bit.  ``print(prog.source)``
shows the code: one line per node forward (``z = b + w1 * x1 + w2 * x2``), one line
per edge backward (``g_w1 += x1 * g_z  # ∂z/∂w1 = x1``), names made from the
labels, formulas in comments.

What a traced step is (as with ``torch.jit.trace``): the graph's **shape is
fixed**.  Every Python decision taken while the graph was built — a branch on a
number, a loop count, a shift computed from the data (softmax's max, a clamp) —
is frozen, and every leaf that is neither a parameter nor an input is a
**constant** frozen at its traced number (the targets of a loss, for example).
``inputs`` are leaves whose numbers change from run to run: a list of samples,
each a Value or a list of Values.  Nodes that depend on a single sample are
written once as a shared function and called per sample, so compiling a batch
costs little more than compiling one sample.

Refused, with :class:`CompileError`: graphs with hooks, dropout masks (nodes of a
``Dropout`` layer in training mode: the mask would be frozen), ops whose row has
no code template, a leaf root.  A program traced with ``params=model`` refuses
to run (:class:`StaleProgramError`) once ``model.parameters()`` changed (a
module added or replaced) or a parameter's ``requires_grad`` changed.  Inside
``detect_anomaly()``, or when the generated code raises, the step is run
eagerly instead, so errors name the node exactly as ``backward()`` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..engine import Value
from .codegen import write
from .plan import CompileError, make_plan
from .program import Program, StaleProgramError

__all__ = ["CompileError", "Program", "StaleProgramError", "compile"]


def compile(loss: Value, params: Any = (), inputs: Any = None,
            outputs: Any = None) -> Program:
    """Trace ``loss``'s graph into a :class:`Program` (see the module's documentation).

    ``params``: a model (anything with a ``parameters()`` method, checked at every
    run) or the parameter Values; ``inputs``: the samples whose numbers each run
    may change (a list of Values or of lists of Values), ``None`` for none;
    ``outputs``: the nodes whose numbers a run returns (a Value or nested lists of
    Values of the graph), ``loss`` by default.
    """
    model = params if callable(getattr(params, "parameters", None)) else None
    listed = list(model.parameters() if model is not None else _values(params))
    plan, shape = make_plan(loss, listed, inputs, outputs)
    return Program(plan, shape, write(plan), model, listed)


def _values(params: Any) -> Iterable[Any]:
    if isinstance(params, Value) or not isinstance(params, Iterable):
        raise TypeError(f"compile: params must be a model or a list of Values, got "
                        f"{type(params).__name__}")
    return params
