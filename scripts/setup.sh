#!/usr/bin/env bash
# Set up backprop-lab on a Debian or Ubuntu machine, from a clone of this repository.
#
# Usage: bash scripts/setup.sh [MODE]
#
#   demos   (the default) what the classroom demos need: Graphviz's `dot` program (apt) and
#           a .venv with backprop-lab[demos] (matplotlib, tqdm, the graphviz package).
#           No Chromium, no PyTorch, no test tools.
#   test    what the whole test suite needs: Graphviz and Chromium (apt) and a .venv with
#           backprop-lab[test] (pytest, hypothesis, torch==2.13.0, playwright, ruff, mypy,
#           micrograd, and the demos' packages). This is what .ci/run uses.
#   all     every extra, backprop-lab[all], with Graphviz and Chromium.
#   -h, --help   print this help.
#
# What it does, printing each step:
#   1. apt-get installs what is missing: graphviz (`dot`), chromium (test and all only),
#      python3-venv (or the python3.X-venv that matches python3) when python3 has no
#      ensurepip. It uses sudo unless run as root. If another apt or dpkg (for example
#      unattended-upgrades) holds the package lock, it says so and waits up to 5 minutes.
#   2. Makes .venv with python3 -m venv; a half-made .venv (a python that does not run,
#      or no pip) is removed and made again.
#   3. pip install -e ".[MODE]" into .venv, showing pip's progress.
# Safe to run again: it installs only what is missing. Needs Python >= 3.10.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'setup: %s\n' "$*"; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }
usage() { sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; }

mode=demos
case "${1:-}" in
  -h | --help) usage; exit 0 ;;
  "" | demos) mode=demos ;;
  test | all) mode=$1 ;;
  *) printf "setup: error: unknown mode '%s' (choose demos, test or all; see --help)\n" "$1" >&2
     exit 2 ;;
esac
[ "$#" -le 1 ] || { printf 'setup: error: one MODE at most, got: %s (see --help)\n' "$*" >&2; exit 2; }

lock_timeout=300   # seconds to wait for another apt/dpkg to finish

# --- 1. system packages -----------------------------------------------------------------
say "[1/3] system packages for mode '$mode'"
need=()
want_program() {   # want_program PROGRAM PACKAGE: install PACKAGE when PROGRAM is missing
  if command -v "$1" >/dev/null 2>&1; then
    say "  $1: found ($(command -v "$1"))"
  else
    say "  $1: missing, will install the Debian package $2"
    need+=("$2")
  fi
}
want_program dot graphviz
[ "$mode" = demos ] || want_program chromium chromium

venv_works() { [ -x .venv/bin/python ] && .venv/bin/python -m pip --version >/dev/null 2>&1; }
python_new_enough() {
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || die "python3 is $(python3 --version 2>&1); backprop-lab needs Python >= 3.10"
}
venv_pkg=""        # python3-venv or python3.X-venv, decided after apt-get update
if venv_works; then
  say "  .venv: found, with a working python and pip"
else
  if [ -e .venv ]; then
    say "  .venv: half-made (its python does not run or it has no pip); it will be made again"
  fi
  if ! command -v python3 >/dev/null 2>&1; then
    say "  python3: missing, will install the Debian packages python3 and python3-venv"
    need+=(python3 python3-venv)
  elif python_new_enough && python3 -c 'import ensurepip' >/dev/null 2>&1; then
    say "  python3: found ($(command -v python3)), with ensurepip (it can make a venv)"
  else
    say "  python3: found ($(command -v python3)) but without ensurepip, will install its venv package"
    venv_pkg=pending
  fi
fi

