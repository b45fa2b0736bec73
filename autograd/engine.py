"""The `Value` node: a real number that remembers how it was computed.

Every arithmetic operation on Values creates a new Value holding

* ``data``: the result, ``grad``: ∂(root)/∂(this node) once ``backward()`` ran;
* ``_prev``: the input nodes, in order (micrograd's name; also ``.children``);
* ``_op``: the :class:`~autograd.ops.Op` that made it (a ``str`` such as ``'*'``);
* ``_local``: the local derivatives ∂(this)/∂(input), as plain numbers computed
  once, at creation time, from the op's rule in :mod:`autograd.ops`.

No closures and no reference cycles: a node is a handful of slots, so graphs are
small, the garbage collector stays idle and the backward pass is pure data that
the explainer can print.  ``backward()`` walks the graph iteratively (no
recursion limit) and applies the chain rule::

    child.grad += ∂node/∂child × node.grad

Gradients **accumulate** across backward calls (as in PyTorch): call
``zero_grad()`` (or an optimizer's) between steps.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator, Sequence
from types import SimpleNamespace
from typing import Any

from . import graph, ops, state
from .collector import relaxed_gc
from .ops import (
    ABS,
    ADD,
    COS,
    DIV,
    EXP,
    FLOAT_MATH,
    LEAF,
    LEAKY_RELU,
    LOG,
    MUL,
    NEG,
    POW,
    POW_CONST,
    RELU,
    SIGMOID,
    SIN,
    SQRT,
    SUB,
    TANH,
    Op,
)
from .optable import _OutOfDomain
from .validate import is_real, node_name

__all__ = [
    "VALUE_MATH",
    "RemovableHandle",
    "Value",
    "apply",
    "is_real",
    "register_op",
]

Number = int | float
Scope = state.Scope
_current = state.current   # the thread's (task's) grad mode, scope and watchers


class Value:
    """A scalar node of the computation graph.

    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> c
    Value(data=-6.0, grad=0.0, op='*', label='c')
    >>> c.backward(); a.grad, b.grad
    (-3.0, 2.0)

    Comparisons: ``==``, ``!=`` and ``hash`` are *identity* (as in micrograd), so
    nodes can be dict keys and set members: ``Value(2.0) == 2.0`` is False, compare
    numbers with ``v.data == 2.0``.  ``<``, ``<=``, ``>``, ``>=`` compare the numbers
    held, so ``max(values)`` and ``sorted(values)`` work.  ``round(v)`` and
    ``float(v)`` give numbers.
    """

    __slots__ = (
        "__weakref__",   # 8 bytes a node: explain() finds the latest pass without keeping it
        "_hooks",
        "_id",
        "_label",
        "_local",
        "_op",
        "_prev",
        "_scope",
        "data",
        "grad",
        "requires_grad",
    )

    data: float
    grad: Any  # a float; a Value after backward(create_graph=True)
    _prev: tuple[Value, ...]
    _local: Sequence[Any]
    _op: Op
    _label: str
    _id: int
    requires_grad: bool
    _scope: Scope | None
    _hooks: list[Callable[[Any], Any]] | None

    def __new__(cls, data: Number = 0.0, label: str = "", *, requires_grad: bool = True,
                ) -> Value:
        if not is_real(data):
            if isinstance(data, Value):
                raise TypeError("Value() of a Value: use v.detach() or v.data")
            raise TypeError(f"Value() needs a real number (int, float, …), got "
                            f"{type(data).__name__}: {data!r}")
        if not isinstance(label, str):
            raise TypeError(f"Value() label must be a str, got {type(label).__name__}")
        if not isinstance(requires_grad, bool):
            raise TypeError(f"Value() requires_grad must be True or False, got "
                            f"{type(requires_grad).__name__}: {requires_grad!r}")
        return _node(_to_float(data, "Value()"), (), (), LEAF, _current(), requires_grad, cls,
                     label)

    def __reduce__(self) -> tuple[Any, ...]:
        """Copying and pickling: the node is rebuilt from its inputs, which are rebuilt first.

        So a copy gets a creation number of its own, newer than its inputs' (the
        topological order holds, and no two nodes share a number); its gradient and
        hooks are restored afterwards (a gradient graph from ``create_graph=True`` uses
        the node itself), the hooks as a list of its own.
        """
        return (_rebuilt, (type(self), self.data, self._prev, self._local, self._op,
                           self._label, self._scope, self.requires_grad),
                (self.grad, self._hooks))

    def __deepcopy__(self, memo: dict[int, Any]) -> Value:
        """``copy.deepcopy``: the whole graph copied, inputs first, without recursion (any
        depth), as :meth:`__reduce__` would; gradients and hooks are copied last."""
        with relaxed_gc():   # thousands of new nodes and no cycle for the collector to find
            return self._copied(memo)

    def _copied(self, memo: dict[int, Any]) -> Value:
        made = []
        for node in graph.topo_order(self):
            if id(node) not in memo:
                local = node._local     # numbers: a tuple of them is shared, as immutable
                memo[id(node)] = _rebuilt(
                    type(node), node.data, tuple(memo[id(c)] for c in node._prev),
                    local if type(local) is tuple else copy.deepcopy(local, memo), node._op,
                    node._label, None if node._scope is None else copy.deepcopy(node._scope, memo),
                    node.requires_grad)
                made.append(node)
        for node in made:
            grad, hooks = node.grad, node._hooks
            if type(grad) is not float or hooks is not None:
                memo[id(node)].__setstate__(copy.deepcopy((grad, hooks), memo))
            else:
                memo[id(node)].grad = grad
        return memo[id(self)]  # type: ignore[no-any-return]

    def __setstate__(self, state: Any) -> None:
        """The second half of :meth:`__reduce__`: gradient and hooks."""
        if isinstance(state, tuple) and len(state) == 2 and isinstance(state[1], dict):
            for name, value in state[1].items():      # a pickle from before __reduce__
                setattr(self, name, value)
            return
        self.grad, hooks = state
        self._hooks = list(hooks) if hooks else None

    @property
    def label(self) -> str:
        """The node's name in every view (``''``: the explainer names it ``v1``, ``v2`` …)."""
        return self._label

    @label.setter
    def label(self, text: str) -> None:
        if not isinstance(text, str):
            raise TypeError(f"Value.label must be a str, got {type(text).__name__}: {text!r}")
        self._label = text

    # -- micrograd / PyTorch-style accessors ---------------------------------------
    @property
    def op(self) -> Op:
        """The operation that made this node (``''`` for a leaf)."""
        return self._op

    @property
    def children(self) -> tuple[Value, ...]:
        """The input nodes, in order (same as micrograd's ``_prev``)."""
        return self._prev

    @property
    def local_grads(self) -> tuple[float, ...]:
        """∂self/∂child for each child, as stored at creation time."""
        return tuple(self._local)

    @property
    def is_leaf(self) -> bool:
        """True for nodes made by the user (no inputs)."""
        return not self._prev

    @property
    def scope(self) -> Scope | None:
        """The naming scope this node was created in (see :func:`scope`)."""
        return self._scope

    def item(self) -> float:
        """The number held (PyTorch's name)."""
        return self.data

    def __float__(self) -> float:
        """The number held, as ``float(v)``."""
        return self.data

    def __round__(self, ndigits: int | None = None) -> float:
        """``round(v, n)``: the number held, rounded (a number, not a node)."""
        return round(self.data, ndigits)

    def __repr__(self) -> str:
        """``Value(data=…, grad=…, op=…, label=…)``."""
        extra = (f", op={str(self._op)!r}" if self._prev else "") + (
            f", label={self.label!r}" if self.label else "")
        return f"Value(data={self.data!r}, grad={self.grad!r}{extra})"

    def __format__(self, spec: str) -> str:
        """``f"{v:.3f}"`` formats the number held; ``f"{v}"`` is the repr."""
        return format(self.data, spec) if spec else repr(self)

    def __add__(self, other: Value | Number) -> Value:
        """``a + b``: a new node; ∂/∂a = 1, ∂/∂b = 1."""
        return _binary(ADD, self, other)

    def __radd__(self, other: Number) -> Value:
        """``2 + v`` (the number becomes a constant leaf)."""
        return _binary(ADD, other, self)

    def __sub__(self, other: Value | Number) -> Value:
        """``a − b``; ∂/∂a = 1, ∂/∂b = −1."""
        return _binary(SUB, self, other)

    def __rsub__(self, other: Number) -> Value:
        """``2 − v``."""
        return _binary(SUB, other, self)

    def __mul__(self, other: Value | Number) -> Value:
        """``a·b``; ∂/∂a = b, ∂/∂b = a."""
        return _binary(MUL, self, other)

    def __rmul__(self, other: Number) -> Value:
        """``2·v``."""
        return _binary(MUL, other, self)

    def __truediv__(self, other: Value | Number) -> Value:
        """``a / b``; ∂/∂a = 1/b, ∂/∂b = −a/b²; division by zero raises :class:`DivisionByZero`."""
        return _binary(DIV, self, other)

    def __rtruediv__(self, other: Number) -> Value:
        """``2 / v``."""
        return _binary(DIV, other, self)

    def __pow__(self, other: Value | Number) -> Value:
        """``x ** n`` (n a number: ∂/∂x = n·xⁿ⁻¹) or ``a ** b`` (b a Value, a ≥ 0)."""
        if isinstance(other, Value):
            return _binary(POW, self, other)
        if not is_real(other):
            raise TypeError(f"unsupported operand type(s) for **: 'Value' and "
                            f"'{type(other).__name__}'")
        n = other if isinstance(other, (int, float)) else float(other)  # numpy scalars too
        return _unary(POW_CONST.bind(n), self)

    def __rpow__(self, other: Number) -> Value:
        """``2 ** v``."""
        return _binary(POW, other, self)

    def __neg__(self) -> Value:
        """``−v``; ∂/∂v = −1."""
        return _unary(NEG, self)

    def __pos__(self) -> Value:
        """``+v`` is ``v`` itself (no node)."""
        return self

    def __abs__(self) -> Value:
        """``abs(v)``; ∂/∂v = sign(v), 0 at 0."""
        return _unary(ABS, self)

    # The comparison rule: == and != (and hash) are IDENTITY, as in micrograd, so nodes can
    # be dict keys and set members (every graph walk relies on it): Value(2.0) == 2.0 is
    # False, compare numbers with v.data == 2.0.  The order comparisons <, <=, >, >= compare
    # the numbers held, so max(values) and sorted(values) work.
    def __lt__(self, other: Value | Number) -> bool:
        """``v < w`` compares the numbers held (``==`` is identity: see the class doc)."""
        return self.data < _number(other)

    def __le__(self, other: Value | Number) -> bool:
        """``v <= w`` compares the numbers held."""
        return self.data <= _number(other)

    def __gt__(self, other: Value | Number) -> bool:
        """``v > w`` compares the numbers held."""
        return self.data > _number(other)

    def __ge__(self, other: Value | Number) -> bool:
        """``v >= w`` compares the numbers held."""
        return self.data >= _number(other)

    __hash__ = object.__hash__

    # -- functions (derivative rules live in autograd/ops.py) --------------------------
    def exp(self) -> Value:
        """eˣ; raises OverflowError (naming the value) above x ≈ 709.78."""
        return _unary(EXP, self)

    def log(self) -> Value:
        """Natural logarithm; ``ValueError`` for x ≤ 0."""
        return _unary(LOG, self)

    def sqrt(self) -> Value:
        """Square root; ``ValueError`` for x < 0; slope +∞ at 0 (as PyTorch)."""
        return _unary(SQRT, self)

    def tanh(self) -> Value:
        """Hyperbolic tangent, stable for any finite x; ∂/∂x = 1 − tanh²."""
        return _unary(TANH, self)

    def sigmoid(self) -> Value:
        """σ(x) = 1/(1 + e⁻ˣ), stable for any finite x; ∂/∂x = σ(1 − σ)."""
        return _unary(SIGMOID, self)

    def relu(self) -> Value:
        """max(0, x); slope 0 at the kink x = 0 (PyTorch's convention)."""
        return _unary(RELU, self)

    def leaky_relu(self, alpha: float = 0.01) -> Value:
        """x for x > 0, αx otherwise; slope α at x = 0 (as PyTorch)."""
        if not is_real(alpha):
            raise TypeError(f"leaky_relu() alpha must be a number, got {type(alpha).__name__}")
        return _unary(LEAKY_RELU.bind(float(alpha)), self)

    def abs(self) -> Value:
        """|x|; slope 0 at x = 0 (PyTorch's convention)."""
        return _unary(ABS, self)

    def sin(self) -> Value:
        """sin(x); ∂/∂x = cos(x)."""
        return _unary(SIN, self)

    def cos(self) -> Value:
        """cos(x); ∂/∂x = −sin(x)."""
        return _unary(COS, self)

    # -- graph control -----------------------------------------------------------------
    def backward(self, grad: float | Value = 1.0, *, create_graph: bool = False) -> None:
        """Backpropagate from this node: every node's ``grad`` += ∂self/∂node · grad.

        Iterative (no recursion limit).  Gradients accumulate across calls, as in
        PyTorch: zero them first (``zero_grad()``) to start afresh.  With
        ``create_graph=True`` the gradients are themselves Values with a graph
        (built from the same op rules), so they can be differentiated again.
        """
        if not self.requires_grad:
            raise RuntimeError(f"backward() from {node_name(self)}, which needs no gradient "
                               "(requires_grad=False, or made under no_grad()): nothing to do")
        for before in state.BEFORE_BACKWARD:   # e.g. close a half-done stepping pass
            before(self)
        if create_graph:
            if not (is_real(grad) or isinstance(grad, Value)):
                raise TypeError(f"backward() grad must be a number or a Value, got "
                                f"{type(grad).__name__}: {grad!r}")
            graph.backward_graph(self, grad, VALUE_MATH, _as_value)
            state.remember_pass(self)
            return
        if not is_real(grad):
            raise TypeError(f"backward() grad must be a number (the seed ∂out/∂out, 1.0 by "
                            f"default), got {type(grad).__name__}: {grad!r}")
        graph.backward(self, _to_float(grad, "backward() grad"), state.check())
        state.remember_pass(self)

    def zero_grad(self) -> None:
        """Set ``grad`` to 0.0 on every node of this node's graph."""
        graph.zero_grad(self)

    def detach(self) -> Value:
        """A new leaf with the same number and no history (``requires_grad=False``)."""
        return Value(self.data, self.label, requires_grad=False)

    def register_hook(self, fn: Callable[[Any], Any]) -> RemovableHandle:
        """Call ``fn(grad)`` when this node's gradient is complete during backward.

        If ``fn`` returns something other than None, that number replaces the
        gradient (and is what flows on to the inputs).  ``handle.remove()`` undoes it.
        """
        if not callable(fn):
            raise TypeError(f"register_hook() needs a callable, got {type(fn).__name__}")
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return RemovableHandle(self, fn)

    # -- the explainer's views as methods for the REPL ----------------------------------
    # The engine imports nothing above it: the explainer's functions reach these
    # methods through VIEWS, which the package's front door fills (autograd/__init__.py).
    def tree(self) -> str:
        """The graph as an indented text tree (see :func:`autograd.explainer.tree`)."""
        return _view("tree")(self)  # type: ignore[no-any-return]

    def trace(self) -> str:
        """The forward trace table (see :func:`autograd.explainer.trace`)."""
        return _view("trace")(self)  # type: ignore[no-any-return]

    def backward_steps(self, grad: float = 1.0, *, by: str = "node",
                       leaves: bool = False) -> Iterator[Any]:
        """Backpropagate a step at a time (by ``"node"``, ``"neuron"`` or ``"layer"``),
        yielding explained steps (see :func:`autograd.explainer.backward_steps`)."""
        return _view("backward_steps")(self, grad, by=by,  # type: ignore[no-any-return]
                                       leaves=leaves)


