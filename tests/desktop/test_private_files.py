"""The app's data and logs are its user's alone: folders 0700, files 0600, whatever the umask, and
an older version's readable folder and files are tightened (issue 13, item 9)."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.app import PrivateLogFile, configure_logging
from desktop_app.app.window_state import open_window_state
from desktop_app.private import make_private
from desktop_app.store import LocalStore
from tests.desktop.store.test_local import NOW, SERVER, booking, record

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def permissive_umask() -> Iterator[None]:
    """The usual desktop umask: without the app's care, files would be 0644."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_the_local_store_folder_and_files_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "stores"
    store = LocalStore.open(folder, SERVER, "anna")
    store.save_outbox([record(1)])
    store.save_cache([booking(1)], cursor=1, saved_at=NOW)
    assert _mode(folder) == 0o700
    files = list(folder.iterdir())
    assert store.path in files
    assert {path.name: _mode(path) for path in files} == {path.name: 0o600 for path in files}
    store.close()


def test_an_older_versions_readable_files_are_tightened(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "stores").mkdir(parents=True, mode=0o755)
    data.chmod(0o755)
    old = data / "stores" / "store-old.sqlite3"
    old.write_bytes(b"")
    old.chmod(0o644)
    make_private(data)
    assert _mode(data) == 0o700
    assert _mode(data / "stores") == 0o700
    assert _mode(old) == 0o600


def test_the_log_folder_and_every_log_file_are_private(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    root = logging.getLogger()
    before = list(root.handlers)
    path = configure_logging("INFO", folder)
    try:
        handler = next(h for h in root.handlers if isinstance(h, PrivateLogFile))
        logging.getLogger("desktop_app.test").info("carl booked a haircut")
        handler.doRollover()  # the next file, started by a rollover, is private too
        logging.getLogger("desktop_app.test").info("dora booked a beard trim")
        handler.flush()
    finally:
        for extra in [h for h in root.handlers if h not in before]:
            root.removeHandler(extra)
            extra.close()
    assert _mode(folder) == 0o700
    assert path.name == "app.log"
    logs = sorted(folder.iterdir())
    assert [p.name for p in logs] == ["app.log", "app.log.1"]
    assert [_mode(p) for p in logs] == [0o600, 0o600]


def test_the_window_state_is_private_beside_the_settings(tmp_path: Path) -> None:
    folder = tmp_path / "config" / "reservations-desktop"
    state = open_window_state(folder)
    state.setValue("mainWindow/scope", "all")
    state.sync()
    assert Path(state.fileName()) == folder / "window.ini"
    assert (_mode(folder), _mode(folder / "window.ini")) == (0o700, 0o600)
