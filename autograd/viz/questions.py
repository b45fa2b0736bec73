"""The page quiz's questions: what each frame asks for, its answer and its hint.

The stepper page's Quiz mode asks, before a frame's numbers are shown, for

* a forward frame: each value it computes (hint: the node's expression with its
  inputs' values);
* a backward step: each gradient the step changes, exactly the questions of the
  REPL quiz (:mod:`autograd.explainer.quizcore`), with the same answer
  (``old + this pass``) and the same chain-rule hint;
* the update frame: each parameter's new value (hint: the update rule with the
  parameter's value and gradient).

A :class:`Question` names its node; :class:`~autograd.viz.scenes.Scenes` decides
which questions a drawing asks (a collapsed neuron's inner sum is not shown, so
not asked) and which texts stay hidden until it is answered.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from ..engine import Value
from ..explainer import quizcore
from ..explainer.quizcore import hint_for, true_answer
from ..explainer.records import Step
from ..explainer.textview import expression, operand

__all__ = ["Question", "forward_questions", "step_questions", "update_questions"]

Number = Callable[[object], str]


@dataclass(frozen=True)
class Question:
    """One number to predict: ``label = ?`` (``'L1.N2.w1.grad'``), its answer and a hint.

    ``kind`` is ``'data'`` (a value or a parameter's new value) or ``'grad'``.
    """

    node: Value
    kind: str
    label: str
    answer: float
    hint: str


def _value(x: object) -> float:
    return float(getattr(x, "data", x))  # type: ignore[arg-type]


def forward_questions(unit: Sequence[Value], shown: Mapping[Value, str],
                      number: Number) -> tuple[Question, ...]:
    """The values a forward frame computes: ``v1 = ?`` with hint ``v1 = a·b with a = 2.0, …``."""
    out = []
    for n in unit:
        known = ", ".join(dict.fromkeys(f"{shown[c]} = {number(c.data)}" for c in n._prev))
        out.append(Question(n, "data", shown[n], _value(n.data),
                            f"hint: {shown[n]} = {expression(n, shown)} with {known}"))
    return tuple(out)


def step_questions(step: Step) -> tuple[Question, ...]:
    """The gradients ``step`` changes, with the REPL quiz's answers and hints."""
    return tuple(Question(child, "grad", f"{name}.grad", true_answer(terms), hint_for(name, terms))
                 for child, name, terms in quizcore.step_questions(step))


def update_questions(new: Mapping[Value, float], shown: Mapping[Value, str], rule: float | str,
                     number: Number) -> tuple[Question, ...]:
    """Each parameter's new value; ``rule`` is the learning rate η, or the optimizer's name."""
    out = []
    for p, value in new.items():
        name, grad = shown[p], _value(p.grad)
        if isinstance(rule, float):
            hint = (f"hint: new {name} = {name} − η·{name}.grad = {number(p.data)} − "
                    f"{number(rule)}·{operand(number(grad))}")
        else:
            hint = (f"hint: {rule}'s step from {name} = {number(p.data)} with {name}.grad = "
                    f"{number(grad)}")
        out.append(Question(p, "data", f"new {name}", value, hint))
    return tuple(out)
