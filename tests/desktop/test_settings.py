"""Settings: command line over environment over settings file over defaults, mapped onto the
engine, httpx and socket settings; unusable values give one clear error and exit status 2."""

from __future__ import annotations

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest

from desktop_app.app import build_parser, main, settings_of
from desktop_app.net.api import Timeouts
from desktop_app.net.socket import SocketSettings
from desktop_app.settings import Settings, SettingsError, built_in_settings, load_settings
from desktop_app.sync import SyncConfig


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No RESERVATIONS_* variable and an empty config folder, whatever the machine has."""
    for name in list(os.environ):
        if name.startswith("RESERVATIONS_"):
            monkeypatch.delenv(name)
    config_home = tmp_path / "config"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    return config_home / "reservations-desktop"


def test_defaults_map_onto_the_engine_httpx_and_the_socket() -> None:
    settings = load_settings()
    assert settings.server_url is None
    assert settings.log_level == "INFO"
    assert settings.sync_config() == SyncConfig(
        poll_active=timedelta(seconds=3),
        poll_idle=timedelta(seconds=10),
        backoff_initial=timedelta(seconds=0.5),
        backoff_max=timedelta(seconds=30),
        backoff_factor=2.0,
        request_timeout=timedelta(seconds=20),  # connect 5 s + answer 15 s
        stale_after=timedelta(seconds=60),
        max_retries=3,
    )
    assert settings.timeouts() == Timeouts(connect=5.0, read=15.0, write=15.0, pool=15.0)
    socket = settings.socket_settings()
    assert (socket.ping_interval, socket.ping_timeout) == (15.0, 15.0)
    assert isinstance(socket, SocketSettings)
    assert settings.health_check_ms == 5000


def test_command_line_beats_environment_beats_file(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    clean_environment.mkdir(parents=True)
    (clean_environment / "settings.toml").write_text(
        'poll_active_seconds = 1.5\npoll_idle_seconds = 7\nlog_level = "warning"\n'
        'socket_url = "wss://events.example.com/ws"\n'
    )
    monkeypatch.setenv("RESERVATIONS_POLL_IDLE_SECONDS", "6")
    monkeypatch.setenv("RESERVATIONS_LOG_LEVEL", "error")
    options = build_parser().parse_args(["--log-level", "debug", "--server", "http://h:1"])
    settings = settings_of(options)
    assert settings.poll_active_seconds == 1.5  # file
    assert settings.poll_idle_seconds == 6  # environment over file
    assert settings.log_level == "DEBUG"  # command line over both
    assert settings.server_url == "http://h:1"
    assert settings.socket_url == "wss://events.example.com/ws"
    config = settings.sync_config()
    assert (config.poll_active, config.poll_idle) == (timedelta(seconds=1.5), timedelta(seconds=6))


def test_a_named_json_file_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "mine.json"
    path.write_text(json.dumps({"retry_max_seconds": 4, "request_timeout_seconds": 2.5}))
    monkeypatch.setenv("RESERVATIONS_CONFIG_FILE", str(path))
    settings = load_settings()
    assert settings.sync_config().backoff_max == timedelta(seconds=4)
    assert settings.timeouts().read == 2.5
    # --config wins over the environment's file.
    other = tmp_path / "other.toml"
    other.write_text("retry_max_seconds = 9\n")
    assert load_settings(config_file=str(other)).retry_max_seconds == 9


def test_the_existing_options_keep_working(tmp_path: Path) -> None:
    shot = str(tmp_path / "s.png")
    arguments = ["--server", "https://b.example", "--user", "anna", "--data-dir", str(tmp_path)]
    options = build_parser().parse_args([*arguments, "--screenshot", shot])
    settings = settings_of(options)
    assert (settings.server_url, settings.user, settings.data_dir) == (
        "https://b.example",
        "anna",
        tmp_path,
    )
    assert options.screenshot == tmp_path / "s.png"
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--version"])
    assert done.value.code == 0


@pytest.mark.parametrize(
    ("arguments", "says"),
    [
        (["--poll-active-seconds", "0"], "poll_active_seconds: Input should be greater than 0"),
        (["--poll-idle-seconds", "soon"], "poll_idle_seconds: Input should be a valid number"),
        (["--server", "ftp://x"], "server_url: Value error, server_url must start with http"),
        (["--socket-url", "http://x/ws"], "socket_url: Value error, socket_url must start with"),
        (["--log-level", "loud"], "log_level: Input should be 'DEBUG'"),
        (
            ["--retry-initial-seconds", "5", "--retry-max-seconds", "1"],
            "retry_max_seconds must be at least retry_initial_seconds",
        ),
    ],
)
def test_bad_values_exit_2_with_a_clear_message(
    arguments: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(arguments) == 2
    assert says in capsys.readouterr().err


def test_bad_files_are_named_in_the_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("poll_active_seconds = = 1\n")
    with pytest.raises(SettingsError, match=r"cannot read the settings file .*broken\.toml"):
        load_settings(config_file=str(broken))
    typo = tmp_path / "typo.toml"
    typo.write_text("pol_active_seconds = 1\n")
    with pytest.raises(SettingsError, match="pol_active_seconds: Extra inputs are not permitted"):
        load_settings(config_file=str(typo))
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]")
    with pytest.raises(SettingsError, match="must hold a table/object"):
        load_settings(config_file=str(listed))
    with pytest.raises(SettingsError, match="does not exist"):
        load_settings(config_file=str(tmp_path / "missing.toml"))


def test_every_setting_is_an_option_and_documented() -> None:
    help_text = build_parser().format_help()
    docs = (Path(__file__).parents[2] / "docs" / "configuration.md").read_text()
    for name in Settings.model_fields:
        flag = {"server_url": "--server", "config_file": "--config"}.get(
            name, "--" + name.replace("_", "-")
        )
        assert flag in help_text
        assert f"`{name}`" in docs, f"{name} is not documented in docs/configuration.md"


def test_built_in_settings_ignore_the_machine(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path
) -> None:
    clean_environment.mkdir(parents=True)
    (clean_environment / "settings.toml").write_text("poll_idle_seconds = 7\n")
    monkeypatch.setenv("RESERVATIONS_POLL_ACTIVE_SECONDS", "9")
    settings = built_in_settings(retry_max_seconds=2)
    assert (settings.poll_active_seconds, settings.poll_idle_seconds) == (3.0, 10.0)
    assert settings.retry_max_seconds == 2
    with pytest.raises(SettingsError, match="poll_idle_seconds"):
        built_in_settings(poll_idle_seconds=-1)