class RemovableHandle:
    """Returned by :meth:`Value.register_hook`; ``remove()`` unregisters the hook."""

    def __init__(self, node: Value, fn: Callable[[Any], Any]) -> None:
        self.node, self.fn = node, fn

    def remove(self) -> None:
        """Unregister the hook (doing it twice is harmless)."""
        hooks = self.node._hooks
        if hooks and self.fn in hooks:
            hooks.remove(self.fn)
            if not hooks:
                self.node._hooks = None


VIEWS: dict[str, Callable[..., Any]] = {}
"""The explainer's functions behind ``Value.tree``/``trace``/``backward_steps``, by name."""


def _view(name: str) -> Callable[..., Any]:
    try:
        return VIEWS[name]
    except KeyError:
        raise RuntimeError(f"Value.{name}() needs the explainer: import autograd") from None


_new = object.__new__
_next_id = itertools.count().__next__
_ONLY_VALUES = {Value}


def _rebuilt(cls: type[Value], data: float, ins: tuple[Value, ...], local: Sequence[Any],
             op: Op, label: str, scope: Scope | None, requires_grad: bool) -> Value:
    """A copied or unpickled node (see :meth:`Value.__reduce__`): history kept, even
    under ``no_grad()``, and no anomaly watcher called (nothing was computed)."""
    return _node(data, ins, local, op, (True, scope, None, None), requires_grad, cls, label)