if [ "${#need[@]}" -gt 0 ] || [ -n "$venv_pkg" ]; then
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 \
      || die "installing Debian packages needs root: run this as root or install sudo"
    sudo=sudo
  fi

  # apt_get ARGS...: run apt-get with a lock timeout, show its downloads and set-ups, keep the
  # rest in a log and report a failure in one line. apt-get waits for the dpkg lock itself;
  # `apt-get update` fails at once on the lists lock, so that is retried until the timeout.
  apt_get() {
    local log waited=0 err
    log=$(mktemp "${TMPDIR:-/tmp}/setup-apt.XXXXXX")
    while :; do
      if $sudo env DEBIAN_FRONTEND=noninteractive \
          apt-get -q -o DPkg::Lock::Timeout="$lock_timeout" "$@" </dev/null 2>&1 \
          | show_apt "$log"; then
        rm -f "$log"
        return 0
      fi
      if grep -q 'Could not get lock' "$log" && [ "$waited" -lt "$lock_timeout" ]; then
        if [ "$waited" -eq 0 ]; then
          say "waiting for the apt lock (up to ${lock_timeout}s): another apt or dpkg is running:"
          say "  $(grep -m1 'Could not get lock' "$log" | sed 's/^E: //')"
        fi
        sleep 5
        waited=$((waited + 5))
        continue
      fi
      err=$(grep -m1 '^E: ' "$log" || tail -n1 "$log")
      die "apt-get $* failed: ${err#E: } (apt's full output: $log)"
    done
  }
  show_apt() {   # show_apt LOG: copy apt's output to LOG, print progress and lock waits
    local line told=""
    : >"$1"
    while IFS= read -r line || [ -n "$line" ]; do
      printf '%s\n' "$line" >>"$1"
      case $line in
        "Waiting for cache lock"*)
          if [ -z "$told" ]; then
            say "waiting for the dpkg lock (up to ${lock_timeout}s): another apt or dpkg is running:"
            say "  ${line#Waiting for cache lock: }"
            told=1
          fi ;;
        Get:* | "Setting up "*) printf '    %s\n' "$line" ;;
      esac
    done
  }

  say "  apt-get update (as ${sudo:-root}; waits up to ${lock_timeout}s if another apt holds the lock)"
  apt_get update
  if [ "$venv_pkg" = pending ]; then
    pyminor=$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')
    if apt-cache show "python$pyminor-venv" >/dev/null 2>&1; then
      venv_pkg="python$pyminor-venv"
    else
      venv_pkg=python3-venv
    fi
    need+=("$venv_pkg")
  fi
  say "  apt-get install ${need[*]}"
  apt_get install -y "${need[@]}"
  if [ -n "$venv_pkg" ] && ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
    die "python3 ($(command -v python3)) still has no ensurepip after installing $venv_pkg;" \
        "use a python3 that can make a venv (python3 -m venv)"
  fi
else
  say "  nothing to install with apt"
fi

# --- 2. the virtual environment ---------------------------------------------------------
say "[2/3] virtual environment .venv"
if venv_works; then
  say "  .venv is ready"
else
  python_new_enough
  if [ -e .venv ]; then
    say "  removing the half-made .venv"
    rm -rf .venv
  fi
  say "  python3 -m venv .venv ($(python3 --version 2>&1))"
  python3 -m venv .venv || die "python3 -m venv .venv failed (see above)"
  venv_works || die "the new .venv has no working pip (python3 -m venv .venv made it without one)"
fi

# --- 3. the package and its extras ------------------------------------------------------
case $mode in
  demos) what="matplotlib, tqdm, graphviz" ;;
  *) what="torch==2.13.0 is a large download; pip shows its progress" ;;
esac
say "[3/3] pip install -e \".[$mode]\" into .venv ($what)"
.venv/bin/python -m pip install --disable-pip-version-check -e ".[$mode]" \
  || die "pip install -e \".[$mode]\" failed (pip's messages are above)"

say "done in ${SECONDS}s; .venv takes $(du -sh .venv | cut -f1)"
case $mode in
  demos) say "next: .venv/bin/python -m demos.moons   (or: source .venv/bin/activate; python -m demos)" ;;
  *) say "next: .venv/bin/python -m pytest -q   (quick: -m \"not slow and not browser\")" ;;
esac
