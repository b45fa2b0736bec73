"""The engine and network tests on every supported Python (3.10 … 3.13) found here.

``requires-python >= 3.10``: the tests below re-run the engine's and the networks'
test files under each other interpreter (pyenv's ``~/.pyenv/versions/3.X.*`` or a
``python3.X`` on the PATH), all at once, each in a small virtual environment of
its own kept under ``.venv/pythons/`` (pytest and hypothesis only: no torch, so
those cross-checks skip).  A missing interpreter
is a skip with a message, and a failure under ``CI=true``, where all must exist.
The first run builds the environments (pip, about half a minute); later runs
only test (about 20 s for the three).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.environ.get("AUTOGRAD_PYTHONS", ROOT / ".venv" / "pythons"))
VERSIONS = ("3.10", "3.11", "3.12", "3.13")
OTHERS = [v for v in VERSIONS if v != f"{sys.version_info[0]}.{sys.version_info[1]}"]
TESTS = ["test_value.py", "test_ops.py", "test_properties.py", "test_higher_order.py",
         "test_anomaly.py", "test_threads.py", "test_engine_hardening.py", "test_define_op.py",
         "test_nn.py", "test_losses.py", "test_optim.py", "test_serialization.py",
         "test_compile.py", "test_module_cache.py", "test_collector.py"]
TOOLS = ["pytest>=7", "hypothesis>=6"]   # pyproject's test extra; pip picks what each supports
CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def find_python(version: str) -> Path | None:
    """An interpreter for ``version`` (``'3.12'``): pyenv's first, then the PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    for candidate in sorted(pyenv.glob(f"{version}.*"), reverse=True):
        exe = candidate / "bin" / "python3"
        if exe.is_file() and candidate.name.replace(".", "").isdigit():
            return exe
    found = shutil.which(f"python{version}")
    return Path(found) if found else None


def environment(version: str, python: Path) -> Path:
    """The cached virtual environment of ``version`` with the test tools (made once)."""
    home = CACHE / version
    stamp = home / ("ready-" + "-".join(TOOLS).replace(">=", "_"))
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / f"{version}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)       # another test run may be building it too
        if not stamp.exists():
            shutil.rmtree(home, ignore_errors=True)
            subprocess.run([str(python), "-m", "venv", str(home)], check=True,
                           capture_output=True, timeout=120)
            subprocess.run([str(home / "bin" / "python"), "-m", "pip", "install", "-q",
                            "--disable-pip-version-check", *TOOLS], check=True,
                           capture_output=True, timeout=300)
            stamp.touch()
    return home / "bin" / "python"


def _unavailable(why: str) -> None:
    if CI:
        pytest.fail(f"CI=true: {why}")
    pytest.skip(why)


@pytest.fixture(scope="module")
def runs() -> Iterator[dict[str, subprocess.Popen[str] | str]]:
    """Every other interpreter's test run, started at once (a reason string if it cannot)."""
    started: dict[str, subprocess.Popen[str] | str] = {}
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    for version in OTHERS:
        python = find_python(version)
        if python is None:
            started[version] = f"Python {version} is not installed (pyenv or python{version})"
            continue
        try:
            venv_python = environment(version, python)
        except (subprocess.SubprocessError, OSError) as e:
            detail = getattr(e, "stderr", b"") or b""
            started[version] = (f"cannot build a test environment for Python {version}: {e} "
                                f"{detail.decode(errors='replace')[-300:]}")
            continue
        started[version] = subprocess.Popen(
            [str(venv_python), "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "not slow",
             *[f"tests/{name}" for name in TESTS]],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    yield started
    for proc in started.values():
        if isinstance(proc, subprocess.Popen) and proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("version", OTHERS)
def test_engine_and_network_tests_pass_on(version: str,
                                          runs: dict[str, subprocess.Popen[str] | str]) -> None:
    proc = runs[version]
    if isinstance(proc, str):
        _unavailable(proc)
        return
    out, _ = proc.communicate(timeout=300)
    tail = "\n".join(out.strip().splitlines()[-25:])
    assert proc.returncode == 0, f"Python {version}:\n{tail}"
    assert " passed" in tail and " error" not in tail, tail


def test_the_list_of_test_files_exists() -> None:
    missing = [name for name in TESTS if not (ROOT / "tests" / name).is_file()]
    assert not missing
