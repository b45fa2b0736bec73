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
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..engine import Value
from ..explainer.grouping import check_by
from ..modes import Scope
from ..validate import boolean, choice, real
from .builder import Builder
from .dot import RANKDIRS, load_diagram
from .frames import Frame, Show, check_update, lesson, parameters_of
from .labels import number_format
from .model import HasParameters, plan
from .process import DEFAULT_TIMEOUT

if TYPE_CHECKING:
    from .diagram import Diagram

__all__ = ["Scenes", "Slot"]

Slot = tuple[str, str, str]
"""(slot, text, state class) of one text of a box: slot ``data``, ``grad`` or ``out``."""


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
        self.rankdir, self.timeout = rankdir, timeout
        self.plan = plan(root, params=params, collapse=collapse, max_nodes=max_nodes,
                         max_edges=max_edges, who=who)
        self.builder = Builder(self.plan, load_diagram(), self.number)
        self.frames: list[Frame] = lesson(
            root, grad=grad, by=by, forward=forward, update=update,
            params=parameters_of(self.plan.order, self.plan.roles), number=self.number,
            who=who)
        self._outputs: dict[Scope, Value | None] = {}

    # -- texts -----------------------------------------------------------------------
    def slots(self, n: Value, show: Show) -> list[tuple[str, Slot]]:
        """(element id, slot) pairs that ``show`` sets for node ``n``."""
        group = self.plan.group.get(n)
        eid = self.builder.element(n)
        if group is not None:
            if group not in self._outputs:
                self._outputs[group] = self.builder.group_output(group)
            if self._outputs[group] is not n:
                return []
            return [(eid, ("out", f"out {show.data}  ·  grad {show.grad}",
                           f"grad-{show.grad_state}"))]
        out = [(eid, ("data", f"data {show.data}", f"data-{show.data_state}"))]
        if n.requires_grad:
            out.append((eid, ("grad", f"grad {show.grad}", f"grad-{show.grad_state}")))
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
        return d

    def sizes(self, d: Diagram) -> dict[str, tuple[float, float]]:
        """Each node's width and height (inches) in ``d``'s layout, to pin every frame to."""
        laid = json.loads(d.pipe(format="json0"))
        return {o["id"]: (float(o["width"]), float(o["height"]))
                for o in laid.get("objects", ()) if "width" in o and "id" in o}
