"""Lesson frames (forward, backward, update), slides with save_frames, Optimizer.preview()."""

import io
import shutil
import xml.etree.ElementTree as ET

import pytest

import autograd
from autograd import Value
from autograd.explainer import backward_steps, fmt
from autograd.viz.frames import lesson

from .exprs import karpathy_neuron

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")


def neuron():
    o, leaves = karpathy_neuron()
    return o, list(leaves.values())


def mlp(sizes=(3, 1)):
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, list(sizes), seed=0)
    return model([2.0, -1.0]), model


# -- the frames ------------------------------------------------------------------------
def test_a_gradient_used_twice_is_pending_until_both_uses_are_in():
    x = Value(3.0, label="x")
    y = x * x + x            # x: three uses (two in x * x)
    y.label = "y"
    frames = lesson(y, number=fmt)
    shows = [f.changes.get(x) for f in frames]
    texts = [(s.grad, s.grad_state) for s in shows if s is not None]
    assert texts[0] == ("?", "waiting")
    assert texts[-1] == ("7.0", "final")                       # 2x + 1 = 7
    assert [t for t in texts if t[1] == "pending"] == [("1.0 (1 of 3 uses)", "pending")]
    assert x.grad == 0.0                                        # restored


def test_a_pass_on_held_gradients_shows_old_plus_this_pass():
    o, leaves = neuron()
    o.backward()
    held = leaves[2].grad
    frames = lesson(o, number=fmt)
    last = [f.changes[leaves[2]] for f in frames if leaves[2] in f.changes][-1]
    assert last.grad == f"{fmt(held)} + {fmt(held)} = {fmt(2 * held)}"
    assert last.grad_state == "final"
    assert "already hold gradients from an earlier pass" in frames[0].sentence
    assert "no gradient yet" in lesson(neuron()[0], number=fmt)[0].sentence
    assert leaves[2].grad == held


def test_forward_frames_reveal_values_in_creation_order():
    o, _ = neuron()
    frames = lesson(o, forward=True, number=fmt)
    forward = [f for f in frames if f.kind == "forward"]
    ops = [n for n in autograd.graph.topo_order(o) if n._prev]
    assert len(forward) == 1 + len(ops)                      # one node a frame: no layers
    assert [f.current for f in forward[1:]] == [(n,) for n in ops]
    for f, n in zip(forward[1:], ops):
        assert f.changes[n].data == fmt(n.data) and f.changes[n].data_state == "known"
        assert forward[0].changes[n].data == "?"


def test_held_gradients_show_as_old_plus_unknown_before_the_pass_reaches_them():
    o, _ = neuron()
    o.backward()
    held = {n: n.grad for n in autograd.graph.topo_order(o) if n.requires_grad and n.grad}
    for forward in (True, False):
        first = lesson(o, forward=forward, number=fmt)[0]
        waiting = {n: s.grad for n, s in first.changes.items() if n.requires_grad}
        assert waiting == {n: f"{fmt(held[n])} + ?" if n in held else "?" for n in waiting}
        assert sum(t.endswith(" + ?") for t in waiting.values()) == len(held) > 1
        start = next(f for f in lesson(o, forward=forward, number=fmt) if f.kind == "start")
        assert f"{len(held)} nodes already hold gradients" in start.sentence
    fresh, _ = neuron()
    assert {s.grad for n, s in lesson(fresh, number=fmt)[0].changes.items()
            if n.requires_grad} == {"?"}


def test_an_update_moves_parameters_never_inputs():
    o, (x1, x2, w1, w2, b) = neuron()
    with pytest.raises(ValueError, match=r"update=0\.1 moves the parameters.*x1, x2, w1, w2, "
                                         r"b.*pass params=\[\.\.\.\]") as info:
        lesson(o, update=0.1, number=fmt)
    assert "save_stepper" in str(info.value)
    assert all(n.grad == 0.0 for n in autograd.graph.topo_order(o))      # nothing ran
    last = lesson(o, update=0.1, params=[w1, w2, b], number=fmt)[-1]
    assert last.kind == "update" and set(last.changes) == {w1, w2, b}
    assert x1 not in last.changes and x2 not in last.changes     # the inputs stay put
    assert "x1" not in last.sentence and "w1" in last.sentence
    y, model = mlp()                 # a network: its weights and biases, not its inputs
    last = lesson(y, update=0.1, number=fmt)[-1]
    assert set(last.changes) == set(model.parameters())
    optim = pytest.importorskip("autograd.optim")
    o, (_, _, w1, w2, b) = neuron()               # an optimizer knows its parameters
    last = lesson(o, update=optim.SGD([w1, w2, b], lr=0.1), number=fmt)[-1]
    assert set(last.changes) == {w1, w2, b}


