"""Finds the app's resources (SVG icons, style sheets, translations) and loads them for Qt.

A built wheel carries them inside the package as `desktop_app/_resources`; an editable install reads
the repository's `resources/` folder directly.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtGui import QIcon

_PACKAGE = Path(__file__).resolve().parent.parent


class ResourcesMissingError(RuntimeError):
    """Neither the packaged nor the repository resources folder exists: a broken installation."""


def resources_dir() -> Path:
    """The folder holding `icons/`, `styles/` and `translations/`."""
    for candidate in (_PACKAGE / "_resources", _PACKAGE.parent / "resources"):
        if (candidate / "icons").is_dir():
            return candidate
    looked = f"{_PACKAGE / '_resources'} and {_PACKAGE.parent / 'resources'}"
    raise ResourcesMissingError(f"no resources folder: looked in {looked}")


def icon_path(name: str) -> Path:
    path = resources_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        raise ResourcesMissingError(f"no icon named {name!r} at {path}")
    return path


@cache
def icon(name: str) -> QIcon:
    """An SVG icon by its file stem, e.g. `icon("accept")`; SVG stays sharp on high-DPI screens."""
    return QIcon(str(icon_path(name)))


def style_sheet(name: str = "light") -> str:
    """The text of `styles/<name>.qss`, for `QApplication.setStyleSheet`.

    Sheets name images as `url(@RESOURCES@/icons/x.svg)`: Qt resolves relative URLs against the
    working directory, so the placeholder becomes the absolute resources path here.
    """
    folder = resources_dir()
    path = folder / "styles" / f"{name}.qss"
    if not path.is_file():
        raise ResourcesMissingError(f"no style sheet named {name!r} at {path}")
    return path.read_text(encoding="utf-8").replace("@RESOURCES@", folder.as_posix())


def translations_dir() -> Path:
    return resources_dir() / "translations"
