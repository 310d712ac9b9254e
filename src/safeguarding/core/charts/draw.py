"""Drawing a `Chart` with matplotlib, without pyplot (no global figure state, safe across
threads) on the Agg backend. The rcParams set below at import are constants, never changed per
chart."""

from __future__ import annotations

import datetime
import io
import math
import statistics
import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.dates as mdates  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import FuncFormatter, MaxNLocator  # noqa: E402

from safeguarding.core.charts.model import (  # noqa: E402
    AXIS_COLOUR,
    COLOURS,
    GRID_COLOUR,
    PNG_DPI,
    TEXT_COLOUR,
    Chart,
    category_label,
    format_value,
    number,
)

# Deterministic SVG (fixed ids, no date) and text as text; DejaVu Sans ships with matplotlib.
matplotlib.rcParams.update(
    {
        "svg.hashsalt": "safeguarding-charts",
        "svg.fonttype": "none",
        "font.family": "DejaVu Sans",
        "font.size": 14,
    }
)

WIDTH_INCHES = 640 / 72  # 640 SVG units across, the width the page's CSS draws it at
LABEL_CHARACTERS = 28  # a category label wraps onto more lines past this many characters
MAX_VALUE_LABELS = 14  # a line chart labels each point when it has no more than this


def _wrap(label: str) -> str:
    return "\n".join(textwrap.wrap(label, LABEL_CHARACTERS, break_on_hyphens=True)) or label


def _value_formatter(chart: Chart):
    def tick(value, _position):
        if chart.decimals is not None and (chart.kind == "line" or not float(value).is_integer()):
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
    elif chart.kind == "line":  # kappa in quarters (-0.25 to 1), counts in whole numbers
        whole = chart.decimals is None
        steps = [1, 2, 5, 10] if whole else [1, 2.5, 5, 10]
        axis.set_major_locator(MaxNLocator(nbins=7, steps=steps, integer=whole))
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
                ax.text(0, o, f" {text}", va="center", color=AXIS_COLOUR, fontsize=12)
    ax.set_yticks(positions, labels)
    ax.set_ylim(top or 1, 0)  # an empty chart still has an axis
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


def _crowded(chart: Chart, xs: list) -> bool:
    """Points too close for a label each: months bunched at either end of a long gap."""
    if not chart.dated or len(xs) < 2:
        return False
    span = (xs[-1] - xs[0]).days
    return min((b - a).days for a, b in zip(xs, xs[1:], strict=False)) < span / 25


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
        if many <= MAX_VALUE_LABELS and not _crowded(chart, xs):
            for x, n in zip(xs, numbers, strict=True):
                if n is not None:
                    ax.annotate(
                        format_value(chart, n),
                        (x, n),
                        textcoords="offset points",
                        xytext=(7, 7),
                        color=TEXT_COLOUR,
                        fontsize=12,
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
