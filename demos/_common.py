"""What every demo shares: its command line, how it runs and how it reports.

Every demo takes ``--quick`` (a small, fast run), ``--out DIR`` (where its
pictures go), ``--format png|svg|pdf`` and ``--dpi N`` (the resolution of a PNG;
150 by default, sharp on a projector).  A demo's ``run(quick, out, fmt=, dpi=)``
returns its measurements; among them ``pictures``, the files it wrote, and
optionally ``note``, why some were not written.

A demo names the optional packages it cannot do without (``needs``: matplotlib for
the pictures) and those it only draws with (``wants``).  Both are checked before any
work: a missing need stops the demo at once with one install hint that works here
(:func:`autograd.install.install_hint`) and exit status 1; a missing want is said
once and the demo runs without those pictures.
"""

from __future__ import annotations

import argparse
import importlib
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from autograd.install import install_hint

DEFAULT_OUT = Path("out")
FORMATS = ("png", "svg", "pdf")
DPI = 150
"""Default resolution of the PNGs: a 10-inch-wide figure is 1500 pixels wide."""
EXTRA = "demos"
"""The optional extra with every package the demos use (graphviz, matplotlib, tqdm)."""


def missing(packages: Sequence[str]) -> list[str]:
    """The packages of ``packages`` that cannot be imported here, in order."""
    absent = []
    for name in packages:
        try:
            importlib.import_module(name)
        except ImportError:
            absent.append(name)
    return absent


def hint() -> str:
    """The one line that says how to install what the demos need, in this installation."""
    return f"to install what the demos need: {install_hint(EXTRA)}"


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
    missing: list[str] = field(default_factory=list)
    """Optional packages found missing (needed or only wanted)."""
    install: bool = False
    """Whether installing the demos' extra would help (a package was missing)."""

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
    also says how long it took and what it wrote (``python -m demos all`` sums them up).

    ``needs``: the optional packages the demo cannot run without; ``wants``: those it
    only draws some pictures with.  Both are checked before any work."""

    def __init__(self, name: str, description: str, run: Run, *,
                 needs: Sequence[str] = ("matplotlib",), wants: Sequence[str] = ()) -> None:
        self.name, self.description, self.run = name, description, run
        self.needs, self.wants = tuple(needs), tuple(wants)

    def __call__(self, argv: Sequence[str] | None = None) -> int:
        return self.outcome(argv).status

    def outcome(self, argv: Sequence[str] | None = None, *, show_hint: bool = True) -> Outcome:
        """Parse ``argv``, check the optional packages, run the demo, print and return how
        it went.  ``show_hint=False`` leaves the install hint out (``python -m demos all``
        prints it once, at the end)."""
        args = parse_args(self.name, self.description, argv)
        print(f"== {self.name}: {self.description}")
        start = time.perf_counter()
        lacking, absent = missing(self.needs), missing(self.wants)
        if lacking:
            note = f"{' and '.join(lacking)} not installed"
            print(f"error: this demo needs {' and '.join(lacking)}, which "
                  f"{'is' if len(lacking) == 1 else 'are'} not installed for this Python; "
                  "nothing was run.")
            if show_hint:
                print(hint())
            return Outcome(self.name, 1, time.perf_counter() - start, note=note,
                           missing=lacking + absent, install=True)
        if absent:
            print(f"note: {' and '.join(absent)} not installed: this demo runs without the "
                  "pictures drawn with it." + (f"\n{hint()}" if show_hint else ""))
        args.out.mkdir(parents=True, exist_ok=True)
        try:
            results = self.run(args.quick, args.out, fmt=args.fmt, dpi=args.dpi)
        except ImportError as e:  # a package the demo did not declare: say it, hint once
            told = "pip install" in str(e)
            print(f"error: {e}" + (f"\n{hint()}" if show_hint and not told else ""))
            return Outcome(self.name, 1, time.perf_counter() - start, note=str(e),
                           missing=[*absent, *([e.name] if e.name else [])], install=True)
        done = Outcome(self.name, 0, time.perf_counter() - start,
                       [Path(p) for p in results.get("pictures", [])],
                       str(results.get("note", "")), missing=absent, install=bool(absent))
        print(f"== done in {done.summary()}")
        return done


def main_for(name: str, description: str, run: Run, *,
             needs: Sequence[str] = ("matplotlib",), wants: Sequence[str] = ()) -> DemoMain:
    """Build a demo's ``main(argv)``: parse, check the optional packages (``needs``: the
    demo stops without them; ``wants``: it runs without their pictures), make the folder,
    run, say what was written."""
    return DemoMain(name, description, run, needs=needs, wants=wants)


def say(*lines: str) -> None:
    """Print the demo's narration (plain text, one idea per line)."""
    for line in lines:
        print(line)
