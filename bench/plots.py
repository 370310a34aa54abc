"""The report's plots (matplotlib, Agg): PNG files next to docs/benchmarks.md."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from bench.results import Results


def available() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def draw(results: Results, folder: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    folder.mkdir(parents=True, exist_ok=True)
    made = [
        _latency(results, folder / "event_to_row.png"),
        _starts(results, folder / "initial_load.png"),
        _fanout(results, folder / "fanout.png"),
        _traffic(results, folder / "traffic.png"),
    ]
    return [path for path in made if path is not None]


def _bars(ax: Any, labels: list[str], series: dict[str, list[float]], log: bool) -> None:
    width = 0.8 / max(1, len(series))
    for offset, (name, values) in enumerate(series.items()):
        xs = [i + offset * width for i in range(len(labels))]
        bars = ax.bar(xs, values, width, label=name)
        ax.bar_label(bars, labels=[_short(v) for v in values], fontsize=7, padding=2)
    ax.set_xticks([i + width * (len(series) - 1) / 2 for i in range(len(labels))], labels)
    if log:
        ax.set_yscale("log")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)


def _short(value: float) -> str:
    if math.isnan(value):
        return ""  # not measured for this case: no bar, no label
    if value >= 1000:
        return f"{value / 1000:.1f}k" if value < 1e6 else f"{value / 1e6:.1f}M"
    return f"{value:.3g}"


def _latency(results: Results, path: Path) -> Path | None:
    import matplotlib.pyplot as plt

    rows = [m for m in results.measures if m.figure in ("1", "1*") and m.naive is not None]
    if not rows:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, figure, title in (
        (axes[0], "1", "client part: frame → repainted row"),
        (axes[1], "1*", "real server: commit → repainted row"),
    ):
        chosen = [m for m in rows if m.figure == figure]
        labels = [m.case for m in chosen]
        _bars(
            ax,
            labels,
            {
                "ours p50": [m.ours.median for m in chosen],
                "ours p99": [m.ours.p99 for m in chosen],
                "naive p50": [m.naive.median for m in chosen if m.naive],
            },
            log=True,
        )
        ax.axhline(5, color="red", linestyle="--", linewidth=0.8)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("bookings loaded")
        ax.set_ylabel("ms (log scale); red line: 5 ms target")
    fig.suptitle("Event → repainted row: ours vs naive poll-and-reset")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _starts(results: Results, path: Path) -> Path | None:
    import matplotlib.pyplot as plt

    time_rows = [m for m in results.measures if m.figure in ("3", "7") and m.unit == "s"]
    rss_rows = [m for m in results.measures if m.figure in ("3", "7") and m.unit == "MB"]
    if not time_rows:
        return None
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, chosen, unit, target in (
        (axes[0], time_rows, "s", 1.0),
        (axes[1], rss_rows, "MB", 350.0),
    ):
        labels = [f"{'load' if m.figure == '3' else 'cache start'}\n{m.case}" for m in chosen]
        _bars(
            ax,
            labels,
            {
                "ours": [m.ours.median for m in chosen],
                "naive": [m.naive.median if m.naive else math.nan for m in chosen],
            },
            log=False,
        )
        ax.axhline(target, color="red", linestyle="--", linewidth=0.8)
        ax.set_ylabel(f"{unit} (red line: target {target:g} {unit})")
    axes[0].set_title("time to first painted row", fontsize=10)
    axes[1].set_title("peak RSS of the whole app process", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _fanout(results: Results, path: Path) -> Path | None:
    import matplotlib.pyplot as plt

    ours = results.extras.get("fanout_socket_ms")
    naive = results.extras.get("fanout_naive_ms")
    if not isinstance(ours, list) or not ours:
        return None
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for name, samples in (("WebSocket (ours)", ours), ("naive 3 s polling", naive)):
        if isinstance(samples, list) and samples:
            ordered = sorted(float(s) for s in samples)
            ys = [(i + 1) / len(ordered) for i in range(len(ordered))]
            ax.plot(ordered, ys, label=name)
    ax.set_xscale("log")
    ax.axvline(50, color="red", linestyle="--", linewidth=0.8)
    ax.set_xlabel("ms from commit to delivery (log scale); red line: 50 ms target")
    ax.set_ylabel("fraction of deliveries")
    ax.set_title(f"Fan-out to {results.extras.get('fanout_clients')} clients of one server process")
    ax.legend()
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _traffic(results: Results, path: Path) -> Path | None:
    import matplotlib.pyplot as plt

    traffic = results.extras.get("traffic")
    if not isinstance(traffic, dict) or not traffic:
        return None
    labels = list(traffic)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, key, title in (
        (axes[0], "requests", "HTTP requests per minute per client"),
        (axes[1], "bytes", "bytes per minute per client (log scale)"),
    ):
        values = [float(traffic[label][key]) for label in labels]
        shown = [max(v, 0.5) for v in values] if key == "bytes" else values
        bars = ax.bar(range(len(labels)), shown)
        ax.bar_label(bars, labels=[_short(v) for v in values], fontsize=7)
        ax.set_xticks(
            range(len(labels)), [label.replace(", ", "\n") for label in labels], fontsize=8
        )
        ax.set_title(title, fontsize=10)
        ax.grid(axis="y", alpha=0.3)
        if key == "bytes":
            ax.set_yscale("log")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
