"""The measured figures as rows: what was measured, ours against the naive baseline, the target."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bench.stats import Summary


@dataclass
class Measure:
    figure: str  # "1", "1*", "2", … "7": the numbering (1* = over a real server)
    title: str
    case: str
    unit: str
    ours: Summary
    naive: Summary | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        """How many times the baseline's median is ours (higher is better for ours)."""
        if self.naive is None or self.ours.median <= 0:
            return None
        return self.naive.median / self.ours.median


@dataclass
class Results:
    machine: dict[str, str]
    measures: list[Measure] = field(default_factory=list)
    extras: dict[str, object] = field(default_factory=dict)  # raw series for the plots
    notes: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def add(self, measure: Measure) -> Measure:
        self.measures.append(measure)
        return measure

    def figures(self) -> set[str]:
        return {m.figure.rstrip("*") for m in self.measures}

    def write_json(self, path: Path) -> None:
        data = {
            "machine": self.machine,
            "measures": [asdict(m) | {"ratio": m.ratio} for m in self.measures],
            "notes": self.notes,
            "failures": self.failures,
            "extras": self.extras,
        }
        path.write_text(json.dumps(data, indent=1, default=_plain))

    @classmethod
    def read_json(cls, path: Path) -> Results:
        """A run written by `write_json`, to render its report again (`--report-only`)."""
        data = json.loads(path.read_text())
        results = cls(data["machine"], notes=[], failures=data["failures"], extras=data["extras"])
        for row in data["measures"]:
            row.pop("ratio", None)
            naive = row.pop("naive")
            ours = row.pop("ours")
            results.add(
                Measure(
                    **row,
                    ours=Summary(**ours),
                    naive=None if naive is None else Summary(**naive),
                )
            )
        return results


def _plain(value: object) -> object:
    if isinstance(value, Summary):
        return value.as_dict()
    return str(value)
