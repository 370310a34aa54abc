"""`python -m bench.chaos` (`make chaos`): the large chaos run of issue 13.

N headless app clients (the real sync engine, net layer and local store; tests/support/chaos.py
explains the run and its checks) make random changes as masters and customers while a fault proxy
cuts, freezes, delays, refuses and stalls their connections and clients and server processes are
killed with SIGKILL; then every confirmed change must be on the server exactly once and every
client's state equal the server's. Defaults: the issue's target, 10,000 changes by 50 clients
with 100 kills, on SQLite and on PostgreSQL + Redis (two server processes). Prints the figures
per backend; exit status 1 if any check failed (the run's folder is kept then).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Literal

from tests.support.chaos import ChaosSettings, run_chaos


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.chaos", description=__doc__)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--intents", type=int, default=10_000)
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--server-kill-share", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=None, help="default: random (printed)")
    parser.add_argument(
        "--interval", type=float, default=1.0, help="mean think time of a client (s)"
    )
    parser.add_argument(
        "--fault-interval", type=float, default=0.1, help="mean time between faults (s)"
    )
    parser.add_argument("--window-hours", type=int, default=24 * 7)
    parser.add_argument("--make-within", type=float, default=3600.0)
    parser.add_argument("--quiet-within", type=float, default=900.0)
    parser.add_argument("--keep", action="store_true", help="keep the run's folder")
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("chaos").setLevel(logging.INFO)
    backends: list[Literal["sqlite", "postgres"]] = (
        ["sqlite", "postgres"] if options.backend == "both" else [options.backend]
    )
    failed = False
    for backend in backends:
        settings = ChaosSettings(
            backend=backend,
            clients=options.clients,
            intents=options.intents,
            kills=options.kills,
            server_kill_share=options.server_kill_share,
            seed=options.seed,
            window_hours=options.window_hours,
            interval=options.interval,
            fault_interval=options.fault_interval,
            make_within=options.make_within,
            quiet_within=options.quiet_within,
            probe_ms=5000,
        )
        folder = Path(tempfile.mkdtemp(prefix=f"chaos-{backend}-"))
        report = asyncio.run(run_chaos(settings, folder))
        print("\n".join(report.lines()), flush=True)
        if report.ok and not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
        else:
            print(f"the run's servers, clients and journals: {folder}", flush=True)
        failed = failed or not report.ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
