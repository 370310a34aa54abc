"""`python -m bench [--quick] [--output DIR]`: measure, then write DIR/benchmarks.md,
DIR/bench/*.png and DIR/bench/results.json (DIR defaults to docs/)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from bench.config import FULL, QUICK

FINDINGS = Path(__file__).with_name("findings.md")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, < 60 s (smoke test)")
    parser.add_argument("--output", type=Path, default=Path("docs"), help="where to write")
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s")
    from bench import plots, report
    from bench.notes import NOTES
    from bench.run import run_all, temporary_work

    started = time.perf_counter()
    config = QUICK if options.quick else FULL
    with temporary_work() as work:
        results = run_all(config, Path(work))
    results.notes.extend(NOTES)
    results.notes.append(f"This run took {time.perf_counter() - started:.0f} s.")
    output: Path = options.output
    folder = output / "bench"
    folder.mkdir(parents=True, exist_ok=True)
    drawn = plots.draw(results, folder) if plots.available() else []
    findings = FINDINGS.read_text() if FINDINGS.exists() and not options.quick else ""
    report.write(results, output / "benchmarks.md", drawn, findings)
    results.write_json(folder / "results.json")
    for line in report.table(results):
        print(line)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
