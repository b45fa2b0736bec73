"""What a backward step records: its terms, the nodes it processed, its sentence.

:class:`Term` (one ``child.grad += ∂node/∂child · node.grad``), :class:`Part` (one
node the engine processed), :class:`Step` (a node, a neuron or a layer) and
:class:`Steps` (a run of them, with ``to_markdown()`` and ``to_latex()``).  Made by
:class:`autograd.explainer.steps.BackwardPass`; read by the stepper, the quiz, the
stepper page and the diagrams.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..engine import Value
from .export import steps_latex, steps_markdown
from .progress import GradState
from .sentences import Derivative, fmt, operand

__all__ = ["Part", "Step", "Steps", "Term"]


@dataclass(frozen=True)
class Term:
    """One chain-rule term: what a node pushed into one of its inputs.

    ``contribution = local · upstream`` (∂node/∂child · node.grad, the very
    product the engine added); ``grad_before``/``grad_after`` are the child's
    gradient in this pass around the addition, ``old`` what it held before the
    pass, ``state`` its :class:`GradState` right after this term (final, or
    ``1 of 2 uses``).  ``updated`` is False for an input that needs no gradient
    (a constant): it receives nothing.
    """

    child: Value
    name: str
    index: int
    local: float
    text: str
    upstream: float
    contribution: float
    grad_before: float
    grad_after: float
    updated: bool
    old: float = 0.0
    state: GradState | None = None

    def line(self, node_name: str, child_name: str | None = None,
             formula: str | None = None, delta: bool | None = None) -> str:
        """``a.grad += ∂c/∂a · c.grad = b · c.grad = (-3.0)(1.0) = -3.0 (final)``.

        A later contribution adds ``, now 1.0`` (the sum so far).  ``child_name`` and
        ``formula`` replace the names (a neuron's block writes ``w1`` for ``L1.N2.w1``).

        ``delta=True`` (a pass on gradients that were not zero; the default when
        this input held one) names this pass's parts
        ``Δa.grad`` and ``Δc.grad``, the numbers the engine adds up, and then gives the
        gradient itself as old + this pass = new, so every equation holds as written:
        ``Δa.grad += ∂c/∂a · Δc.grad = b · Δc.grad = (-3.0)(1.0) = -3.0, now -6.0;
        a.grad = 0.5 + (-6.0) = -5.5 (final)``.
        """
        name = self.name if child_name is None else child_name
        d = Derivative(node_name, name, self.text if formula is None else formula, self.local)
        mark = "Δ" if (bool(self.old) if delta is None else delta) else ""
        line = f"{mark}{name}.grad += {d.chain(self.upstream, grad=f'{mark}{node_name}.grad')}"
        if self.grad_before != 0:
            line += f", now {fmt(self.grad_after)}"
        if self.old:
            line += f"; {name}.grad = {fmt(self.old)} + {operand(fmt(self.grad_after))} = " \
                    f"{fmt(self.grad_after + self.old)}"
        if self.state is not None:
            line += f" ({self.state.progress()})"
        return line


@dataclass(frozen=True)
class Part:
    """One node the engine processed within a step: its gradient and what it pushed.

    ``grad`` is this pass's gradient as pushed (after hooks; ``grad_in`` before them),
    ``old`` what the node held before the pass, ``terms`` one :class:`Term` per input.
    """

    node: Value
    name: str
    expr: str
    grad: float
    grad_in: float
    terms: tuple[Term, ...]
    old: float = 0.0


@dataclass(frozen=True)
class Step:
    """One step of the backward pass: a node, a neuron or a layer, after it pushed its
    gradient to its inputs.

    ``index`` counts from 1 to ``total``; ``parts`` lists the nodes processed
    (one for ``by="node"``), in the engine's order; ``node``, ``name``, ``expr``,
    ``grad`` and ``grad_in`` are the first part's (the node where the step starts);
    ``terms`` has every part's terms; ``group`` is the neuron or layer stepped
    (``'L1.N2'``, ``'s3.L1'``; ``''`` for a single node); ``states`` the
    :class:`GradState` after the step of every node it processed or sent a gradient
    to (what a diagram redraws); ``sentence`` is the whole step as text.  ``delta`` is
    True in a pass on gradients that were not zero: the sentence writes this pass's
    parts ``Δx.grad`` and each gradient as old + Δ = new.
    """

    index: int
    total: int
    node: Value
    name: str
    expr: str
    grad: float
    grad_in: float
    terms: tuple[Term, ...]
    sentence: str
    parts: tuple[Part, ...] = ()
    by: str = "node"
    group: str = ""
    states: tuple[GradState, ...] = ()
    delta: bool = False

    @property
    def is_leaf(self) -> bool:
        """True for a leaf's step (it pushes nothing: its gradient is final)."""
        return not self.node._prev

    @property
    def title(self) -> str:
        """What the step is about: ``'neuron L1.N2'``, ``'layer L1'`` or the node's name."""
        return f"{self.by} {self.group}" if self.group else self.name

    @property
    def nodes(self) -> tuple[Value, ...]:
        """The nodes processed in this step, in the engine's order."""
        return tuple(p.node for p in self.parts)

    def __str__(self) -> str:
        return self.sentence

    def __repr__(self) -> str:   # the REPL shows a step as its sentence
        return self.sentence

    def _repr_html_(self) -> str:   # Jupyter: the sentence as HTML (explainer/html.py)
        from .html import step_html
        return step_html(self)


class Steps(list[Step]):
    """A list of :class:`Step` that the REPL shows as their sentences, one after another.

    ``empty`` is what an empty list shows (``Stepper.run()`` at the end says that every
    step was already applied)."""

    def __init__(self, steps: Iterable[Step] = (), *, empty: str = "(no steps)") -> None:
        super().__init__(steps)
        self.empty = empty

    def __repr__(self) -> str:
        return "\n".join(step.sentence for step in self) if self else self.empty

    def _repr_html_(self) -> str:   # Jupyter: one box per step (explainer/html.py)
        from .html import steps_html
        return steps_html(self)

    def to_markdown(self) -> str:
        """The steps as Markdown (for slides and handouts), every name escaped."""
        return steps_markdown(self)

    def to_latex(self) -> str:
        """The steps as LaTeX (a ``description`` list), every special character escaped."""
        return steps_latex(self)