def test_update_questions_and_hints():
    y, model = mlp()
    frames = lesson(y, update=0.1, forward=True, number=fmt)
    y2, model2 = mlp()
    y2.backward()
    update = frames[-1]
    answers = {q.node: q.answer for q in update.questions}
    assert set(answers) == set(model.parameters())
    for p, p2 in zip(model.parameters(), model2.parameters()):
        assert answers[p] == p2.data - 0.1 * p2.grad
    assert all(q.hint.startswith("hint: new ") and "η·" in q.hint for q in update.questions)
    forward = [f for f in frames if f.kind == "forward"][1:]
    assert [q.node for f in forward for q in f.questions] == [n for f in forward for n in f.current]
    assert all(q.answer == q.node.data and q.hint.startswith(f"hint: {q.label} = ")
               for f in forward for q in f.questions)


def test_frames_have_every_step_at_each_granularity():
    for by in ("node", "neuron", "layer"):
        y, _ = mlp()
        frames = lesson(y, by=by, number=fmt)
        y2, _ = mlp()
        assert [f.sentence for f in frames if f.kind == "step"] == [
            s.sentence for s in backward_steps(y2, by=by)]


# -- Optimizer.preview ------------------------------------------------------------------
@pytest.mark.parametrize("name,options", [
    ("SGD", {"lr": 0.1, "weight_decay": 0.01}), ("Momentum", {"lr": 0.1}),
    ("Momentum", {"lr": 0.1, "form": "classic"}), ("RMSProp", {"lr": 0.01}),
    ("Adam", {"lr": 0.01}), ("AdamW", {"lr": 0.01})])
def test_preview_is_the_next_step_and_changes_nothing(name, options):
    optim = pytest.importorskip("autograd.optim")
    y, model = mlp()
    opt = getattr(optim, name)(model, **options)
    for _ in range(2):
        opt.zero_grad()
        y = model([2.0, -1.0])
        y.backward()
        opt.step()
    y = model([2.0, -1.0])
    opt.zero_grad()
    y.backward()
    states = {p: opt.state[p] for p in model.parameters()}
    before = ([p.data for p in model.parameters()], opt.state_dict())
    preview = opt.preview()
    assert ([p.data for p in model.parameters()], opt.state_dict()) == before
    assert all(opt.state[p] is states[p] for p in model.parameters())   # same dicts
    opt.step()
    assert [preview[p] for p in model.parameters()] == [p.data for p in model.parameters()]


def test_preview_works_for_a_subclass_that_reads_its_parameters_and_names_itself():
    from autograd.optim import SGD

    class Scaled(SGD):        # reads p.label, keys its own dict by p, keeps a list in state
        def _new_state(self):
            return {"seen": []}

        def _update(self, p, g, state):
            assert p.label.startswith("w")
            state["seen"].append(g)
            p.data -= self.lr * g * self.scales[p]

    w1, w2 = Value(1.0, label="w1"), Value(2.0, label="w2")
    w1.grad, w2.grad = 0.5, -1.0
    opt = Scaled([w1, w2], lr=0.1)
    opt.scales = {w1: 2.0, w2: 0.5}
    preview = opt.preview()
    assert opt.state[w1] == {"seen": []} and (w1.data, w2.data) == (1.0, 2.0)
    opt.step()
    assert [preview[w1], preview[w2]] == [w1.data, w2.data] == [0.9, 2.05]
    w1.grad = None
    with pytest.raises(TypeError, match=r"Scaled\.preview: params\[0\]\.grad must be a number"):
        opt.preview()


# -- slides ---------------------------------------------------------------------------
@needs_dot
def test_save_frames_writes_one_svg_per_frame(tmp_path):
    pytest.importorskip("graphviz")
    from autograd.viz import save_frames
    y, _ = mlp()
    (tmp_path / "frame-099.svg").write_text("stale")
    (tmp_path / "notes.svg").write_text("mine")
    log = io.StringIO()
    paths = save_frames(y, tmp_path, by="neuron", update=0.1, progress=log)
    frames = lesson(mlp()[0], by="neuron", forward=True, update=0.1, number=fmt)
    assert len(paths) == len(frames)
    assert [p.name for p in paths] == [f"frame-{k:03d}.svg" for k in range(1, len(frames) + 1)]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [p.name for p in paths] + ["notes.svg"])        # stale slides gone, others kept
    boxes = None
    for p, f in zip(paths, frames):
        root = ET.fromstring(p.read_bytes())
        assert root.tag == f"{SVG}svg"
        words = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
        assert f.counter in words
        current = [g.get("id") for g in root.iter(f"{SVG}g") if "current" in g.get("class", "")]
        assert bool(current) == bool(f.current), p.name
        shapes = {g.get("id"): next(e for e in g if e.tag == f"{SVG}path").get("d")
                  for g in root.iter(f"{SVG}g") if "value" in g.get("class", "")}
        boxes = boxes or shapes
        assert shapes == boxes, p.name           # every box in the same place on every slide
    lines = log.getvalue().splitlines()
    assert lines[0].startswith(f"save_frames: drawing {len(frames)} frames")
    assert len(lines) == 1 + len(frames) and lines[-1].strip().startswith(
        f"{len(frames)}/{len(frames)}")


