"""Files only their owner may read: the app's data (bookings, names, notes, tokens) and logs.

Folders are 0700 and files 0600 (POSIX; Windows keeps a user's profile folders private already).
`restrict_process()` makes everything the process creates from then on private (umask 077), and
`make_private(folder)` creates a folder so, or tightens one an older version left readable, with
what is in it. `create_private(path)` makes an empty file 0600 before a library (SQLite, logging)
opens it, so it is never readable by others, not even briefly.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600
_POSIX = os.name == "posix"


def restrict_process() -> None:
    if _POSIX:
        os.umask(0o077)


def make_private(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    if not _POSIX:
        return
    _tighten(folder, PRIVATE_DIR)
    for root, dirs, files in os.walk(folder):
        for name in dirs:
            _tighten(Path(root) / name, PRIVATE_DIR)
        for name in files:
            _tighten(Path(root) / name, PRIVATE_FILE)


def create_private(path: Path) -> None:
    """An empty file 0600 at `path` unless one is there (then it is made 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE))
    except FileExistsError:
        if _POSIX:
            _tighten(path, PRIVATE_FILE)


def _tighten(path: Path, mode: int) -> None:
    try:
        info = path.lstat()
        if path.is_symlink() or info.st_uid != os.getuid():
            return  # not ours to change
        if info.st_mode & 0o777 & ~mode:
            path.chmod(info.st_mode & mode)
    except OSError:
        return
