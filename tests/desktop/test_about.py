"""Help → About shows the version (pyproject, through the package metadata) and the build (the
BUILD file a bundle carries; "source" from a checkout)."""

from __future__ import annotations

import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from desktop_app.app.about import about_text, app_build


def test_about_shows_the_version_and_a_source_build(tmp_path: Path) -> None:
    text = about_text(tmp_path)
    assert f"Reservations Desktop {version('reservations-desktop')}" in text
    assert "Build: source" in text
    assert str(tmp_path) in text


def test_a_bundle_shows_the_build_it_was_made_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "desktop_app").mkdir()
    (tmp_path / "desktop_app" / "BUILD").write_text("3f2c1ab 2026-12-06T02:40Z\n")
    # What PyInstaller's bootloader sets in a bundle: where its files are.
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert app_build() == "3f2c1ab 2026-12-06T02:40Z"
    assert "Build: 3f2c1ab 2026-12-06T02:40Z" in about_text(tmp_path)
