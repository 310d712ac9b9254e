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
LABEL_WIDTH = 220  # the column left of the axis; longer labels wrap onto more lines
LABEL_GAP = 8  # between a label and the axis
VALUE_WIDTH = 70
FONT_SIZE = 16  # with max-width: 40em in app.scss, the chart is drawn at 1:1 on large screens
LINE_HEIGHT = 19  # of a wrapped label's lines
ROW_HEIGHT = 32  # of a row whose label fits on one line
BAR_HEIGHT = 22
TOP = 8

# Advance widths of Helvetica/Arial (and the metric-compatible Liberation Sans) in thousandths
# of the font size, to wrap labels on the server: SVG text does not wrap by itself.
_WIDTHS = {
    **dict.fromkeys("ijl'|\u2019", 222),
    **dict.fromkeys(" !,./:;I[]\\ft", 278),
    **dict.fromkeys("()-`r", 333),
    **dict.fromkeys("ckszvxyJ", 500),
    **dict.fromkeys("0123456789abdeghnopqu$#?_\u2013", 556),
    **dict.fromkeys("FTZL", 611),
    **dict.fromkeys("ABEKPSVXY&", 667),
    **dict.fromkeys("CDHNRUw", 722),
    **dict.fromkeys("GOQ", 778),
    **dict.fromkeys("mM", 833),
    **dict.fromkeys("%", 889),
    **dict.fromkeys("W", 944),
    **dict.fromkeys("@\u2026", 1000),
}
_WIDTH_OTHER = 600  # letters outside the table: a little wider than the average, to be safe
_WIDTH_MARGIN = 1.06  # fonts differ slightly between systems


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """An estimate, in user units, of how wide `text` is set in the chart's font."""
    thousandths = sum(_WIDTHS.get(char, _WIDTH_OTHER) for char in text)
    return thousandths * font_size / 1000 * _WIDTH_MARGIN


def wrap_label(label: str, width: float = LABEL_WIDTH - LABEL_GAP) -> list[str]:
    """The label broken into lines no wider than `width`, at spaces where it can be and inside
    a word only when the word alone is too wide. Nothing is cut off."""
    lines: list[str] = []
    line = ""
    for word in label.split():
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while text_width(word) > width:  # a word longer than the column: break it
            cut = max(
                (n for n in range(1, len(word)) if text_width(word[:n] + "-") <= width),
                default=1,
            )
            lines.append(word[:cut] + "-")
            word = word[cut:]
        line = word
    if line or not lines:
        lines.append(line)
    return lines


def _number(value: float) -> str:
    """12 → "12", 4.25 → "4.25", 4.5 → "4.5", 1200 → "1,200"."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _coordinate(value: float) -> str:
    """A position in the SVG: 1200.0 → "1200", 12.25 → "12.2"."""
    return f"{value:.1f}".removesuffix(".0")


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
    """A horizontal bar chart, one bar per label, as inline SVG markup. A label too long for the
    column left of the axis wraps onto as many lines as it needs, and its row grows to fit.

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

    listing = "; ".join(
        f"{label}: {_number(value)}{value_suffix}"
        for label, value in zip(labels, values, strict=True)
    )
    desc = " ".join(part for part in (description.strip(), listing + ".") if part)

    rows = []
    y = TOP
    for label, value in zip(labels, values, strict=True):
        lines = wrap_label(label)
        row_height = max(ROW_HEIGHT, len(lines) * LINE_HEIGHT + ROW_HEIGHT - LINE_HEIGHT)
        middle = y + row_height / 2
        first_line = middle - (len(lines) - 1) * LINE_HEIGHT / 2
        label_lines = format_html_join(
            "",
            '<tspan x="{}" y="{}">{}</tspan>',
            (
                (LABEL_WIDTH - LABEL_GAP, _coordinate(first_line + n * LINE_HEIGHT), line)
                for n, line in enumerate(lines)
            ),
        )
        bar = round(plot_width * min(value, scale_to) / scale_to, 1)
        rows.append(
            format_html(
                '<g><text text-anchor="end" dominant-baseline="middle">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>'
                '<text x="{}" y="{}" dominant-baseline="middle">{}</text></g>',
                label_lines,
                LABEL_WIDTH,
                _coordinate(middle - BAR_HEIGHT / 2),
                bar,
                BAR_HEIGHT,
                BAR_COLOUR,
                _coordinate(LABEL_WIDTH + bar + 6),
                _coordinate(middle),
                _number(value) + value_suffix,
            )
        )
        y += row_height
    height = max(y, TOP + ROW_HEIGHT) + TOP
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="app-chart" role="img" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="{size}" '
        'fill="{text}">'
        '<title id="{id}-title">{title}</title>'
        '<desc id="{id}-desc">{desc}</desc>'
        '<line x1="{axis}" y1="{top}" x2="{axis}" y2="{bottom}" stroke="{axis_colour}" '
        'stroke-width="1"></line>'
        "{body}"
        "</svg>",
        width=WIDTH,
        height=_coordinate(height),
        id=chart_id,
        font=FONT,
        size=FONT_SIZE,
        text=TEXT_COLOUR,
        title=title,
        desc=desc,
        axis=LABEL_WIDTH,
        top=TOP,
        bottom=_coordinate(height - TOP),
        axis_colour=AXIS_COLOUR,
        body=format_html_join("\n", "{}", ((row,) for row in rows)),
    )
