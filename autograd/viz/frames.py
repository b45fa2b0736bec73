"""The frames of a backprop lesson: forward, backward a step at a time, then the update.

:func:`lesson` runs the backward pass of :func:`autograd.explainer.backward_steps`
on the real graph (and puts every gradient back afterwards) and returns the
frames that the stepper page plays and :func:`~autograd.viz.save_frames` draws:

1. with ``forward=True``, the forward pass: the leaves hold their values, then the
   values appear in creation order, a layer at a time for a network (one node at a
   time outside any layer);
2. the start of the backward pass, then one frame per step (``by=`` node, neuron or
   layer), each gradient shown as every view shows it: ``?`` before a use of the
   node is processed (``0.25 + ?`` on a gradient held from an earlier pass),
   ``0.5 (1 of 2 uses)`` while pending, ``0.5`` once final;
3. given ``update=`` (a learning rate, or an optimizer with ``preview()``), the
   update: each parameter's old value, its change and its new value, computed
   without changing the optimizer or the parameters.

A frame lists only what changed (:class:`Show` per node); replaying frames
0…k gives frame k's picture.  Each frame also carries the quiz's questions for
its new numbers (:mod:`autograd.viz.questions`); the update's parameters are
found by :mod:`autograd.viz.updates` (never the inputs).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import graph
from ..engine import Value
from ..explainer import backward_steps, names
from ..explainer.records import Step
from ..explainer.textview import expression, is_constant
from .questions import Question, forward_questions, step_questions, update_questions
from .updates import check_update, parameters_of, updates

__all__ = ["Frame", "Show", "lesson"]

Number = Callable[[object], str]


@dataclass(frozen=True)
class Show:
    """What a box shows of one node: its data and gradient texts and their states.

    ``data_state``: ``'pending'`` (the forward pass has not reached it), ``'known'``,
    ``'updated'`` (the update frame: ``old → new``); ``grad_state``: ``'waiting'``,
    ``'pending'`` or ``'final'`` (as :class:`autograd.explainer.progress.GradState`).
    """

    data: str
    data_state: str
    grad: str
    grad_state: str


@dataclass
class Frame:
    """One picture: a sentence, the elements to mark, and the texts that changed."""

    kind: str                      # 'forward', 'start', 'step' or 'update'
    counter: str                   # 'Forward 2 of 4', 'Step 3 of 10', 'Update'
    title: str                     # what the frame is about ('neuron L1.N2')
    sentence: str
    current: tuple[Value, ...] = ()
    updated: tuple[Value, ...] = ()
    flows: tuple[tuple[Value, Value], ...] = ()   # (input, node) edges values travel along
    changes: dict[Value, Show] = field(default_factory=dict)
    step: Step | None = None                      # the explainer's step ('step' frames)
    questions: tuple[Question, ...] = ()          # what the quiz asks before showing it


def _forward_units(order: list[Value]) -> list[list[Value]]:
    """The forward frames' nodes: a run of a layer's nodes together, others one by one."""
    units: list[list[Value]] = []
    last: object = None
    for n in order:
        if not n._prev:
            continue
        key = n._scope.path[0] if n._scope is not None else None
        if key is not None and key is last:
            units[-1].append(n)
        else:
            units.append([n])
        last = key
    return units


class _Lesson:
    """Builds the frames; ``state`` is what every box shows after the last frame made."""

    def __init__(self, root: Value, number: Number, forward: bool) -> None:
        self.root, self.num, self.forward = root, number, forward
        self.order = graph.topo_order(root)
        self.shown = names(root)
        self.old = {n: float(getattr(n.grad, "data", n.grad)) for n in self.order
                    if n.requires_grad and n.grad}
        self.state: dict[Value, Show] = {
            n: Show("?" if forward and n._prev else number(n.data),
                    "pending" if forward and n._prev else "known", self.waiting(n), "waiting")
            for n in self.order if not is_constant(n)}
        self.frames: list[Frame] = []

    def waiting(self, n: Value) -> str:
        """A gradient no use of which is processed yet: ``?``, or ``0.5 + ?`` on a gradient
        held from an earlier pass (this pass will add to it)."""
        old = self.old.get(n)
        return f"{self.num(old)} + ?" if old else "?"

    def add(self, frame: Frame, changes: Mapping[Value, Show]) -> None:
        for n, show in changes.items():
            if n in self.state and show != self.state[n]:
                frame.changes[n] = show
                self.state[n] = show
        self.frames.append(frame)

    def forward_frames(self) -> None:
        units = _forward_units(self.order)
        first = Frame("forward", f"Forward 0 of {len(units)}", "forward pass",
                      "Forward pass: the inputs and parameters hold their values; each "
                      "operation will compute its value from its inputs, in the order it was "
                      f"created{', a layer at a time' if any(len(u) > 1 for u in units) else ''}"
                      ".\nPress Next, → or Play.")
        first.changes = dict(self.state)       # frame 0 sets every box
        self.frames.append(first)
        for k, unit in enumerate(units, 1):
            scope = unit[0]._scope
            title = scope.path[0].name if scope is not None and len(unit) > 1 else \
                self.shown[unit[0]]
            lines = [f"{self.shown[n]} = {expression(n, self.shown)} = {self.num(n.data)}"
                     for n in unit]
            sentence = (f"forward {k}/{len(units)}  {title}: " + lines[0] if len(lines) == 1
                        else f"forward {k}/{len(units)}  {title}\n  " + "\n  ".join(lines))
            self.add(Frame("forward", f"Forward {k} of {len(units)}", title, sentence,
                           current=tuple(unit),
                           flows=tuple((c, n) for n in unit for c in n._prev),
                           questions=forward_questions(unit, self.shown, self.num)),
                     {n: Show(self.num(n.data), "known", self.state[n].grad,
                              self.state[n].grad_state) for n in unit})

    def backward_frames(self, grad: float, by: str, total_hint: Callable[[int], str]) -> None:
        steps = list(backward_steps(self.root, grad, by=by))
        start = Frame("start", f"Step 0 of {len(steps)}", "backward pass",
                      total_hint(len(steps)))
        if not self.frames:
            start.changes = dict(self.state)
            self.frames.append(start)
        else:
            self.add(start, {})
        for s in steps:
            flows = [(t.child, p.node) for p in s.parts for t in p.terms if t.updated]
            changes: dict[Value, Show] = {}
            for st in s.states:      # the explainer's rule: waiting, pending (k of n uses), final
                prev = self.state.get(st.node)
                if prev is not None:
                    text = self.waiting(st.node) if st.status == "waiting" else \
                        st.text(self.num)
                    changes[st.node] = Show(prev.data, prev.data_state, text, st.status)
            current = set(s.nodes)
            updated = tuple(dict.fromkeys(c for c, _ in flows if c not in current))
            self.add(Frame("step", f"Step {s.index} of {s.total}", s.title, s.sentence,
                           s.nodes, updated, tuple(flows), step=s,
                           questions=step_questions(s)), changes)

    def update_frame(self, what: str, new: dict[Value, float], rule: float | str) -> None:
        lines, changes = [], {}
        width = max((len(self.shown[p]) for p in new), default=0)
        for p, value in new.items():
            old, delta = p.data, value - p.data
            sign = "−" if delta < 0 else "+"
            lines.append(f"  {self.shown[p]:<{width}}  {self.num(old)} {sign} "
                         f"{self.num(abs(delta))} = {self.num(value)}")
            prev = self.state[p]
            changes[p] = Show(f"{self.num(old)} → {self.num(value)}", "updated", prev.grad,
                              prev.grad_state)
        sentence = (f"update  every parameter moves by {what}:\n"
                    "  parameter  old value ± change = new value\n" + "\n".join(lines))
        if not new:
            sentence = f"update  {what}: no parameter of this graph is updated"
        self.add(Frame("update", "Update", "update", sentence, current=tuple(new),
                       questions=update_questions(new, self.shown, rule, self.num)), changes)


def lesson(root: Value, *, grad: float = 1.0, by: str = "node", forward: bool = False,
           update: Any = None, params: list[Value] | None = None,
           number: Number, who: str = "save_stepper") -> list[Frame]:
    """Every frame of the lesson (see the module); the graph's gradients are restored.

    ``params``: the leaves a learning-rate ``update`` moves (default: the weights and
    biases of :mod:`autograd.nn` neurons; a graph without them needs ``params``).
    """
    update = check_update(update, who)
    order = graph.topo_order(root)
    if params is None:
        params = parameters_of(order) or None
    if isinstance(update, float) and params is None:   # refused before anything runs
        updates(update, None, [n for n in order if not n._prev and n.requires_grad],
                names(root), who)
    with graph.grads_kept(order):
        run = _Lesson(root, number, forward)
        if forward:
            run.forward_frames()
        shown = run.shown[root]

        held = sum(1 for n in run.order if n.requires_grad and n.grad)

        def start(total: int) -> str:
            done = "Forward pass done: every node holds its data" if forward else \
                "The forward pass is done: every node holds its data"
            grads = (f"{held} node{'s' if held != 1 else ''} already hold gradients from an "
                     "earlier pass: this pass adds to them (old + this pass = new)" if held
                     else "no gradient yet")
            return (f"{done}; {grads}.\nBackpropagation starts at the output: "
                    f"{shown}.grad = {number(grad)} (∂{shown}/∂{shown} = 1), then takes "
                    f"{total} step{'s' if total != 1 else ''} from the output back to the "
                    "inputs.\nPress Next, → or Play.")

        run.backward_frames(grad, by, start)
        if update is not None:
            leaves = [n for n in run.order if not n._prev and n.requires_grad]
            what, new = updates(update, params, leaves, run.shown, who)
            run.update_frame(what, new, update if isinstance(update, float)
                             else type(update).__name__)
        return run.frames
