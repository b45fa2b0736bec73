"""The stepper page inside a notebook: a sandboxed iframe that holds the whole page.

:func:`show_stepper` builds the very page :func:`~autograd.viz.save_stepper` writes
(same frames, same controls, the Quiz toggle included) and returns an object that
Jupyter displays as an ``<iframe srcdoc="…" sandbox="allow-scripts">``: the page
travels inside the notebook's output, loads nothing from anywhere (no server, no
extension, no network), and its scripts run in an opaque origin that cannot reach
the notebook.  The page fills the iframe's height (720 px by default), its graph
panel taking what the controls, the sentence and the quiz leave, so its controls
stay on screen.
"""

from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any

from .. import validate
from ..engine import Value
from .stepper_page import stepper_html

__all__ = ["DEFAULT_HEIGHT", "InlineStepper", "show_stepper"]

DEFAULT_HEIGHT = 720
"""Pixels: the iframe's default height, what a laptop's notebook area shows at once.  The
page fills whatever height it gets (the graph panel shrinks, the controls, the sentence
and the quiz stay on screen), so ``height=`` may be smaller or larger."""


class InlineStepper:
    """A stepper page ready to display in a notebook (``_repr_html_``) or save.

    ``page`` is the complete, self-contained HTML page; ``height`` the iframe's
    height in CSS pixels.
    """

    def __init__(self, page: str, height: int = DEFAULT_HEIGHT, title: str = "stepper") -> None:
        self.page = page
        self.height = validate.count("show_stepper()", "height", height, low=200, high=4000)
        self.title = title

    def iframe(self) -> str:
        """The ``<iframe>`` element: the page escaped into ``srcdoc``, scripts only, no origin."""
        return (f'<iframe class="autograd-stepper-page" title="{html.escape(self.title)}" '
                f'sandbox="allow-scripts" srcdoc="{html.escape(self.page, quote=True)}" '
                f'style="width:100%;height:{self.height}px;border:1px solid #cbd5e1;'
                f'border-radius:8px"></iframe>')

    def _repr_html_(self) -> str:
        return self.iframe()

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page as a standalone ``.html`` file (as :func:`save_stepper` would)."""
        target = Path(path)
        target.write_text(self.page, encoding="utf-8")
        return target

    def __repr__(self) -> str:
        return (f"<stepper page {self.title!r}: {len(self.page):,} characters; shown inline "
                "in a notebook, .save('page.html') to keep it>")


def show_stepper(root: Value, *, height: int = DEFAULT_HEIGHT, **options: Any) -> InlineStepper:
    """The stepper page of ``root``'s backward pass, displayed inline in a notebook.

    ``options`` are those of :func:`~autograd.viz.save_stepper` (``grad``, ``title``,
    ``fmt``, ``rankdir``, ``params``, ``max_nodes``, ``interval_ms`` …); ``height``
    is the iframe's height in pixels.  The graph's gradients are left as they were.
    In a notebook, make it the last expression of a cell (or ``display()`` it).
    """
    height = validate.count("show_stepper()", "height", height, low=200, high=4000)
    page = stepper_html(root, **options)
    title = options.get("title") or "backpropagation stepper"
    return InlineStepper(page, height, str(title))
