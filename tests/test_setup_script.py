"""scripts/setup.sh's decisions, checked on a fake machine: stub `apt-get`, `apt-cache`, `sudo`,
`id`, `python3`, `sleep`, `dot` and `chromium` on PATH record their calls in a log, and the
stub `python3 -m venv` makes a stub `.venv/bin/python` that records pip calls, so nothing is
installed for real and each test takes a fraction of a second."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "setup.sh"
BASH = shutil.which("bash")

pytestmark = pytest.mark.skipif(BASH is None, reason="needs bash")

# Real programs the script (and the stubs) may use; everything else on PATH is a stub.
TOOLS = ["bash", "cat", "chmod", "cut", "dirname", "du", "env", "grep", "mkdir", "mktemp", "rm",
         "sed", "tail", "touch"]

LOCK_LINE = ("Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 4242 "
             "(unattended-upgr)...")

# The stubs. $LOG is the call log, $STATE a directory of flag files that set the machine up.
STUBS = {
    "apt-get": r"""
echo "apt-get $*" >> "$LOG"
case " $* " in
  *" update "*)
    if [ -e "$STATE/lists-lock-once" ]; then
      rm "$STATE/lists-lock-once"
      echo "E: Could not get lock /var/lib/apt/lists/lock. It is held by process 77 (apt-get)" >&2
      exit 100
    fi
    echo "Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]"
    exit 0 ;;
esac
if [ -e "$STATE/apt-fails" ]; then
  echo "Reading package lists..."
  echo "E: Unable to locate package chromium" >&2
  echo "E: Another error that is not the first" >&2
  exit 100
fi
if [ -e "$STATE/dpkg-lock" ]; then
  for i in 1 2 3; do
    echo "Waiting for cache lock: LOCK_LINE"
  done
fi
for pkg in "$@"; do
  case $pkg in
    graphviz) make_program dot ;;
    chromium) make_program chromium ;;
    python3-venv | python3.*-venv) touch "$STATE/ensurepip" ;;
  esac
  case $pkg in -*) ;; *) echo "Setting up $pkg (1.0) ..." ;; esac
done
""".replace("LOCK_LINE", LOCK_LINE),
    "apt-cache": r"""
echo "apt-cache $*" >> "$LOG"
[ "$1 $2" = "show python3.11-venv" ] && [ -e "$STATE/versioned-venv" ] && exit 0
echo "E: No packages found" >&2
exit 100
""",
    "sudo": r"""
echo "sudo $*" >> "$LOG"
exec "$@"
""",
    "id": r"""
[ "$1" = -u ] && cat "$STATE/uid"
""",
    "sleep": r"""
echo "sleep $*" >> "$LOG"
""",
    "python3": r"""
echo "python3 $*" >> "$LOG"
case "$1" in
  --version) [ -e "$STATE/python3.9" ] && echo "Python 3.9.2" || echo "Python 3.11.2" ;;
  -c)
    case "$2" in
      *ensurepip*)
        [ -e "$STATE/ensurepip" ] && exit 0
        echo "ModuleNotFoundError: No module named 'ensurepip'" >&2; exit 1 ;;
      *"version_info[:2]"*) echo 3.11 ;;
      *"version_info <"*) [ ! -e "$STATE/python3.9" ] ;;
      *) exit 0 ;;
    esac ;;
  -m)
    [ "$2" = venv ] || exit 1
    make_venv "$3"
    if [ ! -e "$STATE/ensurepip" ]; then
      echo "The virtual environment was not created: ensurepip is not available." >&2
      exit 1
    fi
    touch "$3/bin/pip" ;;
