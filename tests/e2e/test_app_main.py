"""The real entry point, as a user starts it: `reservations-desktop --server URL --user U`.

The password comes from RESERVATIONS_PASSWORD the first time; the next start uses the remembered
token (no password anywhere). Each run renders the synced window and exits 0 (--screenshot)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from tests.support.live_server import LiveServer

APP = [sys.executable, "-c", "import sys; from desktop_app.app import main; sys.exit(main())"]


def _run(args: list[str], home: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("RESERVATIONS_")}
    environment = {
        **clean,
        "HOME": str(home),  # QSettings, logs and config land in the test's own home
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "QT_QPA_PLATFORM": "offscreen",
        **env,
    }
    return subprocess.run(
        APP + args, capture_output=True, text=True, env=environment, timeout=120, check=False
    )


def test_password_first_then_the_remembered_sign_in(server: LiveServer, tmp_path: Path) -> None:
    home, data = tmp_path / "home", tmp_path / "data"
    common = ["--server", server.base_url, "--user", "anna", "--data-dir", str(data)]
    data.mkdir(mode=0o755)  # as an older version left it
    data.chmod(0o755)

    first = _run(
        [*common, "--screenshot", str(tmp_path / "first.png")], home, RESERVATIONS_PASSWORD="demo"
    )
    assert first.returncode == 0, first.stderr[-3000:]
    assert (tmp_path / "first.png").stat().st_size > 10_000
    assert "auth/login" in first.stderr
    remembered = data / "sessions.json"
    assert stat.S_IMODE(remembered.stat().st_mode) == 0o600
    assert "demo" not in remembered.read_text(), "the password is never stored"

    second = _run([*common, "--screenshot", str(tmp_path / "second.png")], home)
    assert second.returncode == 0, second.stderr[-3000:]
    assert (tmp_path / "second.png").stat().st_size > 10_000
    assert "auth/login" not in second.stderr, "no sign-in request: the remembered token was used"
    logs = list((home / ".local" / "state").rglob("app.log"))
    assert logs, "the app logs to the platform's log folder"
    # Bookings, names, notes and tokens are the user's alone (issue 13, item 9).
    for folder in (data, logs[0].parent):
        assert _mode(folder) == 0o700, folder
        for path in folder.rglob("*"):
            assert _mode(path) == (0o700 if path.is_dir() else 0o600), path
    assert list((data / "stores").glob("*.sqlite3"))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_bad_settings_exit_2_with_the_reason(tmp_path: Path) -> None:
    bad = _run(["--poll-active-seconds", "-1"], tmp_path / "home")
    assert bad.returncode == 2
    assert "poll" in bad.stderr.lower()


_OLD_GEOMETRY = """\
import sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(int(sys.argv[2]), int(sys.argv[3]))
old = QSettings(sys.argv[1], QSettings.Format.IniFormat)
old.setValue("mainWindow/geometry", window.saveGeometry())
old.setValue("mainWindow/scope", "all")
old.sync()
"""


def test_window_state_moves_into_the_one_config_folder_once(
    server: LiveServer, tmp_path: Path
) -> None:
    """Older versions kept the window state in Qt's default place (~/.config/Reservations, a
    second config folder); it moves beside the settings file, private, and the window a user
    arranged comes back (issue 15, defect 18)."""
    home = tmp_path / "home"
    old = home / ".config" / "Reservations" / "Reservations.conf"
    old.parent.mkdir(parents=True)
    _old_window_state(old, 720, 530)
    assert "geometry" in old.read_text()
    # The settings an older version left readable by others.
    folder = home / ".config" / "reservations-desktop"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    (folder / "settings.toml").write_text('log_level = "INFO"\n')
    (folder / "settings.toml").chmod(0o644)
    common = ["--server", server.base_url, "--user", "anna", "--data-dir", str(tmp_path / "data")]
    shot = tmp_path / "first.png"
    first = _run([*common, "--screenshot", str(shot)], home, RESERVATIONS_PASSWORD="demo")
    assert first.returncode == 0, first.stderr[-3000:]

    state = folder / "window.ini"
    assert "mainWindow" in state.read_text()
    assert not old.exists(), "nothing is left in a second folder"
    assert not old.parent.exists()
    assert _mode(folder) == 0o700
    assert {p.name: _mode(p) for p in folder.iterdir()} == {
        "settings.toml": 0o600,
        "window.ini": 0o600,
    }
    assert _png_size(shot) == (720, 530), "the window has the size the user gave it"
    assert sorted(p.name for p in (home / ".config").iterdir()) == ["reservations-desktop"]

    # Once: an older version run again in between is not moved over the state this one keeps.
    old.parent.mkdir()
    _old_window_state(old, 600, 450)
    shot = tmp_path / "second.png"
    second = _run([*common, "--screenshot", str(shot)], home)
    assert second.returncode == 0, second.stderr[-3000:]
    assert _png_size(shot) == (720, 530)
    assert old.exists()


def _old_window_state(path: Path, width: int, height: int) -> None:
    """What an older version's QSettings() held after a window of that size was closed."""
    subprocess.run(
        [sys.executable, "-c", _OLD_GEOMETRY, str(path), str(width), str(height)],
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        timeout=60,
    )


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[16:24]  # the IHDR chunk: width, height (big-endian)
    return int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")


def test_theme_language_and_start_at_login_apply_at_start(
    server: LiveServer, tmp_path: Path
) -> None:
    """Saved in Preferences, applied at the next start; start at login honoured both ways."""
    home = tmp_path / "home"
    settings = home / ".config" / "reservations-desktop" / "settings.toml"
    settings.parent.mkdir(parents=True)
    settings.write_text('theme = "dark"\nlanguage = "de"\nstart_at_login = true\n')
    common = ["--server", server.base_url, "--user", "anna", "--data-dir", str(tmp_path / "data")]
    shot = tmp_path / "dark.png"
    first = _run([*common, "--screenshot", str(shot)], home, RESERVATIONS_PASSWORD="demo")
    assert first.returncode == 0, first.stderr[-3000:]
    assert _look(first.stderr) == ("theme dark, language de", {"de"})
    assert _lightness(shot) < 80, "the window is dark"
    entry = home / ".config" / "autostart" / "org.reservations.Desktop.desktop"
    assert "Exec=" in entry.read_text()

    settings.write_text('theme = "light"\nlanguage = "en"\nstart_at_login = false\n')
    shot = tmp_path / "light.png"
    second = _run([*common, "--screenshot", str(shot)], home, LANG="de_DE.UTF-8")
    assert second.returncode == 0, second.stderr[-3000:]
    assert _look(second.stderr)[0] == "theme light, language en"
    assert "de" not in _look(second.stderr)[1], "English, although the system speaks German"
    assert _lightness(shot) > 180, "the window is light"
    assert not entry.exists(), "off: the entry is removed"


def _look(log: str) -> tuple[str, set[str]]:
    """The start's "theme …, language … (catalogues: …)" line: its choice, and the languages of
    the catalogues installed."""
    line = next(line for line in log.splitlines() if ": theme " in line)
    choice, catalogues = line.split(": ", 1)[1].split(" (catalogues: ")
    return choice, {name.strip()[:2] for name in catalogues.rstrip(")").split(",")}


def _lightness(path: Path) -> int:
    """The image's average lightness (0 black … 255 white)."""
    image = QImage(str(path))
    assert not image.isNull()
    return (
        image.scaled(1, 1, mode=Qt.TransformationMode.SmoothTransformation)
        .pixelColor(0, 0)
        .lightness()
    )
