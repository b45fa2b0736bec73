"""Display names: one readable, printable name for every node of a graph.

Every view (trace, tree, stepping, ``explain``, anomaly messages, diagrams, the
stepper page) calls a node by the name :func:`names` gives it:

* a labelled node: its label, shown by :func:`printable` (control characters and
  invisible formatting such as NUL, BEL, ESC, CR or U+202E are shown as escapes);
* a network's nodes are labelled where they are made (``L1.N2.w1``, ``L1.N2.z``,
  ``x1``; see :mod:`autograd.nn.layers`); when one graph holds several calls of the
  model (a batch loss), each call's nodes carry the sample: ``s3.L1.N2.z``, ``s3.x1``;
* any other repeated label gets a suffix (``a``, ``a_2``), as in a hand-built graph;
* an unlabelled constant shows its number (``2.0``), every other unlabelled node is
  ``v1``, ``v2``, … in creation order (inputs first).

These names need the whole graph (``v7`` is the seventh unlabelled node, ``a_2`` the
second ``a``).  A graph of more than :data:`EXACT_LIMIT` edges (each input of each node;
a chain of n operations ``y = y * a`` has 2n) is named node by node instead, with creation
numbers (:func:`creation_name`: ``v#1000123``, ``L1.N2.z#5321``),
so that a view printing a few of its nodes never walks all of it (:func:`view_names`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator, Mapping, Sequence
from operator import attrgetter

from .. import graph
from ..engine import Value
from .sentences import fmt

__all__ = ["EXACT_LIMIT", "CreationNames", "LazyNames", "creation_name", "is_constant", "names",
           "names_and_samples", "names_in_order", "printable", "sample_of", "view_names"]

EXACT_LIMIT = 200_000
"""Graphs of up to this many edges (:func:`~autograd.graph.edges`: every input of every
node; a network's batch loss has about two per node) get exact names (``v1``, ``a_2``,
``s3.x1``); a bigger graph's nodes carry their creation number (:func:`creation_name`).
Raise it for exact names in bigger graphs; every view of such a graph then walks all of
it first."""

_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` as every view shows it: characters that are not printable (controls such as
    NUL, BEL, ESC, CR; invisible formatting such as the right-to-left override U+202E)
    become visible escapes, so a label can never move the cursor, ring a bell, colour a
    terminal or reorder a line.

    >>> printable('x\\x1b[31m'), printable('a\\u202eb'), printable('w1')
    ('x\\\\x1b[31m', 'a\\\\u202eb', 'w1')
    """
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        else:
            o = ord(ch)
            out.append(f"\\x{o:02x}" if o < 0x100 else f"\\u{o:04x}" if o < 0x10000
                       else f"\\U{o:08x}")
    return "".join(out)


def is_constant(node: Value) -> bool:
    """True for a leaf that needs no gradient (``2`` in ``2 * x``, a network's inputs,
    ``detach()`` results)."""
    return not node._prev and not node.requires_grad


def sample_of(labelled: Sequence[Value], counts: dict[str, int],
              order: Sequence[Value]) -> dict[Value, int]:
    """Which call of a model each per-call node belongs to, when a graph calls it several times.

    A label made inside a scope (a neuron's ``L1.N2.z``, a softmax's pieces) that occurs
    k times belongs to k calls: its i-th occurrence in creation order is sample i.  A
    repeated label on an input (a leaf that needs no gradient, such as ``x1``) takes the
    sample of the first node that uses it.  ``labelled`` are the labelled nodes of the
    topological ``order``, ``counts`` how often each label occurs.
    """
    sample: dict[Value, int] = {}
    seen: dict[str, int] = {}
    loose = False
    for n in labelled:
        label = n._label
        if counts[label] > 1:
            if n._scope is not None and n._prev:
                k = seen.get(label, 0) + 1
                seen[label] = k
                sample[n] = k
            elif not n._prev and not n.requires_grad:
                loose = True
    if loose and sample:
        for n in order:
            s = sample.get(n)
            if s is None or not n._prev:
                continue
            for c in n._prev:
                if c not in sample and not c._prev and not c.requires_grad \
                        and c._label and counts[c._label] > 1:
                    sample[c] = s
    return sample


def _samples(order: Sequence[Value], labelled: Sequence[Value],
             ) -> tuple[dict[Value, int], dict[str, int]]:
    """:func:`sample_of` the labelled nodes, and how often each label occurs."""
    counts: dict[str, int] = {}
    for n in labelled:
        counts[n._label] = counts.get(n._label, 0) + 1
    return (sample_of(labelled, counts, order) if len(counts) < len(labelled) else {}), counts


def _labelled_names(order: Sequence[Value], labelled: Sequence[Value],
                    ) -> tuple[dict[Value, str], dict[Value, int], set[str]]:
    """The names of the labelled nodes, their samples, and every name a ``v`` number must skip."""
    sample, counts = _samples(order, labelled)
    shown = {label: label if label.isprintable() else printable(label) for label in counts}
    taken = set(shown.values())
    seen: set[str] = set()
    last: dict[str, int] = {}     # the latest suffix of each repeated name: linear, not n²
    out: dict[Value, str] = {}
    for node in labelled:
        base = shown[node._label]
        s = sample.get(node)
        name = base if s is None else f"s{s}.{base}"
        taken.add(name)
        if name in seen:
            stem, k = name, last.get(name, 1)
            while name in seen:
                k += 1
                name = f"{stem}_{k}"
            last[stem] = k
        seen.add(name)
        out[node] = name
    return out, sample, taken