esac
""",
}

# What `python3 -m venv` writes as .venv/bin/python: pip works once .venv/bin/pip exists.
VENV_PYTHON = r"""#!/bin/bash
echo "venv-python $*" >> "$LOG"
[ -e "$(dirname "$0")/pip" ] || { echo "No module named pip" >&2; exit 1; }
exit 0
"""

HELPERS = r"""
make_program() {
  printf '#!/bin/bash\necho "%s $*" >> "$LOG"\n' "$1" > "$STUBS/$1"; chmod +x "$STUBS/$1"
}
make_venv() { mkdir -p "$1/bin"; cp_venv_python "$1/bin/python"; }
cp_venv_python() { cat "$STATE/venv-python" > "$1"; chmod +x "$1"; }
"""


class Machine:
    """A temp copy of the repository's script on a machine made of stubs."""

    def __init__(self, tmp_path: Path, *, dot: bool = True, chromium: bool = True,
                 ensurepip: bool = True, root: bool = False) -> None:
        self.repo = tmp_path / "repo"
        (self.repo / "scripts").mkdir(parents=True)
        shutil.copy(SCRIPT, self.repo / "scripts" / "setup.sh")
        self.stubs = tmp_path / "stubs"
        self.tools = tmp_path / "tools"
        self.state = tmp_path / "state"
        for d in (self.stubs, self.tools, self.state):
            d.mkdir()
        self.log = tmp_path / "calls.log"
        self.log.touch()
        for tool in TOOLS:
            found = shutil.which(tool)
            assert found, f"the test needs {tool} on PATH"
            (self.tools / tool).symlink_to(found)
        helpers = self.state / "helpers.sh"
        helpers.write_text(HELPERS)
        (self.state / "venv-python").write_text(VENV_PYTHON)
        (self.state / "uid").write_text("0\n" if root else "1000\n")
        for name, body in STUBS.items():
            self._write_stub(name, f'#!/bin/bash\n. "$STATE/helpers.sh"\n{body}')
        for name, present in (("dot", dot), ("chromium", chromium)):
            if present:
                self._write_stub(name, f'#!/bin/bash\necho "{name} $*" >> "$LOG"\n')
        if ensurepip:
            self.flag("ensurepip")

    def _write_stub(self, name: str, text: str) -> None:
        path = self.stubs / name
        path.write_text(text)
        path.chmod(0o755)

    def flag(self, name: str) -> None:
        (self.state / name).touch()

    def make_venv(self, *, pip: bool) -> Path:
        """A .venv left by an earlier run: with pip (healthy) or without (half-made)."""
        bin_dir = self.repo / ".venv" / "bin"
        bin_dir.mkdir(parents=True)
        python = bin_dir / "python"
        python.write_text(VENV_PYTHON)
        python.chmod(0o755)
        if pip:
            (bin_dir / "pip").touch()
        stale = self.repo / ".venv" / "left-by-an-earlier-run"
        stale.touch()
        return stale

    def run(self, *args: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
        env = {"PATH": f"{self.stubs}:{self.tools}", "LOG": str(self.log),
               "STATE": str(self.state), "STUBS": str(self.stubs),
               "TMPDIR": str(self.state), "HOME": str(self.state), "LC_ALL": "C"}
        assert BASH is not None
        result = subprocess.run([BASH, str(self.repo / "scripts" / "setup.sh"), *args],
                                cwd=self.state, env=env, capture_output=True, text=True,
                                timeout=60)
        return result, self.log.read_text().splitlines()


def calls_of(calls: list[str], program: str) -> list[str]:
    return [c for c in calls if c.split(" ", 1)[0] == program]


def apt_installs(calls: list[str]) -> list[str]:
    """The packages of every `apt-get ... install ...` call."""
    packages = []
    for call in calls_of(calls, "apt-get"):
        words = call.split()
        if "install" in words:
            packages += [w for w in words[words.index("install") + 1:] if not w.startswith("-")]
    return packages


def pip_installs(calls: list[str]) -> list[str]:
    return [c for c in calls_of(calls, "venv-python") if " -m pip install " in f"{c} "]


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def test_everything_present_means_no_apt_call(tmp_path):
    machine = Machine(tmp_path)
    machine.make_venv(pip=True)
    out = ok(machine.run("test")[0])
    calls = machine.log.read_text().splitlines()
    assert not calls_of(calls, "apt-get") and not calls_of(calls, "apt-cache")
    assert not calls_of(calls, "sudo")
    assert not [c for c in calls_of(calls, "python3") if " venv " in f"{c} "]  # .venv kept
    assert pip_installs(calls) == ["venv-python -m pip install --disable-pip-version-check "
                                   "-e .[test]"]
    assert "nothing to install with apt" in out


def test_fresh_machine_with_python_but_no_venv(tmp_path):
    machine = Machine(tmp_path)
    result, calls = machine.run()
    out = ok(result)
    assert not calls_of(calls, "apt-get")
    assert "python3 -m venv .venv" in calls
    assert (machine.repo / ".venv" / "bin" / "python").exists()
    assert pip_installs(calls) == ["venv-python -m pip install --disable-pip-version-check "
                                   "-e .[demos]"]
    # each step is announced, and pip is not silenced
    for step in ("[1/3]", "[2/3]", "[3/3]", "done in"):
        assert f"setup: {step}" in out
    assert " -q" not in pip_installs(calls)[0]


def test_missing_ensurepip_installs_the_versioned_venv_package(tmp_path):
    machine = Machine(tmp_path, ensurepip=False)
    machine.flag("versioned-venv")                   # apt offers python3.11-venv
    result, calls = machine.run()
    out = ok(result)
    assert "python3 -c import ensurepip" in calls    # checked with ensurepip, not `venv --help`
    assert not [c for c in calls if "venv --help" in c]
    assert apt_installs(calls) == ["python3.11-venv"]
    # the venv is made after the package is in, and it works
    assert calls.index("python3 -m venv .venv") > max(
        i for i, c in enumerate(calls) if c.startswith("apt-get") and " install " in c)
    assert pip_installs(calls)
    assert "without ensurepip" in out


def test_missing_ensurepip_falls_back_to_python3_venv(tmp_path):
    machine = Machine(tmp_path, ensurepip=False)     # apt knows no python3.11-venv
    result, calls = machine.run()
    ok(result)
    assert "apt-cache show python3.11-venv" in calls
    assert apt_installs(calls) == ["python3-venv"]


def test_ensurepip_still_missing_after_apt_is_a_clear_error(tmp_path):
    machine = Machine(tmp_path, ensurepip=False)
    # python3-venv installs, but this python3 still has no ensurepip (say, a self-built one)
    apt = machine.stubs / "apt-get"
    apt.write_text(apt.read_text().replace('touch "$STATE/ensurepip"', ":"))
    result, calls = machine.run()
    assert result.returncode != 0
    assert "still has no ensurepip after installing python3-venv" in result.stderr
    assert not [c for c in calls if " venv " in f"{c} "]


def test_too_old_python_stops_before_apt(tmp_path):
    machine = Machine(tmp_path, ensurepip=False, dot=False)
    machine.flag("python3.9")
    result, calls = machine.run()
    assert result.returncode != 0
    assert "python3 is Python 3.9.2; backprop-lab needs Python >= 3.10" in result.stderr
    assert not calls_of(calls, "apt-get") and not pip_installs(calls)


def test_last_apt_line_without_a_newline_is_kept(tmp_path):
    machine = Machine(tmp_path, chromium=False)
    machine.flag("apt-fails")
    apt = machine.stubs / "apt-get"
    apt.write_text(apt.read_text().replace(
        'echo "E: Unable to locate package chromium" >&2\n  echo "E: Another error that is not '
        'the first" >&2', 'printf "E: Unable to locate package chromium" >&2'))
    result, _ = machine.run("test")
    assert "failed: Unable to locate package chromium (apt's full output" in result.stderr


def test_half_made_venv_is_removed_and_made_again(tmp_path):
    machine = Machine(tmp_path)
    stale = machine.make_venv(pip=False)             # .venv/bin/python exists, pip does not
    result, calls = machine.run()
    out = ok(result)
    assert "half-made" in out
    assert not stale.exists(), "the half-made .venv was kept"
    assert "python3 -m venv .venv" in calls
    assert (machine.repo / ".venv" / "bin" / "pip").exists()
    assert pip_installs(calls)


def test_venv_whose_python_does_not_run_is_made_again(tmp_path):
    machine = Machine(tmp_path)
    stale = machine.make_venv(pip=True)
    (machine.repo / ".venv" / "bin" / "python").write_text("#!/nonexistent/python3.9\n")
    result, calls = machine.run()
    ok(result)
    assert not stale.exists()
    assert "python3 -m venv .venv" in calls


def test_demo_mode_asks_for_graphviz_but_not_chromium_or_torch(tmp_path):
    machine = Machine(tmp_path, dot=False, chromium=False)
    result, calls = machine.run("demos")
    ok(result)
    assert apt_installs(calls) == ["graphviz"]
    assert not [c for c in calls if "chromium" in c]
    assert pip_installs(calls) == ["venv-python -m pip install --disable-pip-version-check "
                                   "-e .[demos]"]


def test_default_mode_is_demos(tmp_path):
    machine = Machine(tmp_path, chromium=False)
    result, calls = machine.run()
    ok(result)
    assert not calls_of(calls, "apt-get")
    assert pip_installs(calls)[0].endswith("-e .[demos]")


@pytest.mark.parametrize("mode", ["test", "all"])
def test_test_and_all_modes_ask_for_chromium_and_graphviz(tmp_path, mode):
    machine = Machine(tmp_path, dot=False, chromium=False)
    result, calls = machine.run(mode)
    ok(result)
    assert sorted(apt_installs(calls)) == ["chromium", "graphviz"]
    assert pip_installs(calls)[0].endswith(f"-e .[{mode}]")


def test_demos_extra_holds_no_torch_browser_or_test_tools():
    tomllib = pytest.importorskip("tomllib")
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"]
    names = {req.split("=")[0].split(">")[0].split("[")[0].strip() for req in extras["demos"]}
    assert names == {"graphviz", "matplotlib", "tqdm"}
    test_names = {req.split("=")[0].split(">")[0].strip() for req in extras["test"]}
    assert names <= test_names                       # the suite runs the demos too
    assert {"torch", "playwright", "pytest"} <= test_names


def test_apt_runs_with_sudo_unless_root(tmp_path):
    machine = Machine(tmp_path, dot=False)
    result, calls = machine.run()
    ok(result)
    assert calls_of(calls, "sudo")
    assert all(c.startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get ")
               for c in calls_of(calls, "sudo"))

    machine = Machine(tmp_path / "as-root", dot=False, root=True)
    result, calls = machine.run()
    ok(result)
    assert not calls_of(calls, "sudo") and apt_installs(calls) == ["graphviz"]


def test_no_root_and_no_sudo_is_a_clear_error(tmp_path):
    machine = Machine(tmp_path, dot=False)
    (machine.stubs / "sudo").unlink()
    result, calls = machine.run()
    assert result.returncode != 0
    assert "needs root" in result.stderr
    assert not calls_of(calls, "apt-get")


def test_held_dpkg_lock_waits_with_a_timeout_and_says_so(tmp_path):
    machine = Machine(tmp_path, dot=False)
    machine.flag("dpkg-lock")                        # apt-get reports that it is waiting
    result, calls = machine.run()
    out = ok(result)
    apt = calls_of(calls, "apt-get")
    assert apt and all("-o DPkg::Lock::Timeout=300 " in c for c in apt)
    assert out.count("waiting for the dpkg lock (up to 300s)") == 1
    assert "held by process 4242 (unattended-upgr)" in out
    assert apt_installs(calls) == ["graphviz"]


def test_held_lists_lock_is_retried_and_said(tmp_path):
    machine = Machine(tmp_path, dot=False)
    machine.flag("lists-lock-once")                  # `apt-get update` fails once on the lock
    result, calls = machine.run()
    out = ok(result)
    updates = [c for c in calls_of(calls, "apt-get") if c.endswith(" update")]
    assert len(updates) == 2
    assert "sleep 5" in calls
    assert "waiting for the apt lock" in out and "held by process 77" in out
    assert apt_installs(calls) == ["graphviz"]


def test_apt_failure_is_one_clear_line(tmp_path):
    machine = Machine(tmp_path, chromium=False)
    machine.flag("apt-fails")
    result, calls = machine.run("test")
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("setup: error:")]
    assert len(errors) == 1
    assert "apt-get install -y chromium failed: Unable to locate package chromium" in errors[0]
    assert "Another error" not in result.stdout + result.stderr
    assert not pip_installs(calls) and not calls_of(calls, "sleep")


def test_help_and_bad_mode(tmp_path):
    machine = Machine(tmp_path)
    result, calls = machine.run("--help")
    assert result.returncode == 0 and not calls
    for mode in ("demos", "test", "all"):
        assert f"  {mode} " in result.stdout
    assert "Usage: bash scripts/setup.sh [MODE]" in result.stdout

    result, calls = machine.run("everything")
    assert result.returncode == 2 and not calls
    assert "unknown mode 'everything'" in result.stderr


def test_readme_and_ci_use_the_modes():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci == "bash scripts/setup.sh test && .venv/bin/python -m pytest -q"
    assert ci in readme
    assert "bash scripts/setup.sh && .venv/bin/python -m demos.moons" in readme


def test_script_is_valid_bash():
    assert BASH is not None
    subprocess.run([BASH, "-n", str(SCRIPT)], check=True)
