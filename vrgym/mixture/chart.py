"""The coverage chart: one PNG with problems by domain, by difficulty, and the most common tags.

matplotlib is imported here only, with the non-interactive Agg backend, so `import vrgym` stays
fast and drawing works on a headless training machine. Tags below the report's `min_share` are
drawn in a warning colour next to a dashed line at the threshold, so gaps stand out at a glance.
"""

from __future__ import annotations

import os
from pathlib import Path

from vrgym.mixture.coverage import CoverageReport, ranked

WIDTH_IN, HEIGHT_IN, DPI = 14.0, 8.0, 100
"""The PNG is WIDTH_IN·DPI × HEIGHT_IN·DPI pixels (1400 × 800)."""
_OK, _LOW = "#3b6ea5", "#d1495b"


def draw_chart(report: CoverageReport, path: str | os.PathLike[str], *, title: str = "vrgym coverage", top: int = 25) -> Path:
    """Write the coverage chart of `report` to `path` (PNG) and return the path."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    path = Path(path)
    figure = plt.figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    try:
        grid = figure.add_gridspec(2, 2, width_ratios=(1, 1.3), hspace=0.45, wspace=0.8)
        _bars(figure.add_subplot(grid[0, 0]), report, ranked(report.domains), "Problems by domain")
        _bars(figure.add_subplot(grid[1, 0]), report, ranked(report.difficulties), "Problems by difficulty level")
        _tags(figure.add_subplot(grid[:, 1]), report, top)
        figure.suptitle(f"{title} — {report.total} problems", fontsize=14)
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png", dpi=DPI)
    finally:
        plt.close(figure)
    return path


def _bars(axes, report: CoverageReport, items: list[tuple[str, int]], title: str) -> None:
    names = [name for name, _ in items] or ["(none)"]
    counts = [count for _, count in items] or [0]
    bars = axes.bar(range(len(names)), counts, color=_OK)
    axes.set_xticks(range(len(names)), names, rotation=30 if len(names) > 4 else 0, ha="right" if len(names) > 4 else "center")
    for bar, count in zip(bars, counts):
        axes.annotate(f"{report.share(count):.0%}", (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                      ha="center", va="bottom", fontsize=8)  # fmt: skip
    axes.set_title(title)
    axes.set_ylabel("problems")
    axes.margins(y=0.15)


def _tags(axes, report: CoverageReport, top: int) -> None:
    low = set(report.under_covered)
    common = ranked(report.tags)
    items = common[:top]
    hidden_low = [item for item in common[top:] if item[0] in low]
    if hidden_low:  # keep the gaps visible: the rarest tags take up to a third of the rows
        room = min(len(hidden_low), max(1, top // 3))
        items = items[: top - room] + hidden_low[-room:]
    names = [name for name, _ in items] or ["(no tags)"]
    shares = [report.share(count) for _, count in items] or [0.0]
    colours = [_LOW if name in low else _OK for name in names]
    axes.barh(range(len(names)), shares, color=colours)
    axes.set_yticks(range(len(names)), names, fontsize=8)
    axes.invert_yaxis()
    axes.axvline(report.min_share, color=_LOW, linestyle="--", linewidth=1)
    axes.set_xlabel("share of problems (a problem counts once for each level of its tags)")
    missing = f"; {len(report.missing)} expected tags missing" if report.missing else ""
    axes.set_title(f"Top tags (red: below {report.min_share:.0%}{missing})")
