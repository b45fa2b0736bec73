"""What every demo shares: its command line, how it runs and how it reports.

Every demo takes ``--quick`` (a small, fast run), ``--out DIR`` (where its
pictures go), ``--format png|svg|pdf`` and ``--dpi N`` (the resolution of a PNG;
150 by default, sharp on a projector).  A demo's ``run(quick, out, fmt=, dpi=)``
returns its measurements; among them ``pictures``, the files it wrote, and
optionally ``note``, why some were not written.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

DEFAULT_OUT = Path("out")
FORMATS = ("png", "svg", "pdf")
DPI = 150
"""Default resolution of the PNGs: a 10-inch-wide figure is 1500 pixels wide."""


class Run(Protocol):
    """A demo's ``run``: do the work, write the pictures, return the measurements."""

    def __call__(self, quick: bool, out: Path, *, fmt: str = "png",
                 dpi: int = DPI) -> dict[str, Any]: ...


def _dpi(text: str) -> int:
    """argparse type of ``--dpi``: a whole number from 10 to 1200."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--dpi must be a whole number, got {text!r}") from None
    if not 10 <= value <= 1200:
        raise argparse.ArgumentTypeError(f"--dpi must be between 10 and 1200, got {value}")
    return value


def parse_args(name: str, description: str, argv: Sequence[str] | None,
               out: Path | None = None) -> argparse.Namespace:
    """``--quick``, ``--out DIR``, ``--format png|svg|pdf`` and ``--dpi N``."""
    folder = out or DEFAULT_OUT / name
    prog = "python -m demos all" if name == "all" else f"python -m demos.{name}"
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--quick", action="store_true",
                        help="a smaller, faster run (used by the tests)")
    parser.add_argument("--out", type=Path, default=folder, metavar="DIR",
                        help=f"folder for the pictures (default: {folder})")
    parser.add_argument("--format", choices=FORMATS, default="png", dest="fmt",
                        help="file format of the pictures (default: png; svg and pdf scale "
                             "without blurring, for slides)")
    parser.add_argument("--dpi", type=_dpi, default=DPI, metavar="N",
                        help=f"resolution of PNG pictures in dots per inch (default: {DPI})")
    return parser.parse_args(argv)


@dataclass
class Outcome:
    """How one demo run went: exit status, seconds, files written and any note."""

    name: str
    status: int
    seconds: float
    files: list[Path] = field(default_factory=list)
    note: str = ""

    def summary(self, folder: bool = True) -> str:
        """``3.1 s; 2 files in out/moons/: a.png, b.png`` (or why nothing was written);
        without the folder, ``3.1 s; a.png, b.png``."""
        if self.status != 0:
            return f"{self.seconds:.1f} s; failed ({self.note})"
        if not self.files:
            return (f"{self.seconds:.1f} s; nothing written"
                    + (f" ({self.note})" if self.note else ""))
        names = ", ".join(f.name for f in self.files)
        if not folder:
            return f"{self.seconds:.1f} s; {names}"
        folders = sorted({str(f.parent) for f in self.files})
        count = f"{len(self.files)} file{'s' * (len(self.files) > 1)}"
        return f"{self.seconds:.1f} s; {count} in {', '.join(folders)}/: {names}"


class DemoMain:
    """A demo's entry point: ``main(argv=None) -> exit status``; ``main.outcome(argv)``
    also says how long it took and what it wrote (``python -m demos all`` sums them up)."""

    def __init__(self, name: str, description: str, run: Run) -> None:
        self.name, self.description, self.run = name, description, run

    def __call__(self, argv: Sequence[str] | None = None) -> int:
        return self.outcome(argv).status

    def outcome(self, argv: Sequence[str] | None = None) -> Outcome:
        """Parse ``argv``, run the demo, print and return how it went."""
        args = parse_args(self.name, self.description, argv)
        args.out.mkdir(parents=True, exist_ok=True)
        print(f"== {self.name}: {self.description}")
        start = time.perf_counter()
        try:
            results = self.run(args.quick, args.out, fmt=args.fmt, dpi=args.dpi)
        except ImportError as e:  # an optional extra is missing: say which
            print(f"error: {e}",
                  "(from the repository's folder, 'bash scripts/setup.sh' installs what the "
                  "demos need)", sep="\n")
            return Outcome(self.name, 1, time.perf_counter() - start, note=str(e))
        done = Outcome(self.name, 0, time.perf_counter() - start,
                       [Path(p) for p in results.get("pictures", [])],
                       str(results.get("note", "")))
        print(f"== done in {done.summary()}")
        return done



def main_for(name: str, description: str, run: Run) -> DemoMain:
    """Build a demo's ``main(argv)``: parse, make the folder, run, say what was written."""
    return DemoMain(name, description, run)


def say(*lines: str) -> None:
    """Print the demo's narration (plain text, one idea per line)."""
    for line in lines:
        print(line)
