"""Lesson frames (forward, backward, update), slides with save_frames, Optimizer.preview()."""

import io
import shutil
import xml.etree.ElementTree as ET

import pytest

import autograd
from autograd import Value
from autograd.explainer import backward_steps, fmt
from autograd.viz.frames import lesson

SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz 'dot' not installed")


def neuron():
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.881373587019543, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    return o, [x1, x2, w1, w2, b]


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
    from autograd.viz import save_frames
    y, _ = mlp((4, 4, 1))
    with pytest.raises(ValueError, match=r"more than max_frames=20: step coarser with "
                                         r"by='neuron' \(\d+ frames\)") as info:
        save_frames(y, tmp_path, max_frames=20, progress=False)
    assert not list(tmp_path.iterdir())                     # nothing drawn
    n = int(str(info.value).split("by='neuron' (")[1].split()[0])
    assert len(save_frames(y, tmp_path, by="neuron", max_frames=20, progress=False)) == n
    with pytest.raises(ValueError, match=r"by='layer'"):
        save_frames(y, tmp_path, by="neuron", max_frames=8, progress=False)
