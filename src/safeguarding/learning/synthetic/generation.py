"""The entry point: a county's synthetic training history, year by year."""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable

from django.db import reset_queries
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.models import (
    Booking,
    Course,
    EvaluationResponse,
    PracticeGroup,
    Questionnaire,
    WaitingListEntry,
)
from safeguarding.learning.synthetic.catalogue import write_catalogue, write_pool, write_venues
from safeguarding.learning.synthetic.evaluations import mark_invitations, write_evaluations
from safeguarding.learning.synthetic.events import write_conference, write_practice_groups
from safeguarding.learning.synthetic.members import Member, members_with_role
from safeguarding.learning.synthetic.plan import (
    BOOKINGS_PER_PRACTITIONER_YEAR,
    FIRST_YEAR,
    ROWS_PER_SESSION,
    YEARS,
)
from safeguarding.learning.synthetic.sessions import Context, session_bookings, year_sessions
from safeguarding.learning.synthetic.writing import Output, timestamps_as_given
from safeguarding.people.models import Partnership, Role


def generate(
    partnership: Partnership,
    *,
    seed: int,
    first_year: int = FIRST_YEAR,
    years: int = YEARS,
    batch_size: int = 2000,
    progress_factory: Callable | None = None,
    now: datetime.datetime | None = None,
) -> dict[str, int]:
    """Write `years` financial years of training, starting in April `first_year`, for a
    partnership whose people generate_synthetic has just written. Call it inside a transaction.
    Returns counts of the rows written, by model (e.g. "learning.booking")."""
    now = now or timezone.now()
    rng = random.Random(f"safeguarding-synthetic-training:{seed}:{partnership.name}")
    out = Output(batch_size)
    practitioners = members_with_role(partnership, Role.PRACTITIONER)
    trainers = members_with_role(partnership, Role.TRAINER)
    if not practitioners or not trainers:
        raise ValueError(f"{partnership} has no practitioners or no trainers to run training.")
    progress = progress_factory(years, partnership.area) if progress_factory else None
    fields = [
        Booking._meta.get_field("created_at"),
        WaitingListEntry._meta.get_field("joined_at"),
        EvaluationResponse._meta.get_field("submitted_at"),
        Course._meta.get_field("created_at"),
    ]
    try:
        with timestamps_as_given(*fields):
            specs = write_catalogue(partnership, rng, first_year, years, out)
            venues = write_venues(partnership, out)
            pool = write_pool(specs, trainers, rng, first_year, years, out)
            per_year = len(practitioners) * BOOKINGS_PER_PRACTITIONER_YEAR
            ctx = Context(
                partnership=partnership,
                rng=rng,
                now=now,
                out=out,
                specs=specs,
                venues=venues,
                pool=pool,
                practitioners=practitioners,
                immediate=Questionnaire.objects.get(
                    partnership=partnership, stage=Questionnaire.Stage.IMMEDIATE, is_default=True
                ),
                follow_up=Questionnaire.objects.get(
                    partnership=partnership, stage=Questionnaire.Stage.FOLLOW_UP, is_default=True
                ),
                sessions_per_year=max(1, round(per_year / ROWS_PER_SESSION)),
            )
            groups = [
                PracticeGroup(locality=locality, name=f"{locality.name} local practice group")
                for locality in partnership.localities.order_by("name")
            ]
            out.write(PracticeGroup, groups)
            by_locality: dict[int, list[Member]] = {}
            for member in practitioners:
                if member.locality_id:
                    by_locality.setdefault(member.locality_id, []).append(member)

            for year in range(first_year, first_year + years):
                sessions = year_sessions(ctx, year)
                bookings, entries = [], []
                for session in sessions:
                    made, waiting = session_bookings(ctx, session)
                    bookings.extend(made)
                    entries.extend(waiting)
                out.write(Booking, bookings)
                out.write(WaitingListEntry, entries)
                write_evaluations(ctx, sessions, bookings)
                mark_invitations(ctx, sessions, bookings)
                write_practice_groups(ctx, year, groups, by_locality)
                write_conference(ctx, year)
                del sessions, bookings, entries
                reset_queries()  # with DEBUG on, Django would keep every INSERT's text
                if progress is not None:
                    progress.update(1)
    finally:
        if progress is not None:
            progress.close()
    counts = {label.split(".", 1)[1]: n for label, n in sorted(out.counts.items())}
    audit.record(
        action="learning.synthetic.generated",
        obj=partnership,
        changes={"first_year": first_year, "years": years, "seed": seed, "created": counts},
    )
    return counts
