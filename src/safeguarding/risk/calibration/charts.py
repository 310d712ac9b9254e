"""The calibration trend as a server-side SVG line chart, built the same way as
learning/charts.py: escaped with format_html, no inline styles (the CSP forbids them), role="img"
with a <title> and a <desc> listing every value; the page shows the same figures in a table.

Kappa can be below zero, which the bar charts cannot show, hence a chart of its own.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from safeguarding.learning.charts import AXIS_COLOUR, BAR_COLOUR, FONT, TEXT_COLOUR

WIDTH = 640
HEIGHT = 300
LEFT = 56
RIGHT = 24
TOP = 16
BOTTOM = 64
GRID_COLOUR = "#b1b4b6"


def _fmt(value: float) -> str:
    return f"{value:.2f}"


def trend_chart_svg(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    intervals: Sequence[tuple[float, float] | None] | None = None,
    title: str,
    description: str = "",
    chart_id: str = "",
) -> SafeString:
    """Points joined by a line, one per label, on a y axis from below zero (when needed) to 1.
    A None value is a gap (shown as "not calculated" in the description). `intervals` draws a
    whisker for each point's 95% confidence interval."""
    labels = [str(label) for label in labels]
    intervals = list(intervals or [None] * len(labels))
    if not (len(labels) == len(values) == len(intervals)):
        raise ValueError("Give one value and one interval for each label.")
    lows = [v for v in values if v is not None] + [i[0] for i in intervals if i]
    bottom_value = math.floor(min([0.0] + lows) * 4) / 4  # zero, or the quarter below
    plot_height = HEIGHT - TOP - BOTTOM
    plot_width = WIDTH - LEFT - RIGHT
    chart_id = chart_id or f"chart-{secrets.token_hex(4)}"

    def y(value: float) -> float:
        return round(TOP + plot_height * (1 - (value - bottom_value) / (1 - bottom_value)), 1)

    def x(index: int) -> float:
        if len(labels) == 1:
            return LEFT + plot_width / 2
        return round(LEFT + 20 + (plot_width - 40) * index / (len(labels) - 1), 1)

    ticks = [t / 4 for t in range(int(bottom_value * 4), 5)]
    grid = format_html_join(
        "\n",
        '<g><line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"></line>'
        '<text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text></g>',
        ((LEFT, y(t), WIDTH - RIGHT, y(t), GRID_COLOUR, LEFT - 6, y(t), _fmt(t)) for t in ticks),
    )
    points = [(x(i), y(v)) for i, v in enumerate(values) if v is not None]
    line = " ".join(f"{px},{py}" for px, py in points)
    whiskers = format_html_join(
        "\n",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2"></line>',
        (
            (x(i), y(interval[0]), x(i), y(interval[1]), AXIS_COLOUR)
            for i, interval in enumerate(intervals)
            if interval is not None and values[i] is not None
        ),
    )
    dots = format_html_join(
        "\n",
        '<g><circle cx="{}" cy="{}" r="5" fill="{}"></circle>'
        '<text x="{}" y="{}" text-anchor="middle">{}</text></g>',
        (
            (x(i), y(v), BAR_COLOUR, x(i), y(v) - 10, _fmt(v))
            for i, v in enumerate(values)
            if v is not None
        ),
    )
    names = format_html_join(
        "\n",
        '<text x="{}" y="{}" text-anchor="middle">{}</text>',
        ((x(i), HEIGHT - BOTTOM + 22, label[:24]) for i, label in enumerate(labels)),
    )
    listing = "; ".join(
        f"{label}: "
        + ("not calculated" if value is None else _fmt(value))
        + (f" (95% interval {_fmt(i[0])} to {_fmt(i[1])})" if i and value is not None else "")
        for label, value, i in zip(labels, values, intervals, strict=True)
    )
    desc = " ".join(part for part in (description.strip(), listing + ".") if part)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="14" '
        'fill="{text}">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        "{grid}"
        '<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="3"></polyline>'
        "{whiskers}{dots}{names}"
        "</svg>",
        width=WIDTH,
        height=HEIGHT,
        id=chart_id,
        font=FONT,
        text=TEXT_COLOUR,
        title=title,
        desc=desc,
        grid=grid,
        line=line,
        colour=BAR_COLOUR,
        whiskers=whiskers,
        dots=dots,
        names=names,
    )
