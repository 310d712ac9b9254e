"""Charts for pages (accessible inline SVG) and documents (PNG), drawn once by matplotlib.

Describe a chart with `Chart` (or the `bar_chart` / `trend_chart` shortcuts), then:
- `chart.svg`: inline SVG for a page. role="img", a <title> and a <desc> (the caller's
  description, then a one-sentence summary of the figures) named by aria-labelledby, a viewBox
  and width="100%" (no fixed pixel size), text kept as text so it scales and can be read and
  selected. The Content Security Policy forbids <style> elements and style attributes, so
  matplotlib's styles are rewritten as SVG presentation attributes.
- `chart.png()`: PNG bytes (150 dpi) for python-docx (`add_picture`) or reportlab (`Image`).
- `chart.table`: the same figures as a table. Every chart on a page comes with it:
  `{% include "core/includes/chart.html" with chart=... %}` renders the SVG and the table. A
  page that already shows the same figures in a table of its own outputs `{{ chart.svg }}`
  alone, so no figure is shown twice.

A value may be a number, None (no value), a string (a hidden value and what to say instead,
e.g. "fewer than 5"), or a `safeguarding.core.suppression.Count`. Trends over dates use a real
date axis, so a gap in the data shows as a gap, and the line breaks across it.

matplotlib is used without pyplot (no global figure state, safe across threads) on the Agg
backend (draw.py); the SVG rewriting is in svg.py.
"""

from safeguarding.core.charts.draw import LABEL_CHARACTERS, WIDTH_INCHES, draw, render_png
from safeguarding.core.charts.model import (
    AXIS_COLOUR,
    COLOURS,
    GRID_COLOUR,
    PNG_DPI,
    TEXT_COLOUR,
    Chart,
    ChartTable,
    Series,
    bar_chart,
    chart_table,
    format_value,
    number,
    summarise,
    trend_chart,
)
from safeguarding.core.charts.svg import SVG_FONT, render_svg, svg_markup

__all__ = [
    "AXIS_COLOUR",
    "COLOURS",
    "GRID_COLOUR",
    "LABEL_CHARACTERS",
    "PNG_DPI",
    "SVG_FONT",
    "TEXT_COLOUR",
    "WIDTH_INCHES",
    "Chart",
    "ChartTable",
    "Series",
    "bar_chart",
    "chart_table",
    "draw",
    "format_value",
    "number",
    "render_png",
    "render_svg",
    "summarise",
    "svg_markup",
    "trend_chart",
]
