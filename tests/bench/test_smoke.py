"""The benchmarks cannot rot: `python -m bench --quick` runs in a subprocess and must produce
every figure of issue 9 (and issue 8's start from cache) with positive numbers and the report."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FIGURES = {"1", "1*", "2", "3", "4", "5", "6", "7", "8"}


# Caps only: the quick run takes ~30 s of CPU, but over 100 s of wall time on a loaded machine.
@pytest.mark.timeout(600)
def test_quick_run_produces_every_figure(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--output", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=540,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    report = tmp_path / "benchmarks.md"
    data = json.loads((tmp_path / "bench" / "results.json").read_text())
    assert report.exists()
    assert "| 1* |" in report.read_text()
    assert data["failures"] == []
    assert {m["figure"] for m in data["measures"]} == FIGURES
    for measure in data["measures"]:
        assert measure["ours"]["median"] > 0, measure
        assert measure["ours"]["p99"] > 0, measure
        if measure["naive"] is not None:
            assert measure["naive"]["median"] > 0, measure
    assert data["machine"]["cores"]
    double_bookings = data["extras"]["writes"]["overlaps"]
    assert double_bookings == 0
