"""`python -m bench [--quick] [--output DIR] [--only 8]`: measure, then write DIR/benchmarks.md,
DIR/bench/*.png and DIR/bench/results.json (DIR defaults to docs/). `--only 8` measures figure 8
alone and records it among the results of the last full run."""

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
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="measure nothing: render OUTPUT/benchmarks.md again from OUTPUT/bench/results.json",
    )
    parser.add_argument(
        "--only",
        choices=["8"],
        help="measure this figure alone and replace its rows in OUTPUT/bench/results.json",
    )
    options = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s bench: %(message)s")
    from bench import plots, report
    from bench.machine import load_average
    from bench.notes import NOTES
    from bench.results import Results
    from bench.run import run_all, temporary_work

    output: Path = options.output
    folder = output / "bench"
    if options.report_only or options.only:
        results = Results.read_json(folder / "results.json")
        if options.only:
            from bench.slots import slot_figures

            results.measures = [m for m in results.measures if m.figure != options.only]
            slot_figures(QUICK.client_samples if options.quick else FULL.client_samples, results)
        results.notes.extend(NOTES)
        results.notes.append(str(results.extras.get("duration", "")))
    else:
        started = time.perf_counter()
        config = QUICK if options.quick else FULL
        with temporary_work() as work:
            results = run_all(config, Path(work))
        results.notes.extend(NOTES)
        one, five, _ = load_average()
        results.extras["duration"] = (
            f"This run took {time.perf_counter() - started:.0f} s; load average at its end "
            f"{one:.2f} (1 min) / {five:.2f} (5 min)."
        )
        results.notes.append(str(results.extras["duration"]))
    folder.mkdir(parents=True, exist_ok=True)
    if plots.available():
        drawn = plots.draw(results, folder)
    else:  # re-rendering a report: keep the plots the last full run drew
        drawn = sorted(folder.glob("*.png")) if options.only or options.report_only else []
    findings = FINDINGS.read_text() if FINDINGS.exists() and not options.quick else ""
    report.write(results, output / "benchmarks.md", drawn, findings)
    results.write_json(folder / "results.json")
    for line in report.table(results):
        print(line)
    return 1 if results.failures else 0


if __name__ == "__main__":
    sys.exit(main())
