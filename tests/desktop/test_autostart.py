"""Start at login: the setting writes or removes an XDG autostart entry (issue 15), on real files
in a temporary $XDG_CONFIG_HOME."""

from __future__ import annotations

import configparser
import subprocess
import sys
from pathlib import Path

import pytest

from desktop_app.app import autostart
from desktop_app.app.autostart import (
    APP_ID,
    AutostartError,
    autostart_entry,
    desktop_entry,
    launch_command,
    set_start_at_login,
)

pytestmark = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="XDG autostart")


@pytest.fixture
def config_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def _exec_of(entry: Path) -> list[str]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(entry.read_text())
    section = parser["Desktop Entry"]
    assert section["Type"] == "Application"
    return _arguments(section["Exec"])


def _arguments(value: str) -> list[str]:
    """An Exec value's arguments: the value's escapes (a doubled backslash is one), then the
    key's quoting rules, which are the shell's (a real sh parses them here)."""
    unescaped = value.replace("\\\\", "\\").replace("%%", "%")
    words = subprocess.run(
        ["sh", "-c", 'eval "set -- $1"; printf "%s\\0" "$@"', "sh", unescaped],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    ).stdout
    return words.split("\0")[:-1]


def test_on_writes_the_entry_and_off_removes_it(config_home: Path) -> None:
    entry = set_start_at_login(True)
    assert entry == config_home / "autostart" / f"{APP_ID}.desktop"
    assert entry == autostart_entry()
    command = _exec_of(entry)
    assert command == launch_command()
    assert Path(command[0]).is_absolute()
    set_start_at_login(False)
    assert not entry.exists()
    set_start_at_login(False)  # nothing there: nothing to do
    assert not entry.exists()


def test_the_settings_file_in_use_goes_with_the_command(config_home: Path, tmp_path: Path) -> None:
    settings = tmp_path / "my settings %d" / "settings.toml"
    entry = set_start_at_login(True, settings)
    assert entry is not None
    assert _exec_of(entry)[-2:] == ["--config", str(settings)]


def test_arguments_with_spaces_quotes_and_percent_survive_the_exec_key() -> None:
    command = ["/opt/My Apps/reservations", "--config", '/a "b"/$HOME/50%/x\\y.toml']
    text = desktop_entry(command)
    line = next(line for line in text.splitlines() if line.startswith("Exec="))
    value = line.removeprefix("Exec=")
    assert _arguments(value) == command


def test_the_default_folder_is_dot_config_when_xdg_config_home_is_unset(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert autostart_entry() == tmp_path / ".config" / "autostart" / f"{APP_ID}.desktop"


def test_without_xdg_autostart_turning_it_on_is_refused_with_a_reason(
    monkeypatch: pytest.MonkeyPatch, config_home: Path
) -> None:
    monkeypatch.setattr(autostart, "SUPPORTED", False)  # as on Windows and macOS
    with pytest.raises(AutostartError, match="not supported"):
        set_start_at_login(True)
    assert set_start_at_login(False) is None
    assert not (config_home / "autostart").exists()