def names_in_order(order: Sequence[Value]) -> dict[Value, str]:
    """:func:`names` for nodes already in topological (creation) order."""
    return names_and_samples(order)[0]


def creation_name(node: Value) -> str:
    """A node's name in a graph of more than :data:`EXACT_LIMIT` edges, known without the graph.

    Its label (shown by :func:`printable`), or ``v`` when it has none, then ``#`` and its
    creation number, which no other node shares (a copy gets its own): ``v#1000123``,
    ``L1.N2.z#5321``; a label holding ``#`` keeps it (the number is after the last).  An
    unlabelled constant is still shown as its number (``2.0``).
    """
    label = node._label
    if label:
        return f"{label if label.isprintable() else printable(label)}#{node._id}"
    if not node._prev and not node.requires_grad:
        return fmt(node.data)
    return f"v#{node._id}"


def names_and_samples(order: Sequence[Value]) -> tuple[dict[Value, str], dict[Value, int]]:
    """:func:`names_in_order`, and the sample (call of the model) of each per-call node."""
    labelled = [n for n in order if n._label]
    if graph.edges(order) > EXACT_LIMIT:
        return {node: creation_name(node) for node in order}, _samples(order, labelled)[0]
    labelled_names, sample, taken = _labelled_names(order, labelled)
    out: dict[Value, str] = {}
    counter = 0
    for node in order:
        name = labelled_names.get(node)
        if name is None:
            if not node._prev and not node.requires_grad:
                name = fmt(node.data)
            else:
                counter += 1
                name = f"v{counter}"
                while name in taken:
                    counter += 1
                    name = f"v{counter}"
        out[node] = name
    return out, sample


class LazyNames(Mapping[Value, str]):
    """The names :func:`names` gives, each computed when asked for.

    For views that print a few nodes of a graph within :data:`EXACT_LIMIT` edges (a cut-short
    :func:`trace` or :func:`tree`): besides the topological ``order`` it costs two quick
    passes over the graph (the labelled nodes, and the creation numbers of the unlabelled
    ones), then a binary search per name asked for.
    """

    def __init__(self, order: Sequence[Value]) -> None:
        self._order = order
        self._labelled, _, taken = _labelled_names(order, [n for n in order if n._label])
        self._ids = [n._id for n in order if not n._label and (n._prev or n.requires_grad)]
        self._skip = sorted(int(t[1:]) for t in taken
                            if t[:1] == "v" and t[1:].isdigit() and str(int(t[1:])) == t[1:])
        self._members: set[Value] | None = None

    def __getitem__(self, node: Value) -> str:
        name = self._labelled.get(node)
        if name is not None:
            return name
        if node not in self:
            raise KeyError(node)
        if not node._prev and not node.requires_grad:
            return fmt(node.data)
        k = bisect_left(self._ids, node._id) + 1    # the k-th unlabelled node …
        for t in self._skip:                         # … gets the k-th free number
            if t > k:
                break
            k += 1
        return f"v{k}"

    def __contains__(self, node: object) -> bool:
        if self._members is None:
            self._members = set(self._order)
        return node in self._members

    def __iter__(self) -> Iterator[Value]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class CreationNames(Mapping[Value, str]):
    """The names of a graph of more than :data:`EXACT_LIMIT` edges, each made when asked for.

    ``shown[node]`` costs nothing beyond the node itself (:func:`creation_name`) and does
    not check that ``node`` belongs to the graph; only ``in``, ``len`` and iterating walk
    the whole graph (once).
    """

    def __init__(self, root: Value) -> None:
        self.limit = EXACT_LIMIT    #: the limit the graph was found to exceed
        self._root = root
        self._order: list[Value] | None = None
        self._members: set[Value] | None = None

    def __getitem__(self, node: Value) -> str:
        return creation_name(node)

    def _nodes(self) -> list[Value]:
        if self._order is None:
            self._order = graph.topo_order(self._root)
        return self._order

    def __contains__(self, node: object) -> bool:
        if self._members is None:
            self._members = set(self._nodes())
        return node in self._members

    def __iter__(self) -> Iterator[Value]:
        return iter(self._nodes())

    def __len__(self) -> int:
        return len(self._nodes())


def view_names(root: Value) -> tuple[Mapping[Value, str], list[Value] | None]:
    """The names a view of ``root``'s graph uses, and its topological order when that is cheap.

    Probes the graph's size first (about :data:`EXACT_LIMIT` steps): a graph within the
    limit gives its exact names (:class:`LazyNames`) and its order; a bigger one gives
    :class:`CreationNames` and ``None``, so the view must find the nodes it prints
    itself (:func:`~autograd.graph.newest_first`).
    """
    found = graph.reachable(root, EXACT_LIMIT)
    if found is None:
        return CreationNames(root), None
    found.sort(key=_ID)
    return LazyNames(found), found


_ID = attrgetter("_id")


def names(root: Value) -> dict[Value, str]:
    """A display name for every node of ``root``'s graph, in topological order.

    The label if set, shown by :func:`printable` (a repeated label gets a suffix:
    ``a``, ``a_2``; a network's per-call nodes get the sample instead: ``s2.L1.N1.z``);
    an unlabelled constant is shown as its number (``2.0``, not unique); any other
    unlabelled node is ``v1``, ``v2``, … in topological order (inputs first), which
    for a graph built step by step is the order of creation.  A graph of more than
    :data:`EXACT_LIMIT` edges gets creation numbers instead (:func:`creation_name`).

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); y = a * a + 3
    >>> sorted(names(y).values())
    ['3.0', 'a', 'v1', 'v2']
    """
    return names_in_order(graph.topo_order(root))
