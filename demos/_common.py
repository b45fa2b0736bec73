"""What every demo shares: its command line (--quick, --out) and how it reports."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol

DEFAULT_OUT = Path("out")


def parse_args(name: str, description: str, argv: Sequence[str] | None) -> argparse.Namespace:
    """``--quick`` (a small, fast version for tests) and ``--out DIR`` (where pictures go)."""
    parser = argparse.ArgumentParser(prog=f"python -m demos.{name}", description=description)
    parser.add_argument("--quick", action="store_true",
                        help="a smaller, faster run (used by the tests)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT / name, metavar="DIR",
                        help=f"folder for the pictures (default: out/{name})")
    return parser.parse_args(argv)


class Main(Protocol):
    """A demo's entry point: ``main(argv=None) -> exit status``."""

    def __call__(self, argv: Sequence[str] | None = None) -> int: ...


def main_for(name: str, description: str, run: Callable[[bool, Path], dict[str, Any]]) -> Main:
    """Build a demo's ``main(argv)``: parse, make the folder, run, say where things are."""

    def main(argv: Sequence[str] | None = None) -> int:
        args = parse_args(name, description, argv)
        args.out.mkdir(parents=True, exist_ok=True)
        print(f"== {name}: {description}")
        start = time.perf_counter()
        try:
            run(args.quick, args.out)
        except ImportError as e:  # an optional extra is missing: say which
            print(f"error: {e}")
            return 1
        print(f"== done in {time.perf_counter() - start:.1f} s; pictures in {args.out}/")
        return 0

    return main


def say(*lines: str) -> None:
    """Print the demo's narration (plain text, one idea per line)."""
    for line in lines:
        print(line)
