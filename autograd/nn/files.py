"""Model files on disk, defensively: bounded reads of regular files, strict JSON, atomic writes.

Reading (:func:`read_json`):

* only a **regular file** is read: the path is checked with ``stat`` before it is
  opened (a FIFO, a device such as ``/dev/zero``, a directory are refused and never
  opened), opened with ``O_NONBLOCK`` and checked again on the open descriptor, so a
  file swapped for a FIFO in between cannot block either;
* at most ``max_bytes`` are read (a larger file is refused before reading);
* the bytes must be UTF-8 (a UTF-8 byte-order mark is allowed);
* the JSON must not repeat a key in any object, nest deeper than Python can parse,
  or hold a number literal longer than :data:`MAX_NUMBER_CHARS` characters.

Every refusal is a ``ValueError`` whose message starts with the caller's name
(``"load: …"``); a missing file is still ``FileNotFoundError``.

Writing (:func:`atomic_write`) goes to a temporary file beside the target and is
renamed over it (``os.replace``), so readers see the old file or the new one, never
half of one.  A symlink is followed: its target is updated and the link kept.  A
target that exists but is not a regular file (device, FIFO, directory) is refused.
An existing file keeps its permission bits (and, where allowed, its owner); a new
file gets ``0o666`` minus the umask, like ``open(path, "w")``.  The temporary file is
removed on every error Python sees; one left by a killed process (its name holds the
writer's process id) is removed by the next write to the same target.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import secrets
import stat
from typing import Any

__all__ = ["MAX_NUMBER_CHARS", "atomic_write", "clear_stale", "read_bytes", "read_json"]

MAX_NUMBER_CHARS = 100
"""Longest number literal accepted in a JSON file (characters); ``repr`` of a float
needs at most 24."""

_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def _require_regular(st: os.stat_result, who: str, name: str) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = next((k for test, k in _KINDS if test(st.st_mode)), "a special file")
        raise ValueError(f"{who}: {name!r} is {kind}, not a regular file")


def _path(who: str, path: Any) -> str:
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{who}: path must be a str or os.PathLike, got "
                        f"{type(path).__name__}")
    name = os.fspath(path)
    if not isinstance(name, str):
        raise TypeError(f"{who}: path must be a str path, got {type(name).__name__}")
    return name


def read_bytes(who: str, path: Any, max_bytes: int) -> bytes:
    """The contents of the regular file ``path``, at most ``max_bytes`` of them."""
    name = _path(who, path)
    _require_regular(os.stat(name), who, name)       # never opens a FIFO or a device
    fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        _require_regular(st, who, name)               # swapped after the stat: still refused
        if st.st_size > max_bytes:
            raise ValueError(f"{who}: {name!r} has {st.st_size:,} bytes, more than the "
                             f"{max_bytes:,} allowed")
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:                      # grew while being read
                raise ValueError(f"{who}: {name!r} has more than the {max_bytes:,} bytes "
                                 "allowed")
        return b"".join(chunks)
    finally:
        os.close(fd)


class _Refused(ValueError):
    """A JSON document that parses but breaks one of the rules above."""


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Refused(f"the key {key[:80]!r} appears twice in one object")
        out[key] = value
    return out


def _number(kind: type[int] | type[float]) -> Any:
    def parse(text: str) -> int | float:
        if len(text) > MAX_NUMBER_CHARS:
            raise _Refused(f"a number literal has {len(text):,} characters (at most "
                           f"{MAX_NUMBER_CHARS}): {text[:20]}…")
        return kind(text)
    return parse


def read_json(who: str, path: Any, max_bytes: int) -> Any:
    """Parse the regular file ``path`` (at most ``max_bytes``) as strict UTF-8 JSON."""
    data = read_bytes(who, path, max_bytes)
    name = os.fspath(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ValueError(f"{who}: {name!r} is not UTF-8 text (byte {e.start} is "
                         f"{data[e.start:e.start + 1]!r}); is it a binary or UTF-16 "
                         "file?") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_int=_number(int),
                          parse_float=_number(float))
    except _Refused as e:
        raise ValueError(f"{who}: {name!r} is refused: {e}") from None
    except json.JSONDecodeError as e:
        raise ValueError(f"{who}: {name!r} is not valid JSON ({e})") from None
    except RecursionError:
        raise ValueError(f"{who}: {name!r} is nested too deeply to be a model file") from None


# -- writing -----------------------------------------------------------------------------
def _temp_pattern(base: str) -> re.Pattern[str]:
    return re.compile(rf"\.{re.escape(base)}\.(\d+)\.[0-9a-f]+\.tmp")


def _alive(pid: int) -> bool:
    if pid == os.getpid() or os.name != "posix":   # (Windows' os.kill would kill it)
        return True                   # another thread of this process may be writing
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True                   # someone else's process (or not a pid): leave it
    return True


def clear_stale(directory: str, base: str) -> list[str]:
    """Remove the temporary files of target ``base`` whose writer process is gone."""
    pattern, removed = _temp_pattern(base), []
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            m = pattern.fullmatch(entry.name)
            if m and not _alive(int(m.group(1))) and entry.is_file(follow_symlinks=False):
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(entry.path)
    return removed


def _target(who: str, path: Any) -> tuple[str, os.stat_result | None]:
    """The file to replace (symlinks resolved) and its stat, None if it does not exist."""
    real = os.path.realpath(_path(who, path))
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real, None
    _require_regular(st, who, os.fspath(path))
    return real, st


def atomic_write(who: str, path: Any, text: str) -> None:
    """Replace the file at ``path`` (through symlinks) by ``text`` (UTF-8), atomically."""
    real, st = _target(who, path)
    directory, base = os.path.split(real)
    clear_stale(directory, base)
    mode = 0o666 if st is None else stat.S_IMODE(st.st_mode)   # the umask applies to both
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    tmp = os.path.join(directory, f".{base}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, flags, mode & 0o777)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            if st is not None:
                _keep_owner_and_mode(f.fileno(), st)
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _sync_directory(directory)


def _keep_owner_and_mode(fd: int, st: os.stat_result) -> None:
    """Give the new file the old one's owner (if permitted) and permission bits."""
    if hasattr(os, "fchown") and (st.st_uid, st.st_gid) != (os.geteuid(), os.getegid()):
        with contextlib.suppress(OSError):
            os.fchown(fd, st.st_uid, st.st_gid)
    if hasattr(os, "fchmod"):
        os.fchmod(fd, stat.S_IMODE(st.st_mode))


def _sync_directory(directory: str) -> None:
    """Make the rename durable (best effort; not possible everywhere)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
