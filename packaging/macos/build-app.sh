#!/usr/bin/env bash
# macOS: Reservations.app (the spec's BUNDLE step wraps the one-folder bundle) and a .dmg.
# Run from the repository root on a Mac with Python 3.12+ and uv:
#   bash packaging/macos/build-app.sh
# Signing and notarization (needed to open it without a warning) when SIGN_IDENTITY is set:
#   SIGN_IDENTITY="Developer ID Application: Example (TEAMID)" NOTARY_PROFILE=notary bash ...
set -euo pipefail
cd "$(dirname "$0")/../.."
uv sync --frozen --extra package
version="$(.venv/bin/python -c 'from importlib.metadata import version; print(version("reservations-desktop"))')"
.venv/bin/python -m PyInstaller --noconfirm --clean --distpath dist --workpath build/pyinstaller \
    packaging/reservations-desktop.spec
app="dist/Reservations.app"
if [ -n "${SIGN_IDENTITY:-}" ]; then
    codesign --force --deep --options runtime --timestamp --sign "$SIGN_IDENTITY" "$app"
fi
dmg="dist/reservations-desktop-$version-macos.dmg"
hdiutil create -volname Reservations -srcfolder "$app" -ov -format UDZO "$dmg"
if [ -n "${SIGN_IDENTITY:-}" ] && [ -n "${NOTARY_PROFILE:-}" ]; then
    xcrun notarytool submit "$dmg" --keychain-profile "$NOTARY_PROFILE" --wait
    xcrun stapler staple "$dmg"
fi
echo "package: $dmg"