@needs_dot
def test_save_frames_png_and_pdf(tmp_path):
    pytest.importorskip("graphviz")
    from autograd.viz import save_frames
    o, _ = neuron()
    png = save_frames(o, tmp_path / "png", "png", forward=False, progress=False, dpi=72)
    assert png and all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in png)
    pdf = save_frames(o, tmp_path / "pdf", "pdf", forward=False, progress=False)
    assert len(pdf) == len(png) and all(p.read_bytes()[:4] == b"%PDF" for p in pdf)
    with pytest.raises(ValueError, match="fmt must be one of"):
        save_frames(o, tmp_path, "gif")


@needs_dot
def test_too_many_frames_says_how_to_step_coarser(tmp_path):
    pytest.importorskip("graphviz")
    from autograd.viz import TooManyFrames, save_frames
    y, _ = mlp((4, 4, 1))
    with pytest.raises(ValueError, match=r"more than max_frames=20: step coarser with "
                                         r"by='neuron' \(\d+ frames\)") as info:
        save_frames(y, tmp_path, max_frames=20, progress=False)
    assert isinstance(info.value, TooManyFrames) and info.value.suggestion == {"by": "neuron"}
    assert not list(tmp_path.iterdir())                     # nothing drawn
    n = int(str(info.value).split("by='neuron' (")[1].split()[0])
    assert len(save_frames(y, tmp_path, max_frames=20, progress=False,
                           **info.value.suggestion)) == n
    with pytest.raises(ValueError, match=r"by='layer'"):
        save_frames(y, tmp_path, by="neuron", max_frames=8, progress=False)


def batch(samples):
    nn = pytest.importorskip("autograd.nn")
    model = nn.MLP(2, [4, 4, 1], seed=0)
    xs = [[0.1 * k, 1.0 - 0.2 * k] for k in range(samples)]
    return sum((model(x) - 1.0) ** 2 for x in xs)


@needs_dot
@pytest.mark.parametrize("by,limit,expected", [
    ("neuron", 49, {"forward": False}),                  # by layer still too many: no forward
    ("node", 40, {"by": "layer", "forward": False}),     # both
    ("neuron", 12, {"max_frames": None}),                # nothing fits: raise the limit
])
def test_the_frame_limit_names_an_option_that_fits_and_retrying_with_it_works(
        tmp_path, by, limit, expected):
    pytest.importorskip("graphviz")
    from autograd.viz import TooManyFrames, save_frames
    loss = batch(4)
    options = dict(by=by, collapse="layer", max_frames=limit, progress=False, max_edges=5000)
    with pytest.raises(TooManyFrames) as info:
        save_frames(loss, tmp_path, **options)
    e = info.value
    if "max_frames" in expected:
        expected = {"max_frames": e.frames}
        assert f"raise the limit with max_frames={e.frames}" in str(e)
    assert e.suggestion == expected
    option = ", ".join(f"{k}={v!r}" for k, v in expected.items())
    assert option in str(e) and f"max_frames={limit}" in str(e)
    assert str(e).count("max_frames=") == 1 + ("max_frames" in expected)   # no garbled echo
    if "max_frames" in expected:      # a shorter lesson shows the retry works without drawing
        assert e.frames == len(lesson(loss, by=by, forward=True, number=fmt))
        return
    written = save_frames(loss, tmp_path, **(options | e.suggestion))
    assert 0 < len(written) <= limit


@needs_dot
def test_update_on_a_hand_built_graph_asks_for_params(tmp_path):
    pytest.importorskip("graphviz")
    from autograd.viz import save_frames, save_stepper
    o, (_, _, w1, w2, b) = neuron()
    for call in (lambda: save_frames(o, tmp_path, "png", update=0.1, progress=False),
                 lambda: save_stepper(o, tmp_path / "page.html", update=0.1)):
        with pytest.raises(ValueError, match=r"pass params=\[\.\.\.\]"):
            call()
    assert not list(tmp_path.iterdir())                   # refused before anything is written
    paths = save_frames(o, tmp_path, update=0.1, params=[w1, w2, b], forward=False,
                        progress=False)
    words = " ".join(t.text or "" for t in ET.fromstring(paths[-1].read_bytes()).iter(
        f"{SVG}text"))
    assert "w1" in words and "x1  2.0" not in words and "2.15" not in words
