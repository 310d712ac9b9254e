"""The SVG for a page: matplotlib's SVG rewritten to be accessible (role="img", <title>, <desc>)
and allowed by the Content Security Policy (no <style> elements or style attributes)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

from django.utils.safestring import SafeString, mark_safe
from matplotlib.figure import Figure

from safeguarding.core.charts.draw import draw
from safeguarding.core.charts.model import Chart

# Wider than the site's Helvetica: the chart is laid out with DejaVu Sans' metrics, and Verdana
# has nearly the same ones, so text set in either fits where matplotlib put it.
SVG_FONT = "DejaVu Sans, Verdana, sans-serif"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", XLINK_NS)


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
