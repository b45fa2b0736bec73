"""The quiz's questions and scoring: what a step asks, when an answer counts, the hint.

:func:`ask_through` drives a :class:`~autograd.explainer.stepper.Stepper` (any object
with ``position``, ``done``, ``step()`` and ``back()``) to the end of its pass: after
each step it asks for every gradient the step changed (the value its sentence ends
with, ``old + this pass``), scores answers within a relative tolerance, shows the
chain-rule formula as a hint after a wrong answer and the answer after the last try
(each wrong answer echoed).  Only finite numbers are answers: ``nan`` or ``1e400`` is
refused like any other invalid input (asked again, not counted).  A stop (empty
answer, ``q``, Ctrl-D, Ctrl-C) steps back to where the quiz began, so every gradient
is exactly as before.  :func:`autograd.explainer.quiz.quiz` is the entry point;
``Stepper.quiz()`` calls :func:`ask_through` directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .. import validate
from ..engine import Value
from .sentences import derivative, fmt

__all__ = ["QuizResult", "Options", "ask_through", "checked", "close_enough", "hint_for",
           "parse_answer", "run", "step_questions", "true_answer"]


QUIT = ("", "q", "quit", "exit")
ABS_FLOOR = 1e-9


@dataclass
class QuizResult:
    """How a quiz went: ``score`` right answers out of ``asked`` questions answered.

    ``first_try`` counts the answers right at the first try; ``finished`` is False
    when the quiz was stopped early (then every gradient was put back as before the
    quiz).
    """

    score: int
    asked: int
    first_try: int
    finished: bool

    def __repr__(self) -> str:
        text = f"score {self.score}/{self.asked} ({self.first_try} at the first try)"
        if not self.finished:
            text += "; stopped early, every gradient restored"
        return text


def _number(x: Any) -> float:
    return float(x.data) if isinstance(x, Value) else float(x)


def parse_answer(text: str) -> float | None:
    """A typed answer as a number: ``0.5``, ``-3``, ``1e-3`` or a fraction ``1/2``; None if not.

    >>> parse_answer(" 1/4 "), parse_answer("-2e-1"), parse_answer("half")
    (0.25, -0.2, None)
    """
    text = text.strip().replace("−", "-")
    try:
        return float(text)
    except ValueError:
        pass
    top, slash, bottom = text.partition("/")
    if slash:
        try:
            return float(top) / float(bottom)
        except (ValueError, ZeroDivisionError):
            return None
    return None


def close_enough(answer: float, true: float, tolerance: float) -> bool:
    """True when ``|answer − true| ≤ tolerance·|true| + 10⁻⁹`` (infinities must match exactly).

    >>> close_enough(0.496, 0.5, 0.01), close_enough(0.49, 0.5, 0.01)
    (True, False)
    >>> close_enough(0.0, 1e-17, 0.01)
    True
    """
    if not math.isfinite(true):
        return answer == true or (math.isnan(true) and math.isnan(answer))
    return abs(answer - true) <= tolerance * abs(true) + ABS_FLOOR


def _parts(step: Any) -> list[Any]:
    """The nodes a step processed (a neuron or layer step has several), else the step itself."""
    return list(getattr(step, "parts", ()) or (step,))


def step_questions(step: Any) -> list[tuple[Value, str, list[tuple[Any, Any]]]]:
    """The gradients a step changes: (child, its name, [(part, term) into it]), in order."""
    found: dict[Value, tuple[str, list[tuple[Any, Any]]]] = {}
    for part in _parts(step):
        for term in part.terms:
            if term.updated:
                found.setdefault(term.child, (term.name, []))[1].append((part, term))
    return [(child, name, terms) for child, (name, terms) in found.items()]


def true_answer(terms: list[tuple[Any, Any]]) -> float:
    """The child's gradient after the step: this pass's sum so far plus what it held before
    the pass (``old + this pass = new``, as the step's sentence says)."""
    last = terms[-1][1]
    return _number(last.grad_after) + _number(getattr(last, "old", 0.0))


def hint_for(child: str, terms: list[tuple[Any, Any]], delta: bool = False) -> str:
    """The chain-rule formula of one gradient, with the numbers it needs (not the answer).

    Each product is :func:`autograd.explainer.derivative`'s, the sentence every view
    uses; ``delta`` (a pass on gradients that were not zero) writes this pass's parts
    ``Δ``, as the step's sentence does."""
    mark = "Δ" if delta else ""
    parts, values, grads = [], {}, {}
    for part, t in terms:
        node = part.name
        shown = {part.node: node, **{u.child: u.name for u in part.terms}}
        parts.append(derivative(part.node, t.index, shown).product(f"{mark}{node}.grad"))
        values[node] = part.node.data
        values.update({u.name: u.child.data for u in part.terms})
        grads[f"{mark}{node}"] = part.grad
    known = ", ".join([*(f"{k} = {fmt(v)}" for k, v in values.items()),
                       *(f"{k}.grad = {fmt(v)}" for k, v in grads.items())])
    line = f"hint: {mark}{child}.grad += " + " + ".join(parts) + f"\n      with {known}"
    first = terms[0][1]
    so_far, old = _number(first.grad_before), _number(getattr(first, "old", 0.0))
    if so_far != 0:
        line += (f"; {mark}{child}.grad already holds {fmt(so_far)} from this pass "
                 "(gradients add up)")
    if old != 0:
        line += (f"; before this pass {child}.grad held {fmt(old)}: the new value is "
                 f"old + Δ{child}.grad")
    return line


class _Stop(Exception):
    """The student stopped the quiz (empty answer, q, Ctrl-D, Ctrl-C).

    ``newline``: Ctrl-D or Ctrl-C left the cursor on the prompt's line."""

    def __init__(self, newline: bool = False) -> None:
        super().__init__()
        self.newline = newline


@dataclass(frozen=True)
class Options:
    """A quiz's checked settings: tolerance, tries per question, how to ask and to show."""

    tolerance: float
    attempts: int
    read: Callable[[str], str]
    show: Callable[[str], Any]


def checked(who: str, tolerance: Any, attempts: Any, ask: Any, say: Any) -> Options:
    """The settings checked (``tolerance`` ≥ 0, ``attempts`` ≥ 1, functions), defaults filled:
    ``ask`` is :func:`input`, ``say`` is :func:`print`."""
    tol = validate.real(who, "tolerance", tolerance, low=0)
    tries = validate.count(who, "attempts", attempts)
    for name, fn in (("ask", ask), ("say", say)):
        if fn is not None and not callable(fn):
            raise TypeError(f"{who}: {name} must be a function, got {type(fn).__name__}")
    return Options(tol, tries, ask if ask is not None else input,
                   say if say is not None else print)


def run(stepper: Any, options: Options) -> QuizResult:
    """Quiz the rest of ``stepper``'s pass with checked ``options``."""
    return _Quiz(stepper, options.tolerance, options.attempts, options.read,
                 options.show).run()


def ask_through(stepper: Any, *, tolerance: float = 0.01, attempts: int = 2,
                ask: Callable[[str], str] | None = None,
                say: Callable[[str], Any] | None = None) -> QuizResult:
    """Quiz the rest of ``stepper``'s pass (``Stepper.quiz()``); see :func:`~.quiz.quiz`."""
    return run(stepper, checked("Stepper.quiz()", tolerance, attempts, ask, say))


class _Quiz:
    """One quiz over a stepper: asks, scores, and undoes everything on a stop."""

    def __init__(self, stepper: Any, tolerance: float, attempts: int,
                 read: Callable[[str], str], show: Callable[[str], Any]) -> None:
        self.stepper, self.tolerance, self.attempts = stepper, tolerance, attempts
        self.read, self.show = read, show
        self.score = self.asked = self.first_try = 0

    def run(self) -> QuizResult:
        s, start = self.stepper, self.stepper.position
        self.show(f"Predict each gradient, then check (answers within {self.tolerance:.0%} "
                  "count; empty answer or q stops).")
        try:
            while not s.done:
                step = s.step()
                if step is None:
                    break
                self._ask_step(step)
        except _Stop as stop:
            while s.position > start:
                s.back()
            self.show(("\n" if stop.newline else "")    # Ctrl-D left us on the prompt line
                      + f"quiz stopped: score {self.score}/{self.asked} so far; every "
                      "gradient is back as it was before the quiz")
            return QuizResult(self.score, self.asked, self.first_try, False)
        self.show(f"done: score {self.score}/{self.asked}")
        return QuizResult(self.score, self.asked, self.first_try, True)

    def _ask_step(self, step: Any) -> None:
        questions = step_questions(step)
        delta = bool(getattr(step, "delta", False))
        mark = "Δ" if delta else ""
        if questions:
            head = str(step).partition("\n")[0].split("   (", 1)[0]
            known = ", ".join(f"{p.name} = {fmt(p.node.data)}, {mark}{p.name}.grad = "
                              f"{fmt(p.grad)}" + (" (this pass)" if delta else "")
                              for p in _parts(step)[:1])
            self.show(f"{head}    [{known}]")
        for _, name, terms in questions:
            self._ask(name, terms, delta)
        self.show(str(step))

    def _answer(self, prompt: str) -> float:
        while True:
            try:
                text = self.read(prompt)
            except (EOFError, KeyboardInterrupt):
                raise _Stop(newline=True) from None
            if text.strip().lower() in QUIT:
                raise _Stop
            value = parse_answer(text)
            if value is not None and math.isfinite(value):
                return value
            what = "a number" if value is None else "a finite number"
            self.show(f"  {text.strip()!r} is not {what}: type e.g. 0.5, -3 or 1/2 (q stops)")

    def _ask(self, name: str, terms: list[tuple[Any, Any]], delta: bool = False) -> None:
        true = true_answer(terms)
        for attempt in range(1, self.attempts + 1):
            answer = self._answer(f"  {name}.grad = ? ")
            self.asked += attempt == 1        # a question counts once it is answered
            if close_enough(answer, true, self.tolerance):
                self.score += 1
                self.first_try += attempt == 1
                self.show(f"  right: {name}.grad = {fmt(true)}")
                return
            if attempt < self.attempts:
                self.show(f"  not quite ({fmt(answer)}). " + hint_for(name, terms, delta))
        self.show(f"  not quite ({fmt(answer)}); the answer: {name}.grad = {fmt(true)}")
