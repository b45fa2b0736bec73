"""Hostile inputs (issue #13): model files, the file system, the command line, arguments.

Resource cases carry generous time and memory ceilings, only as guards against hangs
and blow-ups (speed itself belongs in benchmarks/).
"""

import json
import os
import re
import signal
import stat
import subprocess
import sys
import threading
import time
import tracemalloc
from fractions import Fraction
from pathlib import Path

import pytest

import autograd
from autograd import Value, gradcheck
from autograd.nn import MLP
from autograd.nn.losses import binary_cross_entropy, cross_entropy, hinge, l2_penalty, mse
from autograd.nn.serialization import FORMAT, MAX_PARAMETERS, max_file_bytes, parameter_count
from autograd.optim import (
    SGD,
    Adam,
    AdamW,
    CosineLR,
    LambdaLR,
    LinearLR,
    Momentum,
    RMSProp,
    StepLR,
    clip_grad_norm,
)
from autograd.training.data import batches, make_blobs, make_moons, one_hot

ROOT = Path(__file__).resolve().parent.parent
CEILING_S = 5.0            # a guard against a hang, not a speed target
CEILING_BYTES = 64 << 20   # a guard against a blow-up


def model_file(path, architecture, parameters=None, **extra):
    payload = {"format": FORMAT, "version": 1, "architecture": architecture,
               "parameters": {} if parameters is None else parameters, **extra}
    path.write_text(json.dumps(payload))
    return path


