"""The training loop (autograd/train.py): fit(), History, evaluate(), accuracy()."""

import math
import os
import signal
import sys

import pytest

import autograd
from autograd.nn import MLP
from autograd.nn.losses import cross_entropy, hinge, l2_penalty, mse
from autograd.optim import SGD, Adam
from autograd.optim.schedules import StepLR
from autograd.training.data import make_blobs, make_moons, make_sine
from autograd.training.fit import History, accuracy, evaluate, fit, infer_task, predict


def moons(n=40):
    return make_moons(n, noise=0.1, seed=0, labels="pm1")


def run(epochs=5, batch_size=None, data=None, **kw):
    model = kw.pop("model", None) or MLP(2, [6, 1], seed=1)
    opt = SGD(model.parameters(), kw.pop("lr", 0.1))
    history = fit(model, kw.pop("loss_fn", hinge), data or moons(), opt, epochs, batch_size,
                  verbose=kw.pop("verbose", False), seed=kw.pop("seed", 0), **kw)
    return model, history


# -- learning and the history -----------------------------------------------------------
def test_fit_decreases_loss_and_fills_history():
    X, y = moons(60)
    _, h = run(30, 20, data=(X, y), val_data=moons(20), track_grad_norms=True,
               model=MLP(2, [8, 8, 1], seed=1))
    assert isinstance(h, History) and h.epochs == 30 and not h.interrupted
    assert h.loss[-1] < 0.6 * h.loss[0]
    assert h.accuracy[-1] >= 0.8 and h.val_accuracy[-1] >= 0.75
    assert len(h.accuracy) == len(h.val_loss) == len(h.val_accuracy) == len(h.lr) == 30
    assert len(h.step_loss) == 30 * 3                      # ⌈60 / 20⌉ steps per epoch
    assert [len(row) for row in h.grad_norms] == [3] * 30  # one norm per layer
    assert h.task == "binary" and h.threshold == 0.0
    assert h.lr == [0.1] * 30 and h.penalty == []
    assert "epochs=30" in repr(h) and "task='binary'" in repr(h)


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses():
    _, h = run(1, 16, data=moons(40), lr=0.0)          # lr 0: the same model for every batch
    full = run(1, None, data=moons(40), lr=0.0)[1]
    assert h.loss[0] == pytest.approx(full.loss[0])
    assert len(h.step_loss) == 3


def test_same_seed_same_run_and_full_batch_default():
    first, second = run(4, 10)[1], run(4, 10)[1]
    assert first.step_loss == second.step_loss
    assert run(4, 10, seed=1)[1].step_loss != first.step_loss     # another batch order
    assert len(run(4)[1].step_loss) == 4                          # full batch: 1 step / epoch


def test_regression_has_no_accuracy():
    X, y = make_sine(20, seed=0)
    _, h = run(10, data=(X, y), loss_fn=mse, lr=0.05, model=MLP(1, [8, 1], "tanh", seed=0))
    assert h.task == "regression" and h.accuracy == [] and h.loss[-1] < h.loss[0]


def test_multiclass_with_cross_entropy():
    X, y = make_blobs(30, centers=[[-2.0, 0.0], [2.0, 0.0], [0.0, 3.0]], std=0.4, seed=0)
    model = MLP(2, [8, 3], seed=0)
    _, h = run(25, 10, data=(X, y), loss_fn=cross_entropy, model=model)
    assert h.task == "multiclass" and h.accuracy[-1] >= 0.9
    assert evaluate(model, X, y, cross_entropy)["accuracy"] == accuracy(model, X, y)


def test_grad_norms_are_per_layer_l2_norms():
    model = MLP(2, [4, 3, 1], seed=2)
    _, h = run(1, model=model, lr=0.0, track_grad_norms=True)    # grads stay after the step
    expected = [math.sqrt(sum(p.grad ** 2 for p in layer.parameters())) for layer in model.layers]
    assert h.grad_norms == [pytest.approx(expected)]


def test_regularization_is_added_and_recorded():
    def l2(m):
        return l2_penalty(m, 0.05)

    plain, _ = run(20)
    reg, h = run(20, regularization=l2)
    assert len(h.penalty) == 20 and h.penalty[-1] < h.penalty[0]

    def size(m):
        return sum(p.data ** 2 for p in m.parameters())

    assert size(reg) < size(plain)


