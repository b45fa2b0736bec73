"""Install hints that work: the command that adds an optional extra to *this* installation.

``backprop-lab`` is installed from a clone of its repository (it is not on the
package index), so ``pip install backprop-lab[plot]`` would fail.  The hint names
the interpreter that is running and the place the package came from:

* running from a clone (``pyproject.toml`` beside the package): with the clone's
  ``.venv`` if that is not the running interpreter, else
  ``python -m pip install -e "<clone>[plot]"``;
* installed from a local folder (PEP 610's ``direct_url.json``):
  ``python -m pip install "<folder>[plot]"``;
* otherwise: ``python -m pip install "backprop-lab[plot]"``.
"""

from __future__ import annotations

import importlib
import json
import shlex
import sys
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

__all__ = ["install_hint", "require"]

_ROOT = Path(__file__).resolve().parent.parent


def _source() -> tuple[Path | None, bool]:
    """Where the package was installed from (a folder, or None) and whether editable."""
    if (_ROOT / "pyproject.toml").is_file() and (_ROOT / "autograd").is_dir():
        return _ROOT, True
    try:
        text = metadata.distribution("backprop-lab").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return None, False
    if not text:
        return None, False
    try:
        info = json.loads(text)
    except ValueError:
        return None, False
    url = urlparse(str(info.get("url", "")))
    if url.scheme != "file":
        return None, False
    return Path(unquote(url.path)), bool(info.get("dir_info", {}).get("editable"))


def install_hint(extra: str) -> str:
    """A shell command that installs the optional ``extra`` (e.g. ``"plot"``) here.

    >>> "[plot]" in install_hint("plot")
    True
    """
    folder, editable = _source()
    python = shlex.quote(sys.executable)
    if folder is None:
        return f"{python} -m pip install 'backprop-lab[{extra}]'"
    venv = folder / ".venv" / "bin" / "python"
    if venv.exists() and Path(sys.prefix).resolve() != (folder / ".venv").resolve():
        return (f"use the project's environment: source {shlex.quote(str(folder / '.venv'))}"
                f"/bin/activate (it has the extras of scripts/setup.sh), or: {python} -m pip "
                f"install -e {shlex.quote(f'{folder}[{extra}]')}")
    flag = "-e " if editable else ""
    return f"{python} -m pip install {flag}{shlex.quote(f'{folder}[{extra}]')}"


def require(module: str, extra: str, who: str, name: str = "") -> Any:
    """Import an optional ``module`` for ``who``, or raise ImportError with the hint that
    installs ``extra`` here: ``require("torch", "torch", "to_torch()", "PyTorch")``."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise ImportError(f"{who} needs {name or module}, which is not installed: "
                          + install_hint(extra)) from e
