"""The score chart of `newsflow eval` and `newsflow compare`: bars with 95% intervals, as a PNG."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from eval.report import Score

# The bars of each series, in order (seaborn's "deep" colors); a fifth series reuses the first.
SERIES_COLORS = ["#4C72B0", "#DD8452", "#55A868", "#C44E52"]


def _error(score: Score) -> tuple[float, float]:
    """Error bar lengths below and above the bar (the interval is around μ, not the score)."""
    if score.low is None or score.high is None:
        return 0.0, 0.0
    return max(score.score - score.low, 0.0), max(score.high - score.score, 0.0)


def _series_bars(
    data: dict[str, dict[str, Score]],
    metric: str,
    languages: Sequence[str],
    offset: float,
) -> tuple[list[float], list[float], list[float], list[float]]:
    """(x positions, heights, lengths below, lengths above) of one series' bars in one panel.

    A language the series has no score for gets no bar, so the other series keep their places.
    """
    xs: list[float] = []
    heights: list[float] = []
    lows: list[float] = []
    highs: list[float] = []
    for i, lang in enumerate(languages):
        score = data.get(lang, {}).get(metric)
        if score is None:
            continue
        below, above = _error(score)
        xs.append(i + offset)
        heights.append(score.score)
        lows.append(below)
        highs.append(above)
    return xs, heights, lows, highs


def _draw_panel(
    axis: Axes,
    series: Sequence[tuple[str, dict[str, dict[str, Score]]]],
    metric: str,
    languages: Sequence[str],
    marks: dict[tuple[str, str], str],
) -> None:
    """One metric's panel: every series' bars with their values and intervals, then the marks."""
    width = 0.8 / max(len(series), 1)
    top = 0.0  # the highest error bar's end: the marks and the y range sit above it
    for k, (label, data) in enumerate(series):
        # The series are centred side by side around each language's tick.
        offset = (k - (len(series) - 1) / 2) * width
        xs, heights, lows, highs = _series_bars(data, metric, languages, offset)
        for height, above in zip(heights, highs, strict=True):
            top = max(top, height + above)
        bars = axis.bar(
            xs,
            heights,
            width * 0.95,
            yerr=[lows, highs],
            capsize=4,
            label=label,
            color=SERIES_COLORS[k % len(SERIES_COLORS)],
        )
        axis.bar_label(bars, labels=[f"{h:.1f}" for h in heights], padding=2, fontsize=8)
    for i, lang in enumerate(languages):
        mark = marks.get((lang, metric))
        if mark:
            axis.annotate(mark, (i, top * 1.08 + 1), ha="center", fontsize=12)
    better = "lower is better" if metric == "TER" else "higher is better"
    axis.set_title(f"{metric} ({better})")
    axis.set_xticks(range(len(languages)), languages)
    axis.set_ylim(0, max(top * 1.25, 1.0) + 2)
    axis.grid(axis="y", alpha=0.3)


def plot_scores(
    series: Sequence[tuple[str, dict[str, dict[str, Score]]]],
    metrics: Sequence[str],
    path: Path,
    title: str,
    marks: dict[tuple[str, str], str] | None = None,
) -> Path:
    """Bars per language for each metric, with 95% intervals; several series side by side.

    `series`: (label, {language: {metric: Score}}); one panel per metric of `metrics`;
    `marks[(language, metric)]` is written above the group (the compare chart's significance
    stars).
    """
    import matplotlib

    matplotlib.use("Agg")  # no display: the chart only goes to a file
    import matplotlib.pyplot as plt

    # Every language any series has, in first-seen order: one group of bars each.
    languages = list(dict.fromkeys(lang for _, data in series for lang in data))
    figure, axes = plt.subplots(1, len(metrics), figsize=(4.2 * len(metrics), 4.2))
    for axis, metric in zip(axes, metrics, strict=True):
        _draw_panel(axis, series, metric, languages, marks or {})
    if len(series) > 1:
        axes[0].legend(loc="upper left", fontsize=8)
    figure.suptitle(title)
    figure.text(
        0.5,
        0.005,
        "error bars: sacrebleu 95% bootstrap interval (μ ± ci95)",
        ha="center",
        fontsize=8,
        color="#555555",
    )
    figure.tight_layout(rect=(0, 0.03, 1, 1))  # leave the bottom strip to the note above
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
