"""W1, W1e, W5 and W6: micrograd's moons demo, one training step after another.

:func:`demo_step` is the body of micrograd's demo loop as its README notebook writes
it — inputs wrapped with ``Value``, the builtin ``sum()`` over per-sample hinge losses
``(1 + -yi*scorei).relu()``, an L2 term ``alpha * sum(p*p …)``, accuracy,
``model.zero_grad()``, ``backward()`` and the SGD update ``p.data -= lr * p.grad``
with ``lr = 1.0 - 0.9*k/100`` — so each scalar engine runs the same user code.
``torch_batched`` runs the same mathematics on matrices (the ceiling).

Every step is timed in three phases (forward, backward incl. ``zero_grad``, update);
the reported figure is the median step time after ``warmup`` steps, and ``total_s``
the time of all steps (end to end: a compiled run's first step traces and compiles).
:func:`compiled_stepper` runs the same step compiled (``autograd.compile``), and
:mod:`.floor` by hand with floats.  W6 (:func:`run_demo`) is the moons demo's
training, ``fit()`` as ``demos/moons.py`` calls it, with and without ``compile=True``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from time import perf_counter, process_time
from typing import Any

from ..common import ALPHA, median, rss_bytes, split_weights

Step = Callable[[int], tuple[float, float, tuple[float, float, float, float]]]


def demo_step(model: Any, Value: Callable[[float], Any], X: Sequence[Sequence[float]],
              y: Sequence[int], k: int) -> tuple[Any, Any, tuple[float, float, float, float]]:
    """One step of micrograd's demo; returns (total_loss, accuracy, phase timestamps)."""
    t0 = perf_counter()
    inputs = [list(map(Value, xrow)) for xrow in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
    data_loss = sum(losses) * (1.0 / len(losses))
    reg_loss = ALPHA * sum(p * p for p in model.parameters())
    total_loss = data_loss + reg_loss
    accuracy = [(yi > 0) == (scorei.data > 0) for yi, scorei in zip(y, scores)]
    acc = sum(accuracy) / len(accuracy)
    t1 = perf_counter()
    model.zero_grad()
    total_loss.backward()
    t2 = perf_counter()
    learning_rate = 1.0 - 0.9 * (k % 100) / 100   # the demo's schedule, restarted each 100
    for p in model.parameters():
        p.data -= learning_rate * p.grad
    return total_loss, acc, (t0, t1, t2, perf_counter())


def scalar_stepper(engine: Any, model: Any, X: Sequence[Sequence[float]],
                   y: Sequence[int]) -> Step:
    """``step(k)`` for a scalar engine: (loss, accuracy, timestamps) as plain numbers."""
    num = engine.num

    def step(k: int) -> tuple[float, float, tuple[float, float, float, float]]:
        loss, acc, ts = demo_step(model, engine.Value, X, y, k)
        return num(loss), float(acc), ts

    return step


def batched_stepper(layers: Sequence[int], flat: Sequence[float], X: Sequence[Sequence[float]],
                    y: Sequence[int]) -> Step:
    """The same step in PyTorch with matrices (one ``addmm`` per layer), float64."""
    import torch
    torch.set_num_threads(1)
    f64 = torch.float64
    xt, yt = torch.tensor(X, dtype=f64), torch.tensor(y, dtype=f64)
    params = []
    for layer in split_weights(layers, flat):
        params.append(torch.tensor([w for w, _ in layer], dtype=f64).T.contiguous()
                      .requires_grad_())
        params.append(torch.tensor([b for _, b in layer], dtype=f64, requires_grad=True))
    n_layers = len(params) // 2

    def step(k: int) -> tuple[float, float, tuple[float, float, float, float]]:
        t0 = perf_counter()
        h = xt
        for i in range(n_layers):
            h = torch.addmm(params[2 * i + 1], h, params[2 * i])
            if i < n_layers - 1:
                h = h.relu()
        scores = h[:, 0]
        data_loss = (1 - yt * scores).relu().sum() * (1.0 / len(yt))
        total: Any = data_loss + ALPHA * sum((p * p).sum() for p in params)
        acc = ((yt > 0) == (scores > 0)).double().mean()
        t1 = perf_counter()
        for p in params:
            p.grad = None
        total.backward()
        t2 = perf_counter()
        lr = 1.0 - 0.9 * (k % 100) / 100
        with torch.no_grad():
            for p in params:
                p -= lr * p.grad  # type: ignore[operator]  # set by backward()
        return float(total.item()), float(acc.item()), (t0, t1, t2, perf_counter())

    return step


def compiled_stepper(layers: Sequence[int], flat: Sequence[float], X: Sequence[Sequence[float]],
                     y: Sequence[int]) -> Step:
    """W1 with the step compiled: the first step is :func:`demo_step`'s code, traced and
    compiled (``inputs`` = the samples); every later step runs the program."""
    from autograd import Value
    from autograd.compile import compile

    from ..engines import load
    model = load("autograd").own_mlp(layers, flat)
    progs: list[Any] = []

    def step(k: int) -> tuple[float, float, tuple[float, float, float, float]]:
        t0 = perf_counter()
        if not progs:
            inputs = [list(map(Value, xrow)) for xrow in X]
            scores = list(map(model, inputs))
            losses = [(1 + -yi * scorei).relu() for yi, scorei in zip(y, scores)]
            data_loss = sum(losses) * (1.0 / len(losses))
            reg_loss = ALPHA * sum(p * p for p in model.parameters())
            total_loss = data_loss + reg_loss
            progs.append(compile(total_loss, params=model, inputs=inputs,
                                 outputs=[total_loss, scores]))
            model.zero_grad()
            total_loss.backward()
            loss, values = total_loss.data, [s.data for s in scores]
        else:
            model.zero_grad()
            loss, values = progs[0]()
        acc = sum((yi > 0) == (s > 0) for yi, s in zip(y, values)) / len(y)
        t2 = perf_counter()
        learning_rate = 1.0 - 0.9 * (k % 100) / 100
        for p in model.parameters():
            p.data -= learning_rate * p.grad
        return loss, acc, (t0, t0, t2, perf_counter())

    return step


def floor_stepper(layers: Sequence[int], flat: Sequence[float], X: Sequence[Sequence[float]],
                  y: Sequence[int]) -> Step:
    """W1 written by hand with floats (:mod:`.floor`): no engine, the floor."""
    from . import floor
    net = floor.make_net(layers, flat)

    def step(k: int) -> tuple[float, float, tuple[float, float, float, float]]:
        loss, acc, _, ts = floor.step(net, X, y, k)
        return loss, acc, ts

    return step


def make_stepper(engine_name: str, elementwise: bool, data: dict[str, Any]) -> Step:
    """The step function of ``engine_name`` on the shared data and initial weights."""
    layers, flat, X, y = data["layers"], data["weights"], data["X"], data["y"]
    if engine_name in ("autograd_compiled", "float_floor"):
        if elementwise:
            raise ValueError(f"W1e is the elementwise engine graph; {engine_name} has no W1e")
        maker = compiled_stepper if engine_name == "autograd_compiled" else floor_stepper
        return maker(layers, flat, X, y)
    if engine_name == "torch_batched":
        if elementwise:
            raise ValueError("W1e is scalar by definition; torch_batched has no elementwise form")
        return batched_stepper(layers, flat, X, y)
    from ..engines import load
    engine = load(engine_name)
    model = (engine.elementwise_mlp(layers, flat) if elementwise
             else engine.own_mlp(layers, flat))
    return scalar_stepper(engine, model, X, y)


def train(step: Step, steps: int, warmup: int) -> dict[str, Any]:
    """Run ``steps`` steps; per-step timings, medians after ``warmup``, losses, accuracy.

    ``step_s`` is wall-clock time; ``step_cpu_s`` the process's CPU time, which a
    busy machine disturbs less.
    """
    times: list[tuple[float, float, float]] = []
    losses, accs, cpu = [], [], []
    for k in range(steps):
        c = process_time()
        loss, acc, (t0, t1, t2, t3) = step(k)
        cpu.append(process_time() - c)
        times.append((t1 - t0, t2 - t1, t3 - t2))
        losses.append(loss)
        accs.append(acc)
    kept = times[warmup:] if steps > warmup else times
    return {
        "steps": steps, "warmup": min(warmup, steps),
        "total_s": sum(sum(t) for t in times), "total_cpu_s": sum(cpu),
        "step_s": median([sum(t) for t in kept]),
        "step_cpu_s": median(cpu[len(times) - len(kept):]),
        "forward_s": median([t[0] for t in kept]),
        "backward_s": median([t[1] for t in kept]),
        "update_s": median([t[2] for t in kept]),
        "step_times_s": [sum(t) for t in times],
        "first_loss": losses[0], "losses": losses,
        "final_accuracy": accs[-1], "accuracies": accs,
    }


def run_training(engine: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """W1 (the engine's own MLP) or W1e (``params['elementwise']``: the ``*``/``+`` MLP)."""
    step = make_stepper(engine, bool(params.get("elementwise")), data)
    result = train(step, int(params["steps"]), int(params["warmup"]))
    if engine == "float_floor":
        from .floor import check_against_engine
        result["check"] = check_against_engine(data)
    return result


def run_demo(engine: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """W6: ``demos/moons.py``'s training, ``fit()`` for ``steps`` full-batch steps.

    Timed end to end (``fit()`` returns after the last step; with
    ``autograd_compiled`` that includes tracing and compiling), plotting excluded.
    """
    if engine not in ("autograd", "autograd_compiled", "autograd_base"):
        raise ValueError(f"W6 runs this engine's fit(), not {engine}")
    from autograd.nn import MLP
    from autograd.nn.losses import hinge, l2_penalty
    from autograd.optim import SGD, LinearLR
    from autograd.training.data import make_moons
    from autograd.training.fit import fit

    steps = int(params["steps"])
    X, y = make_moons(100, noise=0.1, seed=1337, labels="pm1")
    model = MLP(2, [16, 16, 1], seed=1337)
    opt = SGD(model, lr=1.0)
    schedule = LinearLR(opt, total_steps=steps, end_factor=0.1)
    options: dict[str, Any] = {"compile": True} if engine == "autograd_compiled" else {}
    c, t = process_time(), perf_counter()
    history = fit(model, hinge, (X, y), opt, steps, regularization=lambda m: l2_penalty(m, ALPHA),
                  schedule=schedule, shuffle=False, verbose=False, **options)
    wall, cpu = perf_counter() - t, process_time() - c
    return {"steps": steps, "total_s": wall, "total_cpu_s": cpu, "losses": history.loss,
            "final_accuracy": history.accuracy[-1],
            "params": [p.data for p in model.parameters()]}


def run_memory(engine: str, params: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """W5: RSS after ``early`` steps and after ``steps`` steps of W1 (nothing may leak)."""
    step = make_stepper(engine, False, data)
    early, steps = int(params["early"]), int(params["steps"])
    marks = sorted({early, steps, *range(0, steps + 1, max(1, steps // 10))} - {0})
    rss: dict[str, int] = {}
    t = perf_counter()
    for k in range(steps):
        step(k)
        if k + 1 in marks:
            rss[str(k + 1)] = rss_bytes()
    return {"early_step": early, "steps": steps, "rss_early": rss[str(early)],
            "rss_final": rss[str(steps)], "ratio": rss[str(steps)] / rss[str(early)],
            "rss_by_step": rss, "seconds": perf_counter() - t}
