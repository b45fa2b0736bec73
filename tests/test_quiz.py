"""The REPL quiz, driven through a fake input(): scoring, hints, reveal, early quit."""

import builtins
import math
import re
import shutil

import pytest

import autograd
from autograd import MLP, Stepper, Value
from autograd.explainer.quiz import QuizResult, close_enough, parse_answer, quiz

PROMPT = re.compile(r"^\s*(.+)\.grad = \? $")


def neuron():
    """micrograd's neuron: o = tanh(x1·w1 + x2·w2 + b) = 1/√2, so ∂o/∂n = 0.5."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.8813735870195432, label="b")
    n = x1 * w1 + x2 * w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b, "n": n, "o": o}


def expected_grads():
    """Every gradient of a fresh copy of the neuron after backward(), by name."""
    o, _ = neuron()
    o.backward()
    shown = autograd.explainer.names(o)
    return {shown[v]: v.grad for v in autograd.graph.topo_order(o)}


class Student:
    """A scripted student: answers each prompt with a function of the asked name."""

    def __init__(self, answer):
        self.answer, self.prompts, self.lines = answer, [], []

    def ask(self, prompt):
        name = PROMPT.match(prompt).group(1)
        self.prompts.append(name)
        return self.answer(name, len(self.prompts))

    def say(self, line):
        self.lines.append(line)

    @property
    def text(self):
        return "\n".join(self.lines)


def test_right_answers_score_and_leave_backwards_gradients():
    truth = expected_grads()
    o, _ = neuron()
    student = Student(lambda name, k: repr(truth[name]))
    result = quiz(o, ask=student.ask, say=student.say)
    assert isinstance(result, QuizResult) and result.finished
    assert result.asked == len(student.prompts) >= 6          # n, v's, every parameter, input
    assert result.score == result.first_try == result.asked
    assert {"n", "w1", "w2", "b", "x1", "x2"} <= set(student.prompts)
    shown = autograd.explainer.names(o)
    assert {shown[v]: v.grad for v in autograd.graph.topo_order(o)} == truth   # as backward()
    assert "done: score" in student.text and repr(result).startswith(f"score {result.asked}/")


def test_wrong_answer_shows_the_formula_as_hint_then_the_second_try_counts():
    truth = expected_grads()
    o, _ = neuron()
    # the first question is n.grad (= 0.5): answer 0.3 first, then right; all others right
    student = Student(lambda name, k: "0.3" if k == 1 else repr(truth[name]))
    result = quiz(o, ask=student.ask, say=student.say)
    assert student.prompts[:2] == ["n", "n"]
    hint = next(line for line in student.lines if "hint:" in line)
    assert "n.grad += ∂o/∂n · o.grad" in hint
    assert "1 − o²" in hint or "1 − o^2" in hint              # the op's derivative text
    assert "o = 0.7071" in hint and "o.grad = 1.0" in hint     # the numbers it needs …
    assert "0.5" not in hint                                    # … but not the answer
    assert result.score == result.asked and result.first_try == result.asked - 1


def test_after_the_last_try_the_answer_is_revealed_and_not_scored():
    truth = expected_grads()
    o, _ = neuron()
    student = Student(lambda name, k: "7" if name == "w1" else repr(truth[name]))
    result = quiz(o, ask=student.ask, say=student.say, attempts=3)
    assert student.prompts.count("w1") == 3
    assert "the answer: w1.grad = 1.0" in student.text
    assert (result.score, result.asked) == (result.asked - 1, len(set(student.prompts)))


def test_tolerance_is_relative_and_configurable():
    assert close_enough(0.5 * 1.009, 0.5, 0.01) and not close_enough(0.5 * 1.011, 0.5, 0.01)
    assert close_enough(-1.5 * 1.05, -1.5, 0.1) and not close_enough(1.5, -1.5, 0.1)
    assert close_enough(0.0, 1e-17, 0.01) and not close_enough(1e-3, 0.0, 0.01)
    assert close_enough(math.inf, math.inf, 0.01) and not close_enough(1e308, math.inf, 0.01)
    truth = expected_grads()
    for tolerance, factor, right in [(0.01, 1.009, True), (0.01, 1.02, False),
                                     (0.05, 1.04, True)]:
        o, _ = neuron()
        student = Student(lambda name, k, f=factor: repr(truth[name] * f))
        result = quiz(o, ask=student.ask, say=student.say, tolerance=tolerance, attempts=1)
        nonzero = sum(truth[name] != 0 for name in set(student.prompts))
        # an answer off by the factor fails only where the true gradient is not zero
        assert result.score == (result.asked if right else result.asked - nonzero)


def test_answers_are_read_as_numbers_or_fractions_and_junk_costs_no_try():
    assert parse_answer("1/2") == 0.5 and parse_answer("−3") == -3.0
    assert parse_answer("1/0") is None and parse_answer("") is None
    truth = expected_grads()
    o, _ = neuron()
    student = Student(lambda name, k: "half" if k == 1 else ("1/2" if name == "n"
                                                             else repr(truth[name])))
    result = quiz(o, ask=student.ask, say=student.say, attempts=1)
    assert "'half' is not a number" in student.text
    assert result.score == result.asked                     # "half" was not an attempt


@pytest.mark.parametrize("stop", ["", "q", "  Q ", EOFError, KeyboardInterrupt])
def test_quitting_early_keeps_the_score_and_restores_every_gradient(stop):
    def held(o, nodes):
        o.backward()                           # gradients held before the quiz
        nodes["w1"].grad = 0.25                # … and one changed by hand

    twin, twin_nodes = neuron()                # what a second backward() would leave
    held(twin, twin_nodes)
    twin.backward()
    truth = {n: v.grad for v, n in autograd.explainer.names(twin).items()}
    o, nodes = neuron()
    held(o, nodes)
    before = {v: v.grad for v in autograd.graph.topo_order(o)}

    def answer(name, k):
        if k <= 3:                             # n, then the sum's two inputs: one use each
            return repr(truth[name])           # right: this pass adds to the old gradients
        if isinstance(stop, str):
            return stop
        raise stop

    student = Student(answer)
    result = quiz(o, ask=student.ask, say=student.say)
    assert not result.finished and result.asked == 3 and result.score == 3
    assert {v: v.grad for v in autograd.graph.topo_order(o)} == before
    assert "quiz stopped: score 3/3 so far" in student.text


def test_stepper_quiz_continues_from_its_position_and_returns_there():
    o, nodes = neuron()
    s = Stepper(o)
    s.step()
    grads = {v: v.grad for v in autograd.graph.topo_order(o)}
    result = s.quiz(ask=lambda prompt: "q", say=lambda line: None)
    assert not result.finished and result.asked == 0 and s.position == 1
    assert {v: v.grad for v in autograd.graph.topo_order(o)} == grads
    truth = expected_grads()
    student = Student(lambda name, k: repr(truth[name]))
    result = s.quiz(ask=student.ask, say=student.say)
    assert result.finished and s.done and "n" not in student.prompts   # step 1 was done
    assert nodes["w1"].grad == truth["w1"]


def test_by_neuron_asks_every_gradient_of_the_neuron_step():
    model = MLP(2, [2, 1], activation="tanh", seed=3)
    ref = model([0.5, -1.0])
    ref.backward()
    truth = [p.grad for p in model.parameters()]
    model.zero_grad()
    out = model([0.5, -1.0])
    by_name = {n: v for v, n in autograd.explainer.names(out).items()}
    # the quiz asks once the step is applied: the node's .grad is the right answer
    student = Student(lambda name, k: repr(by_name[name].grad))
    result = quiz(out, by="neuron", ask=student.ask, say=student.say)
    assert result.finished and result.score == result.asked == len(student.prompts)
    assert [p.grad for p in model.parameters()] == truth
    shown = autograd.explainer.names(out)
    assert {shown[p] for p in model.parameters()} <= set(student.prompts)
    assert student.text.count("neuron L") >= 3       # one step per neuron


def test_every_wrong_answer_is_echoed_and_non_finite_answers_cost_no_try():
    truth = expected_grads()
    o, _ = neuron()
    answers = {"n": iter(["nan", "1e400", "-inf", "0.3", "0.2"])}
    student = Student(lambda name, k: next(answers[name]) if name in answers
                      else repr(truth[name]))
    result = quiz(o, ask=student.ask, say=student.say)
    assert student.prompts[:5] == ["n"] * 5           # three refusals, then two tries
    for text in ("nan", "1e400", "-inf"):
        assert f"  {text!r} is not a finite number: type e.g. 0.5, -3 or 1/2 (q stops)" \
            in student.lines
    assert "  not quite (0.2); the answer: n.grad = 0.5" in student.lines   # the 2nd echoed
    assert any(line.startswith("  not quite (0.3). hint:") for line in student.lines)
    assert result.asked == len(set(student.prompts)) and result.score == result.asked - 1
    assert parse_answer("1e400") == math.inf           # a number, but not an answer


@pytest.mark.parametrize("stop", [EOFError, KeyboardInterrupt])
def test_ctrl_d_or_ctrl_c_ends_the_prompt_line_before_the_message(stop):
    o, _ = neuron()

    def ask(prompt):
        raise stop

    lines = []
    quiz(o, ask=ask, say=lines.append)
    assert lines[-1].startswith("\nquiz stopped: score 0/0")
    lines = []
    quiz(o, ask=lambda prompt: "q", say=lines.append)
    assert lines[-1].startswith("quiz stopped: score 0/0")     # q ended its own line


def test_the_hint_is_the_derivative_sentence_and_names_this_pass_in_an_accumulating_pass():
    from autograd.explainer import derivative, names
    o, _ = neuron()
    shown = names(o)
    product = derivative(o, 0, shown).product()
    truth = expected_grads()
    student = Student(lambda name, k: "0.3" if k == 1 else repr(truth[name]))
    quiz(o, ask=student.ask, say=student.say)
    hint = next(line for line in student.lines if "hint:" in line)
    assert hint.startswith(f"  not quite (0.3). hint: n.grad += {product}\n")
    o.zero_grad()
    o.backward()                                    # gradients held before the quiz
    twice = {n: 2 * g for n, g in truth.items()}
    student = Student(lambda name, k: "0.3" if k == 1 else repr(twice[name]))
    quiz(o, ask=student.ask, say=student.say)
    hint = next(line for line in student.lines if "hint:" in line)
    assert hint.startswith(f"  not quite (0.3). hint: Δn.grad += "
                           f"{derivative(o, 0, shown).product('Δo.grad')}\n")
    assert "Δo.grad = 1.0" in hint and "before this pass n.grad held 0.5: the new value " \
                                       "is old + Δn.grad" in hint
    assert "[o = 0.7071, Δo.grad = 1.0 (this pass)]" in student.text


def test_default_reads_input_and_prints(monkeypatch, capsys):
    truth = expected_grads()
    asked = []

    def fake_input(prompt):
        asked.append(prompt)
        return repr(truth[PROMPT.match(prompt).group(1)])

    monkeypatch.setattr(builtins, "input", fake_input)
    o, _ = neuron()
    result = quiz(o)
    out = capsys.readouterr().out
    assert result.score == result.asked == len(asked) and "done: score" in out


def test_arguments_are_checked_before_anything_changes():
    o, _ = neuron()
    with pytest.raises(TypeError, match=r"quiz\(\): target must be a Value or a Stepper"):
        quiz("o")
    with pytest.raises(ValueError, match=r"quiz\(\): tolerance must be"):
        quiz(o, tolerance=-0.1)
    with pytest.raises(ValueError, match=r"quiz\(\): attempts must be"):
        quiz(o, attempts=0)
    with pytest.raises(TypeError, match=r"quiz\(\): ask must be a function"):
        quiz(o, ask="yes")
    with pytest.raises(ValueError, match=r"Stepper.quiz\(\): attempts must be"):
        Stepper(o).quiz(attempts=0)
    assert all(v.grad == 0.0 for v in autograd.graph.topo_order(o))


# -- the stepper page's Quiz toggle, in headless Chromium --------------------------------


@pytest.fixture(scope="module")
def browser(browser):
    """tests/conftest.py's Chromium, when Graphviz is there too (the page draws the graph)."""
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' missing")
    return browser


