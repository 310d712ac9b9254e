"""Charts for pages (accessible inline SVG) and documents (PNG), drawn once by matplotlib.

Describe a chart with `Chart` (or the `bar_chart` / `trend_chart` shortcuts), then:
- `chart.svg`: inline SVG for a page. role="img", a <title> and a one-sentence <desc> named by
  aria-labelledby, a viewBox and width="100%" (no fixed pixel size), text kept as text so it
  scales and can be read and selected. The Content Security Policy forbids <style> elements and
  style attributes, so matplotlib's styles are rewritten as SVG presentation attributes.
- `chart.png()`: PNG bytes (150 dpi) for python-docx (`add_picture`) or reportlab (`Image`).
- `chart.table`: the same figures as a table. Every chart on a page comes with it:
  `{% include "core/includes/chart.html" with chart=... %}` renders the SVG and the table.

A value may be a number, None (no value), a string (a hidden value and what to say instead,
e.g. "fewer than 5"), or a `safeguarding.core.suppression.Count`. Trends over dates use a real
date axis, so a gap in the data shows as a gap, and the line breaks across it.

matplotlib is used without pyplot (no global figure state, safe across threads) on the Agg
backend. The rcParams set below at import are constants, never changed per chart.
"""

from __future__ import annotations

import datetime
import functools
import io
import math
import re
import statistics
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from django.utils.safestring import SafeString, mark_safe  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

# Deterministic SVG (fixed ids, no date) and text as text; DejaVu Sans ships with matplotlib.
matplotlib.rcParams.update(
    {
        "svg.hashsalt": "safeguarding-charts",
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 13,
    }
)

COLOURS = ("#1d70b8", "#d53880", "#00703c", "#f47738")  # GOV.UK blue, pink, green, orange
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
GRID_COLOUR = "#b1b4b6"
# Wider than the site's Helvetica: the chart is laid out with DejaVu Sans' metrics, and Verdana
# has nearly the same ones, so text set in either fits where matplotlib put it.
SVG_FONT = "DejaVu Sans, Verdana, sans-serif"
WIDTH_INCHES = 640 / 72  # 640 SVG units across, the width the page's CSS draws it at
PNG_DPI = 150
LABEL_CHARACTERS = 28  # a category label wraps onto more lines past this many characters
MAX_VALUE_LABELS = 14  # a line chart labels each point when it has no more than this

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
    description: str = ""  # the <desc>; a summary is generated when empty
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
        return render_svg(self)

    def png(self, dpi: int = PNG_DPI) -> bytes:
        return render_png(self, dpi=dpi)

    @functools.cached_property
    def table(self) -> ChartTable:
        return chart_table(self)

    @property
    def summary(self) -> str:
        return self.description.strip() or summarise(self)


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


# Drawing -------------------------------------------------------------------------------------


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_CHARACTERS, break_on_hyphens=True)) or label


def _value_formatter(chart: Chart):
    def tick(value, _position):
        if chart.decimals is not None:
            return f"{value:,.{chart.decimals}f}{chart.unit}"
        if float(value).is_integer():
            return f"{int(value):,}{chart.unit}"
        return f"{value:,.2f}".rstrip("0").rstrip(".") + chart.unit

    return FuncFormatter(tick)


def _style_axes(ax, chart: Chart, value_axis: str) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        ax.spines[side].set_color(AXIS_COLOUR)
    ax.tick_params(colors=TEXT_COLOUR, labelcolor=TEXT_COLOUR)
    ax.grid(axis=value_axis, color=GRID_COLOUR, linewidth=0.8)
    ax.set_axisbelow(True)
    axis = ax.xaxis if value_axis == "x" else ax.yaxis
    axis.set_major_formatter(_value_formatter(chart))
    if chart.decimals is None and chart.kind != "line":
        axis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    if chart.kind == "hbar":
        ax.set_xlabel(chart.y_label, color=TEXT_COLOUR)
        ax.set_ylabel(chart.x_label, color=TEXT_COLOUR)
    else:
        ax.set_xlabel(chart.x_label, color=TEXT_COLOUR)
        ax.set_ylabel(chart.y_label, color=TEXT_COLOUR)


