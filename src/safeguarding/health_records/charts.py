"""The month-by-month trend of unknown children as inline SVG: two columns a month (one per list),
accessible (role="img", a <title>, and a <desc> listing every value) and allowed by the Content
Security Policy (presentation attributes only). The page shows the same figures in a table.
Suppressed months ("fewer than 5") are drawn as an empty slot and said so in the description."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

COLOURS = ("#1d70b8", "#d53880")  # GOV.UK blue and pink: both 4.5:1 or more against white
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"
WIDTH, HEIGHT = 680, 300
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 36, 52


def _plain(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def trend_chart_svg(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int | str]]],
    *,
    title: str,
    chart_id: str,
    description: str = "",
) -> SafeString:
    numbers = [v for _, values in series for v in values if isinstance(v, int)]
    top_value = max(numbers, default=0) or 1
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(labels), 1)
    column = max(2.0, min(22.0, (slot - 6) / max(len(series), 1)))
    bars = []
    for s_index, (_, values) in enumerate(series):
        shapes = []
        for m_index, value in enumerate(values):
            if not isinstance(value, int):
                continue  # suppressed: nothing drawn, the description says "fewer than 5"
            height = round(plot_h * value / top_value, 1)
            x = LEFT + m_index * slot + (slot - column * len(series)) / 2 + s_index * column
            shapes.append((round(x, 1), round(TOP + plot_h - height, 1), column, height))
        bars.append(
            format_html_join(
                "",
                '<rect x="{}" y="{}" width="{}" height="{}" fill="'
                + COLOURS[s_index % 2]
                + '"></rect>',
                shapes,
            )
        )
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>',
        [
            (round(LEFT + i * slot + slot / 2, 1), HEIGHT - BOTTOM + 18 + (i % 2) * 14, label)
            for i, label in enumerate(labels)
        ],
    )
    legend = format_html_join(
        "",
        '<rect x="{}" y="8" width="14" height="14" fill="{}"></rect>'
        '<text x="{}" y="20" font-size="13">{}</text>',
        [
            (LEFT + i * 300, COLOURS[i % 2], LEFT + i * 300 + 20, name)
            for i, (name, _) in enumerate(series)
        ],
    )
    listing = "; ".join(
        f"{label}: " + ", ".join(f"{name} {_plain(values[i])}" for name, values in series)
        for i, label in enumerate(labels)
    )
    desc = " ".join(part for part in (description.strip(), listing + ".") if part)
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        'viewBox="0 0 {w} {h}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="14" fill="{text}">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{axis}"></line>'
        '<text x="{lx}" y="{ty}" text-anchor="end" font-size="12">{top}</text>'
        '<text x="{lx}" y="{base}" text-anchor="end" font-size="12">0</text>'
        "{legend}{bars}{ticks}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        font=FONT,
        text=TEXT_COLOUR,
        title=title,
        desc=desc,
        left=LEFT,
        right=WIDTH - RIGHT,
        base=TOP + plot_h,
        axis=AXIS_COLOUR,
        lx=LEFT - 6,
        ty=TOP + 4,
        top=f"{top_value:,}",
        legend=legend,
        bars=SafeString("".join(bars)),
        ticks=ticks,
    )
