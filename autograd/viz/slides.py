"""Slides: one picture per frame of the stepper page, for a lecture deck or a handout.

:func:`save_frames` draws the very frames the stepper page plays (forward pass,
backward steps, update) as numbered files ``frame-001.svg``, ``frame-002.svg`` …
Every frame has the same layout: each box is pinned to the size it has in the
page (sized once for its widest text), so nothing jumps from one slide to the
next.  The frame's counter and sentence are written under the graph.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TextIO

from ..engine import Value
from ..explainer.grouping import BY
from ..explainer.steps import BackwardPass
from ..validate import choice, count
from .frames import Frame
from .labels import escape
from .model import HasParameters
from .process import DEFAULT_TIMEOUT
from .scenes import Scenes

__all__ = ["FRAME_FORMATS", "TooManyFrames", "save_frames"]

FRAME_FORMATS = ("svg", "png", "pdf")
"""The picture formats :func:`save_frames` writes."""

_OLD = re.compile(r"frame-\d+\.(svg|png|pdf)")


class TooManyFrames(ValueError):
    """More frames than ``max_frames``: ``suggestion`` holds the keyword arguments that make
    the same call fit (``{'by': 'layer'}``, ``{'forward': False}`` or
    ``{'max_frames': 806}``), ready to pass back: ``save_frames(y, d, **e.suggestion)``."""

    def __init__(self, message: str, frames: int, suggestion: dict[str, Any]) -> None:
        super().__init__(message)
        self.frames, self.suggestion = frames, suggestion


def _fitting(root: Value, by: str, forward: bool, frames: list[Frame], limit: int
             ) -> tuple[dict[str, Any], int]:
    """The first of: a coarser ``by=``, ``forward=False``, both, that makes at most
    ``limit`` frames, with its frame count; else ``max_frames`` = the frames made."""
    steps = sum(1 for f in frames if f.kind == "step")
    ahead = sum(1 for f in frames if f.kind == "forward")
    rest = len(frames) - steps - ahead        # the start and update frames
    totals = {by: steps}
    options: list[dict[str, Any]] = [{"by": c} for c in BY[BY.index(by) + 1:]]
    if forward:
        options.append({"forward": False})
        options += [{"by": c, "forward": False} for c in BY[BY.index(by) + 1:]]
    for option in options:
        coarse = option.get("by", by)
        if coarse not in totals:
            totals[coarse] = BackwardPass(root, by=coarse, who="save_frames").total
        n = totals[coarse] + rest + (ahead if option.get("forward", forward) else 0)
        if n <= limit:
            return option, n
    return {"max_frames": len(frames)}, len(frames)


def save_frames(root: Value, directory: str | Path, fmt: str = "svg", *, by: str = "node",
                collapse: str | int | None = None, forward: bool = True, update: Any = None,
                grad: float = 1.0, rankdir: str = "LR", number_format: str | None = None,
                params: Iterable[Value] | HasParameters | None = None, max_nodes: int = 300,
                max_edges: int = 1500, max_frames: int = 200, sentences: bool = True,
                progress: bool | TextIO = True, dpi: int = 150,
                timeout: float | None = DEFAULT_TIMEOUT) -> list[Path]:
    """Write one picture per frame of the stepper page into ``directory``; returns the paths.

    ``fmt`` is ``"svg"``, ``"png"`` or ``"pdf"``; files are named ``frame-001.svg`` …
    (earlier ``frame-NNN`` files of that format in the directory are removed first,
    so a shorter lesson leaves no stale slides).  ``by``, ``collapse``, ``forward``,
    ``update``, ``grad``, ``rankdir``, ``params``, ``max_nodes``, ``max_edges`` and
    ``timeout`` are as for :func:`~autograd.viz.save_stepper`; ``number_format`` is
    its ``fmt`` (e.g. ``".3f"``).  ``sentences=False`` leaves the step's sentence out
    of the picture; ``dpi`` sets a PNG's resolution.

    More than ``max_frames`` frames is refused before anything is drawn with
    :class:`TooManyFrames` (a ``ValueError``) naming an option that fits: a coarser
    ``by=``, ``forward=False``, or else the ``max_frames=`` needed (also in
    ``error.suggestion``, ready to pass back).  ``progress`` (default:
    standard error; ``False``: silent; or a stream) reports each file written.
    """
    who = "save_frames"
    choice(who, "fmt", fmt, FRAME_FORMATS)
    limit = count(who, "max_frames", max_frames)
    dpi = count(who, "dpi", dpi, low=10, high=2400)
    out: TextIO | None = sys.stderr if progress is True else progress or None
    scenes = Scenes(root, by=by, collapse=collapse, forward=forward, update=update, grad=grad,
                    rankdir=rankdir, fmt=number_format, params=params, max_nodes=max_nodes,
                    max_edges=max_edges, timeout=timeout, who=who)
    frames = scenes.frames
    if len(frames) > limit:
        suggestion, n = _fitting(root, by, forward, frames, limit)
        option = ", ".join(f"{k}={v!r}" for k, v in suggestion.items())
        head = (f"{who}: stepping by {by!r}{'' if forward else ' without the forward pass'} "
                f"makes {len(frames)} frames, more than max_frames={limit}")
        if "max_frames" in suggestion:
            raise TooManyFrames(f"{head}, and no coarser by= (nor forward=False) makes few "
                                f"enough: raise the limit with {option} to draw all of them "
                                "(one file each)", len(frames), suggestion)
        what = " and ".join(w for k, w in (("by", "step coarser"),
                                           ("forward", "leave out the forward frames"))
                            if k in suggestion)
        raise TooManyFrames(f"{head}: {what} with {option} ({n} frames)", len(frames),
                            suggestion)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if _OLD.fullmatch(old.name) and old.suffix == f".{fmt}":
            old.unlink()
    sizes = scenes.sizes(scenes.diagram())
    width = max(3, len(str(len(frames))))
    lines = max(f.sentence.count("\n") + 1 for f in frames)
    written: list[Path] = []
    if out is not None:
        print(f"{who}: drawing {len(frames)} frames into {folder}/ as {fmt}", file=out,
              flush=True)
    for k, (f, state) in enumerate(zip(frames, scenes.states()), 1):
        d = scenes.diagram(state, scenes.marks(f), sizes)
        if sentences:
            text = f"{f.counter}\n{f.sentence}" + "\n" * (lines - f.sentence.count("\n") - 1)
            body = "<BR ALIGN=\"LEFT\"/>".join(escape(line, 400) or " " for line in
                                                text.split("\n"))
            d.attr(label=f'<<FONT FACE="DejaVu Sans Mono,Menlo,Consolas,monospace">{body}'
                         f'<BR ALIGN="LEFT"/></FONT>>', labelloc="b", labeljust="l",
                   fontsize="14")
        if fmt == "png":
            d.graph_attr["dpi"] = str(dpi)
        path = folder / f"frame-{k:0{width}d}.{fmt}"
        path.write_bytes(d.pipe(format=fmt))
        written.append(path)
        if out is not None:
            print(f"  {k}/{len(frames)}  {f.counter:<16} {path.name}", file=out, flush=True)
    return written
