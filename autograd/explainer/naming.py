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
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import graph
from ..engine import Value
from .sentences import fmt

__all__ = ["is_constant", "names", "names_and_samples", "names_in_order", "printable",
           "sample_of"]

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


def sample_of(order: Sequence[Value], counts: dict[str, int]) -> dict[Value, int]:
    """Which call of a model each per-call node belongs to, when a graph calls it several times.

    A label made inside a scope (a neuron's ``L1.N2.z``, a softmax's pieces) that occurs
    k times belongs to k calls: its i-th occurrence in creation order is sample i.  A
    repeated label on an input (a leaf that needs no gradient, such as ``x1``) takes the
    sample of the first node that uses it.  ``counts`` maps each label to its count.
    """
    sample: dict[Value, int] = {}
    seen: dict[str, int] = {}
    loose = False
    for n in order:
        label = n._label
        if label and counts[label] > 1:
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


def names_in_order(order: Sequence[Value]) -> dict[Value, str]:
    """:func:`names` for nodes already in topological (creation) order."""
    return names_and_samples(order)[0]


def names_and_samples(order: Sequence[Value]) -> tuple[dict[Value, str], dict[Value, int]]:
    """:func:`names_in_order`, and the sample (call of the model) of each per-call node."""
    counts: dict[str, int] = {}
    for n in order:
        label = n._label
        if label:
            counts[label] = counts.get(label, 0) + 1
    sample = sample_of(order, counts) if len(counts) < sum(counts.values()) else {}
    shown = {label: label if label.isprintable() else printable(label) for label in counts}
    taken = set(shown.values())
    if sample:
        taken.update(f"s{s}.{shown[n._label]}" for n, s in sample.items())
    seen: set[str] = set()
    out: dict[Value, str] = {}
    counter = 0
    for node in order:
        label = node._label
        if label:
            base = shown[label]
            s = sample.get(node)
            name = base if s is None else f"s{s}.{base}"
            if name in seen:
                stem, k = name, 1
                while name in seen:
                    k += 1
                    name = f"{stem}_{k}"
        elif not node._prev and not node.requires_grad:
            out[node] = fmt(node.data)
            continue
        else:
            counter += 1
            name = f"v{counter}"
            while name in taken:
                counter += 1
                name = f"v{counter}"
        seen.add(name)
        out[node] = name
    return out, sample


def names(root: Value) -> dict[Value, str]:
    """A display name for every node of ``root``'s graph, in topological order.

    The label if set, shown by :func:`printable` (a repeated label gets a suffix:
    ``a``, ``a_2``; a network's per-call nodes get the sample instead: ``s2.L1.N1.z``);
    an unlabelled constant is shown as its number (``2.0``, not unique); any other
    unlabelled node is ``v1``, ``v2``, … in topological order (inputs first), which
    for a graph built step by step is the order of creation.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); y = a * a + 3
    >>> sorted(names(y).values())
    ['3.0', 'a', 'v1', 'v2']
    """
    return names_in_order(graph.topo_order(root))
