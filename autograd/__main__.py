"""``python -m autograd`` and the ``autograd`` console script (see :mod:`autograd.cli`)."""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 ok, 1 failed, 2 bad usage)."""
    from .cli import main as run
    return run(argv)


if __name__ == "__main__":
    sys.exit(main())
