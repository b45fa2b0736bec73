"""Backpropagation by hand: one neuron's gradients, one chain-rule step at a time.

The expression is a neuron with two inputs and a tanh:

    o = tanh(n),   n = x1·w1 + x2·w2 + b

Backpropagation visits the nodes from the output back to the inputs.  At each
node it applies the chain rule to every input (child) of that node:

    child.grad += ∂node/∂child · node.grad

starting from o.grad = 1.  The local derivatives come from each operation:
∂(a·b)/∂a = b, ∂(a + b)/∂a = 1, ∂tanh(n)/∂n = 1 − tanh²(n).  A gradient says how
much o moves when that number is nudged: o(x + h) − o(x) ≈ h · x.grad.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from autograd import Value
from autograd.explainer import Stepper, trace

from ._common import DPI, main_for, say
from ._figures import Pictures

NAME = "backprop_by_hand"
DESCRIPTION = "Backprop of a tanh neuron step by step: terminal, diagram, web page"

LEAVES = {"x1": 2.0, "x2": 0.0, "w1": -3.0, "w2": 1.0, "b": 6.8813735870195432}
"""Karpathy's neuron: b is chosen so that n = 0.8814 and o = tanh(n) = 1/√2."""
NO_DOT = "Graphviz 'dot' is not installed"


def neuron(values: dict[str, float] | None = None) -> tuple[Value, dict[str, Value]]:
    """Build ``o = tanh(x1·w1 + x2·w2 + b)`` with every node labelled; return o and the leaves."""
    v = {k: Value(x, label=k) for k, x in (values or LEAVES).items()}
    x1w1 = v["x1"] * v["w1"]
    x1w1.label = "x1w1"
    x2w2 = v["x2"] * v["w2"]
    x2w2.label = "x2w2"
    s = x1w1 + x2w2
    s.label = "s"
    n = s + v["b"]
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    return o, v


def nudge_check(leaves: dict[str, Value], h: float = 1e-6) -> dict[str, float]:
    """(o(leaf + h) − o(leaf)) / h for every leaf: the gradient measured by nudging."""
    base = neuron()[0].data
    slopes = {}
    for name in leaves:
        moved = {k: x + (h if k == name else 0.0) for k, x in LEAVES.items()}
        slopes[name] = (neuron(moved)[0].data - base) / h
    return slopes


def draw(pictures: Pictures) -> tuple[dict[str, Path], str]:
    """The diagram (SVG, plus the chosen format) and the HTML stepper page; or no files
    and why (Graphviz or the graphviz package is missing)."""
    if shutil.which("dot") is None:
        say(f"{NO_DOT}, so no diagram or stepper page this time.",
            "Install it (apt-get install -y graphviz, brew install graphviz or conda install",
            "graphviz) and run this demo again; everything above does not need it.")
        return {}, NO_DOT
    try:
        from autograd.viz import draw_graph, save_stepper
        o, v = neuron()
        params = [v["w1"], v["w2"], v["b"]]          # drawn as parameters, x1 and x2 as inputs
        page = save_stepper(o, pictures.folder / "stepper.html", params=params,
                            title="Backpropagation through a tanh neuron")
        o.backward()
        diagram = draw_graph(o, params=params,
                             title="o = tanh(x1·w1 + x2·w2 + b) after backward()")
        files = {"svg": pictures.add(diagram.save(pictures.folder / "graph.svg"))}
        if pictures.fmt != "svg":
            files[pictures.fmt] = pictures.add(diagram.save(pictures.path("graph"),
                                                            dpi=pictures.dpi))
    except ImportError:   # the graphviz Python package: main() said so before any work
        say("no diagram or stepper page: the graphviz package is not installed")
        return {}, "the graphviz package is not installed"
    files["html"] = pictures.add(page)
    return files, ""


def run(quick: bool, out: Path, *, fmt: str = "png", dpi: int = DPI) -> dict[str, Any]:
    """Print the forward pass, every backward step, the final table and a nudge check."""
    say(__doc__.strip().splitlines()[0], "")
    o, leaves = neuron()
    say("Forward pass: every node computed from its inputs.", trace(o), "",
        "Backward pass, one node per step (Stepper(o).step() in a REPL does the same):")
    stepper = Stepper(o)
    sentences = []
    while (step := stepper.step()) is not None:
        sentences.append(step.sentence)
        say(step.sentence)
    say("", "Every gradient is now final:", trace(o), "")
    slopes = nudge_check(leaves)
    say("Check by nudging each input by h = 1e-6 and measuring how o moves:")
    for name, leaf in leaves.items():
        say(f"  {name:3s} grad {leaf.grad:8.4f}   (o(+h) − o)/h = {slopes[name]:8.4f}")
    say("", "w2.grad = 0 because its input x2 is 0; x1.grad = w1 · 0.5 = −1.5.", "")
    pictures = Pictures(out, fmt, dpi)
    files, note = draw(pictures)
    if files:
        also = f"  (and {files[fmt].name})" if fmt != "svg" else ""
        say(f"diagram:      {files['svg']}{also}",
            f"stepper page: {files['html']}  (open it in a browser; → steps forward)")
    return {"sentences": sentences, "grads": {k: v.grad for k, v in leaves.items()},
            "slopes": slopes, "output": o.data, "files": files, "picture": files.get(fmt),
            "pictures": pictures.written, "note": note}


main = main_for(NAME, DESCRIPTION, run, needs=(), wants=("graphviz",))

if __name__ == "__main__":
    raise SystemExit(main())
