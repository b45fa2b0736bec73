"""Grad mode, naming scopes and anomaly mode are per thread and per asyncio task."""

import asyncio
import gc
import math
import threading
import weakref

import autograd
from autograd import Value, no_grad, scope, state
from autograd.explainer import AnomalyError, detect_anomaly, explain


def _run_threads(*targets):
    errors = []

    def wrap(fn):
        def run():
            try:
                fn()
            except BaseException as e:
                errors.append(e)
        return run

    threads = [threading.Thread(target=wrap(t)) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    assert not errors, errors


def test_no_grad_in_one_thread_never_stops_another_threads_graph():
    stop = threading.Event()
    wrong = []
    runs = 3000

    def toggler():
        while not stop.is_set():
            with no_grad():
                Value(1.0) * 2

    def trainer():
        try:
            for _ in range(runs):
                x = Value(3.0)
                y = x * x
                y.backward()
                if x.grad != 6.0:
                    wrong.append(x.grad)
        finally:
            stop.set()

    _run_threads(toggler, trainer)
    assert wrong == []
    assert autograd.is_grad_enabled()


def test_interleaved_no_grad_blocks_in_two_threads_restore_each_threads_mode():
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def a():
        with no_grad():
            a_in.set()
            b_in.wait(10)
        a_out.set()
        seen["a after"] = autograd.is_grad_enabled()

    def b():
        a_in.wait(10)
        seen["b before"] = autograd.is_grad_enabled()
        with no_grad():
            b_in.set()
            a_out.wait(10)
        seen["b after"] = autograd.is_grad_enabled()

    _run_threads(a, b)
    assert seen == {"a after": True, "b before": True, "b after": True}
    assert autograd.is_grad_enabled()


def test_asyncio_tasks_have_their_own_grad_mode_and_scopes():
    async def quiet(gate: asyncio.Event, done: asyncio.Event) -> None:
        with no_grad(), scope("A"):
            gate.set()
            await done.wait()

    async def builder(gate: asyncio.Event, done: asyncio.Event) -> tuple[Value, Value]:
        await gate.wait()
        with scope("B"):
            x = Value(2.0)
            y = x * 3
        done.set()
        return x, y

    async def main():
        gate, done = asyncio.Event(), asyncio.Event()
        _, (x, y) = await asyncio.gather(quiet(gate, done), builder(gate, done))
        return x, y

    x, y = asyncio.run(main())
    assert y.children == (x, y.children[1]) and y.requires_grad   # recorded
    assert y.scope.title == "B"                                   # not 'A · B'
    y.backward()
    assert x.grad == 3.0


def test_detect_anomaly_in_one_thread_does_not_raise_in_another():
    inside, finished = threading.Event(), threading.Event()
    results = {}

    def watcher():
        with detect_anomaly():
            inside.set()
            finished.wait(10)

    def other():
        inside.wait(10)
        big = Value(1e308)
        results["nan"] = (big * 10 - big * 10).data   # inf - inf: NaN, no error here
        finished.set()

    _run_threads(watcher, other)
    assert math.isnan(results["nan"])
    with detect_anomaly():
        big = Value(1e308)
        try:
            big * 10 - big * 10
        except AnomalyError:
            pass
        else:
            raise AssertionError("the thread that asked for anomaly mode must still get it")


def test_state_is_restored_exactly_after_an_exception():
    before = state.current()
    try:
        with no_grad(), scope("S"), detect_anomaly():
            raise KeyError("boom")
    except KeyError:
        pass
    assert state.current() == before


def test_explain_uses_the_latest_pass_of_this_thread_without_keeping_it_alive():
    a = Value(2.0, label="a")
    y = a * 3
    y.backward()
    mine = explain(a)
    seen = {}

    def other():
        b = Value(5.0, label="b")
        z = b * b
        z.backward()
        seen["other"] = explain(b)

    _run_threads(other)
    assert explain(a) == mine                 # this thread's pass is still the latest here
    assert seen["other"].endswith("b.grad = 5.0 + 5.0 = 10.0")
    ref = weakref.ref(y)
    del y, mine
    gc.collect()
    assert ref() is None                      # remembering the pass kept nothing alive


def test_preview_in_one_thread_never_undoes_the_steps_of_another():
    import sys

    from autograd.optim import SGD, Adam

    p, q = Value(0.0, label="p"), Value(0.0, label="q")
    sgd, adam = SGD([p], lr=0.5), Adam([q], lr=0.5)
    p.grad = q.grad = 1.0
    stop = threading.Event()

    def peek():   # a stepper page asking for the update frame, over and over
        while not stop.is_set():
            sgd.preview()
            adam.preview()

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)        # switch threads as often as CPython allows
    watcher = threading.Thread(target=peek)
    watcher.start()
    try:
        for _ in range(5000):
            sgd.step()
            adam.step()
    finally:
        stop.set()
        watcher.join()
        sys.setswitchinterval(interval)
    assert p.data == -0.5 * 5000 and sgd.steps == 5000     # not one step undone
    assert adam.state[q]["step"] == 5000 == adam.steps
    alone = Value(0.0)
    ref = Adam([alone], lr=0.5)
    alone.grad = 1.0
    for _ in range(5000):
        ref.step()
    assert q.data == alone.data and adam.state[q] == ref.state[alone]
