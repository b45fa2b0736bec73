"""A lesson laid out once: its frames, and what every drawn element shows in each.

:class:`Scenes` joins the frames of :func:`~autograd.viz.frames.lesson` to a
diagram: each node's texts go to the box that draws it (a collapsed neuron's box
shows its output's ``out … · grad …``), the current nodes, updated nodes and the
edges values travel along become marks on element ids.  Every box is sized once
for the widest text it will ever show, so one Graphviz layout serves every frame:
the stepper page swaps texts and classes in the browser, the slides render each
frame with every box pinned to that size.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..engine import Value
from ..explainer.grouping import check_by
from ..validate import boolean, choice, real
from .builder import Builder
from .dot import RANKDIRS, load_diagram
from .frames import Frame, Show, lesson
from .labels import number_format
from .model import HasParameters, plan
from .process import DEFAULT_TIMEOUT
from .updates import check_update, parameters_of

if TYPE_CHECKING:
    from .diagram import Diagram

__all__ = ["Ask", "Scenes", "Slot"]

Slot = tuple[str, str, str]
"""(slot, text, state class) of one text of a box: slot ``data``, ``grad`` or ``out``."""

Ask = dict[str, Any]
"""One quiz question of the page: ``label``, ``answer`` (a number as text, ``Infinity``
for ∞), ``text`` (the answer as shown), ``hint`` and ``hide`` (``[id, slot, text, class]``
of the texts shown instead of the answer until it is answered)."""


def _number(x: float) -> str:
    """A float as text that JavaScript's ``Number()`` reads back exactly (∞ and NaN too)."""
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return repr(x)


