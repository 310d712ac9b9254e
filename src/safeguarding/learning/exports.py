"""The charges and statistics as tables for spreadsheets (CSV and XLSX downloads).

The generic writers, which neutralise cells a spreadsheet would run as formulas, are in
`safeguarding.core.exports`; this module only decides the tables' columns and rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from safeguarding.core.exports import csv_response, xlsx_response
from safeguarding.learning.selectors.reports import ChargeLine

# Charges -------------------------------------------------------------------------------------

CHARGE_LINE_HEADER = (
    "Agency",
    "Person",
    "E-mail address",
    "Course",
    "Session date",
    "Charge",
    "Amount (£)",
)
CHARGE_TOTALS_HEADER = (
    "Agency",
    "Fees",
    "Fees (£)",
    "Free places (training pool)",
    "Late cancellations",
    "Late cancellations (£)",
    "No-shows",
    "No-shows (£)",
    "Total (£)",
)


def charge_line_rows(lines: Sequence[ChargeLine]) -> list[list[Any]]:
    return [
        [
            line.agency_name,
            line.person_name,
            line.person_email,
            line.course_title,
            line.session_date,
            line.kind_label,
            line.amount,
        ]
        for line in lines
    ]


def charge_total_rows(totals: Sequence[dict]) -> list[list[Any]]:
    return [
        [
            row["agency_name"],
            row["fees"],
            row["fees_amount"],
            row["free_places"],
            row["late_cancellations"],
            row["late_cancellations_amount"],
            row["no_shows"],
            row["no_shows_amount"],
            row["total"],
        ]
        for row in totals
    ]


def _period(start: datetime.date, end: datetime.date) -> str:
    return f"{start.isoformat()}-to-{end.isoformat()}"


def charges_csv(lines: Sequence[ChargeLine], *, start, end):
    return csv_response(
        f"training-charges-{_period(start, end)}.csv",
        CHARGE_LINE_HEADER,
        charge_line_rows(lines),
    )


def charges_xlsx(lines: Sequence[ChargeLine], totals: Sequence[dict], *, start, end):
    return xlsx_response(
        f"training-charges-{_period(start, end)}.xlsx",
        {
            "Totals by agency": (CHARGE_TOTALS_HEADER, charge_total_rows(totals)),
            "Charge lines": (CHARGE_LINE_HEADER, charge_line_rows(lines)),
        },
    )


# Statistics ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    title: str
    header: tuple[str, ...]
    rows: list[list[Any]]


def _rate(value: float | None) -> float | str:
    return "" if value is None else value


BOOKING_HEADER = (
    "Bookings",
    "Attendances",
    "Distinct attendees",
    "Attendance rate (%)",
    "No-shows",
    "Late cancellations",
    "Walk-ins",
)


def _booking_cells(row: dict) -> list[Any]:
    return [
        row["bookings"],
        row["attendances"],
        row["distinct_attendees"],
        _rate(row["attendance_rate"]),
        row["no_shows"],
        row["late_cancellations"],
        row["walk_ins"],
    ]


def headline_rows(figures: dict) -> list[list[Any]]:
    """(figure, value) pairs for the headline table, in the order the page shows them."""
    return [
        ["Period start", figures["start"]],
        ["Period end", figures["end"]],
        ["Courses run", figures["courses_run"]],
        ["Sessions run", figures["sessions_run"]],
        ["Places offered", figures["places"]],
        ["Bookings", figures["bookings"]],
        ["Take-up of capacity (%)", _rate(figures["take_up"])],
        ["Attendances", figures["attendances"]],
        ["Distinct attendees", figures["distinct_attendees"]],
        ["Attendance rate (%)", _rate(figures["attendance_rate"])],
        ["No-shows", figures["no_shows"]],
        ["Late cancellations", figures["late_cancellations"]],
        ["Cancellations before the cut-off", figures["cancellations"]],
        ["Walk-ins", figures["walk_ins"]],
        ["Sessions cancelled", figures["sessions_cancelled"]],
        ["Trainer-days", figures["trainer_days"]],
        ["Practice group meetings", figures["practice_group_meetings"]],
        ["Practice group attendances", figures["practice_group_attendances"]],
        ["Conference registrations", figures["conference_registrations"]],
        ["Conference attendances", figures["conference_attendances"]],
    ]


def statistics_tables(figures: dict) -> dict[str, Table]:
    """Every table of the statistics page, by a short name used in download links."""
    evaluation_rows = []
    for stage, label in (("immediate", "Straight after"), ("follow_up", "Follow-up")):
        summary = figures["evaluation"][stage]
        for rating in summary["ratings"]:
            evaluation_rows.append(
                [
                    label,
                    rating["text"],
                    rating["answered"],
                    _rate(rating["average"]),
                ]
            )
    return {
        "summary": Table("Summary", ("Figure", "Value"), headline_rows(figures)),
        "sectors": Table(
            "By sector",
            ("Sector", *BOOKING_HEADER),
            [[row["sector_display"], *_booking_cells(row)] for row in figures["by_sector"]],
        ),
        "agencies": Table(
            "By agency",
            ("Agency", "Sector", *BOOKING_HEADER, "Trainer-days"),
            [
                [row["agency_name"], row["sector_display"], *_booking_cells(row)]
                + [row["trainer_days"]]
                for row in figures["by_agency"]
            ],
        ),
        "courses": Table(
            "By course",
            ("Course", "Sessions", "Places", "Take-up of capacity (%)", *BOOKING_HEADER),
            [
                [row["title"], row["sessions"], row["places"], _rate(row["take_up"])]
                + _booking_cells(row)
                for row in figures["by_course"]
            ],
        ),
        "trainer-days": Table(
            "Trainer-days by agency",
            ("Agency", "Trainer-days"),
            [
                [row["agency_name"], row["trainer_days"]]
                for row in figures["trainer_days_by_agency"]
            ],
        ),
        "evaluation": Table(
            "Evaluation averages",
            ("Evaluation", "Question", "Answered", "Average (out of 5)"),
            evaluation_rows,
        ),
        "practice-groups": Table(
            "Practice groups",
            ("Group", "Meetings", "Attendances", "Distinct attendees"),
            [
                [row["name"], row["meetings"], row["attendances"], row["distinct_attendees"]]
                for row in figures["practice_groups"]["groups"]
            ],
        ),
        "conference": Table(
            "Conference",
            ("Conference", "Places", "Registrations", "Attendances"),
            [
                [row["title"], row["places"], row["registrations"], row["attendances"]]
                for row in figures["conference"]["by_conference"]
            ],
        ),
    }


def statistics_csv(figures: dict, table: str):
    chosen = statistics_tables(figures)[table]
    period = _period(figures["start"], figures["end"])
    return csv_response(f"training-statistics-{table}-{period}.csv", chosen.header, chosen.rows)


def statistics_xlsx(figures: dict):
    period = _period(figures["start"], figures["end"])
    return xlsx_response(
        f"training-statistics-{period}.xlsx",
        {table.title: (table.header, table.rows) for table in statistics_tables(figures).values()},
    )
