"""Regression: PySide6 6.12.0 on CPython 3.11 loses a reference to True/None per signal emit and
per void Qt call, and aborts after a few hundred (docs/qt-notes.md). The project's runtime must
survive 100,000 of each; it runs in a subprocess because the failure is an interpreter abort."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    class Emitter(QObject):
        fired = Signal(bool)

    app = QCoreApplication([])
    emitter = Emitter()
    received = []
    emitter.fired.connect(received.append)
    for _ in range(100_000):
        emitter.fired.emit(True)
    for _ in range(100_000):
        app.processEvents()
    assert len(received) == 100_000, len(received)
    print("ok", sys.getrefcount(True) > 0)
    """
)


def test_100k_emits_and_process_events_do_not_abort() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "ok True"
