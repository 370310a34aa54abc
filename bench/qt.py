"""Headless Qt for the benchmarks: one QApplication, a shown table, a probe that sees it paint."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QTableView, QWidget

WIDTH, HEIGHT = 1200, 800


def application() -> QApplication:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QApplication.instance() or QApplication(["bench"])
    assert isinstance(app, QApplication)
    # The bench runs its own loop and closes its windows itself: closing the last one must not
    # quit the application (that stops the loop under a run_until_complete still in progress).
    app.setQuitOnLastWindowClosed(False)
    return app


class PaintProbe(QObject):
    """Counts paint events of a widget (a table's viewport): a repaint has happened once it moves.

    `ended` is the wall time (time.time) just after the latest paint: a zero timer set when the
    paint event arrives fires once the paint itself has run.
    """

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.paints = 0
        self.ends = 0
        self.ended = 0.0
        self.on_end: Callable[[], None] | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
            QTimer.singleShot(0, self._mark)
        return False

    def _mark(self) -> None:
        self.ended = time.time()
        self.ends += 1
        if self.on_end is not None:
            self.on_end()


def shown_table(model: QAbstractItemModel) -> tuple[QTableView, PaintProbe]:
    view = QTableView()
    view.resize(WIDTH, HEIGHT)
    view.setModel(model)
    probe = PaintProbe(view.viewport())
    view.show()
    settle(probe)
    return view, probe


def settle(probe: PaintProbe, within: float = 5.0) -> None:
    """Process events until a first paint and nothing left to do (layout, polish)."""
    app = application()
    deadline = time.perf_counter() + within
    while probe.paints == 0 and time.perf_counter() < deadline:
        app.processEvents()
    app.processEvents()


def wait_painted(probe: PaintProbe, before: int, within: float = 600.0) -> bool:
    """Process events until the probe saw a paint after `before`; False after `within` s."""
    app = application()
    deadline = time.perf_counter() + within
    while probe.paints == before:
        app.processEvents()
        if time.perf_counter() > deadline:
            return False
    return True
