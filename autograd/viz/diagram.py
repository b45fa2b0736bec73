"""The returned diagram: a ``graphviz.Digraph`` that saves by file extension.

Imported only when a diagram is drawn, so ``import autograd`` never needs the
``graphviz`` package.  Every rendering path (``save``, ``pipe``, ``render``, the
inline display in Jupyter) turns a missing ``dot`` program into
:class:`GraphvizNotFound`, whose message says how to install Graphviz; the DOT
text stays available as ``diagram.source`` or ``diagram.save("graph.dot")``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import graphviz  # type: ignore[import-untyped]

from .labels import FORMATS

__all__ = ["Diagram", "GraphvizNotFound", "rendered"]

INSTALL_HINT = (
    "the Graphviz program 'dot' was not found on PATH, so the diagram cannot be rendered. "
    "Install Graphviz: 'apt-get install -y graphviz' (Debian/Ubuntu), 'brew install "
    "graphviz' (macOS) or 'conda install graphviz'. The DOT source is still available: "
    "diagram.source, or diagram.save('graph.dot')")


class GraphvizNotFound(graphviz.ExecutableNotFound):  # type: ignore[misc]
    """The ``dot`` program is missing (a ``RuntimeError``, and graphviz's own error)."""

    def __init__(self, cmd: Any = ("dot",)) -> None:
        RuntimeError.__init__(self, INSTALL_HINT)
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
             skip_existing: bool | None = False, dpi: int | None = None) -> Any:
        """Write the diagram; the format comes from the extension of ``path``.

        ``.svg``, ``.png``, ``.pdf`` are rendered by Graphviz ``dot``; ``.dot``
        (or ``.gv``) writes the DOT source and needs no Graphviz program.
        ``dpi`` sets the resolution of a ``.png`` (Graphviz's default is 96).
        Returns the path written.  An unknown extension is a ``ValueError``.

        Without ``path`` (or with graphviz's ``directory``/``skip_existing``
        arguments, as ``render()`` calls it) this is ``graphviz.Digraph.save``.
        """
        if path is None or directory is not None or skip_existing is not False:
            return super().save(path, directory=directory, skip_existing=skip_existing)
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
                graph.graph_attr["dpi"] = str(int(dpi))
            target.write_bytes(graph.pipe(format=fmt))
        return target

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        """``graphviz.Digraph.pipe`` with a clear error when ``dot`` is missing."""
        return rendered(super().pipe, *args, **kwargs)

    def render(self, *args: Any, **kwargs: Any) -> Any:
        """``graphviz.Digraph.render`` with a clear error when ``dot`` is missing."""
        return rendered(super().render, *args, **kwargs)

    def svg(self) -> str:
        """The diagram rendered as SVG text."""
        text: str = self.pipe(format="svg", encoding="utf-8")
        return text
