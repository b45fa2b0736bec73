"""Remake the README gallery's thumbnails: ``python -m demos._gallery [NAME ...]``.

Runs each named demo (all of them by default) at full size into ``out/gallery/``,
shrinks its main picture to a thumbnail (640 pixels wide, 480 for a single panel)
with 256 colours and writes it to ``demos/images/NAME.png``.  Needs Pillow, which
comes with matplotlib.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from . import DEMOS

IMAGES = Path(__file__).resolve().parent / "images"


def thumbnail(picture: Path, target: Path) -> Path:
    """Shrink ``picture`` to the gallery's width, reduce it to 256 colours, save it."""
    from PIL import Image

    with Image.open(picture) as image:
        rgb = image.convert("RGB")
    width = 640 if rgb.width / rgb.height > 1.5 else 480
    small = rgb.resize((width, round(rgb.height * width / rgb.width)), Image.Resampling.LANCZOS)
    small.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    return target


def main(argv: Sequence[str] | None = None) -> int:
    """Run the demos named in ``argv`` (default: all) and refresh their thumbnails."""
    names = list(sys.argv[1:] if argv is None else argv) or DEMOS
    unknown = [n for n in names if n not in DEMOS]
    if unknown:
        print(f"error: unknown demo(s) {', '.join(unknown)}; choose from: {', '.join(DEMOS)}",
              file=sys.stderr)
        return 2
    for name in names:
        result = importlib.import_module(f"demos.{name}").run(False, Path("out/gallery") / name)
        if result.get("picture") is None:
            print(f"{name}: no picture ({result.get('note', '')}); thumbnail left as it is")
            continue
        print(f"{name}: {thumbnail(result['picture'], IMAGES / f'{name}.png')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
