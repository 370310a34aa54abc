"""The sync engine is sans-IO: importing it loads no Qt, no HTTP or WebSocket client, no asyncio,
no database, and no other layer of the app."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = (
    "PySide6",
    "qasync",
    "httpx",
    "websockets",
    "asyncio",
    "socket",
    "sqlite3",
    "aiosqlite",
    "booking_server",
    "desktop_app.net",
    "desktop_app.ui",
    "desktop_app.store",
    "desktop_app.controller",
    "desktop_app.app",
)

PROBE = """
import json, sys
import desktop_app.sync
import desktop_app.sync.engine
print(json.dumps(sorted(sys.modules)))
"""


def test_engine_imports_no_io() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = json.loads(result.stdout)
    assert "desktop_app.sync.engine" in loaded
    offenders = [
        name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offenders == []
