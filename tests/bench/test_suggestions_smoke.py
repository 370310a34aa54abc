"""Figure B cannot rot: `python -m bench.suggestions --quick` (1k bookings) runs in a subprocess
and merges its row, with positive numbers and slots found, into the report it writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(300)
def test_quick_suggestions_figure(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench.suggestions", "--quick", "--output", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=280,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    data = json.loads((tmp_path / "bench" / "results.json").read_text())
    rows = [m for m in data["measures"] if m["figure"] == "B"]
    assert len(rows) == 1
    assert rows[0]["ours"]["median"] > 0
    assert rows[0]["ours"]["p99"] > 0
    assert "22-22 slots a day" in rows[0]["note"]
    assert "| B |" in (tmp_path / "benchmarks.md").read_text()