def refused_quickly(path, match, **kwargs):
    """load() refuses with a ValueError starting 'load:', within the ceilings."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError, match=match) as info:
            autograd.load(path, **kwargs)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(info.value).startswith("load:")
    assert elapsed < CEILING_S and peak < CEILING_BYTES, (elapsed, peak)
    return str(info.value)


# -- item 2: the architecture's parameter count is checked before anything is built ------------
def test_a_tiny_file_declaring_a_huge_model_is_refused_before_building(tmp_path):
    path = model_file(tmp_path / "bomb.json",
                      {"type": "MLP", "nin": 10 ** 8, "nouts": [100000]})
    assert path.stat().st_size < 200
    message = refused_quickly(path, r"max_parameters=10,000,000")
    assert "nin=100000000" in message and "10,000,000,100,000 parameters" in message


def test_many_layers_with_too_few_parameters_are_refused_by_count(tmp_path):
    path = model_file(tmp_path / "deep.json", {"type": "MLP", "nin": 1, "nouts": [1] * 200_000})
    message = refused_quickly(path, r"'parameters' has 0 entries but the architecture")
    assert "implies 400,000" in message


def test_the_parameter_cap_is_configurable(tmp_path):
    model = MLP(2, [3, 1], seed=0)                     # 13 parameters
    assert parameter_count(model.config()) == model.num_parameters() == 13
    autograd.save(model, tmp_path / "m.json")
    with pytest.raises(ValueError, match=r"13 parameters, more than max_parameters=12"):
        autograd.load(tmp_path / "m.json", max_parameters=12)
    with pytest.raises(ValueError, match=r"'parameters' 13 parameters, more than max_par"):
        autograd.load(tmp_path / "m.json", model=MLP(2, [3, 1]), max_parameters=12)
    assert autograd.load(tmp_path / "m.json", max_parameters=13).state_dict() == \
        model.state_dict()
    with pytest.raises(ValueError, match=r"load: max_parameters must be an int ≥ 0, got -1"):
        autograd.load(tmp_path / "m.json", max_parameters=-1)
    assert MAX_PARAMETERS == 10_000_000


@pytest.mark.parametrize("architecture, count", [
    ({"type": "MLP", "nin": 3, "nouts": [4, 2]}, 4 * 4 + 5 * 2),
    ({"type": "Layer", "nin": 3, "nout": 5}, 20),
    ({"type": "Neuron", "nin": 7}, 8),
    ({"type": "Dropout", "p": 0.5}, 0),
])
def test_parameter_count_matches_what_is_built(architecture, count):
    assert parameter_count(architecture) == count
    assert autograd.nn.serialization.build(architecture).num_parameters() == count


# -- item 10: hostile file contents ----------------------------------------------------------
def good_text():
    model = MLP(2, [2, 1], seed=0)
    return json.dumps({"format": FORMAT, "version": 1, "architecture": model.config(),
                       "parameters": model.state_dict()})


B = "layers.1.neurons.0.b"


@pytest.mark.parametrize("content, match", [
    (bytes(range(256)) * 8, "not UTF-8 text"),
    ("\ufeff".encode("utf-16-le") + good_text().encode("utf-16-le"), "not UTF-8 text"),
    (good_text().encode("utf-16-be"), "not valid JSON"),               # no BOM: NUL bytes
    (b"[" * 100_000, "nested too deeply|not valid JSON"),
    (b'{"a": ' * 100_000, "nested too deeply|not valid JSON"),
    (good_text().replace(f'"{B}": 0.0', f'"{B}": 1{"0" * 5000}').encode(),
     "number literal has 5,001 characters"),
    (good_text().replace('"nin": 2', f'"nin": 2{"0" * 5000}').encode(), "5,001 characters"),
    (good_text().replace(f'"{B}": 0.0', f'"{B}": 0.{"1" * 5000}').encode(), "characters"),
    (good_text().replace(f'"{B}": 0.0', f'"{B}": NaN, "{B}": 0.0').encode(),
     f"key '{B}' appears twice"),
    (good_text().replace('"version": 1', '"version": 1, "version": 1').encode(), "twice"),
    (good_text().replace('"version": 1', '"version": true').encode(), "version True"),
    (good_text().replace('"version": 1', '"version": 1.0').encode(), "version 1.0"),
    (good_text().replace('"alpha": 0.01', '"alpha": "NaN"').encode(),
     r"architecture\['alpha'\] must be a number, got str 'NaN'"),
    (good_text().replace('"alpha": 0.01', '"alpha": NaN').encode(),
     r"architecture\['alpha'\] must be a finite number, got nan"),
    (good_text().replace('"dropout": 0.0', '"dropout": 1').encode(), r"\['dropout'\]"),
    (good_text().replace('"nin": 2', '"nin": true').encode(), r"\['nin'\] must be an int"),
    (good_text().replace('"activation": "relu"', '"activation": "evil"').encode(),
     r"\['activation'\] must be one of"),
    (good_text().replace('"type": "MLP"', '"type": "MLP", "extra": 1').encode(),
     "key 'extra' is unknown for MLP"),
    (good_text().replace(f'"{B}": 0.0', f'"{B}": "0.5"').encode(), f"'{B}' must be a number"),
    (good_text().replace(f'"{B}": 0.0', f'"{B}": 1e999').encode(), "not a finite number"),
])
def test_hostile_contents_are_refused_with_a_load_error(tmp_path, content, match):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    refused_quickly(path, match)
    model = MLP(2, [2, 1], seed=3)
    before = model.state_dict()
    with pytest.raises(ValueError, match=r"^load:"):
        autograd.load(path, model=model)
    assert model.state_dict() == before


def test_the_good_file_of_the_hostile_cases_loads(tmp_path):
    (tmp_path / "ok.json").write_text(good_text())
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + good_text().encode())
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "ok.json")
    for name in ("ok.json", "bom.json", "link.json"):
        assert autograd.load(tmp_path / name).state_dict() == MLP(2, [2, 1], seed=0).state_dict()


def test_an_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(good_text() + " " * max_file_bytes(13))
    refused_quickly(path, r"bytes, more than the 67,200 allowed", max_parameters=13)
    assert max_file_bytes() == 65_536 + 128 * MAX_PARAMETERS


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_is_refused_without_reading():
    refused_quickly("/dev/zero", "is a character device, not a regular file")


def test_a_directory_is_refused(tmp_path):
    refused_quickly(tmp_path, "is a directory, not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    outcome = []

    def attempt():
        try:
            autograd.load(fifo)
        except Exception as e:
            outcome.append(e)

    reader = threading.Thread(target=attempt, daemon=True)
    reader.start()
    reader.join(CEILING_S)
    if reader.is_alive():   # blocked in open(): release it so the test run can go on
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(CEILING_S)
        pytest.fail("load() blocked on a FIFO")
    assert isinstance(outcome[0], ValueError)
    assert str(outcome[0]).startswith("load:") and "FIFO" in str(outcome[0])


# -- item 7: save() and the file system ------------------------------------------------------
def saved_state(path):
    return json.loads(Path(path).read_text())["parameters"]


def test_save_writes_through_a_symlink(tmp_path):
    target, link = tmp_path / "real.json", tmp_path / "link.json"
    autograd.save(MLP(2, [1], seed=0), target)
    link.symlink_to(target.name)
    model = MLP(2, [1], seed=1)
    autograd.save(model, link)
    assert link.is_symlink() and os.readlink(link) == "real.json"
    assert saved_state(target) == model.state_dict()
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to("sub-target.json")
    autograd.save(model, dangling)
    assert dangling.is_symlink() and saved_state(tmp_path / "sub-target.json") == \
        model.state_dict()
    assert sorted(os.listdir(tmp_path)) == ["dangling.json", "link.json", "real.json",
                                            "sub-target.json"]


def special_files(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    found = [(fifo, stat.S_ISFIFO, "FIFO"), (tmp_path / "dir", stat.S_ISDIR, "directory")]
    (tmp_path / "dir").mkdir()
    try:  # a null device of our own (root only), never the system's
        os.mknod(tmp_path / "null", stat.S_IFCHR | 0o666, os.makedev(1, 3))
        found.append((tmp_path / "null", stat.S_ISCHR, "character device"))
    except (PermissionError, AttributeError, OSError):
        pass
    link = tmp_path / "link-to-pipe"
    link.symlink_to(fifo)
    found.append((link, stat.S_ISFIFO, "FIFO"))
    return found


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_save_refuses_special_files_and_leaves_them_alone(tmp_path):
    for path, kind, word in special_files(tmp_path):
        with pytest.raises(ValueError, match=f"^save: .* is a {word}.*not a regular file"):
            autograd.save(MLP(2, [1], seed=0), path)
        assert kind(os.stat(path).st_mode), path
    assert not [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_save_keeps_an_existing_files_mode_and_new_files_honour_the_umask(tmp_path):
    path = tmp_path / "m.json"
    for mode in (0o600, 0o640, 0o444):
        path.write_text("{}")
        path.chmod(mode)
        autograd.save(MLP(2, [1], seed=0), path)
        assert stat.S_IMODE(path.stat().st_mode) == mode
        path.chmod(0o600)
        path.unlink()
    old = os.umask(0o027)
    try:
        autograd.save(MLP(2, [1], seed=0), tmp_path / "new.json")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.json").stat().st_mode) == 0o640


@pytest.mark.parametrize("fail_in, error", [("fsync", KeyboardInterrupt), ("replace", OSError),
                                            ("fchmod", OSError)])
def test_no_temporary_file_is_left_on_any_error(tmp_path, monkeypatch, fail_in, error):
    path = tmp_path / "m.json"
    autograd.save(MLP(2, [1], seed=0), path)
    old = path.read_text()

    def fail(*args, **kwargs):
        raise error("injected")

    monkeypatch.setattr(os, fail_in, fail)
    with pytest.raises(error, match="injected"):
        autograd.save(MLP(2, [1], seed=1), path)
    monkeypatch.undo()
    assert os.listdir(tmp_path) == ["m.json"] and path.read_text() == old


_SAVER = """
import os, sys, time
import autograd
real_replace = os.replace
def stall(*args):
    print("ready", flush=True)
    time.sleep(60)
