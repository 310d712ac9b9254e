"""What a chart shows: `Series`, `Chart`, the `bar_chart` / `trend_chart` shortcuts, and the
figures as a table (`ChartTable`) and a one-sentence summary. Drawing is in draw.py, the page's
SVG in svg.py."""

from __future__ import annotations

import datetime
import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from django.utils.safestring import SafeString

COLOURS = ("#1d70b8", "#d53880", "#00703c", "#f47738")  # GOV.UK blue, pink, green, orange
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
PNG_DPI = 150

Kind = Literal["bar", "hbar", "line"]
Value = Any  # float | int | None | str | Count


@dataclass(frozen=True)
class Series:
    """One set of values, one per category. `intervals` (low, high) draw whiskers, e.g. a 95%
    confidence interval for kappa. `missing` is what the table says for a None value."""

    name: str
    values: Sequence[Value]
    intervals: Sequence[tuple[float, float] | None] | None = None
    missing: str = "no value"


@dataclass(frozen=True)
class ChartTable:
    caption: str
    headers: list[str]
    rows: list[list[str]]  # the first cell of each row is its category


@dataclass(frozen=True)
class Chart:
    """What to draw. kind: "hbar" (horizontal bars, one per category, long labels wrap), "bar"
    (vertical bars, one group per category) or "line" (a trend: categories are dates for a
    real date axis, or labels spaced evenly)."""

    kind: Kind
    title: str
    categories: Sequence[str | datetime.date]
    series: Sequence[Series]
    description: str = ""  # opens the <desc>; a generated summary of the figures follows
    x_label: str = ""
    y_label: str = ""  # the value axis (the x axis of an "hbar" chart)
    unit: str = ""  # after each value: "%"
    decimals: int | None = None  # None: whole numbers as such, others to two places
    min_value: float | None = None
    max_value: float | None = None
    chart_id: str = ""
    category_header: str = ""  # the table's first column; x_label when empty

    def __post_init__(self):
        if self.kind not in ("bar", "hbar", "line"):
            raise ValueError(f"Unknown chart kind {self.kind!r}.")
        if not self.series:
            raise ValueError("A chart needs at least one series.")
        for series in self.series:
            if len(series.values) != len(self.categories):
                raise ValueError("Give one value for each category.")
            if series.intervals is not None and len(series.intervals) != len(self.categories):
                raise ValueError("Give one interval (or None) for each category.")
            if self.kind != "line" and any((number(v) or 0) < 0 for v in series.values):
                raise ValueError("Bar charts show counts and averages: values cannot be negative.")
        if not self.chart_id:
            slug = re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")[:40]
            object.__setattr__(self, "chart_id", f"chart-{slug or 'figure'}")

    @property
    def dated(self) -> bool:
        return bool(self.categories) and all(isinstance(c, datetime.date) for c in self.categories)

    @functools.cached_property
    def svg(self) -> SafeString:
        from safeguarding.core.charts.svg import render_svg  # draws with matplotlib

        return render_svg(self)

    def png(self, dpi: int = PNG_DPI) -> bytes:
        from safeguarding.core.charts.draw import render_png

        return render_png(self, dpi=dpi)

    @functools.cached_property
    def table(self) -> ChartTable:
        return chart_table(self)

    @property
    def summary(self) -> str:
        return " ".join(part for part in (self.description.strip(), summarise(self)) if part)


# Building charts ---------------------------------------------------------------------------


def bar_chart(
    labels: Sequence[str],
    values: Sequence[Value],
    *,
    title: str,
    name: str = "Value",
    description: str = "",
    value_label: str = "",
    category_header: str = "",
    unit: str = "",
    decimals: int | None = None,
    max_value: float | None = None,
    chart_id: str = "",
    missing: str = "no value",
) -> Chart:
    """Horizontal bars, one per label: counts by agency, by sector, by course, ratings by level,
    the share of exact ratings by exercise (max_value=100, unit="%")."""
    return Chart(
        kind="hbar",
        title=title,
        categories=[str(label) for label in labels],
        series=[Series(name, list(values), missing=missing)],
        description=description,
        y_label=value_label,
        unit=unit,
        decimals=decimals,
        max_value=max_value,
        chart_id=chart_id,
        category_header=category_header,
    )