def _const(x: Any, where: str = "a constant") -> Value:
    """Wrap a Python number as a constant leaf (no gradient needed)."""
    return _node(_to_float(x, where), (), (), LEAF, _current(), False)


def _to_float(x: Any, where: str) -> float:
    """``float(x)``, or an error naming ``where`` for an int or Fraction too large for a float."""
    try:
        return float(x)
    except OverflowError:
        raise OverflowError(f"{where}: the number {_short(x)} is too large for a float "
                            f"(the largest is about 1.8e308)") from None


def _short(x: Any) -> str:
    text = repr(x)
    return text if len(text) <= 40 else f"{text[:20]}…{text[-10:]} ({len(text)} characters)"


def _apply(op: Op, args: tuple[Any, ...]) -> Value:
    """Run the n-ary ``op`` on the inputs (Values or numbers) and record a node.

    The inputs' numbers go through ``op.forward``; the same numbers and the result
    go through ``op.derivative`` to give the local derivatives stored on the node.
    One and two inputs take the same steps in :func:`_unary` and :func:`_binary`.
    """
    ins = args if _ONLY_VALUES.issuperset(map(type, args)) else tuple(
        _operand(op, a, args) for a in args)
    xs = [a.data for a in ins]
    try:
        data = op.forward(xs)
    except _OutOfDomain as e:
        raise _located(e, ins) from None
    except TypeError:
        _raise_bad_input(ins)
        raise
    st = _current()
    return _node(data, ins, op.derivative(FLOAT_MATH, data, xs) if st[0] else (), op, st)


