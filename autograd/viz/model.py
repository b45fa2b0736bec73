"""What a diagram shows, decided in plain Python (no Graphviz needed here).

:func:`plan` reads the graph once and decides, for every node,

* its **role** (the box colour): ``output`` (the root), ``input`` (a leaf you
  differentiate with respect to), ``parameter`` (a leaf in ``params``, or a weight
  or bias of a neuron's ``dot`` node), ``constant`` (a leaf with
  ``requires_grad=False``) or ``intermediate`` (any other operation);
* its **group** when collapsing: the neuron or layer (:class:`~autograd.Scope`) it
  was created in, so a whole neuron is drawn as one box;
* its **home**: the cluster it is drawn in (the scope it was created in; a
  parameter or constant used inside one neuron only is drawn in that neuron);
* whether it is **highlighted**: given nodes, or every node on a path from given
  leaves to the root (the nodes whose value depends on the leaf).

It also enforces the size guard (:mod:`autograd.viz.guard`): boxes and edges are
counted before ``dot`` ever runs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

from .. import graph
from ..engine import Value
from ..modes import Scope
from ..ops import DOT
from ..validate import count
from .guard import GraphTooLarge, check_size

__all__ = ["ROLES", "GraphTooLarge", "Plan", "dot_weights", "group_key", "network_parameters",
           "plan"]

LEVELS = ("neuron", "layer")

ROLES = ("input", "parameter", "constant", "intermediate", "output")
"""The roles a node can have (each drawn in its own colour)."""


class HasParameters(Protocol):
    """Anything with a ``parameters()`` method, such as an :class:`autograd.nn.MLP`."""

    def parameters(self) -> Iterable[Value]:
        """The model's weights and biases."""
        ...


@dataclass
class Plan:
    """Everything a renderer needs, node by node, in topological order (inputs first)."""

    root: Value
    order: list[Value]
    roles: dict[Value, str]
    group: dict[Value, Scope] = field(default_factory=dict)   # collapsed nodes → their box
    lit: set[Value] = field(default_factory=set)               # highlighted nodes
    lit_edges: set[tuple[Value, Value]] = field(default_factory=set)  # (child, parent)
    _users: dict[Value, list[Value]] | None = field(default=None, repr=False)

    @property
    def groups(self) -> list[Scope]:
        """The collapsed boxes, by title in natural order (Neuron 2 before Neuron 10)."""
        return sorted(dict.fromkeys(self.group.values()), key=natural_key)

    def drawn(self) -> list[Value]:
        """The nodes drawn as their own box (not hidden inside a collapsed group)."""
        return [n for n in self.order if n not in self.group]

    def home(self, n: Value) -> Scope | None:
        """The scope whose cluster ``n`` is drawn in (None: outside every cluster).

        A node's own scope; for a parameter or constant made outside any scope
        (an ``nn.Neuron``'s weights), the scope of the nodes that use it when they
        all share one, so weights are drawn inside their neuron.
        """
        if n._scope is not None or n._prev or self.roles[n] not in ("parameter", "constant"):
            return n._scope
        homes = {u._scope for u in self.users.get(n, ())}
        return homes.pop() if len(homes) == 1 else None

    @property
    def users(self) -> dict[Value, list[Value]]:
        """The nodes that use each node as an input (once per use), built on first use."""
        if self._users is None:
            self._users = {}
            for n in self.order:
                for c in n._prev:
                    self._users.setdefault(c, []).append(n)
        return self._users

    def rep(self, n: Value) -> Value | Scope:
        """What stands for ``n`` in the drawing: its collapsed group, or itself."""
        return self.group.get(n, n)

    def edges(self) -> list[tuple[Value | Scope, Value | Scope]]:
        """Every edge drawn, as (from, to): ``(child, parent)`` pairs between boxes, op
        circles counted as their result's box (one edge op → result for each op)."""
        out: list[tuple[Value | Scope, Value | Scope]] = []
        joined: set[tuple[Value | Scope, Value | Scope]] = set()
        for n in self.order:
            if not n._prev:
                continue
            if n not in self.group:
                out.append((n, n))     # op circle → result
            for c in n._prev:
                src, dst = self.rep(c), self.rep(n)
                if c not in self.group and n not in self.group:
                    out.append((c, n))
                elif src is not dst and (src, dst) not in joined:
                    joined.add((src, dst))
                    out.append((src, dst))
        return out


