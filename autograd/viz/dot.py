"""``draw_graph``: a Value graph as a Graphviz diagram.

Each value is a box ``name | data | grad`` coloured by its role; each operation a
small circle between its inputs and its result, as in micrograd.  Nodes created in
a neuron or layer (``node.scope``) sit in nested labelled clusters, or collapse into
one box each.  Element ids are stable, so the SVG can be scripted and tested:
value ``i`` (topological order) is ``n{i}``, its op circle ``n{i}op``, a collapsed
box ``g{k}``, the edge from input ``j`` into ``n{i}``'s op circle ``e{i}_{j}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..engine import Value
from ..explainer.textview import names, operand
from ..modes import Scope
from .labels import (
    COLORS,
    FORMATS,
    HIGHLIGHT,
    INK,
    RULE,
    cell_table,
    escape,
    number_format,
    op_symbol,
)
from .model import HasParameters, Plan, plan

if TYPE_CHECKING:
    from .diagram import Diagram

__all__ = ["FORMATS", "draw_dot", "draw_graph", "load_diagram"]


RANKDIRS = ("LR", "TB", "RL", "BT")
EDGE_LABELS = (False, True, "value", "formula", "both")
FONT = "Helvetica,Arial,sans-serif"


def load_diagram() -> type[Diagram]:
    """The :class:`~autograd.viz.diagram.Diagram` class, importing graphviz on first use."""
    try:
        import graphviz  # type: ignore[import-untyped]  # noqa: F401
    except ImportError as e:
        raise ImportError(
            "drawing diagrams needs the 'graphviz' Python package: pip install "
            "'backprop-lab[viz]' (and the Graphviz program: apt-get install -y graphviz)"
        ) from e
    from .diagram import Diagram
    return Diagram


def draw_graph(root: Value, *, rankdir: str = "LR", show_grads: bool = True,
               fmt: str | None = None, edge_labels: bool | str = False,
               params: Iterable[Value] | HasParameters | None = None,
               highlight: Iterable[Value] = (),
               highlight_paths_from: Value | Iterable[Value] | None = None,
               clusters: bool = True, collapse: str | int | None = None,
               max_nodes: int = 300, title: str | None = None, format: str = "svg") -> Diagram:
    """Draw ``root``'s graph; returns a ``graphviz.Digraph`` with ``save(path)``.

    * ``rankdir``: ``"LR"`` (left to right, default) or ``"TB"`` (top to bottom);
    * ``show_grads``: show each node's ``grad``; ``fmt``: number format such as
      ``".4f"`` (default: 4 significant digits, as the explainer);
    * ``edge_labels``: label each input edge with the local derivative ∂out/∂in:
      ``True``/``"value"`` the number (``node._local[i]``), ``"formula"`` the op's
      text (``op.dshow``), ``"both"`` as ``w = -3.0``;
    * ``params``: the parameters (Values, or a model with ``parameters()``), drawn
      green; by default the weights and biases of neurons;
    * ``highlight``: nodes to outline in :data:`~autograd.viz.labels.HIGHLIGHT`;
      ``highlight_paths_from``: a leaf (or leaves): outline every path to the root;
    * ``clusters``: group nodes made inside a neuron/layer in labelled boxes;
      ``collapse="neuron"`` or ``"layer"`` draws each as ONE box instead;
    * ``max_nodes``: refuse (:class:`~autograd.viz.model.GraphTooLarge`) to draw more
      boxes than this, instead of leaving Graphviz running for minutes.

    ``diagram.save("graph.svg")`` (``.png``, ``.pdf``, ``.dot``) writes a file;
    ``diagram.node_ids`` maps each drawn Value to its SVG element id.
    """
    if rankdir not in RANKDIRS:
        raise ValueError(f"rankdir must be one of {', '.join(RANKDIRS)}, got {rankdir!r}")
    if edge_labels not in EDGE_LABELS:
        raise ValueError(f"edge_labels must be True, False, 'value', 'formula' or 'both', "
                         f"got {edge_labels!r}")
    number = number_format(fmt)
    p = plan(root, params=params, highlight=highlight,
             highlight_paths_from=highlight_paths_from, collapse=collapse, max_nodes=max_nodes)
    return _Builder(p, load_diagram(), number, show_grads=show_grads,
                    edge_labels="value" if edge_labels is True else edge_labels or None,
                    clusters=clusters).build(rankdir, title, format)


def draw_dot(root: Value, format: str = "svg", rankdir: str = "LR", **options: Any) -> Diagram:
    """micrograd's name and signature for :func:`draw_graph` (same options)."""
    return draw_graph(root, format=format, rankdir=rankdir, **options)


