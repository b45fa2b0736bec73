"""Predict, then check: a backprop quiz for the REPL, one gradient at a time.

:func:`quiz` steps through a backward pass (with a
:class:`~autograd.explainer.stepper.Stepper`) and, before showing each step's
numbers, asks for every gradient the step changes.  An answer counts when it lies
within ``tolerance`` of the true value, relatively (1 % by default):

    |answer − true| ≤ tolerance · |true| + 10⁻⁹

(the small absolute term accepts ``0`` for a gradient that is zero up to rounding).
A wrong answer gets the chain-rule formula of that gradient as a hint, with the
numbers it needs, and another try; after the last try the answer is shown.  An
answer that is not a finite number (``half``, ``nan``, ``1e400``) is asked again and
costs no try.  The quiz ends with the score.  An empty answer, ``q``, Ctrl-D or
Ctrl-C stops it at once with the score so far and puts every gradient back exactly
as it was before the quiz.  Answers are read with :func:`input`, so a test (or a class's own
front end) can drive it by passing ``ask=``.  The questions, the scoring and the
hints are in :mod:`autograd.explainer.quizcore`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .. import validate
from ..engine import Value
from .quizcore import QuizResult, checked, close_enough, parse_answer, run
from .stepper import Stepper

__all__ = ["QuizResult", "close_enough", "parse_answer", "quiz"]


def quiz(target: Value | Stepper, grad: float = 1.0, *, tolerance: float = 0.01,
         attempts: int = 2, by: str | None = None, ask: Callable[[str], str] | None = None,
         say: Callable[[str], Any] | None = None) -> QuizResult:
    """Quiz the student on ``target``'s backward pass: predict each gradient, then see it.

    ``target`` is the root of a graph (a new pass from it, seeded with ``grad``) or a
    :class:`Stepper` (the quiz continues from its position; ``Stepper.quiz()``).
    Every step's changed gradients are asked for in turn; an answer within
    ``tolerance`` (relative: 0.01 is 1 %) scores; a wrong one shows the formula as a
    hint and allows ``attempts`` tries in all before the answer is shown.  ``by``
    is the stepping granularity, passed to the Stepper.  ``ask`` reads an answer
    (default :func:`input`), ``say`` shows a line (default :func:`print`).

    A finished quiz leaves the gradients as ``backward()`` would.  Stopping early
    (empty answer, ``q``, Ctrl-D, Ctrl-C) returns the score so far and restores
    every gradient as it was before the quiz.

    >>> from autograd import Value
    >>> a = Value(2.0, label='a'); b = Value(-3.0, label='b')
    >>> c = a * b; c.label = 'c'
    >>> answers = iter(["-3", "5", "2"])
    >>> quiz(c, ask=lambda prompt: next(answers), say=lambda line: None)
    score 2/2 (1 at the first try)
    """
    who = "quiz()"
    if not isinstance(target, (Value, Stepper)):
        raise TypeError(f"{who}: target must be a Value or a Stepper, got "
                        f"{type(target).__name__}")
    grad = validate.real(who, "grad", grad)
    options = checked(who, tolerance, attempts, ask, say)
    if by is not None:
        validate.text(who, "by", by)
    if isinstance(target, Stepper):
        return run(target, options)
    return run(Stepper(target, grad, by=by or "node"), options)