def _unary(op: Op, a: Value) -> Value:
    x = a.data
    try:
        data = op.forward(x)
    except _OutOfDomain as e:
        raise _located(e, (a,)) from None
    except TypeError:
        _raise_bad_input((a,))
        raise
    st = _current()
    return _node(data, (a,), op.derivative(FLOAT_MATH, data, x) if st[0] else (), op, st)


def _binary(op: Op, a: Any, b: Any) -> Value:
    if type(a) is not Value:
        a = _operand(op, a, (a, b))
    if type(b) is not Value:
        b = _operand(op, b, (a, b))
    x, y = a.data, b.data
    try:
        data = op.forward(x, y)
    except _OutOfDomain as e:
        raise _located(e, (a, b)) from None
    except TypeError:
        _raise_bad_input((a, b))
        raise
    st = _current()
    return _node(data, (a, b), op.derivative(FLOAT_MATH, data, x, y) if st[0] else (), op, st)


def _node(data: float, ins: tuple[Value, ...], local: Sequence[Any], op: Op,
          st: state.EngineState, requires_grad: bool = True, cls: type[Value] = Value,
          label: str = "") -> Value:
    """THE node constructor, the one place a node's fields are written: a new node,
    or (under ``no_grad()``) a constant leaf; ``Value(...)`` comes here too.

    ``st`` is the engine state the caller read once (grad mode, scope, watcher).
    """
    if type(data) is not float:     # a .data set to a Value or a str shows up here, at once
        raise _bad_data(data, ins)
    record, scope, watch, _ = st
    v = _new(cls)
    v.data = data
    v.grad = 0.0
    v._label = label
    v._scope = scope
    v._hooks = None
    v._id = _next_id()
    if record or not ins:   # a leaf keeps requires_grad even under no_grad(), as in PyTorch
        v._prev, v._local, v._op, v.requires_grad = ins, local, op, requires_grad
    else:
        v._prev, v._local, v._op, v.requires_grad = (), (), LEAF, False
    if watch is not None:
        watch(v)
    return v


