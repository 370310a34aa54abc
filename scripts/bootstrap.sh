#!/usr/bin/env bash
# Sets up everything the project needs on a fresh Debian machine (as root) or a developer's box:
# the system libraries headless Qt needs, a Python >= 3.12 virtual environment in .venv/, and the
# project with its dev extras. Re-running it is cheap: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 fonts-dejavu-core make)

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
fi
if [ "${#missing[@]}" -gt 0 ]; then
    echo "bootstrap: installing system packages: ${missing[*]}"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The newest Python >= 3.12 that really runs (pyenv shims may exist for versions not activated).
find_python() {
    local candidates=()
    for v in 3.14 3.13 3.12; do
        candidates+=("python$v")
        for d in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$v".*/bin; do
            [ -x "$d/python$v" ] && candidates+=("$d/python$v")
        done
        candidates+=("/usr/bin/python$v" "/usr/local/bin/python$v")
    done
    candidates+=(python3)
    for c in "${candidates[@]}"; do
        if "$c" -c 'import sys, venv; assert sys.version_info >= (3, 11)' >/dev/null 2>&1; then
            command -v "$c" 2>/dev/null || echo "$c"
            return 0
        fi
    done
    echo "bootstrap: no Python >= 3.11 found" >&2
    return 1
}

if [ ! -x .venv/bin/python ]; then
    PY="$(find_python)"
    echo "bootstrap: creating .venv with $PY ($("$PY" --version))"
    "$PY" -m venv .venv
fi

stamp=.venv/.installed-stamp
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "bootstrap: installing the project with its dev and package extras into .venv"
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[dev,package]"
    touch "$stamp"
fi
