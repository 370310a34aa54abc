"""Light and dark themes: palette, style sheet and Fusion style applied together."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.ui.resources import style_sheet
from desktop_app.ui.theme import Theme, palette_of, system_theme


def test_each_theme_has_a_sheet_and_a_palette_of_its_brightness() -> None:
    light, dark = palette_of(Theme.LIGHT), palette_of(Theme.DARK)
    window = QPalette.ColorRole.Window
    assert light.color(window).lightness() > 200
    assert dark.color(window).lightness() < 60
    assert "QTableView" in style_sheet("dark")


def test_apply_theme_styles_the_application(
    qapp: QApplication, themed: Callable[[Theme], Theme]
) -> None:
    themed(Theme.DARK)
    assert qapp.palette().color(QPalette.ColorRole.Base).name() == "#1b1e25"
    assert qapp.styleSheet() == style_sheet("dark")
    assert themed(None) is system_theme()  # type: ignore[arg-type]
