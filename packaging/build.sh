#!/usr/bin/env bash
# Builds the one-folder bundle DIST/reservations-desktop/ (default dist/) with PyInstaller, which is
# part of the locked .venv (extra `package`, scripts/bootstrap.sh); prints the time and size. On
# Linux also the tarball and the .deb beside it (docs/packaging.md).
# Usage: packaging/build.sh [DIST_DIR [WORK_DIR]]
set -euo pipefail
cd "$(dirname "$0")/.."

DIST="${1:-dist}"
WORK="${2:-build/pyinstaller}"
PY=.venv/bin/python
BUNDLE="$DIST/reservations-desktop"

if ! "$PY" -c "import PyInstaller" >/dev/null 2>&1; then
    echo "package: setting up .venv from uv.lock (PyInstaller is in the extra 'package')"
    bash scripts/bootstrap.sh
fi

# --clean wipes PyInstaller's cache: one per work folder, so builds running at once (two test
# sessions, a test and `make package`) cannot pull it from under each other.
export PYINSTALLER_CONFIG_DIR="$WORK/cache"
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$DIST" --workpath "$WORK" packaging/reservations-desktop.spec
# Linux desktop integration travels with the bundle; install-desktop-entry.sh registers it.
if [ "$(uname -s)" = Linux ]; then
    install -m 644 packaging/linux/reservations-desktop.desktop "$BUNDLE/"
    install -m 644 packaging/linux/reservations-desktop.svg "$BUNDLE/"
    install -m 755 packaging/linux/install-desktop-entry.sh "$BUNDLE/"
fi
seconds=$(( $(date +%s) - start ))
echo "package: built $BUNDLE in ${seconds}s, $(du -sh "$BUNDLE" | cut -f1)"
# Linux: a tarball of the folder and a .deb (skip both with PACKAGE_ARCHIVES=0).
if [ "$(uname -s)" = Linux ] && [ "${PACKAGE_ARCHIVES:-1}" = 1 ]; then
    version="$("$PY" -c 'from importlib.metadata import version; print(version("reservations-desktop"))')"
    tarball="$DIST/reservations-desktop-$version-linux-$(uname -m).tar.gz"
    tar -C "$DIST" -czf "$tarball" reservations-desktop
    echo "package: $tarball"
    if command -v dpkg-deb >/dev/null 2>&1; then
        bash packaging/linux/build-deb.sh "$BUNDLE" "$DIST" "$version"
    fi
fi
