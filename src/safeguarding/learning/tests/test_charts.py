"""Bar charts keep every label whole: long labels wrap onto more lines and the row grows."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.learning import charts

LONG = "Cambridgeshire County Council: Children's Social Care and Early Help"


def _rows(svg: str) -> list[str]:
    return re.findall(r"<g>.*?</g>", svg)


def _tspans(row: str) -> list[str]:
    return [unescape(text) for text in re.findall(r"<tspan [^>]*>([^<]*)</tspan>", row)]


def test_short_labels_stay_on_one_line():
    assert charts.wrap_label("1 – Poor") == ["1 – Poor"]
    assert charts.wrap_label("") == [""]


def test_long_labels_wrap_at_spaces_and_keep_every_word():
    lines = charts.wrap_label(LONG)
    assert len(lines) >= 2
    assert " ".join(lines) == LONG
    limit = charts.LABEL_WIDTH - charts.LABEL_GAP
    assert all(charts.text_width(line) <= limit for line in lines)


def test_a_word_too_long_for_the_column_is_broken_with_a_hyphen():
    word = "Supercalifragilisticexpialidocious" * 2
    lines = charts.wrap_label(word)
    assert len(lines) >= 2
    assert all(line.endswith("-") for line in lines[:-1])
    assert "".join(line.removesuffix("-") for line in lines) == word


def test_wide_letters_wrap_sooner_than_narrow_ones():
    assert charts.text_width("WWWW") > charts.text_width("iiii") * 3
    assert len(charts.wrap_label("W " * 20)) > len(charts.wrap_label("i " * 20))


def test_chart_rows_grow_with_wrapped_labels_and_nothing_is_cut_off():
    svg = charts.bar_chart_svg([LONG, "Police"], [12, 30], title="By agency", chart_id="t")
    long_row, short_row = _rows(svg)
    assert " ".join(_tspans(long_row)) == LONG
    assert _tspans(short_row) == ["Police"]
    assert "…" not in svg
    # The second row starts below the wrapped first one, and the chart is tall enough for both.
    lines = len(_tspans(long_row))
    first_height = lines * charts.LINE_HEIGHT + charts.ROW_HEIGHT - charts.LINE_HEIGHT
    height = float(re.search(r'viewBox="0 0 640 ([\d.]+)"', svg).group(1))
    assert height == charts.TOP * 2 + first_height + charts.ROW_HEIGHT
    # The full text is in the description too, for screen readers.
    assert f"{LONG}: 12; Police: 30." in unescape(svg)


def test_tall_charts_have_plain_coordinates():
    labels = [f"Course number {n} with a title long enough to wrap" for n in range(60)]
    svg = charts.bar_chart_svg(labels, list(range(60)), title="Many", chart_id="many")
    view_box = re.search(r'viewBox="([^"]+)"', svg).group(1)
    assert "," not in view_box
    assert float(view_box.split()[3]) > 1000
    assert [" ".join(_tspans(row)) for row in _rows(svg)] == labels


@pytest.mark.django_db
def test_statistics_charts_show_whole_course_titles(admin, reports_world):
    course = reports_world["half_day"]
    course.title = "Domestic abuse awareness: what every practitioner in every agency should know"
    course.save()
    response = signed_in(Client(), admin).get(
        reverse("learning:statistics"),
        {
            "date_from": reports_world["start"].strftime("%d/%m/%Y"),
            "date_to": reports_world["end"].strftime("%d/%m/%Y"),
        },
    )
    chart = str(response.context["charts"]["courses"])
    labels = [" ".join(_tspans(row)) for row in _rows(chart)]
    assert course.title in labels
    assert "…" not in chart
