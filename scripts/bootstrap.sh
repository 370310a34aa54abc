#!/usr/bin/env bash
# Sets up everything the project needs on a fresh Debian machine (as root) or a developer's box:
# the system libraries Qt needs (offscreen and on a real X display), Xvfb and Chromium for the
# tests, a virtual environment in .venv/ holding exactly the versions of uv.lock, and the project
# with its dev, scale and package extras. Re-running it is cheap: each step is skipped when done.
set -euo pipefail
cd "$(dirname "$0")/.."

# Qt's offscreen and xcb platform plugins (every library `ldd` lists for libqxcb.so and
# libQt6XcbQpa.so), fonts, make; Xvfb and xdotool for the tests that run the app on a real X server.
APT_PACKAGES=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
    libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
    libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1
    libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libxcb-glx0 libxkbcommon-x11-0
    fonts-dejavu-core make xvfb xauth xdotool desktop-file-utils chromium chromium-driver)

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

# axe-core for the browser accessibility test (tests/web; test-only, never served). A machine
# without npm gets Debian's (one that has Node.js and npm already keeps them).
if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
    echo "bootstrap: installing npm (Debian) for the browser tests' axe-core"
    if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends npm
fi
if command -v npm >/dev/null 2>&1 && { [ ! -f tests/web/node_modules/.package-lock.json ] \
    || [ tests/web/package-lock.json -nt tests/web/node_modules/.package-lock.json ]; }; then
    npm ci --prefix tests/web --ignore-scripts --no-audit --no-fund --loglevel=error
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

# uv installs exactly what uv.lock says (every package, direct and transitive, with its hashes).
# uv itself is pinned by hash in scripts/uv-requirements.txt and lives in .tools/, outside the venv
# it manages.
UV=.tools/bin/uv
if [ ! -x "$UV" ] || ! cmp -s scripts/uv-requirements.txt .tools/.uv-requirements.txt; then
    PY="$(find_python)"
    echo "bootstrap: installing uv into .tools with $PY"
    rm -rf .tools
    "$PY" -m venv .tools
    .tools/bin/python -m pip install -q --no-deps --require-hashes -r scripts/uv-requirements.txt
    cp scripts/uv-requirements.txt .tools/.uv-requirements.txt
fi

# Never let uv fetch a Python of its own: the machine's interpreter found above is used.
export UV_PYTHON_DOWNLOADS=never
stamp=.venv/.installed-stamp
if [ ! -f "$stamp" ] || [ uv.lock -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ] \
    || [ ! -x .venv/bin/python ]; then
    PY="$(find_python)"
    echo "bootstrap: installing the locked environment into .venv ($("$PY" --version))"
    # --frozen: install the lock as it is; a pyproject.toml that no longer matches it is an error
    # (`make lock` moves versions), never a silent re-resolve.
    "$UV" sync --frozen --python "$PY" --extra dev --extra scale --extra package
    touch "$stamp"
fi
