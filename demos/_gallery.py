"""Remake the README's pictures: ``python -m demos._gallery [NAME ...]``.

Runs each named demo (all of them by default) at full size into ``out/gallery/``,
shrinks its main picture to a thumbnail (640 pixels wide, 480 for a single panel)
with 256 colours and writes it to ``demos/images/NAME.png``.  ``graph_neuron`` (also
made by default) is the Diagrams section's picture of karpathy's neuron, drawn by the
README's own call and saved at 150 dpi.  Needs Pillow, which comes with matplotlib,
and for the diagrams the graphviz package and Graphviz's ``dot``.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from autograd import Value

from . import DEMOS
from ._common import DPI

IMAGES = Path(__file__).resolve().parent / "images"
OUT = Path("out/gallery")


def thumbnail(picture: Path, target: Path, *, shrink: bool = True) -> Path:
    """Shrink ``picture`` to the gallery's width (unless ``shrink=False``), reduce it to 256
    colours, save it."""
    from PIL import Image

    with Image.open(picture) as image:
        rgb = image.convert("RGB")
    if shrink:
        width = 640 if rgb.width / rgb.height > 1.5 else 480
        rgb = rgb.resize((width, round(rgb.height * width / rgb.width)),
                         Image.Resampling.LANCZOS)
    rgb.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target


def graph_neuron(target: Path) -> Path:
    """The README's diagram of ``o = tanh(x1·w1 + x2·w2 + b)`` after ``backward()``:
    parameters marked, local derivatives and gradients on the edges, every path from w1
    to the output highlighted (the README's call, with a title), as a PNG at 150 dpi in 256
    colours."""
    from autograd import draw_graph

    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Value(-3.0, label="w1"), Value(1.0, label="w2")
    b = Value(6.881373587019543, label="b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    o.backward()
    diagram = draw_graph(o, params=[w1, w2, b], edge_labels="both", highlight_paths_from=w1,
                         title="o = tanh(x1·w1 + x2·w2 + b)")
    OUT.mkdir(parents=True, exist_ok=True)
    return thumbnail(diagram.save(OUT / target.name, dpi=DPI), target, shrink=False)


DIAGRAMS: dict[str, Callable[[Path], Path]] = {"graph_neuron": graph_neuron}
"""The README's pictures that are not a demo's: name → function writing ``images/NAME.png``."""


def main(argv: Sequence[str] | None = None) -> int:
    """Remake the pictures named in ``argv`` (default: every demo's and every diagram)."""
    names = list(sys.argv[1:] if argv is None else argv) or [*DEMOS, *DIAGRAMS]
    unknown = [n for n in names if n not in DEMOS and n not in DIAGRAMS]
    if unknown:
        print(f"error: unknown picture(s) {', '.join(unknown)}; choose from: "
              f"{', '.join([*DEMOS, *DIAGRAMS])}", file=sys.stderr)
        return 2
    for name in names:
        if name in DIAGRAMS:
            print(f"{name}: {DIAGRAMS[name](IMAGES / f'{name}.png')}")
            continue
        folder = OUT / name
        folder.mkdir(parents=True, exist_ok=True)
        result = importlib.import_module(f"demos.{name}").run(False, folder)
        if result.get("picture") is None:
            print(f"{name}: no picture ({result.get('note', '')}); thumbnail left as it is")
            continue
        print(f"{name}: {thumbnail(result['picture'], IMAGES / f'{name}.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