def test_callbacks_get_epoch_and_history_and_can_stop():
    seen = []

    def spy(epoch, history):
        seen.append((epoch, history.epochs))

    _, h = run(4, callbacks=spy)
    assert seen == [(1, 1), (2, 2), (3, 3), (4, 4)]
    _, h = run(10, callbacks=[spy, lambda e, hist: e == 3])
    assert h.epochs == 3 and h.stopped_early and not h.interrupted


def test_custom_accuracy_fn():
    calls = []

    def frac_positive(outputs, targets):
        calls.append(len(outputs))
        return sum(float(o) > 0 for o in outputs) / len(outputs)

    _, h = run(3, 20, accuracy_fn=frac_positive, val_data=moons(10))
    assert len(h.accuracy) == len(h.val_accuracy) == 3
    assert calls == [40, 10] * 3


def test_model_trains_in_train_mode_and_evaluates_in_eval_mode():
    modes = []

    class Spy(MLP):
        def __call__(self, x):
            modes.append(self.training)
            return super().__call__(x)

    model = Spy(2, [4, 1], seed=0, dropout=0.2)
    model.eval()
    run(1, data=moons(4), val_data=moons(3), model=model)
    assert modes == [True] * 4 + [False] * 3
    assert model.training is False                      # the caller's mode is restored


# -- Ctrl-C -------------------------------------------------------------------------------
def interrupting(at_step, times=1):
    """A hinge loss that delivers SIGINT (``times`` times) during step ``at_step``."""
    count = [0]

    def loss(scores, labels):
        count[0] += 1
        if count[0] == at_step:
            for _ in range(times):
                os.kill(os.getpid(), signal.SIGINT)
        return hinge(scores, labels)
    return loss


needs_default_handler = pytest.mark.skipif(
    sys.platform == "win32" or signal.getsignal(signal.SIGINT) is not signal.default_int_handler,
    reason="needs POSIX signals and Python's default SIGINT handler")


@pytest.mark.parametrize("k", [1, 3])
def test_keyboard_interrupt_from_a_callback_keeps_k_epochs(k):
    def stop_at_k(epoch, history):
        if epoch == k:
            raise KeyboardInterrupt

    _, h = run(6, callbacks=stop_at_k)
    assert h.interrupted and h.epochs == k and len(h.accuracy) == k


def test_keyboard_interrupt_inside_an_epoch_keeps_the_complete_epochs():
    def loss(scores, labels):
        if len(calls) == 5:             # step 6 = the 2nd step of epoch 3
            raise KeyboardInterrupt
        calls.append(1)
        return hinge(scores, labels)

    calls = []
    _, h = run(6, 20, loss_fn=loss)
    assert h.interrupted and h.epochs == 2 and len(h.step_loss) == 5


@needs_default_handler
def test_ctrl_c_finishes_the_current_step_then_stops():
    model = MLP(2, [6, 1], seed=1)
    before = [p.data for p in model.parameters()]
    _, h = run(6, 10, loss_fn=interrupting(2), model=model)     # 4 steps per epoch
    assert h.interrupted and h.epochs == 0 and len(h.step_loss) == 2   # step 2 completed
    assert [p.data for p in model.parameters()] != before
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler   # restored
    _, h = run(6, None, loss_fn=interrupting(3))       # full batch: the step ends epoch 3
    assert h.interrupted and h.epochs == 3


@needs_default_handler
def test_second_ctrl_c_interrupts_at_once():
    _, h = run(6, 10, loss_fn=interrupting(2, times=2))
    assert h.interrupted and len(h.step_loss) == 1           # step 2 never finished


# -- progress output --------------------------------------------------------------------------
def test_verbose_false_prints_nothing(capsys):
    run(5, verbose=False, val_data=moons(5))
    assert capsys.readouterr() == ("", "")


def test_plain_progress_lines_without_tqdm(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)        # import tqdm now fails
    run(20, verbose=True)
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert err == "" and len(lines) == 10                 # every 10 % of the epochs
    assert lines[0].startswith("epoch  2/20  loss ") and " acc " in lines[0]
    assert lines[-1].startswith("epoch 20/20")


def test_tqdm_bar_when_installed(capsys):
    pytest.importorskip("tqdm")
    run(3, verbose=True)
    out, err = capsys.readouterr()
    assert out == "" and "3/3" in err


def test_interruption_is_reported_when_verbose(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "tqdm", None)

    def stop(epoch, history):
        raise KeyboardInterrupt

    run(4, verbose=True, callbacks=stop)
    assert "interrupted: kept the history of 1 complete epoch" in capsys.readouterr().out


