"""What ``fit()`` shows while it works, and how Ctrl-C stops it cleanly.

A tqdm bar when tqdm is installed, a plain line every 10 % of the epochs otherwise;
a first Ctrl-C finishes the current step and stops, a second one stops at once.
"""

from __future__ import annotations

import importlib
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .metrics import History


class _Progress:
    """A tqdm bar when tqdm is installed, else a plain line every 10 % of the epochs."""

    def __init__(self, epochs: int, verbose: bool) -> None:
        self.epochs, self.verbose, self.every = epochs, verbose, max(1, epochs // 10)
        self.bar: Any = None
        if verbose:
            try:
                tqdm = importlib.import_module("tqdm").tqdm
            except ImportError:
                return
            self.bar = tqdm(total=epochs, unit="epoch", desc="fit")

    def update(self, history: History) -> None:
        short = {"accuracy": "acc", "val_accuracy": "val_acc", "penalty": "reg"}
        shown = {short.get(k, k): f"{v:.4f}" for k, v in history.last().items()}
        if self.bar is not None:
            self.bar.set_postfix(shown, refresh=False)
            self.bar.update(1)
        elif self.verbose and (history.epochs % self.every == 0 or history.epochs == self.epochs):
            width = len(str(self.epochs))
            print(f"epoch {history.epochs:>{width}}/{self.epochs}  "
                  + "  ".join(f"{k} {v}" for k, v in shown.items()), flush=True)

    def close(self, history: History) -> None:
        if self.bar is not None:
            self.bar.close()
        if self.verbose and history.interrupted:
            print(f"interrupted: kept the history of {history.epochs} complete epoch(s)")


@contextmanager
def _sigint_as_flag() -> Iterator[Callable[[], bool]]:
    """Inside, a first Ctrl-C only raises a flag (checked after each step); a
    second one interrupts at once.  Installed only in the main thread and only
    over Python's default handler; elsewhere Ctrl-C raises KeyboardInterrupt."""
    hit = [False]

    def handler(signum: int, frame: Any) -> None:
        if hit[0]:
            raise KeyboardInterrupt
        hit[0] = True

    install = (threading.current_thread() is threading.main_thread()
               and signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    previous = signal.signal(signal.SIGINT, handler) if install else None
    try:
        yield lambda: hit[0]
    finally:
        if install:
            signal.signal(signal.SIGINT, previous)
