"""Start at login: the `start_at_login` setting as an XDG autostart entry.

Desktops following the freedesktop.org Desktop Application Autostart Specification (GNOME, KDE,
Xfce, LXQt, Cinnamon, MATE, …) start every `.desktop` entry in `$XDG_CONFIG_HOME/autostart`
(default `~/.config/autostart`) when the user logs in. The setting is honoured both ways, at every
start and at once from Preferences: on, the entry is written (again: the command stays the one of
the installed app); off, an entry left there is removed. Other systems (Windows, macOS) have no
XDG autostart: there turning the setting on is refused as not supported (Preferences says so)
and nothing is written.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from pathlib import Path

from desktop_app.private import PRIVATE_FILE

log = logging.getLogger(__name__)

APP_ID = "org.reservations.Desktop"  # the desktop entry's name (packaging/linux)
COMMAND = "reservations-desktop"
SUPPORTED = sys.platform not in ("win32", "darwin")


class AutostartError(Exception):
    """The autostart entry could not be written or removed (the reason is in the message)."""


def autostart_folder() -> Path:
    """`$XDG_CONFIG_HOME/autostart`; ~/.config/autostart when unset or not absolute (the spec)."""
    config = os.environ.get("XDG_CONFIG_HOME", "")
    base = Path(config) if config and Path(config).is_absolute() else Path.home() / ".config"
    return base / "autostart"


def autostart_entry() -> Path:
    return autostart_folder() / f"{APP_ID}.desktop"


def launch_command(config_file: Path | None = None) -> list[str]:
    """How the login session starts this app: the bundle's executable when frozen, else the
    installed `reservations-desktop`, else this Python running the package; with the settings
    file named when one was given (--config)."""
    if getattr(sys, "frozen", False):
        command = [str(Path(sys.executable).resolve())]
    elif (installed := shutil.which(COMMAND)) is not None:
        command = [str(Path(installed).resolve())]
    else:
        command = [str(Path(sys.executable).resolve()), "-m", "desktop_app"]
    if config_file is not None:
        command += ["--config", str(config_file.expanduser().resolve())]
    return command


def desktop_entry(command: list[str]) -> str:
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=Reservations\n"
        "Comment=Run your day's bookings, synced in real time\n"
        f"Exec={' '.join(_exec_argument(part) for part in command)}\n"
        "Icon=reservations-desktop\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def set_start_at_login(enabled: bool, config_file: Path | None = None) -> Path | None:
    """Write (enabled) or remove (not) the autostart entry; the entry's path, None where XDG
    autostart does not exist. `AutostartError` when the file cannot be written or removed, or
    the system has no XDG autostart to turn on."""
    if not SUPPORTED:
        if enabled:
            raise AutostartError(f"starting at login is not supported on {sys.platform} yet")
        return None
    entry = autostart_entry()
    try:
        if enabled:
            _write(entry, desktop_entry(launch_command(config_file)))
            log.info("start at login: wrote %s", entry)
        elif entry.exists():
            entry.unlink()
            log.info("start at login: removed %s", entry)
    except OSError as exc:
        raise AutostartError(f"cannot change {entry}: {exc.strerror or exc}") from exc
    return entry


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, path)


_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def _exec_argument(argument: str) -> str:
    """One argument of an Exec key: quoted when it has a reserved character, with `"`, `` ` ``,
    `$` and `\\` escaped inside the quotes; `%` doubled (field codes). Then the value's own
    escaping of `\\` (the Desktop Entry spec's two levels)."""
    text = argument.replace("%", "%%")
    if any(character in _RESERVED for character in text):
        for special in ("\\", '"', "`", "$"):
            text = text.replace(special, "\\" + special)
        text = f'"{text}"'
    return text.replace("\\", "\\\\")
