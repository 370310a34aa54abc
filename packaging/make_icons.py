"""The executables' icons from resources/icons/app.svg: `.ico` (Windows; 16-256 px in one file) and
`.icns` (macOS), written with Qt's own image plugins (qico, qicns), so no other tool is needed.
Used by the PyInstaller spec on those platforms; `python packaging/make_icons.py OUT_DIR` to try.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QIcon, QImageWriter


def make_icon(svg: Path, out_dir: Path, platform: str) -> Path:
    app = QGuiApplication.instance() or QGuiApplication(["make_icons", "-platform", "offscreen"])
    fmt = "ico" if platform == "win32" else "icns"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"app.{fmt}"
    size = 256 if fmt == "ico" else 1024
    image = QIcon(str(svg)).pixmap(QSize(size, size)).toImage()
    writer = QImageWriter(str(target), fmt.encode())
    if not writer.write(image):
        raise RuntimeError(f"cannot write {target}: {writer.errorString()}")
    del app
    return target


if __name__ == "__main__":
    for each in ("win32", "darwin"):
        print(
            make_icon(
                Path(__file__).parents[1] / "resources/icons/app.svg", Path(sys.argv[1]), each
            )
        )