class _Builder:
    """Turns a :class:`~autograd.viz.model.Plan` into Graphviz statements."""

    def __init__(self, p: Plan, cls: type[Diagram], number: Callable[[object], str], *,
                 show_grads: bool, edge_labels: str | None, clusters: bool,
                 grad_text: Mapping[Value, str] | None = None) -> None:
        self.p, self.cls, self.num = p, cls, number
        self.show_grads, self.edge_labels, self.clusters = show_grads, edge_labels, clusters
        self.grad_text = grad_text   # the stepper's: room for every value a grad takes
        self.names = names(p.root)
        self.index = {n: i for i, n in enumerate(p.order)}
        self.ids = {n: f"n{i}" for i, n in enumerate(p.order)}
        self.box_ids = {s: f"g{k}" for k, s in enumerate(p.groups)}
        self.users: dict[Value, list[Value]] = {}
        for n in p.order:
            for c in n._prev:
                self.users.setdefault(c, []).append(n)

    def build(self, rankdir: str, title: str | None, fmt: str) -> Diagram:
        """The diagram: boxes (in their clusters), op circles, then every edge."""
        g = self.cls(name="autograd", format=fmt, graph_attr={
            "rankdir": rankdir, "bgcolor": "white", "fontname": FONT, "nodesep": "0.25",
            "ranksep": "0.4", "pad": "0.2"},
            node_attr={"fontname": FONT, "fontsize": "12", "color": INK, "fontcolor": INK},
            edge_attr={"color": "#64748b", "arrowsize": "0.7", "fontname": FONT,
                       "fontsize": "10", "fontcolor": "#475569"})
        if title:
            g.attr(label=f"<<B>{escape(title)}</B>>", labelloc="t", fontsize="16")
        placed: dict[Scope | None, list[Value | Scope]] = {}
        for n in self.p.drawn():
            placed.setdefault(n._scope if self.clusters else None, []).append(n)
        for s in self.p.groups:
            placed.setdefault(s.parent if self.clusters else None, []).append(s)
        self._clusters(g, placed)
        self._edges(g)
        g.node_ids = {n: self.box_ids[self.p.group[n]] if n in self.p.group else self.ids[n]
                      for n in self.p.order}
        return g

    # -- nodes -----------------------------------------------------------------------
    def _lit(self, lit: bool) -> dict[str, str]:
        return {"color": HIGHLIGHT, "penwidth": "3", "class": "highlight"} if lit else {}

    def _grad(self, n: Value) -> str:
        if self.grad_text is not None:
            return self.grad_text.get(n, "?")
        return self.num(n.grad)

    def _value(self, g: Any, n: Value) -> None:
        role, nid, lit = self.p.roles[n], self.ids[n], n in self.p.lit
        name = escape(self.names[n])
        if role == "constant":
            label = cell_table([name], bold_first=False)
        else:
            cells = [name, f"data {escape(self.num(n.data))}"]
            if self.show_grads and n.requires_grad:
                cells.append(f"grad {escape(self._grad(n))}")
            label = cell_table(cells)
        attrs = {"shape": "box", "style": "rounded,filled", "fillcolor": COLORS[role],
                 "margin": "0.04,0.02", "class": f"value {role}"}
        lit_attrs = self._lit(lit)
        if lit_attrs:
            lit_attrs["class"] = f"value {role} highlight"
        g.node(nid, label, id=nid, **(attrs | lit_attrs))
        if n._prev:
            g.node(nid + "op", f"<{escape(op_symbol(n._op))}>", id=nid + "op", shape="ellipse",
                   style="filled", fillcolor=COLORS["op"], fontsize="11", margin="0.03,0.01",
                   width="0.3", height="0.3", **(
                       {"class": "op"} | (self._lit(True) | {"class": "op highlight"}
                                          if lit else {})))

    def _group(self, g: Any, s: Scope) -> None:
        members = [n for n in self.p.order if self.p.group.get(n) is s]
        inside = set(members)
        outputs = [n for n in members if n is self.p.root
                   or any(u not in inside for u in self.users.get(n, ()))]
        cells = [escape(s.title)]
        if len(outputs) == 1:
            out = outputs[0]
            text = f"out {self.num(out.data)}"
            if self.show_grads:
                text += f"  ·  grad {self._grad(out)}"
            cells.append(escape(text))
        else:
            cells.append(f"{len(outputs)} outputs")
        ops = [op_symbol(n._op) for n in members if n._prev]
        n_params = sum(1 for n in members if self.p.roles[n] == "parameter")
        what = " → ".join(ops) if len(ops) <= 3 else f"{len(ops)} operations"
        cells.append(escape(f"{what} · {n_params} parameter{'s' if n_params != 1 else ''}"))
        lit = any(n in self.p.lit for n in members)
        role = "output" if self.p.root in inside else "group"
        gid = self.box_ids[s]
        g.node(gid, cell_table(cells, vertical=True), id=gid, shape="box",
               style="rounded,filled", fillcolor=COLORS[role], margin="0.08,0.04",
               **({"class": f"group {role}"} | (self._lit(True) | {"class": "group highlight"}
                                                 if lit else {})))

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
                           labeljust="l", bgcolor="#f8fafc" if kid.parent is None else "white")
                    emit(c, kid)

        emit(g, None)

    # -- edges -----------------------------------------------------------------------
    def _rep(self, n: Value) -> str:
        s = self.p.group.get(n)
        return self.box_ids[s] if s is not None else self.ids[n]

    def _edges(self, g: Any) -> None:
        grouped = self.p.group
        joined: dict[tuple[str, str], bool] = {}   # collapsed edges, lit or not
        for n in self.p.order:
            if not n._prev:
                continue
            i = self.index[n]
            if n not in grouped:
                lit_out = any((c, n) in self.p.lit_edges for c in n._prev)
                g.edge(f"n{i}op", f"n{i}", id=f"e{i}op", **self._lit_edge(lit_out))
            for j, c in enumerate(n._prev):
                lit = (c, n) in self.p.lit_edges
                if c not in grouped and n not in grouped:
                    g.edge(self.ids[c], f"n{i}op", id=f"e{i}_{j}",
                           **(self._edge_label(n, j) | self._lit_edge(lit)))
                    continue
                src = self._rep(c)
                dst = self._rep(n) if n in grouped else f"n{i}op"
                if src != dst:
                    joined[src, dst] = joined.get((src, dst), False) or lit
        for (src, dst), lit in joined.items():
            g.edge(src, dst, id=f"j_{src}_{dst}", **self._lit_edge(lit))

    def _lit_edge(self, lit: bool) -> dict[str, str]:
        return {"color": HIGHLIGHT, "penwidth": "2.5", "class": "highlight"} if lit else {}

    def _edge_label(self, n: Value, j: int) -> dict[str, str]:
        if self.edge_labels is None:
            return {}
        value = self.num(n._local[j])
        text = n._op.dshow(j, [operand(self.names[c]) for c in n._prev],
                           operand(self.names[n]))
        shown = {"value": value, "formula": text, "both": f"{text} = {value}"}[self.edge_labels]
        if self.edge_labels == "both" and _is_number(text):   # "1 = 1.0" says it twice
            shown = value
        return {"label": f"<{escape(shown)}>",
                "tooltip": f"∂{self.names[n]}/∂{self.names[n._prev[j]]}".replace("\\", "\\\\")}


def _is_number(text: str) -> bool:
    try:
        float(text.replace("−", "-"))
    except ValueError:
        return False
    return True
