"""The console entry point imports the app with the cyclic GC paused, then runs it."""

from __future__ import annotations

import gc
import subprocess
import sys
import tomllib
from pathlib import Path

from desktop_app.app import app_version
from desktop_app.launch import importing

ROOT = Path(__file__).resolve().parents[2]


def test_imports_run_without_the_cyclic_gc_and_it_is_back_after() -> None:
    assert gc.isenabled()
    with importing():
        assert not gc.isenabled()
        built = [[index] for index in range(100_000)]  # container objects, as imports make
    assert gc.isenabled()
    # What was built joined the oldest generation unscanned: the young ones start empty.
    assert gc.get_count()[0] < 1_000
    assert len(built) == 100_000


def test_a_collector_that_was_off_stays_off() -> None:
    gc.disable()
    try:
        with importing():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_console_script_is_the_launcher_and_it_runs_the_app() -> None:
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["reservations-desktop"] == "desktop_app.launch:main"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; sys.argv = ['reservations-desktop', '--version'];"
            " from desktop_app.launch import main; raise SystemExit(main())",
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert app_version() in run.stdout
