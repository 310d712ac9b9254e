"""The board's figures for a period: counts and rates only, suppressed by
safeguarding.core.suppression. The tables by month, agency, sector and level each add up to the
one total shown above them, so they are protected together: no hidden count in one can be worked
out from the total and the other tables."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict

from django.db.models import F
from django.db.models.functions import TruncMonth

from safeguarding.core.suppression import Count, Equation, protect, rate, suppress_counts
from safeguarding.learning.selectors import public as learning_public
from safeguarding.people.models import Agency, Sector
from safeguarding.risk.models import Identification, MatrixTraining, Outcome, Review


def _completed(partnership, start: datetime.date, end: datetime.date):
    return Identification.objects.filter(
        agency__partnership=partnership,
        status=Identification.Status.COMPLETED,
        assessed_on__gte=start,
        assessed_on__lte=end,
    )


def insight(partnership, start: datetime.date, end: datetime.date, today: datetime.date) -> dict:
    """Every figure on the board's page for the period, as Counts and rates."""
    completed = _completed(partnership, start, end)
    by_month = Counter(
        row["month"].date() if isinstance(row["month"], datetime.datetime) else row["month"]
        for row in completed.annotate(month=TruncMonth("assessed_on")).values("month")
    )
    agencies = dict(Agency.objects.filter(partnership=partnership).values_list("pk", "name"))
    by_agency = Counter(completed.values_list("agency_id", flat=True))
    by_sector = Counter(completed.values_list("agency__sector", flat=True))
    sector_labels = dict(Sector.choices)

    levels: dict[tuple, int] = Counter()
    referred: dict[tuple, int] = Counter()
    referral_ids = set(
        Outcome.objects.filter(identification__in=completed)
        .exclude(kind=Outcome.Kind.NONE)
        .values_list("identification_id", flat=True)
    )
    # The label stored with each identification: the wording of the version it was made with.
    for pk, code, level, label in completed.values_list(
        "pk", "instrument_code", "confirmed_level", "confirmed_label"
    ):
        key = (code, level, label)
        levels[key] += 1
        if pk in referral_ids:
            referred[key] += 1
    keys = sorted(levels)
    months = sorted(by_month.items())
    agency_rows = sorted((agencies.get(pk, "Unknown"), n) for pk, n in by_agency.items())
    sector_rows = sorted((sector_labels.get(code, code), n) for code, n in by_sector.items())
    tables = {
        "by_month": months,
        "by_agency": agency_rows,
        "by_sector": sector_rows,
        "levels": [(key, levels[key]) for key in keys],
    }
    shown = _protect_breakdowns(completed.count(), tables)
    level_rows = [
        {
            "instrument": code,
            "level": label,
            "count": count,
            "referred": Count(referred[(code, value, label)]),
            "rate": rate(referred[(code, value, label)], count),
        }
        for (code, value, label), count in shown["levels"]
    ]

    reviews = Review.objects.filter(
        identification__agency__partnership=partnership,
        replaced_on__isnull=True,
        due_on__gte=start,
        due_on__lte=min(end, today),
    )
    on_time = reviews.filter(done_on__isnull=False, done_on__lte=F("due_on")).count()
    late = reviews.filter(done_on__isnull=False).count() - on_time
    not_done = reviews.filter(done_on__isnull=True).count()

    (on_time_count, late_count, not_done_count), due_count = suppress_counts(
        [on_time, late, not_done]
    )
    return {
        "total": shown["total"],
        "by_month": shown["by_month"],
        "by_agency": shown["by_agency"],
        "by_sector": shown["by_sector"],
        "levels": level_rows,
        "reviews": {
            "due": due_count,
            "on_time": on_time_count,
            "late": late_count,
            "not_done": not_done_count,
            "rate": rate(on_time_count, due_count),
        },
        "adoption": adoption(partnership, start, end),
    }


def _protect_breakdowns(total: int, tables: dict[str, list[tuple]]) -> dict:
    """{"total": Count, table: [(label, Count)]}: every table's rows add up to the one total."""
    values: dict = {"total": total}
    equations = []
    for name, rows in tables.items():
        keys = [(name, i) for i in range(len(rows))]
        values.update({key: n for key, (_, n) in zip(keys, rows, strict=True)})
        if keys:
            equations.append(Equation(tuple(keys), "total"))
    counts = protect(values, equations, prefer_last=frozenset({"total"}))
    shown: dict = {"total": counts["total"]}
    for name, rows in tables.items():
        shown[name] = [(label, counts[(name, i)]) for i, (label, _) in enumerate(rows)]
    return shown


def adoption(partnership, start: datetime.date, end: datetime.date) -> list[dict]:
    """By agency: practitioners trained on the risk tool (attended a linked course session or
    practice group meeting, ever up to the period's end) against practitioners who completed an
    identification in the period."""
    links = MatrixTraining.objects.filter(partnership=partnership)
    course_ids = [pk for pk in links.values_list("course_id", flat=True) if pk]
    meeting_ids = [pk for pk in links.values_list("meeting_id", flat=True) if pk]
    trained: dict[int, set[int]] = defaultdict(set)
    for person, agency in learning_public.attendances(
        course_ids=course_ids, meeting_ids=meeting_ids, until=end
    ):
        trained[agency].add(person)
    using: dict[int, set[int]] = defaultdict(set)
    for person, agency in _completed(partnership, start, end).values_list("author_id", "agency_id"):
        using[agency].add(person)
    names = dict(Agency.objects.filter(partnership=partnership).values_list("pk", "name"))
    rows = []
    for agency_id in sorted(set(trained) | set(using), key=lambda pk: names.get(pk, "")):
        if agency_id not in names:
            continue
        t, u = trained[agency_id], using[agency_id]
        rows.append(
            {
                "agency": names[agency_id],
                "trained": Count(len(t)),
                "using": Count(len(u)),
                "trained_and_using": Count(len(t & u)),
                "rate": rate(len(t & u), len(t)),
            }
        )
    return rows
