"""Charts: one description drawn as accessible, CSP-safe SVG for pages and PNG for documents,
with the same figures as a table."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import matplotlib.dates as mdates
import pytest
from django.template.loader import render_to_string

from safeguarding.core import charts
from safeguarding.core.suppression import Count

LONG = "Children's social care and early help services across the whole of the county"
SVG = "{http://www.w3.org/2000/svg}"


def by_agency():
    return charts.bar_chart(
        [LONG, "Police", "Health visiting"],
        [12, 30, Count(3)],
        title="Attendances by agency",
        value_label="Attendances",
        category_header="Agency",
        chart_id="chart-agency",
    )


def kappa():
    return charts.trend_chart(
        ["Mar 2025", "Jun 2025", "Sep 2025"],
        [
            charts.Series(
                "Kappa",
                [0.2, -0.1, None],
                intervals=[(0.05, 0.35), (-0.4, 0.2), None],
                missing="not calculated",
            )
        ],
        title="Agreement between raters (Fleiss' kappa) in each exercise",
        decimals=2,
        max_value=1,
        category_header="Exercise",
    )


def gap_trend():
    months = [datetime.date(2014, m, 1) for m in (1, 2, 3)]
    months += [datetime.date(2026, m, 1) for m in (1, 2, 3)]
    return charts.trend_chart(
        months,
        [
            ("Not known to health visiting", [12, 15, "fewer than 5", 20, 22, 19]),
            ("Not registered with a GP", [8, 9, 7, 6, 5, 9]),
        ],
        title="Children on one list only, month by month",
        chart_id="chart-trend",
    )


def test_svg_is_accessible_and_scales():
    root = ET.fromstring(str(by_agency().svg))
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-agency-title chart-agency-desc"
    assert root.get("width") == "100%" and root.get("viewBox").startswith("0 0 640 ")
    assert root.get("height") is None
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title.get("id") == "chart-agency-title" and title.text == "Attendances by agency"
    assert desc.get("id") == "chart-agency-desc"
    assert desc.text.startswith("Attendances by agency: highest Police (30)")
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Police" in texts and "30" in texts  # text stays text


def test_svg_is_allowed_by_the_content_security_policy():
    svg = str(gap_trend().svg)
    assert "style=" not in svg and "<style" not in svg and "<script" not in svg
    assert 'font-family="DejaVu Sans, Verdana, sans-serif"' in svg


def test_svg_is_deterministic_and_ids_are_unique_per_chart():
    first, second = charts.render_svg(by_agency()), charts.render_svg(by_agency())
    assert first == second
    ids = re.findall(r' id="([^"]+)"', first)
    assert all(i.startswith("chart-agency-") for i in ids)
    assert len(ids) == len(set(ids))
    refs = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', first)
    assert all((a or b) in ids for a, b in refs)


def test_long_labels_wrap_and_are_kept_whole():
    root = ET.fromstring(str(by_agency().svg))
    texts = [t.text or "" for t in root.iter(f"{SVG}text")]
    wrapped = [t for t in texts if t and t in LONG and t != LONG]
    assert len(wrapped) >= 2 and " ".join(wrapped) == LONG
    assert all(len(line) <= charts.LABEL_CHARACTERS for line in wrapped)


def test_a_gap_in_a_trend_is_shown_on_a_date_axis():
    chart = gap_trend()
    figure = charts.draw(chart)
    axes = figure.axes[0]
    low, high = axes.get_xlim()
    assert high - low > 365 * 11  # 2014 to 2026 on a real date axis
    # the line breaks across the gap: no segment joins March 2014 to January 2026
    drawn = [line for line in axes.get_lines() if len(line.get_xdata(orig=False)) >= 2]
    assert len(drawn) == 4  # two series, each in two pieces
    for line in drawn:
        years = {mdates.num2date(x).year for x in line.get_xdata(orig=False)}
        assert len(years) == 1


def test_hidden_values_are_not_drawn_but_are_in_the_table():
    table = by_agency().table
    assert table.headers == ["Agency", "Value"]
    assert table.rows[2] == ["Health visiting", "fewer than 5"]
    assert gap_trend().table.rows[2] == ["March 2014", "fewer than 5", "7"]
    assert gap_trend().table.headers[0] == "Month"


def test_kappa_chart_has_negative_values_intervals_and_gaps():
    chart = kappa()
    table = chart.table
    assert table.headers == ["Exercise", "Kappa", "Kappa: 95% interval"]
    assert table.rows == [
        ["Mar 2025", "0.20", "0.05 to 0.35"],
        ["Jun 2025", "-0.10", "-0.40 to 0.20"],
        ["Sep 2025", "not calculated", ""],
    ]
    low, high = charts.draw(chart).axes[0].get_ylim()
    assert low <= -0.4 and 1 <= high < 1.2


def test_vertical_bars_for_several_series():
    chart = charts.Chart(
        kind="bar",
        title="Bookings by month",
        categories=["April", "May"],
        series=[charts.Series("Booked", [10, 12]), charts.Series("Attended", [8, 11])],
    )
    assert chart.chart_id == "chart-bookings-by-month"
    assert 'role="img"' in chart.svg
    assert chart.table.rows == [["April", "10", "8"], ["May", "12", "11"]]


def test_png_for_documents():
    png = by_agency().png()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width == round(charts.WIDTH_INCHES * charts.PNG_DPI)


def test_png_embeds_in_docx_and_pdf_documents():
    """No document draws a chart yet (board updates and the annual report will): the PNG goes
    into python-docx and reportlab as it is."""
    import io

    from docx import Document
    from docx.shared import Mm
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Image, SimpleDocTemplate

    png = by_agency().png()
    document = Document()
    document.add_picture(io.BytesIO(png), width=Mm(160))
    saved = io.BytesIO()
    document.save(saved)
    reopened = Document(io.BytesIO(saved.getvalue()))
    assert [part.blob for part in reopened.part.package.image_parts] == [png]

    pdf = io.BytesIO()
    SimpleDocTemplate(pdf, pagesize=A4).build([Image(io.BytesIO(png), width=400, height=200)])
    assert pdf.getvalue().startswith(b"%PDF") and b"/Subtype /Image" in pdf.getvalue()


def test_rendering_in_threads_gives_the_same_output():
    with ThreadPoolExecutor(max_workers=4) as pool:
        outputs = list(pool.map(lambda _: charts.render_svg(kappa()), range(8)))
    assert len(set(outputs)) == 1


def test_bad_descriptions_are_refused():
    with pytest.raises(ValueError):
        charts.bar_chart(["a", "b"], [1], title="t")
    with pytest.raises(ValueError):
        charts.bar_chart(["a"], [-1], title="t")
    with pytest.raises(ValueError):
        charts.Chart(kind="pie", title="t", categories=["a"], series=[charts.Series("s", [1])])


def test_include_renders_the_chart_and_its_table():
    html = render_to_string("core/includes/chart.html", {"chart": by_agency()})
    assert html.index("<svg") < html.index('<table class="govuk-table">')
    assert "Show the data in a table" in html
    assert '<th scope="row" class="govuk-table__header">Health visiting</th>' in html
    assert "fewer than 5" in html
    opened = render_to_string(
        "core/includes/chart.html", {"chart": by_agency(), "table_open": True}
    )
    assert "govuk-details" not in opened and "govuk-table" in opened


def test_tall_charts_keep_every_long_label_whole():
    """Moved from learning's hand-written chart: sixty long course titles make a tall chart with
    a plain viewBox, every title whole (wrapped over lines, never cut off with an ellipsis)."""
    labels = [f"Course number {n} with a title long enough to wrap" for n in range(60)]
    chart = charts.bar_chart(labels, list(range(60)), title="Many", chart_id="many")
    root = ET.fromstring(str(chart.svg))
    view_box = root.get("viewBox").split()
    assert "," not in root.get("viewBox") and float(view_box[3]) > 1000
    text = " ".join(t.text for t in root.iter(f"{SVG}text") if t.text)
    assert all(label in text for label in labels) and "…" not in text


def test_an_empty_bar_chart_still_has_a_title_and_says_so():
    root = ET.fromstring(str(charts.bar_chart([], [], title="Nothing", max_value=5).svg))
    assert root.find(f"{SVG}title").text == "Nothing"
    assert "no values to show" in root.find(f"{SVG}desc").text