def _limits(chart: Chart, lows: list[float], highs: list[float], room: float) -> tuple:
    low = chart.min_value if chart.min_value is not None else min([0.0, *lows])
    high = chart.max_value if chart.max_value is not None else max([0.0, *highs])
    if high <= low:
        high = low + 1
    return low, high + (high - low) * room


def _draw_hbar(fig: Figure, chart: Chart) -> None:
    labels = [_wrap(category_label(chart, c)) for c in chart.categories]
    lines = [label.count("\n") + 1 for label in labels]
    groups = len(chart.series)
    rows = [max(0.42 * groups, 0.22 * n + 0.2) for n in lines]
    height = sum(rows) + 1.0 + (0.4 if chart.y_label else 0) + (0.35 if groups > 1 else 0)
    fig.set_size_inches(WIDTH_INCHES, max(height, 1.8))
    ax = fig.add_axes((0.36, 0.0, 0.56, 1.0))
    top, positions = 0.0, []
    for row in rows:  # each row as tall as its label needs
        positions.append(top + row / 2)
        top += row
    values_max = []
    bar = 0.36
    for s_index, series in enumerate(chart.series):
        numbers = [number(v) for v in series.values]
        values_max += [n for n in numbers if n is not None]
        offsets = [p + (s_index - (groups - 1) / 2) * bar for p in positions]
        drawn = [(o, n) for o, n in zip(offsets, numbers, strict=True) if n is not None]
        bars = ax.barh(
            [o for o, _ in drawn],
            [n for _, n in drawn],
            height=bar * 0.9,
            color=COLOURS[s_index % len(COLOURS)],
            label=series.name,
        )
        ax.bar_label(
            bars,
            labels=[format_value(chart, n) for _, n in drawn],
            padding=4,
            color=TEXT_COLOUR,
        )
        for o, v in zip(offsets, series.values, strict=True):
            if number(v) is None:  # say so where the bar would be
                text = series.missing if v is None else str(v)
                ax.text(0, o, f" {text}", va="center", color=AXIS_COLOUR, fontsize=11)
    ax.set_yticks(positions, labels)
    ax.set_ylim(top, 0)
    ax.set_xlim(*_limits(chart, [], values_max, room=0.18))
    ax.tick_params(axis="y", length=0)
    _style_axes(ax, chart, "x")
    if groups > 1:
        ax.legend(loc="lower right", frameon=False)
    # Room for the labels, the axis and its title, in inches turned into fractions.
    inches = fig.get_size_inches()[1]
    bottom = (0.55 + (0.35 if chart.y_label else 0)) / inches
    ax.set_position((0.36, bottom, 0.56, 1 - bottom - 0.15 / inches))


def _draw_bar(fig: Figure, chart: Chart) -> None:
    fig.set_size_inches(WIDTH_INCHES, 4.4)
    ax = fig.add_subplot()
    groups = len(chart.series)
    width = 0.8 / groups
    values_max = []
    for s_index, series in enumerate(chart.series):
        drawn = [
            (i + (s_index - (groups - 1) / 2) * width, n)
            for i, v in enumerate(series.values)
            if (n := number(v)) is not None
        ]
        values_max += [n for _, n in drawn]
        bars = ax.bar(
            [x for x, _ in drawn],
            [n for _, n in drawn],
            width=width * 0.92,
            color=COLOURS[s_index % len(COLOURS)],
            label=series.name,
        )
        if len(chart.categories) * groups <= 2 * MAX_VALUE_LABELS:
            ax.bar_label(bars, labels=[format_value(chart, n) for _, n in drawn], padding=3)
    labels = [_wrap(category_label(chart, c)) for c in chart.categories]
    ax.set_xticks(
        range(len(labels)),
        labels,
        rotation=0 if len(labels) <= 6 else 45,
        ha="center" if len(labels) <= 6 else "right",
    )
    ax.set_ylim(*_limits(chart, [], values_max, room=0.12))
    _style_axes(ax, chart, "y")
    if groups > 1:
        ax.legend(loc="upper left", frameon=False, ncols=min(groups, 3), bbox_to_anchor=(0, 1.12))
    fig.tight_layout()


