"""The package's random number generator: one ``random.Random`` for everything.

Initial weights and dropout masks are drawn from it unless a module is given its
own ``seed=`` or ``rng=``.  Seeding it makes a whole run reproducible:

>>> import autograd
>>> _ = autograd.manual_seed(42)
>>> a = autograd.MLP(2, [3, 1]).parameters()[0].data
>>> _ = autograd.manual_seed(42)
>>> a == autograd.MLP(2, [3, 1]).parameters()[0].data
True

Python's global ``random`` module is never touched, so seeding here does not
disturb other code (and other code does not disturb this generator).
"""

from __future__ import annotations

import random

__all__ = ["get_rng", "make_rng", "manual_seed"]

_RNG = random.Random()


def manual_seed(seed: int) -> random.Random:
    """Seed the package generator (PyTorch's name) and return it."""
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"manual_seed() seed must be an int, got {type(seed).__name__}: {seed!r}")
    _RNG.seed(seed)
    return _RNG


def get_rng() -> random.Random:
    """The package generator itself (the same object for the whole session)."""
    return _RNG


def make_rng(seed: int | None = None, rng: random.Random | None = None,
             owner: str = "module") -> random.Random:
    """The generator a module should use: ``rng`` if given, else a fresh
    ``random.Random(seed)`` if ``seed`` is given, else the package generator.

    ``owner`` names the caller in error messages.
    """
    if seed is not None and rng is not None:
        raise ValueError(f"{owner}: give seed= or rng=, not both")
    if rng is not None:
        if not isinstance(rng, random.Random):
            raise TypeError(f"{owner}: rng must be a random.Random, got {type(rng).__name__}")
        return rng
    if seed is not None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise TypeError(f"{owner}: seed must be an int, got {type(seed).__name__}: {seed!r}")
        return random.Random(seed)
    return _RNG
