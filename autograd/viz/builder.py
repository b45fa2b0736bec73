"""Graphviz statements from a :class:`~autograd.viz.model.Plan`: boxes, clusters, edges.

Element ids are stable, so the SVG can be scripted and tested: value ``i``
(topological order) is ``n{i}``, its op circle ``n{i}op``, a collapsed box
``g{k}``, the edge from input ``j`` into ``n{i}``'s op circle ``e{i}_{j}``, the
edge from an op circle to its result ``e{i}op``, an edge between collapsed boxes
``j_{from}_{to}``.  The stepper page and the slides draw the same boxes with
other texts (``data_text``/``grad_text``), marks on the current step's elements and,
for slides, each box pinned to its size in the page's layout so nothing moves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..engine import Value
from ..explainer import derivative
from ..explainer.naming import names_and_samples
from ..modes import Scope
from .boxes import GroupBox
from .labels import (
    COLORS,
    EDGE,
    HIGHLIGHT,
    INK,
    RULE,
    UPDATED,
    cell_table,
    constant_texts,
    escape,
    op_symbol,
    plain,
)
from .model import Plan, natural_key

if TYPE_CHECKING:
    from .diagram import Diagram

__all__ = ["FONT", "MARKS", "Builder"]

FONT = "Helvetica,Arial,sans-serif"

MARKS: dict[str, dict[str, str]] = {
    "current": {"color": HIGHLIGHT, "penwidth": "5"},
    "updated": {"color": UPDATED, "penwidth": "3", "style": "dashed"},
    "flow": {"color": HIGHLIGHT, "penwidth": "3", "style": "dashed"},
    "highlight": {"color": HIGHLIGHT, "penwidth": "3"},
}
"""Graphviz attributes of marked elements: the current node is outlined thick (its
outline weight says it, not only its hue), updated ones dashed."""


class Builder:
    """Turns a plan into a :class:`~autograd.viz.diagram.Diagram` (``build``)."""

    def __init__(self, p: Plan, cls: type[Diagram], number: Callable[[object], str], *,
                 show_grads: bool = True, edge_labels: str | None = None,
                 clusters: bool = True) -> None:
        self.p, self.cls, self.num = p, cls, number
        self.show_grads, self.edge_labels, self.clusters = show_grads, edge_labels, clusters
        self.names, self.sample = names_and_samples(p.order)
        consts = [n for n in p.order if p.roles[n] == "constant" and not n.label]
        shown = constant_texts(n.data for n in consts)
        for n in consts:    # 1.0001, not the explainer's 4 digits (1.0)
            self.names[n] = shown[float(n.data)]
        self.index = {n: i for i, n in enumerate(p.order)}
        self.ids = {n: f"n{i}" for i, n in enumerate(p.order)}
        self.box_ids = {s: f"g{k}" for k, s in enumerate(p.groups)}
        self.boxes = {s: GroupBox(self, s) for s in p.groups}
        # what the page and slides change: a text per node, marks per element id
        self.data_text: Mapping[Value, str] | None = None
        self.grad_text: Mapping[Value, str] | None = None
        self.marks: Mapping[str, str] = {}
        self.sizes: Mapping[str, tuple[float, float]] = {}

    # -- ids -------------------------------------------------------------------------
    def element(self, n: Value) -> str:
        """The id of the box that shows ``n`` (its collapsed group's box if grouped)."""
        s = self.p.group.get(n)
        return self.box_ids[s] if s is not None else self.ids[n]

    def edge_ids(self, child: Value, parent: Value) -> list[str]:
        """Ids of the edges a value takes from ``child`` into ``parent`` (may be none)."""
        i, grouped = self.index[parent], self.p.group
        if child not in grouped and parent not in grouped:
            return [f"e{i}_{j}" for j, c in enumerate(parent._prev) if c is child]
        src = self.element(child)
        dst = self.element(parent) if parent in grouped else f"n{i}op"
        return [] if src == dst else [f"j_{src}_{dst}"]

    def op_edge(self, n: Value) -> str | None:
        """Id of the edge from ``n``'s op circle to its box (None: collapsed or a leaf)."""
        return f"e{self.index[n]}op" if n._prev and n not in self.p.group else None

    def group_output(self, s: Scope) -> Value | None:
        """The node whose value a collapsed box shows (None: several outputs)."""
        return self.boxes[s].output

    # -- the diagram -----------------------------------------------------------------
    def build(self, rankdir: str = "LR", title: str | None = None,
              fmt: str = "svg") -> Diagram:
        """The diagram: boxes (in their clusters), op circles, then every edge."""
        g = self.cls(name="autograd", format=fmt, graph_attr={
            "rankdir": rankdir, "bgcolor": "white", "fontname": FONT, "nodesep": "0.25",
            "ranksep": "0.4", "pad": "0.2"},
            node_attr={"fontname": FONT, "fontsize": "12", "color": INK, "fontcolor": INK},
            edge_attr={"color": EDGE, "arrowsize": "0.7", "fontname": FONT,
                       "fontsize": "12", "fontcolor": INK})
        if any(n._scope is not None for n in self.p.order):
            # few crossing-minimisation passes: neurons stay in their natural order
            g.graph_attr["mclimit"] = "0.01"
        if title:
            g.attr(label=f"<<B>{escape(title)}</B>>", labelloc="t", fontsize="16")
        placed: dict[Scope | None, list[Value | Scope]] = {}
        for n in self.p.drawn():
            placed.setdefault(self.p.home(n) if self.clusters else None, []).append(n)
        for s in self.p.groups:
            placed.setdefault(s.parent if self.clusters else None, []).append(s)
        self._clusters(g, placed)
        self._edges(g)
        g.node_ids = {n: self.element(n) for n in self.p.order}
        return g

    def _mark(self, eid: str, base_class: str, lit: bool = False) -> dict[str, str]:
        """The attributes of a marked element (class names included), or its plain class."""
        mark = self.marks.get(eid) or ("highlight" if lit else None)
        if mark is None:
            return {"class": base_class}
        return MARKS[mark] | {"class": f"{base_class} {mark}"}

    def _fixed(self, eid: str) -> dict[str, str]:
        size = self.sizes.get(eid)
        if size is None:
            return {}
        return {"fixedsize": "true", "width": f"{size[0]:.4f}", "height": f"{size[1]:.4f}"}

    def data_of(self, n: Value) -> str:
        """The data text ``n``'s box shows (the frame's, else the number)."""
        if self.data_text is not None and n in self.data_text:
            return self.data_text[n]
        return self.num(n.data)

    def grad_of(self, n: Value) -> str:
        """The grad text ``n``'s box shows (the frame's, else the number)."""
        if self.grad_text is not None:
            return self.grad_text.get(n, "?")
        return self.num(n.grad)

    def _value(self, g: Any, n: Value) -> None:
        role, nid, lit = self.p.roles[n], self.ids[n], n in self.p.lit
        name = escape(self.names[n])
        if role == "constant":
            label = cell_table([name], bold_first=False)
        else:
            cells = [name, f"data {escape(self.data_of(n))}"]
            if self.show_grads and n.requires_grad:
                cells.append(f"grad {escape(self.grad_of(n))}")
            label = cell_table(cells)
        mark = self._mark(nid, f"value {role}", lit)
        style = "rounded,filled" + (",dashed" if mark.pop("style", "") else "")
        g.node(nid, label, id=nid, shape="box", style=style, fillcolor=COLORS[role],
               margin="0.04,0.02", **mark, **self._fixed(nid))
        if n._prev:
            op = nid + "op"
            mark = self._mark(op, "op", lit)
            style = "filled" + (",dashed" if mark.pop("style", "") else "")
            g.node(op, f"<{escape(op_symbol(n._op))}>", id=op, shape="ellipse", style=style,
                   fillcolor=COLORS["op"], fontsize="11", margin="0.03,0.01", width="0.3",
                   height="0.3", **mark)

    def _group(self, g: Any, s: Scope) -> None:
        box = self.boxes[s]
        lit = any(n in self.p.lit for n in box.members)
        role = "output" if self.p.root in box.inside else "group"
        gid = self.box_ids[s]
        mark = self._mark(gid, f"group {role}", lit)
        style = "rounded,filled" + (",dashed" if mark.pop("style", "") else "")
        g.node(gid, box.label(), id=gid, shape="box", style=style, fillcolor=COLORS[role],
               margin="0.08,0.04", **mark, **self._fixed(gid))

    def _clusters(self, g: Any, placed: dict[Scope | None, list[Value | Scope]]) -> None:
        """Emit items in nested ``cluster_k`` subgraphs following the scopes' paths."""
        children: dict[Scope | None, list[Scope]] = {}
        for s in list(placed):
            while s is not None:
                parent = s.parent
                kids = children.setdefault(parent, [])
                if s in kids:
                    break
                kids.append(s)
                s = parent
        for kids in children.values():
            kids.sort(key=natural_key)     # Neuron 1, 2 … 10 in the order of the network
        counter = iter(range(1 << 30))

        def emit(sub: Any, s: Scope | None) -> None:
            for item in placed.get(s, []):
                if isinstance(item, Value):
                    self._value(sub, item)
                else:
                    self._group(sub, item)
            for kid in children.get(s, []):
                k = next(counter)
                with sub.subgraph(name=f"cluster_{k}") as c:
                    c.attr(label=f"<<B>{escape(kid.title)}</B>>", id=f"cluster{k}",
                           style="rounded,dashed", color=RULE, fontcolor=INK, fontsize="12",
                           labeljust="l", bgcolor="#f7f7f7" if kid.parent is None else "white")
                    emit(c, kid)

        emit(g, None)

    # -- edges -----------------------------------------------------------------------
    def _edges(self, g: Any) -> None:
        grouped = self.p.group
        joined: dict[tuple[str, str], bool] = {}   # collapsed edges, lit or not
        for n in self.p.order:
            if not n._prev:
                continue
            i = self.index[n]
            if n not in grouped:
                lit_out = any((c, n) in self.p.lit_edges for c in n._prev)
                g.edge(f"n{i}op", f"n{i}", id=f"e{i}op", **self._edge_mark(f"e{i}op", lit_out))
            for j, c in enumerate(n._prev):
                lit = (c, n) in self.p.lit_edges
                if c not in grouped and n not in grouped:
                    eid = f"e{i}_{j}"
                    g.edge(self.ids[c], f"n{i}op", id=eid,
                           **(self._edge_label(n, j) | self._edge_mark(eid, lit)))
                    continue
                src = self.element(c)
                dst = self.element(n) if n in grouped else f"n{i}op"
                if src != dst:
                    joined[src, dst] = joined.get((src, dst), False) or lit
        for (src, dst), lit in joined.items():
            eid = f"j_{src}_{dst}"
            g.edge(src, dst, id=eid, **self._edge_mark(eid, lit))

    def _edge_mark(self, eid: str, lit: bool) -> dict[str, str]:
        mark = self.marks.get(eid) or ("highlight" if lit else None)
        if mark is None:
            return {}
        return MARKS[mark] | {"class": mark}

    def _edge_label(self, n: Value, j: int) -> dict[str, str]:
        """∂n/∂(input j) from the explainer's one derivative sentence: its formula, its
        number or both; the tooltip names it (``∂o/∂n``)."""
        if self.edge_labels is None:
            return {}
        d = derivative(n, j, self.names)
        value, text = self.num(d.value), d.formula
        shown = {"value": value, "formula": text, "both": f"{text} = {value}"}[self.edge_labels]
        if self.edge_labels == "both" and _is_number(text):   # "1 = 1.0" says it twice
            shown = value
        return {"label": f"<{escape(shown)}>", "tooltip": plain(d.symbol)}


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True