def grad_text(page, node_id):
    return page.text_content(f'#{node_id} text[data-slot="grad"]')


@pytest.mark.browser
def test_page_quiz_marks_wrong_accepts_right_and_reveals(browser, tmp_path):
    from autograd.viz import save_stepper
    o, _ = neuron()
    path = save_stepper(o, tmp_path / "page.html", forward=False)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    problems = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(path.as_uri())
    page.click("#quiz-toggle")
    assert page.get_attribute("#quiz-toggle", "aria-pressed") == "true"
    page.click("#next")                                  # step 1: o sends 0.5 to n
    rows = page.locator(".quiz-row")
    assert rows.count() == 1
    n_id = rows.first.get_attribute("data-node")
    assert page.locator(".quiz-row label").first.text_content() == "n.grad ="
    assert grad_text(page, n_id) == "grad ?"             # hidden in the graph …
    assert "0.5" not in page.text_content("#sentence")   # … and in the sentence
    answer = page.locator(".quiz-answer").first
    scale = page.get_attribute("#graph", "data-scale")
    answer.press_sequentially("-0.6")                     # "-" and "0" are zoom keys …
    assert page.get_attribute("#graph", "data-scale") == scale    # … not while typing
    assert page.get_attribute("body", "data-frame") == "1"
    page.click(".quiz-check")                             # wrong sign: wrong
    assert "wrong" in answer.get_attribute("class") and answer.get_attribute("aria-invalid")
    assert page.text_content(".quiz-feedback").startswith("not quite")
    assert grad_text(page, n_id) == "grad ?"
    answer.fill("0.502")                                  # within 1 %: right
    answer.press("Enter")
    assert "right" in answer.get_attribute("class") and answer.is_disabled()
    assert grad_text(page, n_id).startswith("grad 0.5")  # shown again
    assert page.text_content("#sentence").startswith("step 1/")
    page.click("#next")                                   # step 2: n sends to its inputs
    assert page.locator(".quiz-row").count() >= 2
    second = page.locator(".quiz-row").nth(1)
    hidden_id = second.get_attribute("data-node")
    assert grad_text(page, hidden_id) == "grad ?"
    second.locator(".quiz-reveal").click()
    assert second.locator(".quiz-feedback").text_content() == "answer: 0.5"
    assert second.locator(".quiz-answer").input_value() == "0.5"
    assert grad_text(page, hidden_id).startswith("grad 0.5")
    page.keyboard.press("ArrowLeft")                      # back to step 1: still answered
    assert page.locator(".quiz-row .quiz-feedback").first.text_content() == "right: 0.5"
    page.click("#quiz-toggle")                            # off: the page as without the quiz
    assert not page.locator("#quiz").is_visible()
    assert grad_text(page, n_id).startswith("grad 0.5")
    assert problems == []