def _raise_bad_input(ins: Sequence[Value]) -> None:
    """Raise the clear error if an input's ``.data`` is not a float (else return)."""
    for v in ins:
        if type(v.data) is not float:
            hint = (" (did you mean p.data -= lr * p.grad? p - lr * p.grad is a new node)"
                    if isinstance(v.data, Value) else "")
            raise TypeError(f"node {node_name(v)} holds .data = {_short(v.data)}, not a "
                            f"number{hint}") from None


def _bad_data(data: Any, ins: Sequence[Value]) -> TypeError:
    """The error for a node whose computed number is not a float."""
    _raise_bad_input(ins)
    return TypeError(f"an op gave {type(data).__name__} {_short(data)}, not a float")


def _operand(op: Op, x: Any, args: Sequence[Any]) -> Value:
    """A Value as is, a number as a constant; anything else is a TypeError."""
    if type(x) is Value:
        return x
    if is_real(x):
        return _const(x, op.name)
    if isinstance(x, Value):  # a subclass of Value
        return x
    if len(args) <= 2:
        kinds = " and ".join(repr(type(a).__name__) for a in args)
        raise TypeError(f"unsupported operand type(s) for {op.name}: {kinds}")
    raise TypeError(f"{op.name}() got a {type(x).__name__} among its inputs, "
                    f"not a Value or a number")