# -- tasks, helpers and errors ------------------------------------------------------------------
class Named:
    def __init__(self, name):
        self.__name__ = name


@pytest.mark.parametrize(("output", "targets", "loss", "expected"), [
    ([0.1, 0.2, 0.3], [0, 2, 1], None, ("multiclass", None)),
    ([0.1, 0.2], [[0.0, 1.0]], None, ("regression", None)),
    (0.3, [-1, 1, 1], None, ("binary", 0.0)),
    (0.3, [0, 1], Named("mse"), ("binary", 0.5)),
    (0.3, [0, 1], Named("binary_cross_entropy"), ("binary", 0.5)),
    (0.3, [0, 1], Named("binary_cross_entropy_with_logits"), ("binary", 0.0)),
    (0.3, [0.5, 1.5], None, ("regression", None)),
    (0.3, [0, 1, 2], None, ("regression", None)),
    (autograd.Value(0.3), [0, 1], None, ("binary", 0.5)),
])
def test_infer_task(output, targets, loss, expected):
    assert infer_task(output, targets, loss) == expected


def test_predict_accuracy_and_evaluate():
    X, y = [[0.0, 1.0], [1.0, 0.0]], [1, -1]
    model = MLP(2, [1], seed=0)
    model.layers[0].neurons[0].w[0].data, model.layers[0].neurons[0].w[1].data = -1.0, 1.0
    assert predict(model, X) == [1.0, -1.0]
    assert accuracy(model, X, y) == 1.0 and accuracy(model, X, [-1, -1]) == 0.5
    assert accuracy(model, X, [0, 0], threshold=2.0) == 1.0
    result = evaluate(model, X, y, hinge)
    assert result == {"loss": 0.0, "accuracy": 1.0}
    assert evaluate(model, X, [0.5, 0.25]) == {}                    # regression, no loss_fn
    with pytest.raises(ValueError, match="pass task='binary'"):
        accuracy(model, X, [0.5, 0.25])
    assert model.training                                           # mode restored


@pytest.mark.parametrize(("kwargs", "error", "words"), [
    ({"epochs": 0}, ValueError, "epochs must be ≥ 1"),
    ({"batch_size": 0}, ValueError, "batch_size must be ≥ 1"),
    ({"data": [[1.0]]}, TypeError, "data must be a pair"),
    ({"data": ([], [])}, ValueError, "at least one sample"),
    ({"data": ([[0.0, 0.0]], [1, 1])}, ValueError, "same length"),
    ({"task": "binary-ish"}, ValueError, "task must be"),
    ({"loss_fn": lambda o, t: 0.5}, TypeError, "loss_fn must return a Value, got float"),
    ({"callbacks": [print, 3]}, TypeError, r"callbacks\[1\] must be callable"),
])
def test_bad_arguments(kwargs, error, words):
    kwargs.setdefault("epochs", 2)
    epochs = kwargs.pop("epochs")
    with pytest.raises(error, match=words):
        run(epochs, **kwargs)


def test_schedule_is_stepped_after_each_epoch_and_lr_recorded():
    model = MLP(2, [4, 1], seed=0)
    opt = SGD(model.parameters(), lr=0.4)
    h = fit(model, hinge, moons(), opt, 5, schedule=StepLR(opt, step_size=2, gamma=0.5),
            verbose=False)
    assert h.lr == pytest.approx([0.4, 0.4, 0.2, 0.2, 0.1])


def test_adam_and_mse_on_a_sine():
    X, y = make_sine(30, noise=0.05, seed=1)
    model = MLP(1, [12, 1], "tanh", seed=0)
    h = fit(model, mse, (X, y), Adam(model.parameters(), lr=0.05), 60, 10, seed=0,
            verbose=False)
    assert h.loss[-1] < 0.1 < h.loss[0]
    assert evaluate(model, X, y, mse)["loss"] < 0.1


def test_full_batch_keeps_the_data_order_and_is_repeatable():
    from autograd.nn import MLP
    from autograd.nn.losses import mse
    from autograd.optim import SGD

    X, y = [[0.0], [1.0], [2.0], [3.0]], [0.0, 1.0, 2.0, 3.0]
    runs = []
    for _ in range(2):
        model = MLP(1, [3, 1], seed=0)
        runs.append(fit(model, mse, (X, y), SGD(model, lr=0.01), epochs=3, verbose=False).loss)
    assert runs[0] == runs[1]
