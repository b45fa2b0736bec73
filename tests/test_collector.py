"""relaxed_gc: the collector's settings are raised inside and restored exactly after,
whatever happens: exceptions, nesting, threads, fit(), compiled steps."""

from __future__ import annotations

import gc
import random
import threading
import time
from collections.abc import Iterator

import pytest

from autograd import Value
from autograd.collector import RELAXED, relaxed_gc
from autograd.compile import compile
from autograd.nn import MLP
from autograd.nn.losses import mse
from autograd.optim import SGD
from autograd.training.fit import fit

USER = (1234, 7, 8)


@pytest.fixture(autouse=True)
def user_settings() -> Iterator[None]:
    """Every test starts from unusual user settings and must leave them as they were."""
    saved = gc.get_threshold()
    gc.set_threshold(*USER)
    yield
    try:
        assert gc.get_threshold() == USER
    finally:
        gc.set_threshold(*saved)


def test_inside_the_thresholds_are_raised_and_restored_after() -> None:
    with relaxed_gc():
        assert gc.get_threshold() == tuple(max(a, b) for a, b in zip(USER, RELAXED))
        with relaxed_gc():                                   # nested: still relaxed
            assert gc.get_threshold()[0] == RELAXED[0]
        assert gc.get_threshold()[0] == RELAXED[0]
    assert gc.get_threshold() == USER


def test_settings_come_back_after_an_exception() -> None:
    with pytest.raises(ZeroDivisionError), relaxed_gc():
        1 / 0  # noqa: B018
    assert gc.get_threshold() == USER


def test_higher_thresholds_and_a_disabled_collector_are_left_alone() -> None:
    gc.set_threshold(10**7, 1000, 1000)
    with relaxed_gc():
        assert gc.get_threshold() == (10**7, 1000, 1000)
    gc.set_threshold(0, 5, 5)                      # 0: automatic collection off
    with relaxed_gc():
        assert gc.get_threshold() == (0, 5, 5)
    assert gc.get_threshold() == (0, 5, 5)
    gc.set_threshold(*USER)


def test_threads_entering_and_leaving_in_any_order() -> None:
    errors: list[str] = []

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        for _ in range(60):
            with relaxed_gc():
                if gc.get_threshold()[0] < RELAXED[0]:
                    errors.append("lowered while inside")
                time.sleep(rng.random() / 5000)
                if rng.random() < 0.3:
                    with relaxed_gc():
                        time.sleep(rng.random() / 5000)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert gc.get_threshold() == USER


def _data() -> tuple[list[list[float]], list[float]]:
    return [[0.1 * i, 1.0 - 0.1 * i] for i in range(8)], [0.2 * i for i in range(8)]


@pytest.mark.parametrize("compiled", [False, True])
def test_fit_restores_the_settings_even_when_a_callback_raises(compiled: bool) -> None:
    model = MLP(2, [3, 1], seed=0)
    fit(model, mse, _data(), SGD(model, lr=0.01), 3, verbose=False, compile=compiled)
    assert gc.get_threshold() == USER
    seen: list[tuple[int, ...]] = []

    def hook(epoch: int, history: object) -> None:
        seen.append(gc.get_threshold())
        raise RuntimeError("a callback failed")

    with pytest.raises(RuntimeError, match="callback failed"):
        fit(model, mse, _data(), SGD(model, lr=0.01), 3, callbacks=hook, verbose=False,
            compile=compiled)
    assert seen and seen[0][0] == RELAXED[0]
    assert gc.get_threshold() == USER


def test_a_compiled_run_restores_the_settings_even_when_it_fails() -> None:
    w = Value(2.0, label="w")
    prog = compile((w * 3.0).log(), params=[w])
    prog()
    assert gc.get_threshold() == USER
    w.data = -1.0
    with pytest.raises(ValueError, match="log"):
        prog()
    assert gc.get_threshold() == USER
