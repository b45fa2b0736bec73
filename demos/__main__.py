"""``python -m demos`` lists the demos; ``python -m demos NAME|all [--quick] [--out DIR]
[--format png|svg|pdf] [--dpi N]`` runs one or all of them (``all`` ends with a summary)."""

from __future__ import annotations

import importlib
import sys
import time
from collections.abc import Sequence

from . import DEMOS
from ._common import DEFAULT_OUT, Outcome, hint, parse_args


def run_all(argv: Sequence[str]) -> int:
    """Run every demo in teaching order with the same options, then print one line each:
    ok or failed, seconds and the files written, and, if optional packages are missing,
    which ones and the install hint, once.  Exit status 1 if any failed."""
    args = parse_args("all", "Run every demo, one after the other.", argv, out=DEFAULT_OUT)
    flags = (["--quick"] if args.quick else []) + ["--format", args.fmt, "--dpi", str(args.dpi)]
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    for name in DEMOS:
        main = importlib.import_module(f"demos.{name}").main
        outcomes.append(main.outcome([*flags, "--out", str(args.out / name)], show_hint=False))
        print()
    failed = [o.name for o in outcomes if o.status != 0]
    print(f"== summary: {len(outcomes) - len(failed)} of {len(outcomes)} demos ran"
          f"{' (--quick)' if args.quick else ''} in {time.perf_counter() - start:.1f} s; "
          f"{sum(len(o.files) for o in outcomes)} files written under {args.out}/")
    for o in outcomes:
        print(f"   {o.name:24s} {'ok' if o.status == 0 else 'FAILED':6s} "
              f"{o.summary(folder=False)}")
    if failed:
        print(f"failed: {', '.join(failed)}")
    absent = sorted({m for o in outcomes for m in o.missing})
    if absent:
        print(f"not installed here: {', '.join(absent)}")
    if any(o.install for o in outcomes):
        print(hint())
    return 1 if failed else 0


def main(argv: Sequence[str] | None = None) -> int:
    """List the demos, run one (``NAME``) or run them all (``all``)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "list"):
        print("Classroom demos.  Run one with:  python -m demos NAME [--quick] [--out DIR]\n"
              "                                 [--format png|svg|pdf] [--dpi N]\n")
        for i, name in enumerate(DEMOS, 1):
            print(f"  {i:2d}. {name:24s} {importlib.import_module(f'demos.{name}').DESCRIPTION}")
        print("\n  python -m demos all --quick    runs them all, small and fast, then sums up")
        return 0
    which, rest = args[0], args[1:]
    if which == "all":
        return run_all(rest)
    if which not in DEMOS:
        print(f"error: unknown demo {which!r}; choose from: {', '.join(DEMOS)}", file=sys.stderr)
        return 2
    return int(importlib.import_module(f"demos.{which}").main(rest))


if __name__ == "__main__":
    sys.exit(main())
