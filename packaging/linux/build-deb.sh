#!/usr/bin/env bash
# A .deb of the bundle (packaging/build.sh calls it): the bundle in /opt/reservations-desktop,
# `reservations-desktop` on the PATH, and the desktop entry, icon and AppStream metadata under the
# app id org.reservations.Desktop. Usage: packaging/linux/build-deb.sh BUNDLE_DIR OUT_DIR VERSION
set -euo pipefail
bundle="$1"; out="$2"; version="$3"
here="$(cd "$(dirname "$0")" && pwd)"
app_id=org.reservations.Desktop
arch="$(dpkg --print-architecture)"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT

install -d "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
    "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/metainfo" "$root/DEBIAN"
cp -a "$bundle" "$root/opt/reservations-desktop"
# The bundle's own per-user installer and entry are for the tarball; the package has its own.
rm -f "$root/opt/reservations-desktop/install-desktop-entry.sh" \
    "$root/opt/reservations-desktop/reservations-desktop.desktop" \
    "$root/opt/reservations-desktop/reservations-desktop.svg"
ln -s /opt/reservations-desktop/reservations-desktop "$root/usr/bin/reservations-desktop"
sed -e "s|^Icon=.*|Icon=$app_id|" "$here/reservations-desktop.desktop" \
    > "$root/usr/share/applications/$app_id.desktop"
install -m 644 "$here/reservations-desktop.svg" \
    "$root/usr/share/icons/hicolor/scalable/apps/$app_id.svg"
install -m 644 "$here/$app_id.metainfo.xml" "$root/usr/share/metainfo/$app_id.metainfo.xml"
size_kb="$(du -sk "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: reservations-desktop
Version: $version
Architecture: $arch
Maintainer: Reservations maintainers <maintainers@reservations.invalid>
Installed-Size: $size_kb
Depends: libc6, libegl1, libgl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libfreetype6, libdbus-1-3, libglib2.0-0, libx11-6, libx11-xcb1, libxcb1, libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, libxcb-image0, libxcb-randr0, libxcb-render-util0, libxcb-render0, libxcb-shape0, libxcb-shm0, libxcb-sync1, libxcb-util1, libxcb-xfixes0, libxcb-xkb1
Section: office
Priority: optional
Homepage: https://reservations.invalid/
Description: Run your day's bookings, synced in real time
 Reservations is a desktop app for masters (barbers, tutors, therapists) whose
 customers book time with them: on one computer, or with a shared booking
 server, synced in real time. Includes the embedded booking server.
CONTROL
mkdir -p "$out"
deb="$out/reservations-desktop_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$deb" >/dev/null
echo "package: $deb"
