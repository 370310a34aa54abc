"""Replaces PyInstaller's QtGui hook to leave out the Qt plugins a desktop widgets app never loads.

Dropping them here, before PyInstaller follows their library dependencies, also keeps out what only
they pull in (the GTK 3 theme alone brings cairo, pango, gdk-pixbuf, atk...).
"""

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

# (plugin folder, file stem) pairs; a stem of "*" drops the whole folder. Stems are Linux names;
# the Windows and macOS platform plugins (qwindows, qcocoa) are never dropped.
UNUSED = {
    ("egldeviceintegrations", "*"),  # EGLFS: embedded boards without a window system
    ("generic", "*"),  # evdev/tuio input for EGLFS and linuxfb
    ("platforms", "libqeglfs"),
    ("platforms", "libqlinuxfb"),
    ("platforms", "libqminimal"),
    ("platforms", "libqminimalegl"),
    ("platforms", "libqvkkhrdisplay"),
    ("platforms", "libqvnc"),
    ("platformthemes", "libqgtk3"),  # needs the system's GTK 3 anyway; xdgdesktopportal stays
    # Image formats: the app shows SVG icons (qsvg) and writes PNG (built into QtGui).
    ("imageformats", "libqgif"),
    ("imageformats", "libqicns"),
    ("imageformats", "libqico"),
    ("imageformats", "libqjpeg"),
    ("imageformats", "libqtga"),
    ("imageformats", "libqtiff"),
    ("imageformats", "libqwbmp"),
    ("imageformats", "libqwebp"),
}


def _used(source: str) -> bool:
    path = PurePath(source)
    folder = path.parent.name
    return (folder, "*") not in UNUSED and (folder, path.name.split(".")[0]) not in UNUSED


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(source, dest) for source, dest in binaries if _used(source)]
