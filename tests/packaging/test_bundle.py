"""The PyInstaller bundle builds and runs with no Python around it: the synced window, --version,
the embedded server beside the app, data kept in the user data folder, no unused Qt parts.

Slow (a build is about a minute): skipped only outside CI when PyInstaller is not installed; in CI
`packaging/build.sh` installs it and the build always runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

ROOT = Path(__file__).resolve().parents[2]
NAME = "reservations-desktop"
EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
# The Linux bundle measured 138 MB (stripped), then 152 MB once the keyring dependency brought
# SecretStorage's `cryptography` (11 MB) for the OS keyring; the budget catches venv extras
# (bench's matplotlib/numpy, test tools) sneaking in.
SIZE_BUDGET_MB = 165
RUN_TIMEOUT = 120


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.environ.get("CI") != "true" and importlib.util.find_spec("PyInstaller") is None:
        pytest.skip("PyInstaller is not installed: `pip install -e '.[package]'` or `make package`")
    out = tmp_path_factory.mktemp("bundle")
    subprocess.run(
        ["bash", str(ROOT / "packaging" / "build.sh"), str(out / "dist"), str(out / "build")],
        check=True,
        timeout=800,
    )
    return out / "dist" / NAME


@pytest.fixture
def user_env(tmp_path: Path) -> dict[str, str]:
    """A user whose home and data folder are in tmp_path, rendering offscreen."""
    env = dict(os.environ)
    env.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "home" / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "home" / "config"),
        QT_QPA_PLATFORM="offscreen",
    )
    for name in [n for n in env if n.startswith("RESERVATIONS_")]:
        del env[name]
    return env


def run(exe: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(exe), *args],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
    )


def files_in(folder: Path) -> set[Path]:
    return {p.relative_to(folder) for p in folder.rglob("*")}


def test_the_bundle_renders_the_synced_window(
    bundle: Path, tmp_path: Path, user_env: dict[str, str]
) -> None:
    shot, data = tmp_path / "out.png", tmp_path / "data"
    result = run(
        bundle / f"{NAME}{EXE_SUFFIX}",
        "--screenshot",
        str(shot),
        "--data-dir",
        str(data),
        env=user_env,
    )
    assert result.returncode == 0, result.stderr
    # The app writes the screenshot only after the first completed sync with its embedded server.
    assert "embedded server listening on http://127.0.0.1:" in result.stderr
    assert "screenshot written" in result.stderr
    image = QImage(str(shot))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1280, 760)
    colours = {image.pixel(x, y) for x in range(0, 1280, 16) for y in range(0, 760, 16)}
    assert len(colours) > 20, "the screenshot is nearly blank"
    assert (data / "embedded.sqlite3").is_file()
    assert any((data / "stores").glob("*.sqlite3"))


def test_version_comes_from_the_bundled_metadata(bundle: Path, user_env: dict[str, str]) -> None:
    result = run(bundle / f"{NAME}{EXE_SUFFIX}", "--version", env=user_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{NAME} {version(NAME)}"
    assert version(NAME) != "0+unknown"


def test_data_goes_to_the_user_data_folder_not_the_bundle(
    bundle: Path, tmp_path: Path, user_env: dict[str, str]
) -> None:
    before = files_in(bundle)
    result = run(
        bundle / f"{NAME}{EXE_SUFFIX}", "--screenshot", str(tmp_path / "s.png"), env=user_env
    )
    assert result.returncode == 0, result.stderr
    user_data = Path(user_env["XDG_DATA_HOME"]) / NAME
    assert (user_data / "embedded.sqlite3").is_file()
    assert any((user_data / "stores").glob("*.sqlite3"))
    assert files_in(bundle) == before


def test_the_bundle_holds_the_server_and_only_the_qt_parts_in_use(bundle: Path) -> None:
    internal = bundle / "_internal"
    assert os.access(bundle / f"booking-server{EXE_SUFFIX}", os.X_OK)
    assert (internal / "desktop_app" / "_resources" / "icons" / "app.svg").is_file()
    assert (internal / "desktop_app" / "_resources" / "styles" / "light.qss").is_file()
    assert (internal / "booking_server" / "web" / "assets" / "main.js").is_file()  # /book/<master>
    plugins = internal / "PySide6" / "Qt" / "plugins"
    assert list(plugins.glob("iconengines/*svg*")), "SVG icons need the svg icon engine"
    assert list(plugins.glob("networkinformation/*")), "reachability needs QNetworkInformation"
    unused = ["translations", "plugins/platformthemes/libqgtk3*", "plugins/generic/*"]
    for pattern in unused:
        assert not list((internal / "PySide6" / "Qt").glob(pattern)), pattern
    for package in ["PIL", "matplotlib", "numpy"]:  # venv extras with binaries of their own
        assert not (internal / package).exists(), package
    size_mb = (
        sum(p.stat().st_size for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    )
    assert size_mb < SIZE_BUDGET_MB, f"the bundle grew to {size_mb:.0f} MB"


def packages_in(exe: Path) -> set[str]:
    """The top-level packages frozen into an executable's PYZ archive."""
    # Imported at run time: PyInstaller (no type stubs) is only there once the bundle was built.
    readers = importlib.import_module("PyInstaller.archive.readers")
    pyz = readers.CArchiveReader(str(exe)).open_embedded_archive("PYZ.pyz")
    return {name.split(".")[0] for name in pyz.toc}


def test_app_and_server_are_frozen_apart(bundle: Path) -> None:
    app = packages_in(bundle / f"{NAME}{EXE_SUFFIX}")
    server = packages_in(bundle / f"booking-server{EXE_SUFFIX}")
    assert {"desktop_app", "booking_core", "PySide6", "qasync"} <= app
    assert not {"booking_server", "uvicorn", "fastapi", "starlette"} & app
    assert {"booking_server", "booking_core", "uvicorn", "fastapi"} <= server
    assert not {"desktop_app", "PySide6", "qasync"} & server
    assert not {"pytest", "hypothesis", "mypy", "rich"} & (app | server)
