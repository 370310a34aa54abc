"""One app per user and data folder: a second start asks the first to raise its window and ends
(QLocalServer); a name a crashed instance left behind is taken over; another data folder is
another app. The last test does it with two real app processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.app.single import SingleInstance, instance_name

APP = [sys.executable, "-c", "import sys; from desktop_app.app import main; sys.exit(main())"]


def test_a_second_instance_raises_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    name = instance_name(tmp_path / "data")
    first = SingleInstance(name)
    assert not first.forward_to_running(), "nobody runs yet"
    assert first.listen()
    try:
        second = SingleInstance(name)
        with qtbot.waitSignal(first.raise_requested):
            assert second.forward_to_running()
    finally:
        first.close()


def test_names_differ_by_data_folder_and_a_stale_name_is_taken_over(tmp_path: Path) -> None:
    assert instance_name(tmp_path / "a") != instance_name(tmp_path / "b")
    assert instance_name(tmp_path / "a") == instance_name(tmp_path / "x" / ".." / "a")
    name = instance_name(tmp_path / "a")
    crashed = SingleInstance(name)
    assert crashed.listen()
    crashed.close()  # what a crash leaves may be a socket file nobody answers on
    taker = SingleInstance(name)
    assert not taker.forward_to_running()
    assert taker.listen()
    taker.close()


def test_a_second_app_process_ends_and_the_first_goes_on(qtbot: QtBot, tmp_path: Path) -> None:
    """The first 'app' here is this test holding the instance name of the data folder, as a
    running app does; the second is the real entry point, which must defer to it."""
    data = tmp_path / "data"
    first = SingleInstance(instance_name(data))
    assert first.listen()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RESERVATIONS_")},
        "HOME": str(tmp_path / "home"),
        "XDG_CONFIG_HOME": str(tmp_path / "home" / "config"),
        "XDG_STATE_HOME": str(tmp_path / "home" / "state"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    try:
        with qtbot.waitSignal(first.raise_requested, timeout=120_000):
            second = subprocess.Popen(
                [*APP, "--demo", "--data-dir", str(data)],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
        _out, err = second.communicate(timeout=120)
    finally:
        first.close()
    assert second.returncode == 0, err
    assert "already running" in err
    assert not (data / "embedded.sqlite3").exists(), "the second start started nothing"
