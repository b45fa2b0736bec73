"""Fewer cyclic garbage collections while a big graph lives: ``with relaxed_gc():``.

Python's cyclic garbage collector runs whenever 700 (2,000 on 3.13) more
container objects exist than at its last run, and now and then walks *every*
live object.  A graph of a million nodes (about 2.5 million such objects) is
walked again and again without a single piece of garbage found: this engine's
graphs have no reference cycles (a node holds numbers and its inputs, never a
closure), so reference counting frees them the moment the last reference goes.
Inside ``relaxed_gc()`` the collector waits for 3 million more objects
(:data:`RELAXED`): building even a million-node graph triggers no collection,
so a node costs about the same in a huge graph as in a small one.  Memory is
unchanged for this engine's graphs; cyclic garbage made by other code inside
the block waits longer (up to that many objects) before it is freed.

>>> import gc
>>> from autograd.collector import relaxed_gc
>>> before = gc.get_threshold()
>>> with relaxed_gc():
...     gc.get_threshold()[0] >= 3_000_000
True
>>> gc.get_threshold() == before
True

It only raises the collector's thresholds (``gc.set_threshold``), never lowers
one, and leaves a disabled collector (``gc.disable()``, or a threshold of 0)
as it is.  On leaving the outermost block the settings from before are put
back exactly, even after an exception, and with several threads inside at once
(the blocks are counted under a lock: the last one out restores).  Settings
changed by hand inside a block are overwritten on leaving it.  ``fit()`` and
compiled steps (:func:`autograd.compile.compile`) use it while they run.

This module imports nothing from the package.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["RELAXED", "relaxed_gc"]

RELAXED = (3_000_000, 50, 100)
"""The thresholds inside the block (each raised to at least this; see ``gc.set_threshold``)."""

_lock = threading.Lock()
_depth = 0
_saved: tuple[int, ...] = ()


def _enter() -> None:
    global _depth, _saved
    with _lock:
        if _depth == 0:
            _saved = gc.get_threshold()
            if _saved[0] != 0:       # 0 switches automatic collection off: keep it off
                gc.set_threshold(*(max(a, b) for a, b in zip(_saved, RELAXED)))
        _depth += 1


def _leave() -> None:
    global _depth, _saved
    with _lock:
        _depth -= 1
        if _depth == 0:
            gc.set_threshold(*_saved)
            _saved = ()


@contextmanager
def relaxed_gc() -> Iterator[None]:
    """Collect cyclic garbage rarely inside the block; restore the settings exactly after.

    Use it around a hand-written training loop or the building of a huge graph
    (a million nodes: the time per node then stays close to that of a small
    graph).  Blocks nest, and threads may enter and leave in any order.
    """
    _enter()
    try:
        yield
    finally:
        _leave()
