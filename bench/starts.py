"""Figures 3 and 7: app starts, each in a fresh process (`bench.child`): time and peak RSS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from booking_core import Booking, UserPublic
from desktop_app.store.local import LocalStore
from tests.support.live_server import LiveServer

DEAD_URL = "http://127.0.0.1:9"  # discard port: nothing listens, the app starts offline


class StartFailedError(RuntimeError):
    """A measured start did not finish in time or crashed."""


def run_child(args: list[str], timeout: float) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    spawned = time.time()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bench.child", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise StartFailedError(f"{args[0]} took over {timeout:.0f} s") from exc
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise StartFailedError(f"{args[0]} failed ({done.returncode}): {done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(lines[-1])
    result["spawned"] = spawned
    return result


def load_app(server: LiveServer, username: str, timeout: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        return run_child(["load-app", server.base_url, username, folder], timeout)


def load_naive(server: LiveServer, username: str, timeout: float) -> dict[str, float]:
    return run_child(["load-naive", server.base_url, username], timeout)


def startup_from_cache(
    server: LiveServer, username: str, timeout: float
) -> tuple[dict[str, float], int]:
    """Fill a store as the app would have left it, stop nothing, start offline from it."""
    login = server.login_response(username)
    user = UserPublic.model_validate(login["user"])
    with server.client(login["token"]) as client:
        listing = json.loads(client.get("/bookings").content)
    bookings = [Booking.model_validate(b) for b in listing["bookings"]]
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as folder:
        store = LocalStore.open(Path(folder) / "stores", DEAD_URL, user.id)
        store.save_cache(bookings, int(listing["cursor"]))
        store.close()
        result = run_child(["startup-cache", DEAD_URL, user.model_dump_json(), folder], timeout)
    result["process_seconds"] = result["seconds"]
    return result, len(bookings)


def main(argv: list[str] | None = None) -> int:
    """`python -m bench.starts [SIZE ...] [--runs N]`: figures 3 and 7 alone (default 100000),
    against one seeded server, printing one JSON line per start (not written to docs/)."""
    import argparse
    import logging

    from bench.data import SeedUser
    from bench.servers import seeded_server

    parser = argparse.ArgumentParser(prog="python -m bench.starts", description=main.__doc__)
    parser.add_argument("sizes", nargs="*", type=int, default=[100_000])
    parser.add_argument("--runs", type=int, default=1, help="starts of each kind per size")
    parser.add_argument("--timeout", type=float, default=600)
    options = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s bench.starts: %(message)s")
    users = {size: SeedUser(f"starts{size}", "master", size) for size in options.sizes}
    with tempfile.TemporaryDirectory(prefix="bench-starts-") as work:
        server = seeded_server(Path(work) / "server", list(users.values()))
        try:
            for size, user in users.items():
                for _ in range(options.runs):
                    load = load_app(server, user.username, options.timeout)
                    print(json.dumps({"figure": 3, "size": size} | load), flush=True)
                    cached, _ = startup_from_cache(server, user.username, options.timeout)
                    print(json.dumps({"figure": 7, "size": size} | cached), flush=True)
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
