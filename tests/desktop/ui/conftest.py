"""UI test fixtures: times shown in UTC (texts do not depend on the machine's zone), and themes."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.ui.theme import Theme, apply_theme


@pytest.fixture(autouse=True)
def utc_local_time(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[Callable[[Theme], Theme]]:
    """`themed(Theme.DARK)` styles the app like the real one; everything is restored after."""
    palette, sheet = qapp.palette(), qapp.styleSheet()
    yield lambda theme: apply_theme(qapp, theme)
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


@pytest.fixture
def styled(themed: Callable[[Theme], Theme]) -> Theme:
    """The light look, as the app shows it."""
    return themed(Theme.LIGHT)