os.replace = stall
autograd.save(autograd.MLP(2, [1], seed=0), sys.argv[1])
"""


@pytest.mark.skipif(os.name != "posix", reason="needs SIGKILL")
def test_the_next_save_clears_temporary_files_of_a_killed_process(tmp_path):
    path = tmp_path / "m.json"
    proc = subprocess.Popen([sys.executable, "-c", _SAVER, str(path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(CEILING_S)
    left = [n for n in os.listdir(tmp_path) if n.endswith(".tmp")]
    assert len(left) == 1 and left[0].startswith(".m.json.")
    alive = tmp_path / ".m.json.1.0123abcd.tmp"        # pid 1 is alive: not ours to delete
    other = tmp_path / f".other.json.{proc.pid}.0123abcd.tmp"   # another target's
    alive.write_text("")
    other.write_text("")
    autograd.save(MLP(2, [1], seed=0), path)
    assert sorted(os.listdir(tmp_path)) == sorted(["m.json", alive.name, other.name])


# -- item 14 (and #14 item 7): arguments checked before anything changes, one message form ----
MESSAGE = r"^[\w.]+: \S.* must .+, got .+"     # "{who}: {name} must …, got …"


def test_adam_with_eps_zero_is_refused_before_any_parameter_moves():
    p, q = Value(1.0), Value(2.0)
    p.grad, q.grad = 1.0, 0.0        # Adam with ε = 0 divided 0 by 0 at q, after moving p
    refused = r"eps must be a finite number > 0, got (0|0.0|-1e-08)$"
    for make in (lambda: Adam([p, q], lr=0.1, eps=0), lambda: RMSProp([p, q], lr=0.1, eps=0.0),
                 lambda: AdamW([p, q], eps=-1e-8)):
        with pytest.raises(ValueError, match=refused):
            make()
    assert (p.data, q.data) == (1.0, 2.0)
    opt = Adam([p, q], lr=0.1, eps=1e-12)
    opt.step()
    assert q.data == 2.0 and p.data == pytest.approx(0.9)


@pytest.mark.parametrize("make, words", [
    (lambda ps: SGD(ps, lr=float("inf")), "SGD: lr must be a finite number ≥ 0, got inf"),
    (lambda ps: SGD(ps, lr=float("nan")), "SGD: lr must be a finite number ≥ 0, got nan"),
    (lambda ps: Momentum(ps, lr=0.1, weight_decay=float("inf")), "weight_decay must be a finite"),
    (lambda ps: Adam(ps, beta1=1.0), r"Adam: beta1 must be a finite number in \[0, 1\), got 1.0"),
    (lambda ps: Momentum(ps, lr=0.1, form="nesterov"),
     "Momentum: form must be one of 'average', 'classic', got str 'nesterov'"),
    (lambda ps: SGD(ps, lr="fast"), "SGD: lr must be a number, got str 'fast'"),
    (lambda ps: SGD([*ps, 3.0], lr=0.1), r"SGD: params\[2\] must be a Value, got float 3.0"),
])
def test_bad_hyperparameters_are_refused_in_one_form(make, words):
    with pytest.raises((ValueError, TypeError), match=words) as info:
        make([Value(1.0), Value(2.0)])
    assert re.match(MESSAGE, str(info.value)), str(info.value)


def test_setting_a_bad_lr_changes_nothing_and_a_bad_gradient_moves_no_parameter():
    p, q = Value(1.0), Value(2.0)
    opt = SGD([p, q], lr=0.5)
    with pytest.raises(ValueError, match="SGD: lr must be a finite number ≥ 0, got inf"):
        opt.lr = float("inf")
    assert opt.lr == 0.5
    p.grad, q.grad = 1.0, "x"
    with pytest.raises(TypeError, match=r"SGD.step: params\[1\].grad must be a number"):
        opt.step()
    assert (p.data, q.data, opt.steps) == (1.0, 2.0, 0)


def test_a_schedule_step_whose_rate_is_refused_changes_nothing():
    opt = SGD([Value(0.0)], lr=1.0)
    sched = LambdaLR(opt, lambda k: 1.0 if k < 2 else float("nan"))
    sched.step()
    with pytest.raises(ValueError, match=r"LambdaLR: fn\(2\) must be a finite number ≥ 0, got nan"):
        sched.step()
    assert (sched.k, opt.lr) == (1, 1.0)


@pytest.mark.parametrize("kwargs, error, words", [
    ({"atol": float("nan")}, ValueError, "gradcheck: atol must be a finite number ≥ 0, got nan"),
    ({"rtol": -1.0}, ValueError, "gradcheck: rtol must be a finite number ≥ 0, got -1.0"),
    ({"eps": "a"}, TypeError, "gradcheck: eps must be a number, got str 'a'"),
    ({"eps": 0}, ValueError, "gradcheck: eps must be a finite number > 0, got 0"),
    ({"eps": float("inf")}, ValueError, "gradcheck: eps must be a finite number > 0, got inf"),
])
def test_gradcheck_checks_its_tolerances_first(kwargs, error, words):
    calls = []

    def f(x):
        calls.append(x)
        return x * x

    with pytest.raises(error, match=words):
        gradcheck(f, [1.0], **kwargs)
    assert calls == []                                # f never ran
    with pytest.raises(TypeError, match="gradcheck: f must be callable, got int 3"):
        gradcheck(3, [1.0])
    with pytest.raises(ValueError, match="gradcheck: input 0 must be a finite number, got nan"):
        gradcheck(f, [float("nan")])


def test_numpy_scalars_and_fractions_work_wherever_a_number_does():
    np = pytest.importorskip("numpy")
    w = Value(1.0)
    w.grad = 1.0
    opt = SGD([w], lr=np.float32(0.5))
    sched = StepLR(opt, step_size=np.int64(1), gamma=np.float32(0.5))   # was refused
    sched.step()
    assert opt.lr == 0.25 and type(opt.lr) is float
    LinearLR(Adam([w], lr=Fraction(1, 10), beta1=np.float64(0.8)), np.int32(10),
             end_factor=Fraction(1, 2))
    CosineLR(Momentum([w], lr=0.1, beta=Fraction(9, 10)), total_steps=np.int64(5),
             min_lr=np.float32(0.0))
    assert clip_grad_norm([w], np.float64(0.5)) == 1.0
    assert gradcheck(lambda x, y: x * y, [np.float64(1.5), Fraction(1, 3)],
                     eps=np.float64(1e-6), atol=Fraction(1, 10 ** 5))
    assert cross_entropy([[1.0, 2.0]], [np.int64(1)]).data == pytest.approx(0.31326168751)
    assert hinge([Value(0.5)], [np.int8(-1)]).data == 1.5
    assert binary_cross_entropy(Value(0.5), np.float32(1.0), eps=np.float64(1e-9)).data > 0
    assert mse(Value(1.0), Fraction(1, 2)).data == 0.25
    assert l2_penalty([Value(2.0)], Fraction(1, 4)).data == 1.0
    X, y = make_moons(np.int64(6), noise=np.float32(0.0), seed=np.int64(1))
    assert len(X) == 6 and (X, y) == make_moons(6, noise=0.0, seed=1)
    assert len(make_blobs(np.int64(6), centers=np.int64(2), seed=0)[0]) == 6
    assert one_hot([np.int64(1), 0]) == [[0.0, 1.0], [1.0, 0.0]]
    assert [len(b) for _, b in batches([1, 2, 3], [1, 2, 3], np.int64(2), shuffle=False)] == [2, 1]
