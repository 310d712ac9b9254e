"""Server-side SVG charts: accessible, printable, and allowed by the Content Security Policy.

The markup is built with format_html, so every label and title is escaped here and the result is
a SafeString a template can output directly (`{{ chart }}`). No inline style attributes or
<style> elements (CSP forbids them): colours and fonts are SVG presentation attributes. Each
chart has role="img", a <title> and a <desc> that lists every value, and the page should show
the same figures in a table as well.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

BAR_COLOUR = "#1d70b8"  # GOV.UK blue: 5.2:1 against white
TEXT_COLOUR = "#0b0c0c"
AXIS_COLOUR = "#505a5f"
FONT = "Helvetica Neue, Helvetica, Arial, sans-serif"  # the site's own font stack

WIDTH = 640
LABEL_WIDTH = 220
VALUE_WIDTH = 70
ROW_HEIGHT = 32
BAR_HEIGHT = 22
TOP = 8


def _number(value: float) -> str:
    """12 → "12", 4.25 → "4.25", 4.5 → "4.5"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def bar_chart_svg(
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    max_value: float | None = None,
    description: str = "",
    value_suffix: str = "",
    chart_id: str = "",
) -> SafeString:
    """A horizontal bar chart, one bar per label, as inline SVG markup.

    `max_value` sets the full length of a bar (default: the largest value). `description`
    opens the <desc>, which then lists each "label: value". `chart_id` makes the ids of
    <title> and <desc> predictable (a random one is used otherwise).
    """
    labels = [str(label) for label in labels]
    values = [float(value) for value in values]
    if len(labels) != len(values):
        raise ValueError("Give one value for each label.")
    if any(value < 0 for value in values):
        raise ValueError("Bar charts show counts and averages: values cannot be negative.")
    scale_to = max_value if max_value is not None else max(values, default=0)
    if scale_to <= 0:
        scale_to = 1
    chart_id = chart_id or f"chart-{secrets.token_hex(4)}"
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP * 2 + ROW_HEIGHT * max(len(labels), 1)

    listing = "; ".join(
        f"{label}: {_number(value)}{value_suffix}"
        for label, value in zip(labels, values, strict=True)
    )
    desc = " ".join(part for part in (description.strip(), listing + ".") if part)

    rows = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + index * ROW_HEIGHT
        bar = round(plot_width * min(value, scale_to) / scale_to, 1)
        middle = y + ROW_HEIGHT / 2
        rows.append(
            (
                LABEL_WIDTH - 8,
                middle,
                label,
                LABEL_WIDTH,
                y + (ROW_HEIGHT - BAR_HEIGHT) / 2,
                bar,
                BAR_HEIGHT,
                LABEL_WIDTH + bar + 6,
                middle,
                _number(value) + value_suffix,
            )
        )
    body = format_html_join(
        "\n",
        '<g><text x="{}" y="{}" text-anchor="end" dominant-baseline="middle">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="' + BAR_COLOUR + '"></rect>'
        '<text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
        rows,
    )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="15" '
        'fill="{text}">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        '<line x1="{axis}" y1="{top}" x2="{axis}" y2="{bottom}" stroke="{axis_colour}" '
        'stroke-width="1"></line>'
        "{body}"
        "</svg>",
        width=WIDTH,
        height=height,
        id=chart_id,
        font=FONT,
        text=TEXT_COLOUR,
        title=title,
        desc=desc,
        axis=LABEL_WIDTH,
        top=TOP,
        bottom=height - TOP,
        axis_colour=AXIS_COLOUR,
        body=body,
    )
