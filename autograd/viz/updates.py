"""The update frame's numbers: which leaves an update moves, and where they go.

:func:`parameters_of` finds the parameters (never the inputs), :func:`updates`
computes each one's new value for ``update=`` (a learning rate, or an optimizer's
``preview()``) without changing anything, and refuses a learning rate on a graph
whose parameters are not known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..engine import Value
from ..validate import is_real, real
from .model import network_parameters

__all__ = ["check_update", "names_of", "parameters_of", "updates"]


def parameters_of(order: Iterable[Value], roles: Mapping[Value, str] | None = None
                  ) -> list[Value]:
    """The leaves an update moves: those whose role is ``parameter`` (the ``params=``
    given, or the weights and biases of :mod:`autograd.nn` neurons when ``roles`` is
    None).  Never the inputs: a graph without parameters gives ``[]``."""
    order = list(order)
    if roles is None:
        return network_parameters(order)
    return [n for n in order if not n._prev and n.requires_grad and roles.get(n) == "parameter"]


def check_update(update: Any, who: str) -> Any:
    """``update`` if it is None, a learning rate > 0 or an object with ``preview()``."""
    if update is None or callable(getattr(update, "preview", None)):
        return update
    if is_real(update):
        return real(who, "update", update, low=0, low_open=True)
    raise TypeError(f"{who}: update must be a learning rate or an optimizer (with a "
                    f"preview() method), got {type(update).__name__}")


def updates(update: Any, params: list[Value] | None, leaves: list[Value],
            shown: Mapping[Value, str], who: str) -> tuple[str, dict[Value, float]]:
    """(what the update is, each parameter's new value) for ``update=`` — nothing changes.

    A number η is plain gradient descent, ``θ − η·θ.grad``, on ``params``; anything
    with a ``preview()`` method returning ``{parameter: new value}`` (an
    :class:`autograd.optim.Optimizer`) is asked for its next step, which moves the
    graph's ``leaves`` it holds (those of ``params`` only, when given).  ``params``
    None means they are not known (a hand-built graph): a learning rate is then
    refused, since moving every leaf would move the inputs too.
    """
    update = check_update(update, who)
    if isinstance(update, float):
        if params is None:
            raise ValueError(
                f"{who}: update={update:g} moves the parameters, but this graph was not made "
                "by autograd.nn, so which leaves are parameters is not known (its leaves "
                f"that need a gradient: {names_of(leaves, shown)}); pass params=[...] with "
                "the leaves to update (e.g. the weights and bias), and the inputs stay as "
                "they are")
        return (f"gradient descent, θ ← θ − η·θ.grad with η = {update:g}",
                {p: p.data - update * float(getattr(p.grad, "data", p.grad)) for p in params})
    new = update.preview()
    if not isinstance(new, Mapping):
        raise TypeError(f"{who}: update.preview() must return a dict of parameter → value, "
                        f"got {type(new).__name__}")
    moved = leaves if params is None else params
    return f"{update!r}'s next step (a preview: nothing is changed)", {
        p: float(new[p]) for p in moved if p in new}


def names_of(nodes: list[Value], shown: Mapping[Value, str], limit: int = 8) -> str:
    """``'x1, x2, w1 … (+3 more)'``: the display names of a few nodes."""
    more = f" … (+{len(nodes) - limit} more)" if len(nodes) > limit else ""
    return (", ".join(shown[n] for n in nodes[:limit]) or "none") + more
