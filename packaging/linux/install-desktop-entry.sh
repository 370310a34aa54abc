#!/usr/bin/env sh
# Registers the bundle this script sits in with the desktop for the current user: a launcher in
# ~/.local/bin, the menu entry and the icon under ~/.local/share. Run it again after moving the bundle.
set -eu
here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$HOME/.local/bin" "$data/applications" "$data/icons/hicolor/scalable/apps"
ln -sf "$here/reservations-desktop" "$HOME/.local/bin/reservations-desktop"
sed "s|^Exec=.*|Exec=\"$here/reservations-desktop\"|" "$here/reservations-desktop.desktop" \
    > "$data/applications/reservations-desktop.desktop"
cp "$here/reservations-desktop.svg" "$data/icons/hicolor/scalable/apps/reservations-desktop.svg"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q "$data/applications" || true
echo "installed: $data/applications/reservations-desktop.desktop"
