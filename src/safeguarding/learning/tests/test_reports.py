"""Charges (what each agency is invoiced) and the programme's statistics, on pages and as CSV and
XLSX downloads. The data is `reports_world` (learning/tests/conftest.py)."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from decimal import Decimal

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.learning.models import Booking, FeeSchedule, SessionTrainer
from safeguarding.learning.selectors.reports import (
    charge_lines,
    charge_totals,
    default_period,
    training_statistics,
)

pytestmark = pytest.mark.django_db


def _lines(world, partnership, **kwargs):
    return charge_lines(partnership=partnership, start=world["start"], end=world["end"], **kwargs)


def _by_person(lines) -> dict[str, list[tuple[str, Decimal]]]:
    found: dict[str, list[tuple[str, Decimal]]] = {}
    for line in lines:
        found.setdefault(line.person_email, []).append((line.kind, line.amount))
    return found


SVG = "{http://www.w3.org/2000/svg}"


def _period(world) -> dict:
    return {"date_from": world["start"].isoformat(), "date_to": world["end"].isoformat()}


def _set_fees(partnership, **values) -> None:
    FeeSchedule.objects.filter(partnership=partnership).update(**values)
    partnership.refresh_from_db()  # forgets the cached fee schedule


@pytest.fixture
def admin_client(admin):
    return signed_in(Client(), admin)


# Charges -------------------------------------------------------------------------------------


def test_charge_lines_follow_the_fee_rules(reports_world, partnership):
    lines = _by_person(_lines(reports_world, partnership))
    assert lines == {
        # agency B (community health) pays the other day rate for places kept, marked or not
        "hana.health@health.example": [("fee", Decimal("120.00"))],
        "cole.colleague@health.example": [("fee", Decimal("120.00"))],
        # a school pays the school day rate, then the school half-day rate; no-show on top
        "tess.teacher@school.example": [
            ("fee", Decimal("50.00")),
            ("no_show", Decimal("75.00")),
            ("fee", Decimal("30.00")),
        ],
        # agency A funds the partnership: no fees, but a late cancellation is charged
        "lena.manager@police.example": [("late_cancellation", Decimal("50.00"))],
    }


def test_funding_partner_trains_free(reports_world, partnership, practitioner_a):
    lines = _lines(reports_world, partnership)
    assert not [line for line in lines if line.person_email == practitioner_a.email]


def test_voluntary_organisation_pays_neither_fees_nor_late_or_no_show_charges(
    reports_world, partnership
):
    booking = reports_world["bookings"]["s1_walk_in"]
    Booking.objects.filter(pk=booking.pk).update(
        is_walk_in=False, attendance=Booking.Attendance.NO_SHOW
    )
    Booking.objects.filter(pk=reports_world["bookings"]["s1_early"].pk).update(
        status=Booking.Status.LATE_CANCELLED
    )
    lines = _lines(reports_world, partnership, agency=reports_world["voluntary"])
    assert lines == []


def test_funding_partner_pays_for_a_no_show(reports_world, partnership, practitioner_a):
    booking = reports_world["bookings"]["s1_a"]
    Booking.objects.filter(pk=booking.pk).update(attendance=Booking.Attendance.NO_SHOW)
    lines = _by_person(_lines(reports_world, partnership))
    assert lines[practitioner_a.email] == [("no_show", Decimal("75.00"))]


def test_cancelled_future_and_free_course_sessions_are_not_charged(reports_world, partnership):
    charged_sessions = {line.session_id for line in _lines(reports_world, partnership)}
    assert charged_sessions == {reports_world["s1"].pk, reports_world["s2"].pk}


def test_charges_use_the_partnerships_fee_schedule(reports_world, partnership):
    _set_fees(partnership, other_day_rate=Decimal("150.00"), late_cancellation_charge=Decimal("40"))
    lines = _by_person(_lines(reports_world, partnership))
    assert lines["hana.health@health.example"] == [("fee", Decimal("150.00"))]
    assert lines["lena.manager@police.example"] == [("late_cancellation", Decimal("40.00"))]


def test_free_places_from_trainer_days_cover_the_earliest_fees_first(
    reports_world, partnership, agency_b
):
    """Agency B's trainer gave the full day of s1: with one free place a trainer-day, its
    earliest fee (s1, in name order) is free; its later fees are charged."""
    _set_fees(partnership, free_places_per_trainer_day=1)
    SessionTrainer.objects.filter(session=reports_world["s1"]).update(agency=agency_b)
    Booking.objects.create(
        session=reports_world["s2"],
        person=reports_world["colleague_b"],
        agency=agency_b,
        booked_by=reports_world["colleague_b"],
        status=Booking.Status.CONFIRMED,
        attendance=Booking.Attendance.ATTENDED,
    )
    lines = [
        (line.person_email, line.session_id, line.kind, line.amount)
        for line in _lines(reports_world, partnership, agency=agency_b)
    ]
    s1, s2 = reports_world["s1"].pk, reports_world["s2"].pk
    assert lines == [
        ("cole.colleague@health.example", s1, "free_place", Decimal("0.00")),
        ("hana.health@health.example", s1, "fee", Decimal("120.00")),
        ("cole.colleague@health.example", s2, "fee", Decimal("70.00")),
    ]
    [totals] = charge_totals(_lines(reports_world, partnership, agency=agency_b))
    assert totals["free_places"] == 1
    assert totals["fees"] == 2
    assert totals["total"] == Decimal("190.00")


def test_charge_totals_by_agency(reports_world, partnership):
    totals = {
        row["agency_name"]: row["total"]
        for row in charge_totals(_lines(reports_world, partnership))
    }
    assert totals == {
        "Testford Primary School": Decimal("155.00"),
        "Testshire Community Health": Decimal("240.00"),
        "Testshire Police": Decimal("50.00"),
    }


def test_charges_page_shows_totals_and_lines(admin_client, reports_world):
    response = admin_client.get(reverse("learning:charges"), _period(reports_world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "£445.00" in html
    assert "Free place (training pool)" in html  # the rules explain it
    assert "except voluntary and community organisations" in html
    assert "Tess Teacher" in html
    assert "No-show" in html


def test_charges_page_filters_by_agency(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:charges"),
        {**_period(reports_world), "agency": reports_world["school"].pk},
    )
    html = response.content.decode()
    assert "£155.00" in html
    assert "Hana Health" not in html


def test_charges_page_defaults_to_the_financial_year(admin_client):
    start, end = default_period()
    assert start.month == 4 and start.day == 1
    assert (end.month, end.day, end.year) == (3, 31, start.year + 1)
    response = admin_client.get(reverse("learning:charges"))
    assert response.status_code == 200
    assert f"{start.day} April {start.year} to 31 March {end.year}" in response.content.decode()


def test_charges_page_rejects_an_end_before_the_start(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:charges"),
        {"date_from": "2014-03-31", "date_to": "2013-04-01", "format": "csv"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "The end date must be the same as or after the start date" in html
    assert "Total to invoice" not in html  # no figures for a period that makes no sense


def test_statistics_page_reports_a_bad_date_instead_of_downloading(admin_client):
    response = admin_client.get(
        reverse("learning:statistics"),
        {"date_from": "31/02/2014", "date_to": "31/03/2014", "format": "xlsx"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "Enter the start date as a real date" in html
    assert "govuk-summary-card" not in html


def test_charges_download_as_csv(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:charges"), {**_period(reports_world), "format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == [
        "Agency",
        "Person",
        "E-mail address",
        "Course",
        "Session date",
        "Charge",
        "Amount (£)",
    ]
    assert len(rows) == 1 + 6
    assert rows[1][:2] == ["Testford Primary School", "Tess Teacher"]
    assert {row[5] for row in rows[1:]} == {"Fee", "No-show", "Late cancellation"}
    assert sum(Decimal(row[6]) for row in rows[1:]) == Decimal("445.00")


def test_charges_download_as_xlsx(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:charges"), {**_period(reports_world), "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Totals by agency", "Charge lines"]
    totals = list(workbook["Totals by agency"].values)
    assert totals[0][0] == "Agency"
    assert {row[0]: row[-1] for row in totals[1:]} == {
        "Testford Primary School": 155,
        "Testshire Community Health": 240,
        "Testshire Police": 50,
    }
    lines = list(workbook["Charge lines"].values)
    assert len(lines) == 1 + 6


def test_downloads_neutralise_formulas(admin_client, reports_world):
    teacher = reports_world["teacher"]
    teacher.given_name = '=HYPERLINK("http://evil.example")'
    teacher.family_name = "+1"
    teacher.save()
    csv_response = admin_client.get(
        reverse("learning:charges"), {**_period(reports_world), "format": "csv"}
    )
    text = b"".join(csv_response.streaming_content).decode("utf-8-sig")
    names = [row[1] for row in csv.reader(io.StringIO(text))]
    assert '\'=HYPERLINK("http://evil.example") +1' in names
    assert not any(name.startswith(("=", "+", "-", "@")) for name in names)

    xlsx_response = admin_client.get(
        reverse("learning:charges"), {**_period(reports_world), "format": "xlsx"}
    )
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_response.content))
    cells = [row[1] for row in workbook["Charge lines"].iter_rows(min_row=2, values_only=True)]
    assert '\'=HYPERLINK("http://evil.example") +1' in cells
    assert all(
        cell.data_type != "f" for row in workbook["Charge lines"].iter_rows() for cell in row
    )


def test_practitioner_cannot_see_charges_or_statistics(practitioner_a):
    client = signed_in(Client(), practitioner_a)
    assert client.get(reverse("learning:charges")).status_code == 403
    assert client.get(reverse("learning:charges"), {"format": "csv"}).status_code == 403
    assert client.get(reverse("learning:statistics")).status_code == 403
    assert client.get(reverse("learning:statistics"), {"format": "xlsx"}).status_code == 403


# Statistics ----------------------------------------------------------------------------------

EXPECTED = {
    "courses_run": 2,
    "sessions_run": 2,
    "places": 15,
    "bookings": 7,
    "confirmed": 7,
    "attendances": 5,
    "distinct_attendees": 4,
    "no_shows": 1,
    "unmarked": 1,
    "late_cancellations": 1,
    "cancellations": 1,
    "walk_ins": 1,
    "sessions_cancelled": 1,
    "attendance_rate": 71.4,
    "take_up": 46.7,
    "practice_group_meetings": 1,
    "practice_group_attendances": 2,
    "conference_registrations": 2,
    "conference_attendances": 1,
}


def _statistics(world, partnership):
    return training_statistics(partnership=partnership, start=world["start"], end=world["end"])


def test_statistics_for_a_known_year(reports_world, partnership):
    figures = _statistics(reports_world, partnership)
    assert {name: figures[name] for name in EXPECTED} == EXPECTED
    assert figures["trainer_days"] == Decimal("1.5")


def test_statistics_by_sector(reports_world, partnership):
    figures = _statistics(reports_world, partnership)
    rows = {
        row["sector"]: (
            row["bookings"],
            row["attendances"],
            row["distinct_attendees"],
            row["no_shows"],
            row["late_cancellations"],
            row["walk_ins"],
        )
        for row in figures["by_sector"]
    }
    assert rows == {
        "police": (3, 2, 1, 0, 1, 0),
        "community_health": (2, 1, 1, 0, 0, 0),
        "school": (2, 1, 1, 1, 0, 0),
        "voluntary": (0, 1, 1, 0, 0, 1),
    }
    assert [row["sector_display"] for row in figures["by_sector"]][0] == "Police"


def test_statistics_by_course_and_agency(reports_world, partnership, agency_a):
    figures = _statistics(reports_world, partnership)
    courses = {
        row["title"]: (
            row["sessions"],
            row["places"],
            row["bookings"],
            row["attendances"],
            row["attendance_rate"],
        )
        for row in figures["by_course"]
    }
    assert courses == {
        "Safeguarding children: working together": (1, 10, 5, 3, 60.0),
        "Domestic abuse awareness": (1, 5, 2, 2, 100.0),
    }
    police = next(row for row in figures["by_agency"] if row["agency_id"] == agency_a.pk)
    assert police["trainer_days"] == Decimal("1.5")
    assert police["bookings"] == 3
    assert figures["trainer_days_by_agency"] == [
        {
            "agency_id": agency_a.pk,
            "agency_name": "Testshire Police",
            "trainer_days": Decimal("1.5"),
        }
    ]


def test_statistics_count_nothing_outside_the_period(reports_world, partnership):
    start = reports_world["start"]
    figures = training_statistics(partnership=partnership, start=start, end=start)
    assert figures["sessions_run"] == 0
    assert figures["bookings"] == 0
    assert figures["attendance_rate"] is None
    assert figures["take_up"] is None
    assert figures["by_sector"] == []


def test_statistics_page_shows_figures_and_charts(admin_client, reports_world):
    response = admin_client.get(reverse("learning:statistics"), _period(reports_world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-summary-card" in html
    assert "71.4%" in html
    assert 'role="img"' in html
    assert "Attendances by sector" in html
    assert "Domestic abuse awareness" in html
    assert " style=" not in html
    assert "<script>" not in html


def test_statistics_charts_are_accessible_and_show_whole_course_titles(admin_client, reports_world):
    """Moved from the hand-written chart's tests: labels are kept whole, never cut off."""
    course = reports_world["half_day"]
    course.title = "Domestic abuse awareness: what every practitioner in every agency should know"
    course.save()
    response = admin_client.get(reverse("learning:statistics"), _period(reports_world))
    html = response.content.decode()
    chart = ET.fromstring(str(response.context["charts"]["courses"].svg))
    assert chart.get("role") == "img"
    assert chart.find(f"{SVG}title").text == "Attendances by course"
    assert chart.find(f"{SVG}desc").text.startswith("Places attended, walk-ins included")
    texts = [t.text for t in chart.iter(f"{SVG}text") if t.text]
    assert course.title in " ".join(texts)
    assert "…" not in " ".join(texts)
    # The page's own table gives the figures, so the chart's table is not shown a second time.
    assert "Sessions, places and attendance by course" in html
    assert "Show the data in a table" not in html


def test_statistics_download_as_xlsx_has_every_table(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:statistics"), {**_period(reports_world), "format": "xlsx"}
    )
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == [
        "Summary",
        "By sector",
        "By agency",
        "By course",
        "Trainer-days by agency",
        "Evaluation averages",
        "Practice groups",
        "Conference",
    ]
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True)}
    assert summary["Sessions run"] == 2
    assert summary["Attendances"] == 5
    assert summary["Attendance rate (%)"] == 71.4
    sectors = list(workbook["By sector"].values)
    assert sectors[1][:3] == ("Police", 3, 2)


def test_statistics_download_a_table_as_csv(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:statistics"),
        {**_period(reports_world), "format": "csv", "table": "courses"},
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Course", "Sessions", "Places"]
    assert {row[0] for row in rows[1:]} == {
        "Safeguarding children: working together",
        "Domestic abuse awareness",
    }


def test_statistics_csv_of_an_unknown_table_is_404(admin_client, reports_world):
    response = admin_client.get(
        reverse("learning:statistics"), {"format": "csv", "table": "nonsense"}
    )
    assert response.status_code == 404