def _located(e: _OutOfDomain, ins: Sequence[Value]) -> Exception:
    """The user-facing error: the rule's message plus the offending node's name."""
    return e.kind(f"{e} at node {node_name(ins[e.index])}")


def _number(x: Any) -> float:
    if isinstance(x, Value):
        return x.data
    if is_real(x):
        return float(x)
    raise TypeError(f"cannot compare Value with {type(x).__name__}")


def _as_value(x: Any) -> Value:
    return x if isinstance(x, Value) else _const(x)


def apply(op: Op, *inputs: Value | Number, params: Sequence[float] = ()) -> Value:
    """Apply any registered op to Values or numbers: ``apply(OPS['tanh'], x)``.

    ``params`` are the op's parameters (``leaky_relu``'s α), checked to be numbers.
    The same path as the operators and methods: one node, its local derivatives
    from the op's rule, errors that name the node.
    """
    if not isinstance(op, Op):
        raise TypeError(f"apply(): op must be an Op, got {type(op).__name__}")
    if len(params) != len(op.param_names):
        raise TypeError(f"{op.name}() takes {len(op.param_names)} parameter(s) "
                        f"({', '.join(op.param_names) or 'none'}), got {len(params)}")
    for name, p in zip(op.param_names, params):
        if not is_real(p):
            raise TypeError(f"{op.name}(): {name} must be a number, got {type(p).__name__}")
    if params:
        op = op.bind(*params)
    if op.arity is not None and len(inputs) != op.arity:
        raise TypeError(f"{op.name}() takes {op.arity} input(s), got {len(inputs)}")
    if op.arity == 1:
        return _unary(op, _operand(op, inputs[0], inputs))
    if op.arity == 2:
        return _binary(op, inputs[0], inputs[1])
    return _apply(op, tuple(inputs))


def register_op(op: Op, *, replace: bool = False) -> Op:
    """Register ``op`` everywhere with ONE call: the op table (:func:`autograd.ops.register`:
    backward, ``create_graph``, pickling, the explainer, diagrams, the command line,
    activations) and, if it has a ``method`` name that ``Value`` lacks, ``x.name(...)``."""
    ops.register(op, replace=replace)
    name = op.method
    if name:
        existing = Value.__dict__.get(name)
        if existing is None or getattr(existing, "_registered_op", False):
            def method(self: Value, *args: Any) -> Value:   # x.op(other inputs, params)
                current = ops.OPS[op.name]
                k = (current.arity or 1) - 1
                return apply(current, self, *args[:k], params=args[k:])
            method.__name__ = method.__qualname__ = name
            method.__doc__ = f"{op.name}(x): {op.formula(0)}"
            method._registered_op = True  # type: ignore[attr-defined]
            setattr(Value, name, method)
    return op


VALUE_MATH = SimpleNamespace(exp=Value.exp, log=Value.log, sin=Value.sin, cos=Value.cos,
                             val=lambda v: v.data if isinstance(v, Value) else float(v),
                             kink=lambda x, slope, second: apply(ops.KINK, x,
                                                                 params=(slope, second)))
"""Math namespace that makes an op's derivative rule build a graph (create_graph)."""

