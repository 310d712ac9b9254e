"""Reads of identifications (always through risk.access scoping) and the board's aggregates.

The board insight functions return counts only, never a record or a name, and every count from 1
to 4 is suppressed (shown as "fewer than 5") so that no family can be picked out. Where the rows
of a table add up to a total the board also sees, a single suppressed row could be worked out by
subtraction, so the next smallest row is withheld as well (secondary suppression).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.db.models.functions import TruncMonth

from safeguarding.people.models import Agency, Sector
from safeguarding.risk.access import identifications_visible_to, lead_agencies
from safeguarding.risk.models import Identification, MatrixTraining, Outcome, Review

SUPPRESS_BELOW = 5


@dataclass(frozen=True)
class Count:
    """A count as the board sees it: the number, "fewer than 5" when it is 1 to 4, or "withheld"
    when it is hidden only so that a suppressed number beside it cannot be worked out."""

    value: int
    withheld: bool = False

    @property
    def suppressed(self) -> bool:
        return self.withheld or 0 < self.value < SUPPRESS_BELOW

    def __str__(self) -> str:
        if self.withheld:
            return "withheld"
        return f"fewer than {SUPPRESS_BELOW}" if self.suppressed else f"{self.value:,}"

    def shown(self) -> int | None:
        return None if self.suppressed else self.value


def suppress_rows(values: list[int]) -> list[Count]:
    """Counts for rows that add up to a total shown beside them. Each from 1 to 4 is suppressed;
    if that hides only one row, the smallest other row above zero is withheld too, so that the
    suppressed one cannot be worked out as the total minus the rest."""
    cells = [Count(value) for value in values]
    hidden = [cell for cell in cells if cell.suppressed]
    if len(hidden) == 1:
        others = sorted(
            (cell.value, index) for index, cell in enumerate(cells) if cell.value >= SUPPRESS_BELOW
        )
        if others:
            index = others[0][1]
            cells[index] = Count(cells[index].value, withheld=True)
    return cells


def rate(part: int | Count, whole: int | Count) -> str:
    """A percentage, withheld when either number is small enough to identify someone (or is
    itself withheld)."""
    part, whole = (n if isinstance(n, Count) else Count(n) for n in (part, whole))
    if whole.value == 0:
        return "–"
    if part.suppressed or whole.suppressed:
        return "withheld"
    return f"{round(100 * part.value / whole.value)}%"


def _rows(pairs) -> list[tuple]:
    """[(label, Count)] for [(label, number)] rows that add up to the table's total."""
    pairs = list(pairs)
    return list(
        zip([label for label, _ in pairs], suppress_rows([n for _, n in pairs]), strict=True)
    )


# The practitioner's lists ---------------------------------------------------------------------


def identification_lists(user) -> dict[str, QuerySet[Identification]]:
    visible = identifications_visible_to(user).select_related("household", "agency", "author")
    return {
        "mine": visible.filter(author=user),
        "to_countersign": visible.filter(
            status=Identification.Status.AWAITING_COUNTERSIGNATURE
        ).exclude(author=user),
        "team": visible.exclude(author=user)
        .filter(Q(author__memberships__line_manager=user) | Q(agency_id__in=lead_agencies(user)))
        .distinct(),
        "shared": visible.exclude(agency__memberships__user=user).distinct(),
    }


def reviews_due(user, today: datetime.date, days_ahead: int = 14) -> QuerySet[Review]:
    return (
        Review.objects.filter(
            identification__in=identifications_visible_to(user).filter(author=user),
            done_on__isnull=True,
            replaced_on__isnull=True,
            due_on__lte=today + datetime.timedelta(days=days_ahead),
        )
        .select_related("identification__household")
        .order_by("due_on")
    )


def answer_rows(instrument, identification: Identification) -> list[dict]:
    """The answers by section, as the check-answers page, the record and the summary show them:
    tick-box questions (indicators, protective factors) only when ticked."""
    from safeguarding.risk.forms import SOURCES

    sources = dict(SOURCES)
    rows = []
    for section in instrument.sections:
        items = []
        for q in section.questions:
            value = identification.answers.get(q.code)
            is_tick = q.answer_type == "yes_no" and q.kind in ("indicator", "protective_factor")
            if is_tick and value != "yes":
                continue
            note = identification.answer_notes.get(q.code, {})
            items.append(
                {
                    "question": q,
                    "answer": q.display(value),
                    "source": sources.get(note.get("source", ""), "") if note.get("source") else "",
                    "comment": note.get("comment", ""),
                }
            )
        rows.append({"section": section, "items": items})
    return rows


def open_review(identification: Identification) -> Review | None:
    return identification.reviews.filter(done_on__isnull=True, replaced_on__isnull=True).first()


# Board insight --------------------------------------------------------------------------------


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
    level_rows = [
        {
            "instrument": code,
            "level": label,
            "count": count,
            "referred": Count(referred[(code, value, label)]),
            "rate": rate(referred[(code, value, label)], count),
        }
        for (code, value, label), count in zip(
            keys, suppress_rows([levels[key] for key in keys]), strict=True
        )
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
    due = on_time + late + not_done

    on_time_count, late_count, not_done_count = suppress_rows([on_time, late, not_done])
    return {
        "total": Count(completed.count()),
        "by_month": _rows(sorted(by_month.items())),
        "by_agency": _rows(
            sorted(((agencies.get(pk, "Unknown"), n) for pk, n in by_agency.items()))
        ),
        "by_sector": _rows(
            sorted(((sector_labels.get(code, code), n) for code, n in by_sector.items()))
        ),
        "levels": level_rows,
        "reviews": {
            "due": Count(due),
            "on_time": on_time_count,
            "late": late_count,
            "not_done": not_done_count,
            "rate": rate(on_time_count, Count(due)),
        },
        "adoption": adoption(partnership, start, end),
    }


def adoption(partnership, start: datetime.date, end: datetime.date) -> list[dict]:
    """By agency: practitioners trained on the risk tool (attended a linked course session or
    practice group meeting, ever up to the period's end) against practitioners who completed an
    identification in the period."""
    from safeguarding.learning.models import Booking, PracticeGroupAttendance

    links = MatrixTraining.objects.filter(partnership=partnership)
    course_ids = [pk for pk in links.values_list("course_id", flat=True) if pk]
    meeting_ids = [pk for pk in links.values_list("meeting_id", flat=True) if pk]
    trained: dict[int, set[int]] = defaultdict(set)
    for person, agency in Booking.objects.filter(
        session__course_id__in=course_ids,
        attendance=Booking.Attendance.ATTENDED,
        session__starts_at__date__lte=end,
    ).values_list("person_id", "agency_id"):
        trained[agency].add(person)
    for person, agency in PracticeGroupAttendance.objects.filter(
        meeting_id__in=meeting_ids, meeting__starts_at__date__lte=end
    ).values_list("person_id", "agency_id"):
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
