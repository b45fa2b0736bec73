"""The returned diagram: a ``graphviz.Digraph`` that saves by file extension.

Imported only when a diagram is drawn, so ``import autograd`` never needs the
``graphviz`` package.  Every rendering path (``save``, ``pipe``, ``render``, the
inline display in Jupyter) runs ``dot`` through :func:`~autograd.viz.process.run_graphviz`:
under ``diagram.timeout`` seconds, killed on Ctrl-C, and a missing ``dot`` program
becomes :class:`GraphvizNotFound`, whose message says how to install Graphviz and
what still works without it (for a diagram, its DOT text: ``diagram.source`` or
``diagram.save("graph.dot")``).  Every saving method returns a :class:`pathlib.Path`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz  # type: ignore[import-untyped]

from .labels import FORMATS
from .process import DEFAULT_TIMEOUT, run_graphviz

__all__ = ["Diagram", "GraphvizNotFound", "rendered"]

INSTALL_HINT = (
    "the Graphviz program 'dot' was not found on PATH, so the diagram cannot be rendered. "
    "Install Graphviz: 'apt-get install -y graphviz' (Debian/Ubuntu), 'brew install "
    "graphviz' (macOS) or 'conda install graphviz'.")

DIAGRAM_ADVICE = ("The DOT source is still available: diagram.source, or "
                  "diagram.save('graph.dot')")
"""What works without ``dot`` for a diagram object (the default advice)."""


class GraphvizNotFound(graphviz.ExecutableNotFound):  # type: ignore[misc]
    """The ``dot`` program is missing (a ``RuntimeError``, and graphviz's own error).

    The message says how to install Graphviz, then ``advice``: what works without it
    for the call that failed (default: a diagram's DOT source).
    """

    def __init__(self, cmd: Any = ("dot",), advice: str = DIAGRAM_ADVICE) -> None:
        RuntimeError.__init__(self, f"{INSTALL_HINT} {advice}")
        self.cmd = cmd


def rendered(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a graphviz rendering call, explaining a missing ``dot`` program."""
    try:
        return call(*args, **kwargs)
    except graphviz.ExecutableNotFound as e:
        if isinstance(e, GraphvizNotFound):
            raise
        raise GraphvizNotFound(e.args) from e


class Diagram(graphviz.Digraph):  # type: ignore[misc]
    """A ``graphviz.Digraph`` (shown inline in Jupyter) with :meth:`save`.

    >>> from autograd import Value, draw_graph
    >>> d = draw_graph(Value(2.0, label='x') * 3)
    >>> isinstance(d.source, str), d.save.__name__
    (True, 'save')
    """

    def save(self, path: str | os.PathLike[str] | None = None, directory: Any = None, *,
             skip_existing: bool | None = False, dpi: int | None = None) -> Path:
        """Write the diagram; the format comes from the extension of ``path``.

        ``.svg``, ``.png``, ``.pdf`` are rendered by Graphviz ``dot``; ``.dot``
        (or ``.gv``) writes the DOT source and needs no Graphviz program.
        ``dpi`` sets the resolution of a ``.png`` (Graphviz's default is 96).
        Returns the path written, a :class:`pathlib.Path` (as :func:`save_stepper`
        and :func:`save_frames` do).  An unknown extension is a ``ValueError``.

        Without ``path`` (or with graphviz's ``directory``/``skip_existing``
        arguments, as ``render()`` calls it) this is ``graphviz.Digraph.save``
        (the DOT source), its path returned as a ``Path`` too.
        """
        if path is None or directory is not None or skip_existing is not False:
            return Path(super().save(path, directory=directory, skip_existing=skip_existing))
        target = Path(path)
        fmt = FORMATS.get(target.suffix.lower())
        if fmt is None:
            known = ", ".join(FORMATS)
            raise ValueError(f"save(): cannot tell the format of {str(path)!r} from its "
                             f"extension {target.suffix or '(none)'!r}; use one of {known}")
        if fmt == "dot":
            target.write_text(self.source, encoding="utf-8")
        else:
            graph = self
            if dpi is not None:
                graph = self.copy()
                graph.timeout = self.timeout
                graph.graph_attr["dpi"] = str(int(dpi))
            target.write_bytes(graph.pipe(format=fmt))
        return target

    timeout: float | None = DEFAULT_TIMEOUT
    """Seconds ``dot`` may run before it is stopped (``None``: no limit)."""

    advice: str = DIAGRAM_ADVICE
    """What works without ``dot``, said by :class:`GraphvizNotFound` (the stepper page and
    the slides, which draw diagrams of their own, say what works for them)."""

    def pipe(self, format: str | None = None, renderer: str | None = None,
             formatter: str | None = None, neato_no_op: Any = None, quiet: bool = False, *,
             engine: str | None = None, encoding: str | None = None) -> Any:
        """The diagram rendered by ``dot`` as bytes (str with ``encoding``).

        Runs under :attr:`timeout` and is stopped on Ctrl-C (no ``dot`` is left
        running); a missing ``dot`` is :class:`GraphvizNotFound`.  graphviz's
        ``renderer``/``formatter``/``neato_no_op`` options fall back to
        ``graphviz.Digraph.pipe`` (no timeout there).
        """
        if renderer is not None or formatter is not None or neato_no_op is not None:
            return rendered(super().pipe, format, renderer, formatter, neato_no_op, quiet,
                            engine=engine, encoding=encoding)
        try:
            out = run_graphviz(self.source, format or self.format,
                               engine=engine or self.engine, timeout=self.timeout)
        except FileNotFoundError as e:
            raise GraphvizNotFound((engine or self.engine,), self.advice) from e
        return out.decode(encoding) if encoding is not None else out

    def render(self, filename: Any = None, directory: Any = None, view: bool = False,
               cleanup: bool = False, format: str | None = None, *args: Any,
               **kwargs: Any) -> Any:
        """Write the DOT source and ``<source>.<format>`` next to it; returns the latter
        (a :class:`pathlib.Path`).

        As ``graphviz.Digraph.render``, but through :meth:`pipe` (timeout, no ``dot``
        left behind).  Its rarer options (``view``, ``renderer``, ``outfile`` …) fall
        back to graphviz's own implementation.
        """
        if view or args or kwargs:
            return rendered(super().render, filename, directory, view, cleanup, format,
                            *args, **kwargs)
        fmt = format or self.format
        data = self.pipe(format=fmt)    # first: a failed render writes nothing
        source = Path(super().save(filename, directory=directory))
        target = source.with_name(f"{source.name}.{fmt}")
        target.write_bytes(data)
        if cleanup:
            source.unlink()
        return target

    def svg(self) -> str:
        """The diagram rendered as SVG text."""
        text: str = self.pipe(format="svg", encoding="utf-8")
        return text