def trend_chart(
    dates: Sequence[datetime.date | str],
    series: Sequence[Series | tuple[str, Sequence[Value]]],
    *,
    title: str,
    description: str = "",
    value_label: str = "",
    category_header: str = "",
    unit: str = "",
    decimals: int | None = None,
    min_value: float | None = None,
    max_value: float | None = None,
    chart_id: str = "",
) -> Chart:
    """A line per series over time: children on one list only month by month (two series),
    kappa by exercise with its interval (Series(..., intervals=...), min_value, max_value=1)."""
    return Chart(
        kind="line",
        title=title,
        categories=list(dates),
        series=[s if isinstance(s, Series) else Series(s[0], list(s[1])) for s in series],
        description=description,
        y_label=value_label,
        unit=unit,
        decimals=decimals,
        min_value=min_value,
        max_value=max_value,
        chart_id=chart_id,
        category_header=category_header,
    )


# Values -------------------------------------------------------------------------------------


def number(value: Value) -> float | None:
    """The number to draw, or None when there is none (missing, suppressed or withheld)."""
    if value is None or isinstance(value, str):
        return None
    if hasattr(value, "value") and not isinstance(value, int | float):
        value = value.value  # a Count: None when hidden
        if value is None:
            return None
    result = float(value)
    return None if math.isnan(result) else result


def format_value(chart: Chart, value: Value, missing: str = "no value") -> str:
    """A value as the table and the description say it: 1200 → "1,200", 4.5 → "4.50",
    a hidden value → its text ("fewer than 5")."""
    n = number(value)
    if n is None:
        return missing if value is None else str(value)
    if chart.decimals is not None:
        text = f"{n:,.{chart.decimals}f}"
    elif n.is_integer():
        text = f"{int(n):,}"
    else:
        text = f"{n:,.2f}"
    return text + chart.unit


def category_label(chart: Chart, category: str | datetime.date) -> str:
    if isinstance(category, datetime.date):
        return category.strftime("%B %Y")
    return str(category)


def chart_table(chart: Chart) -> ChartTable:
    """The figures behind the chart: a row per category, a column per series (and one for each
    series' interval)."""
    headers = [chart.category_header or chart.x_label or ("Month" if chart.dated else "")]
    for series in chart.series:
        headers.append(series.name)
        if series.intervals is not None:
            headers.append(f"{series.name}: 95% interval")
    rows = []
    for index, category in enumerate(chart.categories):
        row = [category_label(chart, category)]
        for series in chart.series:
            value = series.values[index]
            row.append(format_value(chart, value, series.missing))
            if series.intervals is not None:
                interval = series.intervals[index]
                shown = interval is not None and number(value) is not None
                row.append(
                    f"{format_value(chart, interval[0])} to {format_value(chart, interval[1])}"
                    if shown
                    else ""
                )
        rows.append(row)
    return ChartTable(caption=chart.title, headers=headers, rows=rows)


def summarise(chart: Chart) -> str:
    """One sentence for the <desc> when the caller gives none."""
    parts = []
    for series in chart.series:
        points = [
            (category_label(chart, c), n)
            for c, v in zip(chart.categories, series.values, strict=True)
            if (n := number(v)) is not None
        ]
        name = series.name if len(chart.series) > 1 else ""
        if not points:
            parts.append(f"{name or 'the chart'} has no values to show")
        elif chart.kind == "line":
            first, last = points[0], points[-1]
            parts.append(
                f"{name + ' ' if name else ''}went from {format_value(chart, first[1])} in "
                f"{first[0]} to {format_value(chart, last[1])} in {last[0]}"
            )
        else:
            high = max(points, key=lambda p: p[1])
            low = min(points, key=lambda p: p[1])
            parts.append(
                f"{name + ': ' if name else ''}highest {high[0]} "
                f"({format_value(chart, high[1])}), lowest {low[0]} ({format_value(chart, low[1])})"
            )
    text = "; ".join(parts)
    return f"{chart.title}: {text}. The table gives every figure."