def _positions(chart: Chart) -> list:
    if chart.dated:
        return list(chart.categories)
    return list(range(len(chart.categories)))


def _breaks(chart: Chart, xs: list) -> set[int]:
    """Indexes after which the line breaks: a step more than twice the usual one (months with
    no data, or years between two runs) is drawn as a gap, not a straight line across it."""
    if not chart.dated or len(xs) < 3:
        return set()
    steps = [(b - a).days for a, b in zip(xs, xs[1:], strict=False)]
    usual = statistics.median(steps)
    return {i for i, step in enumerate(steps) if step > 2 * usual and step > 45}


def _draw_line(fig: Figure, chart: Chart) -> None:
    fig.set_size_inches(WIDTH_INCHES, 4.6)
    ax = fig.add_subplot()
    xs = _positions(chart)
    breaks = _breaks(chart, xs)
    lows, highs = [], []
    many = sum(1 for s in chart.series for v in s.values if number(v) is not None)
    for s_index, series in enumerate(chart.series):
        colour = COLOURS[s_index % len(COLOURS)]
        numbers = [number(v) for v in series.values]
        # a line per run of consecutive values: None and long gaps break it
        run_x, run_y = [], []
        for i, (x, n) in enumerate(zip(xs, numbers, strict=True)):
            if n is not None:
                run_x.append(x)
                run_y.append(n)
            if (n is None or i in breaks or i == len(xs) - 1) and run_x:
                ax.plot(run_x, run_y, color=colour, linewidth=2.5, marker="o", markersize=6)
                run_x, run_y = [], []
        ax.plot([], [], color=colour, linewidth=2.5, marker="o", label=series.name)
        lows += [n for n in numbers if n is not None]
        highs += [n for n in numbers if n is not None]
        if series.intervals is not None:
            whiskers = [
                (x, n, interval)
                for x, n, interval in zip(xs, numbers, series.intervals, strict=True)
                if n is not None and interval is not None
            ]
            if whiskers:
                ax.errorbar(
                    [x for x, _, _ in whiskers],
                    [n for _, n, _ in whiskers],
                    yerr=[
                        [n - i[0] for _, n, i in whiskers],
                        [i[1] - n for _, n, i in whiskers],
                    ],
                    fmt="none",
                    ecolor=AXIS_COLOUR,
                    elinewidth=1.5,
                    capsize=5,
                )
                lows += [i[0] for _, _, i in whiskers]
                highs += [i[1] for _, _, i in whiskers]
        if many <= MAX_VALUE_LABELS:
            for x, n in zip(xs, numbers, strict=True):
                if n is not None:
                    ax.annotate(
                        format_value(chart, n),
                        (x, n),
                        textcoords="offset points",
                        xytext=(7, 7),
                        color=TEXT_COLOUR,
                        fontsize=11,
                    )
    low, high = _limits(chart, lows, highs, room=0.0)
    if chart.min_value is None and low < 0:
        low = math.floor(low * 4) / 4  # the quarter below, as kappa charts have it
    span = high - low
    ax.set_ylim(low, high + span * (0.12 if chart.max_value is None else 0.06))
    if chart.dated:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
        if len(xs) == 1:
            day = datetime.timedelta(days=45)
            ax.set_xlim(xs[0] - day, xs[0] + day)
    else:
        labels = [_wrap(category_label(chart, c)) for c in chart.categories]
        ax.set_xticks(
            xs, labels, rotation=0 if len(xs) <= 6 else 45, ha="center" if len(xs) <= 6 else "right"
        )
        ax.set_xlim(-0.5, max(len(xs) - 0.5, 0.5))
    _style_axes(ax, chart, "y")
    if low < 0 < high:
        ax.axhline(0, color=AXIS_COLOUR, linewidth=1)
    if len(chart.series) > 1:
        ax.legend(
            loc="upper left",
            frameon=False,
            ncols=min(len(chart.series), 3),
            bbox_to_anchor=(0, 1.14),
        )
    fig.tight_layout()


