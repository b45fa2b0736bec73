"""The classroom notebooks: stored without outputs, run top to bottom in a fresh kernel; and the
engine's per-context state (grad mode, naming scopes, the latest pass) from cell to cell."""

import html
import re
import shutil
import sys
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat", reason="the notebooks extra is not installed")

FOLDER = Path(__file__).resolve().parent.parent / "demos" / "notebooks"
NOTEBOOKS = ["01_backprop_tour", "02_sunny_day_neuron", "03_train_a_network",
             "04_build_your_own_op", "05_optimizers"]
# what each notebook must show inline once run (a diagram as SVG, plots as PNG, HTML views)
SHOWS = {
    "01_backprop_tour": {"image/svg+xml", "text/html"},
    "02_sunny_day_neuron": {"image/svg+xml"},
    "03_train_a_network": {"image/png", "text/html"},
    "04_build_your_own_op": {"image/svg+xml", "text/html"},
    "05_optimizers": {"image/png"},
}
NEEDS = {"03_train_a_network": ["torch"], "04_build_your_own_op": ["torch"]}


def read(name):
    return nbformat.read(FOLDER / f"{name}.ipynb", as_version=4)


def test_the_notebooks_are_stored_clean():
    assert sorted(p.stem for p in FOLDER.glob("*.ipynb")) == NOTEBOOKS
    for name in NOTEBOOKS:
        nb = read(name)
        nbformat.validate(nb)
        assert nb.metadata.kernelspec.name == "python3", name
        code = [c for c in nb.cells if c.cell_type == "code"]
        for cell in code:
            assert cell.outputs == [], f"{name}: a cell holds outputs: {cell.source[:60]!r}"
            assert cell.execution_count is None, f"{name}: execution count {cell.source[:60]!r}"
        checks = [c for c in code if "assert " in c.source]
        assert len(checks) >= 3, f"{name} checks what it teaches in fewer than 3 cells"
        assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


def execute(nb, cwd):
    """Run ``nb`` in a fresh kernel of this interpreter; return it with its outputs."""
    nbclient = pytest.importorskip("nbclient", reason="the notebooks extra is not installed")
    pytest.importorskip("ipykernel", reason="the notebooks extra is not installed")
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def mimetypes(nb):
    return {m for c in nb.cells if c.cell_type == "code" for o in c.outputs
            for m in o.get("data", {})}


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """Each notebook run top to bottom in a fresh kernel, once per module (on first use)."""
    done = {}

    def run(name):
        pytest.importorskip("matplotlib")
        pytest.importorskip("graphviz")
        for module in NEEDS.get(name, []):
            pytest.importorskip(module)
        if shutil.which("dot") is None:
            pytest.skip("Graphviz 'dot' not installed")
        if name not in done:
            done[name] = execute(read(name), tmp_path_factory.mktemp(name))
        return done[name]

    return run


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_top_to_bottom(name, executed):
    nb = executed(name)                                # a failing assert fails here
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert errors == []
    assert SHOWS[name] <= mimetypes(nb), f"{name} shows {sorted(mimetypes(nb))}"


def comparison_rows(nb):
    """(leaf, autograd grad, PyTorch grad) read from the shown ``compare_with_torch`` table."""
    cells = [c for c in nb.cells if c.cell_type == "code" and "compare_with_torch(" in c.source
             and any("text/plain" in o.get("data", {}) for o in c.outputs)]
    assert len(cells) == 1
    text = next(o["data"]["text/plain"] for o in cells[0].outputs if "data" in o)
    rows = []
    for line in text.splitlines()[1:-1]:               # between the header and the caption
        leaf, ours, theirs, _ = line.split()
        rows.append((leaf, float(ours), float(theirs)))
    return rows


@pytest.mark.slow
def test_notebook_03_compares_gradients_that_are_not_zero(executed):
    rows = comparison_rows(executed("03_train_a_network"))
    assert len(rows) == 337                            # every parameter of MLP(2, [16, 16, 1])
    moving = [r for r in rows if abs(r[1]) > 1e-6]
    assert len(moving) >= len(rows) / 2, f"only {len(moving)} nonzero gradients"
    assert all(abs(ours - theirs) <= 1e-12 + 1e-9 * abs(theirs) for _, ours, theirs in rows)


def test_notebook_04_applies_a_two_input_op_as_a_method_with_a_torch_twin():
    code = [c.source for c in read("04_build_your_own_op").cells if c.cell_type == "code"]
    joined = "\n".join(code)
    assert "apply(" not in joined and "import apply" not in joined
    assert "p.my_hypot(q)" in joined
    definition = next(src for src in code if 'define_op("my_hypot"' in src)
    assert "torch=lambda t, a, b: t.hypot(a, b)" in definition
    assert any("compare_with_torch(" in src and ".my_hypot(" in src for src in code)


