"""`make run` on a real X display: Qt's xcb platform plugin loads (every library it links is
installed by scripts/bootstrap.sh) and the main window is mapped on the screen.

Offscreen rendering hides this class of failure: without libxcb-icccm4 the app aborts at start on
any desktop. The test starts Xvfb, runs the README's `make run` with DISPLAY set (so the Makefile
does not choose offscreen), and waits until the window is viewable.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREEN = (1600, 1000)
# Caps on waits for conditions, not expectations of speed: a loaded machine may take long.
START_TIMEOUT = 120.0


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} is not installed (scripts/bootstrap.sh installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run this test", pytrace=False)
        pytest.skip(reason)
    return path


@pytest.fixture
def display() -> Iterator[str]:
    """A fresh Xvfb server; its DISPLAY. -displayfd picks a free display number and reports it
    once the server accepts connections (no waiting on a guess)."""
    xvfb = _need("Xvfb")
    read_end, write_end = os.pipe()
    screen = f"{SCREEN[0]}x{SCREEN[1]}x24"
    server = subprocess.Popen(
        [xvfb, "-displayfd", str(write_end), "-screen", "0", screen, "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(write_end)
    try:
        with os.fdopen(read_end) as ready:
            number = ready.readline().strip()
        assert number, f"Xvfb did not start: {server.stderr.read() if server.stderr else ''}"
        yield f":{number}"
    finally:
        server.terminate()
        server.wait(timeout=30)


def _app_env(home: Path, display: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(
        DISPLAY=display,
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local/share"),
        XDG_STATE_HOME=str(home / ".local/state"),
        XDG_CACHE_HOME=str(home / ".cache"),
        XDG_RUNTIME_DIR=str(home / "run"),
    )
    (home / "run").mkdir(parents=True, mode=0o700)
    return env


def _first_window(search: subprocess.Popen[str], app: subprocess.Popen[bytes]) -> str:
    """The id xdotool's blocking search prints, or a failure with the app's output as soon as the
    app exits without a window (an xcb plugin that cannot load aborts it at once)."""
    deadline = START_TIMEOUT
    while deadline > 0:
        try:
            out, _ = search.communicate(timeout=0.5)
        except subprocess.TimeoutExpired:
            deadline -= 0.5
            if app.poll() is not None:
                break
            continue
        return out.split()[0]
    if app.poll() is None:
        os.killpg(app.pid, signal.SIGKILL)
        app.wait()
    output = app.stdout.read().decode() if app.stdout else ""
    pytest.fail(f"no window appeared; make run said:\n{output[-4000:]}")


def test_make_run_shows_the_main_window_on_a_real_x_display(display: str, tmp_path: Path) -> None:
    xdotool = _need("xdotool")
    _need("make")
    env = _app_env(tmp_path / "home", display)
    app = subprocess.Popen(
        ["make", "-s", "run"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # make, the app and its embedded server: one group to stop
    )
    try:
        search = subprocess.Popen(
            [xdotool, "search", "--sync", "--onlyvisible", "--name", "^Reservations"],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            window = _first_window(search, app)
        finally:
            if search.poll() is None:
                search.kill()
                search.wait()
        geometry = subprocess.run(
            [xdotool, "getwindowgeometry", "--shell", window],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        size = dict(line.split("=", 1) for line in geometry.split())
        assert int(size["WIDTH"]) >= 400
        assert int(size["HEIGHT"]) >= 300
        name = subprocess.run(
            [xdotool, "getwindowname", window], env=env, capture_output=True, text=True, check=True
        ).stdout
        assert name.startswith("Reservations")
        assert app.poll() is None, "the app is still running with its window open"
    finally:
        if app.poll() is None:
            os.killpg(app.pid, signal.SIGTERM)
            try:
                app.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(app.pid, signal.SIGKILL)
                app.wait()