def draw(chart: Chart) -> Figure:
    """The matplotlib Figure for the chart (not attached to pyplot)."""
    fig = Figure(figsize=(WIDTH_INCHES, 4), facecolor="white")
    {"hbar": _draw_hbar, "bar": _draw_bar, "line": _draw_line}[chart.kind](fig, chart)
    return fig


def render_png(chart: Chart, *, dpi: int = PNG_DPI) -> bytes:
    buffer = io.BytesIO()
    draw(chart).savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


# The SVG for a page --------------------------------------------------------------------------

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)
_FONT_FAMILY = re.compile(r"font-family:\s*[^;]+")


def _presentation_attributes(element: ET.Element) -> None:
    """style="fill: #fff; stroke-width: 0.8" → fill="#fff" stroke-width="0.8": the CSP forbids
    style attributes, and every property matplotlib writes is also a presentation attribute."""
    style = element.attrib.pop("style", None)
    if not style:
        return
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if not name:
            continue
        if name == "font-family":
            value = SVG_FONT
        elif name == "font":  # "12px 'DejaVu Sans'" shorthand
            size = value.split()[0]
            element.set("font-size", size)
            name, value = "font-family", SVG_FONT
        element.set(name, value)


def svg_markup(chart: Chart, figure: Figure | None = None) -> str:
    buffer = io.BytesIO()
    (figure or draw(chart)).savefig(
        buffer, format="svg", metadata={"Date": None, "Creator": None, "Format": None}
    )
    root = ET.fromstring(buffer.getvalue())  # noqa: S314 (matplotlib's own output)
    prefix = chart.chart_id
    for parent in list(root.iter()):
        for child in list(parent):
            if child.tag in (f"{{{SVG_NS}}}style", f"{{{SVG_NS}}}metadata"):
                parent.remove(child)
    ids = {}
    for element in root.iter():
        _presentation_attributes(element)
        if "id" in element.attrib:  # unique on a page with several charts
            ids[element.get("id")] = f"{prefix}-{element.get('id')}"
            element.set("id", ids[element.get("id")])

    def relink(value: str) -> str:
        return re.sub(r"#([\w.\-]+)", lambda m: "#" + ids.get(m.group(1), m.group(1)), value)

    href = f"{{{XLINK_NS}}}href"
    for element in root.iter():
        for name in ("clip-path", "mask", "fill", href):
            if name in element.attrib and "#" in element.get(name):
                element.set(name, relink(element.get(name)))
    for name in ("width", "height", "version"):
        root.attrib.pop(name, None)
    root.attrib.update(
        {
            "width": "100%",
            "preserveAspectRatio": "xMinYMin meet",
            "class": "app-chart",
            "role": "img",
            "aria-labelledby": f"{prefix}-title {prefix}-desc",
            "stroke-linejoin": "round",  # what matplotlib's <style> element said
            "stroke-linecap": "butt",
        }
    )
    title = ET.Element(f"{{{SVG_NS}}}title", {"id": f"{prefix}-title"})
    title.text = chart.title
    desc = ET.Element(f"{{{SVG_NS}}}desc", {"id": f"{prefix}-desc"})
    desc.text = chart.summary
    root.insert(0, desc)
    root.insert(0, title)
    ET.indent(root, space="")
    return ET.tostring(root, encoding="unicode")


def render_svg(chart: Chart) -> SafeString:
    # ElementTree escapes every text and attribute, so the markup is safe to output as it is.
    return mark_safe(svg_markup(chart))  # noqa: S308
