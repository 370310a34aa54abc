"""What the bundle relies on without being built: the Linux desktop entry and its icon, the frozen
app's way to its bundled server, and the About box showing the one version from pyproject."""

from __future__ import annotations

import configparser
import platform
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from PySide6.QtCore import qVersion
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.app import add_about_menu
from desktop_app.net.embedded import EmbeddedServer

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"


def desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(LINUX / "reservations-desktop.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_the_desktop_entry_launches_the_bundle_with_its_icon() -> None:
    entry = desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "reservations-desktop"
    assert entry["Terminal"] == "false"
    icon = LINUX / f"{entry['Icon']}.svg"
    assert icon.resolve() == (ROOT / "resources" / "icons" / "app.svg").resolve()
    image = QImage(str(icon))
    assert not image.isNull(), "the icon is not a readable SVG"


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="no desktop-file-utils")
def test_the_desktop_entry_passes_desktop_file_validate() -> None:
    result = subprocess.run(
        ["desktop-file-validate", str(LINUX / "reservations-desktop.desktop")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_frozen_app_runs_the_server_executable_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What PyInstaller's bootloader sets; the real bundle is covered by test_bundle.py.
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "reservations-desktop"))
    command = EmbeddedServer(tmp_path / "data" / "e.sqlite3").command()
    name = "booking-server.exe" if sys.platform == "win32" else "booking-server"
    assert command[:2] == [str(tmp_path / name), "serve"]
    assert f"sqlite:///{tmp_path / 'data' / 'e.sqlite3'}" in command


def test_an_unfrozen_app_runs_the_server_module() -> None:
    command = EmbeddedServer(Path("e.sqlite3")).command()
    assert command[:4] == [sys.executable, "-m", "booking_server", "serve"]


def test_about_shows_the_version_from_pyproject(qtbot: QtBot, tmp_path: Path) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    action = add_about_menu(window, tmp_path)
    assert "Help" in [a.text().replace("&", "") for a in window.menuBar().actions()]
    action.trigger()
    boxes = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert len(boxes) == 1
    assert f"Reservations Desktop {version('reservations-desktop')}" in boxes[0].text()
    assert str(tmp_path) in boxes[0].text()
    assert f"Qt {qVersion()}" in boxes[0].text()
    assert f"Python {platform.python_version()}" in boxes[0].text()
    boxes[0].close()


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.skip(f"{name} is not installed")
    return found


def test_the_desktop_entry_and_the_appstream_metadata_validate(tmp_path: Path) -> None:
    """What the .deb installs under the app id passes the freedesktop validators."""
    app_id = "org.reservations.Desktop"
    entry = (LINUX / "reservations-desktop.desktop").read_text()
    installed = tmp_path / f"{app_id}.desktop"
    installed.write_text(entry.replace("Icon=reservations-desktop", f"Icon={app_id}"))
    checked = subprocess.run(
        [_tool("desktop-file-validate"), str(installed)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    metainfo = LINUX / f"{app_id}.metainfo.xml"
    validated = subprocess.run(
        [_tool("appstreamcli"), "validate", "--no-net", "--pedantic", str(metainfo)],
        capture_output=True,
        text=True,
    )
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert f"<id>{app_id}</id>" in metainfo.read_text()
    assert f'<release version="{version("reservations-desktop")}"' in metainfo.read_text()


def test_the_windows_and_macos_build_scripts_name_the_same_app() -> None:
    iss = (ROOT / "packaging" / "windows" / "reservations.iss").read_text()
    assert 'Source: "..\\..\\dist\\reservations-desktop\\*"' in iss
    assert "PrivilegesRequired=lowest" in iss
    spec = (ROOT / "packaging" / "reservations-desktop.spec").read_text()
    assert 'APP_ID = "org.reservations.Desktop"' in spec
    assert "console=False" in spec
    macos = (ROOT / "packaging" / "macos" / "build-app.sh").read_text()
    assert "dist/Reservations.app" in macos
