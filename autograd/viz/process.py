"""Run Graphviz as a child process: under a timeout, killed on any interruption.

:func:`run_graphviz` feeds DOT text to ``dot`` (or another layout program) and
returns its output.  Unlike a plain ``subprocess.run``, the program runs in its
own process group and is killed with everything it started when the call times
out, is interrupted (Ctrl-C) or fails in any other way, so no ``dot`` is ever left
running after the call returns.  Errors name what went wrong in one sentence.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

from ..validate import real

__all__ = ["DEFAULT_TIMEOUT", "GraphvizError", "GraphvizTimeout", "run_graphviz"]

DEFAULT_TIMEOUT = 60.0
"""Seconds a Graphviz run may take before it is killed (``timeout=`` changes it)."""


class GraphvizError(RuntimeError):
    """Graphviz exited with an error; the message quotes what it printed."""


class GraphvizTimeout(GraphvizError, TimeoutError):
    """Graphviz took longer than the timeout and was killed."""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """Kill the process and its group, then reap it (never raises)."""
    if proc.poll() is None:
        try:
            if hasattr(os, "killpg"):
                os.killpg(proc.pid, signal.SIGKILL)
            else:  # pragma: no cover - Windows
                proc.kill()
        except (ProcessLookupError, PermissionError):
            pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
        pass


def run_graphviz(source: str, fmt: str, *, engine: str = "dot",
                 timeout: float | None = DEFAULT_TIMEOUT) -> bytes:
    """``engine -T<fmt>`` applied to ``source``: the rendered bytes.

    Raises :class:`FileNotFoundError` when the program is not on ``PATH``,
    :class:`GraphvizTimeout` after ``timeout`` seconds (``None``: no limit) and
    :class:`GraphvizError` when it fails.  The program is killed (with its
    process group) whenever the call does not return normally, Ctrl-C included.
    """
    if timeout is not None:
        timeout = real("run_graphviz", "timeout", timeout, low=0, low_open=True)
    data = source.encode("utf-8")
    proc = subprocess.Popen([engine, f"-T{fmt}"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=sys.platform != "win32")
    try:
        out, err = proc.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        raise GraphvizTimeout(
            f"Graphviz '{engine}' took more than {timeout:g} s and was stopped: the graph is "
            "too large or dense to lay out quickly; draw less of it (collapse='neuron', "
            "a smaller part of the graph) or pass a longer timeout=") from None
    finally:
        _kill(proc)   # on Ctrl-C or any other error: no dot left behind
    if proc.returncode != 0:
        text = err.decode("utf-8", "replace").strip()
        lines = text.splitlines()
        shown = "; ".join(lines[:3]) + (f" (+{len(lines) - 3} more lines)"
                                        if len(lines) > 3 else "")
        raise GraphvizError(f"Graphviz '{engine} -T{fmt}' failed with exit status "
                            f"{proc.returncode}: {shown or 'no message'}")
    return out