class Scenes:
    """Frames and layout of one lesson (the arguments are those of ``save_stepper``)."""

    def __init__(self, root: Value, *, by: str = "node", collapse: str | int | None = None,
                 forward: bool = True, update: Any = None, grad: float = 1.0,
                 rankdir: str = "LR", fmt: str | None = None,
                 params: Iterable[Value] | HasParameters | None = None,
                 max_nodes: int = 300, max_edges: int = 1500,
                 timeout: float | None = DEFAULT_TIMEOUT, who: str = "save_stepper") -> None:
        check_by(by, who)
        choice(who, "rankdir", rankdir, RANKDIRS)
        boolean(who, "forward", forward)
        check_update(update, who)
        real(who, "grad", grad)
        if timeout is not None:
            timeout = real(who, "timeout", timeout, low=0, low_open=True)
        self.number = number_format(fmt)
        self.rankdir, self.timeout, self.who, self.by = rankdir, timeout, who, by
        self.plan = plan(root, params=params, collapse=collapse, max_nodes=max_nodes,
                         max_edges=max_edges, who=who)
        self.builder = Builder(self.plan, load_diagram(), self.number)
        found = parameters_of(self.plan.order, self.plan.roles)
        self.frames: list[Frame] = lesson(
            root, grad=grad, by=by, forward=forward, update=update,
            params=found if found or params is not None else None, number=self.number,
            who=who)

    # -- texts -----------------------------------------------------------------------
    def slots(self, n: Value, show: Show) -> list[tuple[str, Slot]]:
        """(element id, slot) pairs that ``show`` sets for node ``n``.

        A node drawn in its own box sets ``data`` (and ``grad``); a collapsed box's
        single output sets ``out``; a parameter listed in a collapsed box sets
        ``<node id>.data`` and ``<node id>.grad`` of that box (the table's rows are
        headed ``data`` and ``grad``, so its cells hold the bare numbers).
        """
        group = self.plan.group.get(n)
        eid = self.builder.element(n)
        if group is not None:
            box = self.builder.boxes[group]
            if box.output is n:
                return [(eid, ("out", f"out {show.data}  ·  grad {show.grad}",
                               f"grad-{show.grad_state}"))]
            if n in box.listed:
                nid = self.builder.ids[n]
                out = [(eid, (f"{nid}.data", show.data, f"data-{show.data_state}"))]
                if self.builder.show_grads:
                    out.append((eid, (f"{nid}.grad", show.grad, f"grad-{show.grad_state}")))
                return out
            return []
        out = [(eid, ("data", f"data {show.data}", f"data-{show.data_state}"))]
        if n.requires_grad:
            out.append((eid, ("grad", f"grad {show.grad}", f"grad-{show.grad_state}")))
        return out

    def asks(self, f: Frame, state: Mapping[Value, Show]) -> list[Ask]:
        """What the page quiz asks in frame ``f`` (``state``: what every node shows after it).

        Each of the frame's questions whose number the drawing shows or that matters
        in its own right: a node drawn in its own box, a collapsed box's output, a
        parameter (listed in its box or not); a collapsed neuron's inner nodes are
        not asked.  ``hide`` lists the texts shown instead until it is answered.
        """
        out: list[Ask] = []
        b = self.builder
        for q in f.questions:
            n, show = q.node, state.get(q.node)
            if show is None:
                continue
            group = self.plan.group.get(n)
            eid = b.element(n)
            hide: list[list[str]] = []
            cls = "quiz-hidden " + ("data-pending" if q.kind == "data" else "grad-waiting")
            shown = f"{show.data.split(' → ')[0]} → ?" if f.kind == "update" else "?"
            if group is None:
                hide = [[eid, q.kind, f"{q.kind} {shown}", cls]]
            elif b.boxes[group].output is n:
                data, grad = (shown, show.grad) if q.kind == "data" else (show.data, "?")
                hide = [[eid, "out", f"out {data}  ·  grad {grad}", cls]]
            elif n in b.boxes[group].listed:
                hide = [[eid, f"{b.ids[n]}.{q.kind}", shown, cls]]
            elif self.plan.roles[n] != "parameter" and n not in b.boxes[group].outputs:
                continue             # inside a collapsed box: not drawn, not asked
            out.append({"label": q.label, "answer": _number(q.answer),
                        "text": self.number(q.answer), "hint": q.hint, "hide": hide})
        return out

    def states(self) -> Iterable[dict[Value, Show]]:
        """What every node shows at each frame (one dict reused: copy it to keep it)."""
        state: dict[Value, Show] = {}
        for f in self.frames:
            state.update(f.changes)
            yield state

    # -- marks -----------------------------------------------------------------------
    def marks(self, f: Frame) -> dict[str, str]:
        """Element id → ``current``, ``updated`` or ``flow`` for frame ``f``."""
        b = self.builder
        out: dict[str, str] = {}
        for c, n in f.flows:
            for eid in b.edge_ids(c, n):
                out[eid] = "flow"
            op = b.op_edge(n)
            if op is not None:
                out[op] = "flow"
        for n in f.updated:
            out.setdefault(b.element(n), "updated")
        for n in f.current:
            out[b.element(n)] = "current"
            if n._prev and n not in self.plan.group:
                out[b.ids[n] + "op"] = "current"
        return out

    def focus(self, f: Frame) -> list[str]:
        """Element ids to bring into view in a frame without a current node: the inputs of
        the first operation (the forward pass starts there), or the output (the backward
        pass starts there)."""
        b, order = self.builder, self.plan.order
        if f.current:
            return []
        if f.kind == "forward":
            first = next((n for n in order if n._prev), None)
            return list(dict.fromkeys(b.element(c) for c in first._prev)) if first else []
        if f.kind == "start":
            return [b.element(self.plan.root)]
        return []

    # -- layout ----------------------------------------------------------------------
    def widest(self) -> tuple[dict[Value, str], dict[Value, str]]:
        """The longest data and grad text each node ever shows (boxes are sized for it)."""
        data: dict[Value, str] = {}
        grad: dict[Value, str] = {}
        for f in self.frames:
            for n, show in f.changes.items():
                if len(show.data) > len(data.get(n, "")):
                    data[n] = show.data
                if len(show.grad) > len(grad.get(n, "")):
                    grad[n] = show.grad
        return data, grad

    def diagram(self, state: dict[Value, Show] | None = None,
                marks: dict[str, str] | None = None,
                sizes: dict[str, tuple[float, float]] | None = None) -> Diagram:
        """The diagram with the texts of ``state`` (default: the widest texts)."""
        b = self.builder
        if state is None:
            b.data_text, b.grad_text = self.widest()
        else:
            b.data_text = {n: s.data for n, s in state.items()}
            b.grad_text = {n: s.grad for n, s in state.items()}
        b.marks, b.sizes = marks or {}, sizes or {}
        try:
            d = b.build(self.rankdir, None, "svg")
        finally:
            b.data_text = b.grad_text = None
            b.marks, b.sizes = {}, {}
        d.node_attr["fontsize"] = "14"      # read from the back of a classroom
        d.timeout = self.timeout
        d.advice = (f"{self.who} lays the graph out with it. Without Graphviz the same "
                    "lesson is available as text: for step in root.backward_steps(by="
                    f"{self.by!r}): print(step); and autograd.save_worksheet(root, 'sheet.html') "
                    "writes a printable worksheet")
        return d

    def sizes(self, d: Diagram) -> dict[str, tuple[float, float]]:
        """Each node's width and height (inches) in ``d``'s layout, to pin every frame to."""
        laid = json.loads(d.pipe(format="json0"))
        return {o["id"]: (float(o["width"]), float(o["height"]))
                for o in laid.get("objects", ()) if "width" in o and "id" in o}
