#!/usr/bin/env bash
# Set up everything on a fresh Debian/Ubuntu machine, from a clone of this repository:
#   * Debian packages: graphviz (the `dot` program) and chromium (browser tests),
#   * a virtual environment in .venv with the package and its extras.
# Usage: bash scripts/setup.sh [EXTRAS]     (default EXTRAS: all)
# Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-all}"

need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
python3 -m venv --help >/dev/null 2>&1 || need+=(python3-venv)
if [ "${#need[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${need[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating the virtual environment .venv"
  python3 -m venv .venv
fi
echo "setup: installing backprop-lab[$extras] into .venv (torch is pinned to 2.13.0, CPU)"
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$extras]"
echo "setup: done"