@pytest.mark.slow
def test_notebook_04_compares_the_students_op_with_torch(executed):
    rows = comparison_rows(executed("04_build_your_own_op"))
    assert [leaf for leaf, _, _ in rows] == ["a", "b"]
    assert all(abs(ours) > 1e-6 and abs(ours - theirs) <= 1e-12 for _, ours, theirs in rows)


def page_buttons():
    """The labels of the stepper page's buttons, as the page shows them."""
    pytest.importorskip("graphviz")
    if shutil.which("dot") is None:
        pytest.skip("Graphviz 'dot' not installed")
    from autograd import Value
    from autograd.viz.stepper_page import stepper_html

    x = Value(0.5, label="x")
    page = stepper_html((x * x).tanh())
    labels = {html.unescape(re.sub(r"<[^>]*>", "", inner)).strip()
              for inner in re.findall(r"<button\b[^>]*>(.*?)</button>", page, flags=re.S)}
    labels |= set(re.findall(r'textContent = "(Quiz: o\w+)"', page))   # made by the quiz script
    return labels - {""}


def test_notebooks_name_the_stepper_page_buttons_the_page_shows():
    buttons = page_buttons()
    assert {"Start", "Back", "Play", "Next", "Quiz: off"} <= buttons, buttons
    named = []
    for name in NOTEBOOKS:
        for cell in read(name).cells:
            if cell.cell_type == "markdown" and "stepper page" in cell.source.lower():
                named += [(name, b) for b in re.findall(r"\*\*(.+?)\*\*", cell.source)]
    assert len(named) >= 4
    readme = (FOLDER.parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("\n## Notebooks"):]
    section = section[:section.index("\n## ", 1)]               # the README tells it too
    named += [("README", b) for b in re.findall(r"\*\*(.+?)\*\*", section)]
    assert len([n for n, _ in named if n == "README"]) >= 4
    assert [(n, b) for n, b in named if b not in buttons] == []


STATE_CELLS = [
    # 0: the kernel is this interpreter (passes with ipykernel 6.29.5, 7.0.1 and 7.4.0; 7.0.0
    # and 7.0.1 lose ContextVars between cells: the latest pass survives in a thread slot)
    "import sys, ipykernel\n"
    "from autograd import MLP, Stepper, Value, explain, is_grad_enabled, no_grad, scope\n"
    "from autograd.explainer import names\n"
    "print(sys.executable)\nprint(ipykernel.__version__)",
    # 1-2: the latest backward() pass, remembered for the next cell
    "x = Value(2.0, label='x')\ny = x * x + x\ny.label = 'y'\ny.backward()",
    "text = str(explain(x))\nassert 'x.grad' in text and '5.0' in text, text",
    # 3-4: grad mode is off inside no_grad() only, and back on in the next cell
    "with no_grad():\n    z = x * 3\n    inside = is_grad_enabled()\n"
    "assert not z.requires_grad and not inside",
    "w = x * 3\nassert w.requires_grad and is_grad_enabled()",
    # 5-6: a cell that fails inside no_grad() leaves recording on for the next one
    "with no_grad():\n    raise RuntimeError('a failing cell')",
    "assert is_grad_enabled() and (x * 2).requires_grad",
    # 7-8: naming: a scope ends with its cell; a network's names are stable across cells
    "with scope('Layer 9'):\n    q = x * 2\n"
    "model = MLP(2, [2, 1], seed=0)\nout = model([1.0, 2.0])",
    "r = x * 2\nassert q.scope.title == 'Layer 9' and r.scope is None\n"
    "shown = set(names(out).values())\nassert {'L1.N1.w1', 'L2.N1.b', 'x1'} <= shown, shown",
    # 9-11: a stepped pass is the latest pass too, one step per cell
    "x2 = Value(0.5, label='x2')\ny2 = x2.tanh()\ny2.label = 'y2'\ns = Stepper(y2)",
    "s.step()",
    "text = str(explain(x2))\nassert s.done and 'x2.grad' in text, text",
]


def test_engine_state_carries_from_cell_to_cell_in_a_real_kernel(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in STATE_CELLS]
    nb.cells[5].metadata["tags"] = ["raises-exception"]    # the failing cell is expected
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    execute(nb, tmp_path)
    printed = "".join(o.get("text", "") for o in nb.cells[0].outputs).split()
    assert Path(printed[0]).resolve() == Path(sys.executable).resolve()
    assert [o.output_type for o in nb.cells[5].outputs] == ["error"]
    assert all(o.output_type != "error" for c in nb.cells if c is not nb.cells[5]
               for o in c.outputs)
