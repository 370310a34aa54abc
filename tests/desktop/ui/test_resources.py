"""The resources folder is found, and every icon and style sheet in it loads."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.ui import resources

ICONS = sorted(p.stem for p in (resources.resources_dir() / "icons").glob("*.svg"))


@pytest.mark.parametrize("name", ICONS)
def test_every_icon_renders_to_a_non_empty_pixmap(qapp: QApplication, name: str) -> None:
    image = resources.icon(name).pixmap(32, 32).toImage()
    assert not image.isNull()
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(32) for y in range(32))


def test_the_actions_and_status_icons_exist() -> None:
    expected = {"accept", "decline", "cancel", "start", "complete", "no_show", "sync", "app"}
    assert expected <= set(ICONS)


def test_the_light_style_sheet_loads(qapp: QApplication) -> None:
    text = resources.style_sheet("light")
    assert "QTableView" in text
    assert "@RESOURCES@" not in text
    assert f"url({resources.resources_dir().as_posix()}/icons/chevron_down.svg)" in text
    qapp.setStyleSheet(text)
    qapp.setStyleSheet("")


def test_a_missing_resource_is_a_clear_error() -> None:
    with pytest.raises(resources.ResourcesMissingError, match="no icon named 'nope'"):
        resources.icon_path("nope")
