"""``python -m demos`` lists the demos; ``python -m demos NAME|all [--quick] [--out DIR]``."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence
from pathlib import Path

from . import DEMOS


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "list"):
        print("Classroom demos (run one with: python -m demos NAME [--quick] [--out DIR]):\n")
        for i, name in enumerate(DEMOS, 1):
            print(f"  {i:2d}. {name:24s} {importlib.import_module(f'demos.{name}').DESCRIPTION}")
        print("\n  python -m demos all --quick    runs them all, small and fast")
        return 0
    which, rest = args[0], args[1:]
    if which == "all":
        failed = []
        for name in DEMOS:
            out = ["--out", str(Path(_out(rest)) / name)] if "--out" in rest else []
            flags = [a for a in rest if a == "--quick"]
            if importlib.import_module(f"demos.{name}").main(flags + out) != 0:
                failed.append(name)
        if failed:
            print(f"failed: {', '.join(failed)}")
        return 1 if failed else 0
    if which not in DEMOS:
        print(f"error: unknown demo {which!r}; choose from: {', '.join(DEMOS)}", file=sys.stderr)
        return 2
    return int(importlib.import_module(f"demos.{which}").main(rest))


def _out(rest: list[str]) -> str:
    return rest[rest.index("--out") + 1] if rest.index("--out") + 1 < len(rest) else "out"


if __name__ == "__main__":
    sys.exit(main())
