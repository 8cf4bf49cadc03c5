"""Geometry for the server-rendered SVG charts of the executive pages (no JavaScript, no inline styles).

Horizontal positions are percentages of the chart's width and vertical ones are pixels, so a chart
fills any screen width while its text keeps a readable size (no viewBox scaling).
"""
from __future__ import annotations

from dataclasses import dataclass, field


def nice_step(maximum: int, ticks: int = 4) -> int:
    """A round tick step (1, 2, 5 x 10^k) giving at most ``ticks`` steps up to ``maximum``."""
    if maximum <= 0:
        return 1
    raw = maximum / ticks
    magnitude = 1
    while magnitude * 10 <= raw:
        magnitude *= 10
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return max(factor * magnitude, 1)
    return 10 * magnitude


@dataclass(frozen=True)
class HBar:
    """One row of a horizontal bar chart."""

    label: str
    value: int
    #: Bar length in percent of the chart's width (0..100).
    percent: float
    #: Top of the row in pixels.
    y: int


@dataclass(frozen=True)
class HBarChart:
    """Label above each bar, value at the right end of the label line."""

    rows: list[HBar]
    row_height: int
    bar_height: int
    label_height: int
    height: int


def hbar_chart(items: list[tuple[str, int]], row_height: int = 44, bar_height: int = 16) -> HBarChart:
    """Rows for ``(label, value)`` items, bars scaled to the largest value."""
    top = max((v for _, v in items), default=0)
    label_height = row_height - bar_height - 6
    rows = [HBar(str(label), int(value), round(100.0 * value / top, 2) if top else 0.0, i * row_height)
            for i, (label, value) in enumerate(items)]
    return HBarChart(rows, row_height, bar_height, label_height, max(len(rows), 1) * row_height)


@dataclass(frozen=True)
class Segment:
    """One stacked part of a column."""

    key: str
    label: str
    value: int
    y: float
    height: float


@dataclass(frozen=True)
class Column:
    """One column (e.g. a month) of stacked segments."""

    label: str
    title: str
    total: int
    #: Left edge, width and centre in percent of the chart's width.
    x: float
    width: float
    center: float
    top: float
    segments: list[Segment] = field(default_factory=list)


@dataclass(frozen=True)
class ColumnChart:
    """Stacked columns with horizontal grid lines."""

    columns: list[Column]
    #: (value, y in pixels) of each grid line, bottom first.
    ticks: list[tuple[int, float]]
    height: int
    plot_top: int
    plot_bottom: int
    axis_label_y: int


def column_chart(columns: list[tuple[str, str, list[tuple[str, str, int]]]], height: int = 240,
                 left: float = 7.0) -> ColumnChart:
    """Columns of ``(label, title, [(key, label, value), ...])`` stacked bottom-up.

    ``left`` percent of the width is kept free for the grid-line values.
    """
    plot_top, plot_bottom = 16, height - 28
    plot_height = plot_bottom - plot_top
    totals = [sum(v for _, _, v in segs) for _, _, segs in columns]
    step = nice_step(max(totals, default=0))
    scale_max = max(step * -(-max(totals, default=0) // step), step)
    slot = (100.0 - left) / max(len(columns), 1)
    width = slot * 0.64
    out = []
    for i, (label, title, segs) in enumerate(columns):
        x = left + i * slot + (slot - width) / 2
        bottom = float(plot_bottom)
        parts = []
        for key, seg_label, value in segs:
            h = plot_height * value / scale_max
            bottom -= h
            parts.append(Segment(key, seg_label, value, round(bottom, 2), round(h, 2)))
        out.append(Column(label, title, totals[i], round(x, 3), round(width, 3), round(x + width / 2, 3),
                          round(bottom, 2), [p for p in parts if p.value]))
    ticks = [(v, round(plot_bottom - plot_height * v / scale_max, 2)) for v in range(0, scale_max + 1, step)]
    return ColumnChart(out, ticks, height, plot_top, plot_bottom, height - 8)