def plan(root: Value, *, params: Iterable[Value] | HasParameters | None = None,
         highlight: Iterable[Value] = (),
         highlight_paths_from: Value | Iterable[Value] | None = None,
         collapse: str | int | None = None, max_nodes: int = 300, max_edges: int = 1500,
         who: str = "draw_graph") -> Plan:
    """Decide roles, groups and highlights for ``root``'s graph; check the size guard.

    Raises :class:`GraphTooLarge` when more than ``max_nodes`` boxes (op circles
    not counted) or ``max_edges`` edges would be drawn, naming an option that
    makes ``who``'s call work; ``ValueError``/``TypeError`` for bad options.
    """
    if not isinstance(root, Value):
        raise TypeError(f"{who}: root must be a Value, got {type(root).__name__}")
    max_nodes = count(who, "max_nodes", max_nodes)
    max_edges = count(who, "max_edges", max_edges)
    if collapse is not None and collapse not in LEVELS and not (
            isinstance(collapse, int) and not isinstance(collapse, bool) and collapse >= 1):
        raise ValueError(f"{who}: collapse must be 'neuron', 'layer', a depth >= 1 or None, "
                         f"got {collapse!r}")
    order = graph.topo_order(root)
    p = Plan(root, order, _roles(order, root, _param_set(params)))
    if collapse is not None:
        p.group = _groups(order, root, p.roles, collapse)

    def collapsed(level: str) -> Plan:
        return Plan(root, order, p.roles, _groups(order, root, p.roles, level))

    check_size(p, collapsed, collapse=collapse, max_nodes=max_nodes, max_edges=max_edges,
               who=who)
    inside = set(order)
    lit = set(_values(highlight, "highlight"))
    for n in lit:
        if n not in inside:
            raise ValueError(f"highlight: node {_name(n)} is not in the graph of this root")
    p.lit_edges = {(c, n) for n in order for c in n._prev if c in lit and n in lit}
    if highlight_paths_from is not None:
        sources = set(_values(highlight_paths_from, "highlight_paths_from"))
        for s in sources - inside:
            raise ValueError(f"highlight_paths_from: node {_name(s)} is not in the graph "
                             "of this root")
        on_path = _depends_on(order, sources)
        lit |= on_path
        p.lit_edges |= {(c, n) for n in order if n in on_path for c in n._prev if c in on_path}
    p.lit = lit
    return p


def _name(v: Value) -> str:
    return repr(v.label) if v.label else repr(v)


def _values(items: Value | Iterable[Value], what: str) -> list[Value]:
    out = [items] if isinstance(items, Value) else list(items)
    for v in out:
        if not isinstance(v, Value):
            raise TypeError(f"{what} must hold Values, got {type(v).__name__}")
    return out


def _param_set(params: Iterable[Value] | HasParameters | None) -> set[Value] | None:
    if params is None:
        return None
    if hasattr(params, "parameters") and callable(params.parameters):
        params = params.parameters()
    return set(_values(params, "params"))  # type: ignore[arg-type]


def _roles(order: list[Value], root: Value, params: set[Value] | None) -> dict[Value, str]:
    """Colour roles; without ``params``, a leaf feeding a neuron's weight slot is a parameter."""
    weights: set[Value] = set()
    if params is None:   # the weights and bias of scoped dot nodes (autograd.nn neurons)
        for n in order:
            if n._op == DOT and n._scope is not None:
                weights.update(dot_weights(n))
    roles: dict[Value, str] = {}
    for n in order:
        if n is root:
            roles[n] = "output"
        elif n._prev:
            roles[n] = "intermediate"
        elif n in params if params is not None else n in weights and n.requires_grad:
            roles[n] = "parameter"
        elif not n.requires_grad:
            roles[n] = "constant" if not n.label else "input"
        else:
            roles[n] = "input"
    return roles


def network_parameters(order: list[Value]) -> list[Value]:
    """The weights and biases of the :mod:`autograd.nn` neurons in ``order`` (the leaves in
    a weight or bias slot of a scoped ``dot`` node), in order; ``[]`` for a graph without."""
    roles = _roles(order, order[-1], None) if order else {}
    return [n for n in order if roles.get(n) == "parameter"]


def natural_key(s: Scope) -> list[tuple[int, str | int]]:
    """Sort key of a scope's title with numbers compared as numbers."""
    return [(0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", s.title)]


def dot_weights(node: Value) -> tuple[Value, ...]:
    """The weights and bias of a ``dot`` node: children ``w₁…wₙ, x₁…xₙ[, b]``."""
    k = len(node._prev)
    return node._prev[: k // 2] + (node._prev[-1:] if k % 2 else ())


def group_key(node: Value, level: str | int) -> Scope | None:
    """The scope that ``node`` is collapsed into at ``level`` (None: drawn on its own).

    ``"neuron"``: the innermost scope of kind neuron (else the innermost scope);
    ``"layer"``: the outermost scope of kind layer (else the outermost scope);
    an int ``d``: the scope at depth ``d`` (1 = outermost) or the deepest above it.
    """
    if node._scope is None:
        return None
    path = node._scope.path
    if level in ("neuron", "layer"):      # the kind nn gave the scope, else the nearest one
        found = node._scope.enclosing(level)
        return found if found is not None else path[-1 if level == "neuron" else 0]
    assert isinstance(level, int)
    return path[min(level, len(path)) - 1]


def _groups(order: list[Value], root: Value, roles: dict[Value, str],
            level: str | int) -> dict[Value, Scope]:
    """Collapse scoped nodes; parameters and constants used by one box only go inside it."""
    group: dict[Value, Scope] = {}
    for n in order:
        key = group_key(n, level)
        if key is not None and n._prev:
            group[n] = key
    users: dict[Value, set[Scope | None]] = {}
    for n in order:
        for c in n._prev:
            users.setdefault(c, set()).add(group.get(n))
    for n in order:
        if not n._prev and n is not root and roles[n] in ("parameter", "constant"):
            boxes = users.get(n, set())
            only = next(iter(boxes)) if len(boxes) == 1 else None
            if only is not None:
                group[n] = only
    return group


def _depends_on(order: list[Value], sources: set[Value]) -> set[Value]:
    """Every node whose value depends on a source: the nodes on a source→root path."""
    hit = set(sources)
    for n in order:   # inputs first, so children are decided before their users
        if any(c in hit for c in n._prev):
            hit.add(n)
    return hit
