"""Where UI tests save screenshots: docs/screenshots/ with SAVE_SCREENSHOTS=1, else a temp dir."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QApplication, QWidget

DOCS = Path(__file__).resolve().parents[3] / "docs" / "screenshots"


def save(widget: QWidget, name: str, tmp_path: Path) -> Path:
    """Render `widget` to `<folder>/<name>.png` and return the path; fails on an empty image."""
    folder = DOCS if os.environ.get("SAVE_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    QApplication.processEvents()  # children added while shown appear on a queued show
    pixmap = widget.grab()
    assert not pixmap.isNull()
    assert pixmap.save(str(path))
    return path
