"""Light and dark looks: the Fusion style, a matching palette and the app's style sheet
(resources/styles/<light|dark>.qss). The `theme` setting chooses: "system" follows the system and
switches again when it switches; "light" or "dark" stays, whatever the system does.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from desktop_app.ui.resources import style_sheet


class Theme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


_ROLES = QPalette.ColorRole
_PALETTES: dict[Theme, dict[QPalette.ColorRole, str]] = {
    Theme.LIGHT: {
        _ROLES.Window: "#f5f6f8",
        _ROLES.WindowText: "#1f2937",
        _ROLES.Base: "#ffffff",
        _ROLES.AlternateBase: "#f9fafb",
        _ROLES.Text: "#1f2937",
        _ROLES.PlaceholderText: "#9ca3af",
        _ROLES.Button: "#ffffff",
        _ROLES.ButtonText: "#1f2937",
        _ROLES.Highlight: "#dbeafe",
        _ROLES.HighlightedText: "#111827",
        _ROLES.Mid: "#e5e7eb",
        _ROLES.ToolTipBase: "#111827",
        _ROLES.ToolTipText: "#f9fafb",
    },
    Theme.DARK: {
        _ROLES.Window: "#111318",
        _ROLES.WindowText: "#e5e7eb",
        _ROLES.Base: "#1b1e25",
        _ROLES.AlternateBase: "#20242c",
        _ROLES.Text: "#e5e7eb",
        _ROLES.PlaceholderText: "#6b7280",
        _ROLES.Button: "#1b1e25",
        _ROLES.ButtonText: "#e5e7eb",
        _ROLES.Highlight: "#1e3a5f",
        _ROLES.HighlightedText: "#f3f4f6",
        _ROLES.Mid: "#2c313a",
        _ROLES.ToolTipBase: "#f3f4f6",
        _ROLES.ToolTipText: "#111827",
    },
}


def system_theme() -> Theme:
    scheme = QGuiApplication.styleHints().colorScheme()
    return Theme.DARK if scheme == Qt.ColorScheme.Dark else Theme.LIGHT


def palette_of(theme: Theme) -> QPalette:
    palette = QPalette()
    for role, color in _PALETTES[theme].items():
        palette.setColor(role, QColor(color))
    return palette


def apply_theme(app: QApplication, theme: Theme | None = None) -> Theme:
    """Style `app` as `theme` (default: what the system prefers); returns the theme applied."""
    chosen = theme or system_theme()
    app.setStyle("Fusion")  # the same look on every platform, and it honours the palette
    app.setPalette(palette_of(chosen))
    app.setStyleSheet(style_sheet(chosen.value))
    return chosen


SYSTEM = "system"
_CHOICE = "reservationsTheme"  # the app's property holding the chosen theme setting


def use_theme(app: QApplication, choice: str = SYSTEM) -> Theme:
    """Apply the `theme` setting now ("system", "light" or "dark"; any time again, e.g. from
    Preferences); with "system", again whenever the system switches. Returns the theme applied."""
    following = app.property(_CHOICE) is not None
    app.setProperty(_CHOICE, choice)
    if not following:  # one connection for the app's life; it reads the choice of the moment
        app.styleHints().colorSchemeChanged.connect(lambda _scheme: _system_switched(app))
    return apply_theme(app, None if choice == SYSTEM else Theme(choice))


def _system_switched(app: QApplication) -> None:
    if app.property(_CHOICE) == SYSTEM:
        apply_theme(app)


def follow_system_theme(app: QApplication) -> None:
    """Apply the system's theme now and again whenever the system switches light/dark."""
    use_theme(app, SYSTEM)
