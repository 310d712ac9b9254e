"""Synthetic training history for `manage.py generate_synthetic`: ten financial years (by default
April 2016 to March 2026) of a county's multi-agency training programme.

For each county written by the generator:

- the catalogue: levels, fees, the default evaluation forms and about 64 courses (foundation and
  advanced versions of 32 topics; a few start part-way through the decade and a few are retired),
  of which about 60 run in a year;
- venues in every locality (and, from 2020, online sessions);
- the training pool: every trainer is accredited for a few courses, for a period; each session is
  led by one or two trainers accredited for its course on the day and not busy elsewhere;
- sessions spread over each year's working days: enough for about half a booking a year per
  practitioner (a county of 20,000 practitioners gets about 10,000 bookings a year, 100,000 over
  the decade), about 2.5% of them cancelled;
- bookings by practitioners only, with the outcomes registers record: attended, did not attend,
  cancelled before the cut-off, cancelled late, declined by the line manager (courses that need
  approval), places on cancelled sessions, walk-ins on the day, and waiting lists whose offers are
  claimed, expire or are left. No session ever holds more confirmed places than its capacity;
- evaluations for a share of attendances, straight after the session and 6 to 8 weeks later;
- one local practice group per locality, meeting six times a year, with attendance lists;
- an annual conference each year, with its programme and registrations.

Sessions that start after the moment of generation (only when the decade reaches into the present
through `first_year`) are left open: confirmed or awaiting-approval places, people waiting, no
outcomes. With the default decade everything has happened, and the same seed gives the same data.

Rows are written with bulk_create, a year at a time, so memory stays bounded by one year. The
booking services are not used: they rightly refuse to book sessions in the past. Each bulk write
is summarised by one audit entry (the same approach as the demo's training year).
"""

from __future__ import annotations

import contextlib
import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from django.db import reset_queries
from django.utils import timezone
from django.utils.text import slugify

from safeguarding.core import audit
from safeguarding.learning.calendar import is_working_day, working_days_before
from safeguarding.learning.demo import FOLLOW_UP_QUESTIONS, IMMEDIATE_QUESTIONS, LEVELS
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Conference,
    Course,
    EvaluationResponse,
    FeeSchedule,
    Level,
    PracticeGroup,
    PracticeGroupAttendance,
    PracticeGroupMeeting,
    ProgrammeItem,
    Questionnaire,
    Session,
    SessionTrainer,
    Venue,
    WaitingListEntry,
)
from safeguarding.people.models import Membership, Partnership, Role

FIRST_YEAR = 2016  # the decade April 2016 to March 2026: complete years, so the data is fixed
YEARS = 10
BOOKINGS_PER_PRACTITIONER_YEAR = 0.5
MAX_COURSES_PER_YEAR = 60
ONLINE_FROM_YEAR = 2020

# Chances of each outcome, per place booked.
P_SESSION_CANCELLED = 0.025
P_DECLINED = 0.06  # only on courses that need a line manager's approval
P_CANCELLED = 0.07  # before the cut-off: the place goes back to the waiting list
P_LATE_CANCELLED = 0.035
P_NO_SHOW = 0.10
P_OFFER_CLAIMED = 0.7
P_OFFER_EXPIRED = 0.2  # otherwise the person left the list when offered
P_WALK_INS = 0.25
P_IMMEDIATE_EVALUATION = 0.65
P_FOLLOW_UP_EVALUATION = 0.3  # of those who answered straight after
ROWS_PER_SESSION = 21.5  # bookings written per session, on average, with these chances

# (topic, what it covers, two outcomes, level of the foundation course, level of the advanced)
TOPICS: list[tuple[str, str, str, str, str]] = [
    (
        "Recognising abuse and neglect",
        "the signs that a child is being harmed and what to do the same day",
        "Spot the signs of physical, emotional and sexual abuse\nKnow who to tell and how fast",
        "2",
        "3",
    ),
    (
        "Working together across agencies",
        "how partner agencies share a worry, assess need and plan with a family",
        "Describe what each agency brings\nUse the local threshold guidance",
        "3",
        "4",
    ),
    (
        "Domestic abuse and children",
        "the harm domestic abuse does to children and how the partnership's matrix helps",
        "Ask about domestic abuse safely\nUse the risk identification matrix",
        "3",
        "4",
    ),
    (
        "Child sexual exploitation",
        "grooming, exploitation and the local pathway for young people at risk",
        "Name the warning signs of exploitation\nFollow the local exploitation pathway",
        "3",
        "4",
    ),
    (
        "Child criminal exploitation and county lines",
        "how children are drawn into moving drugs and money, and how to respond",
        "Recognise criminal exploitation\nWork with police and youth justice on a plan",
        "3",
        "4",
    ),
    (
        "Neglect",
        "noticing cumulative harm early and using the neglect assessment tool",
        "See the pattern behind small concerns\nComplete the neglect assessment tool",
        "3",
        "4",
    ),
    (
        "Disabled children and safeguarding",
        "why disabled children are more at risk and how to hear their views",
        "Understand the extra risks disabled children face\nAdapt how you communicate",
        "3",
        "4",
    ),
    (
        "Parents with mental ill health",
        "keeping the child in view when a parent is unwell",
        "Consider the impact on the child\nWork alongside adult mental health services",
        "3",
        "4",
    ),
    (
        "Parental alcohol and drug use",
        "the effect of a parent's substance use on children of every age",
        "Ask about substance use without judgement\nKnow the local treatment services",
        "3",
        "4",
    ),
    (
        "Children missing from home, care or education",
        "the missing protocol, return conversations and links with exploitation",
        "Follow the missing children protocol\nHold a useful return conversation",
        "3",
        "4",
    ),
    (
        "Keeping children safe online",
        "online risks for children and practical advice for families",
        "Describe the main online risks\nGive parents clear, practical advice",
        "2",
        "3",
    ),
    (
        "Safer recruitment",
        "recruiting people who work with children safely and lawfully",
        "Plan a safer recruitment process\nKnow which checks are needed and when",
        "5",
        "6",
    ),
    (
        "Allegations against people who work with children",
        "what to do when a concern is raised about a colleague or volunteer",
        "Know the designated officer's role\nFollow the allegations procedure",
        "5",
        "6",
    ),
    (
        "Child protection conferences",
        "writing reports for conferences and taking part in core groups",
        "Write a clear, analytical report\nContribute to a child protection plan",
        "4",
        "5",
    ),
    (
        "Learning from case reviews",
        "themes from local and national reviews and what they ask of practice",
        "Apply review findings to your own cases\nChallenge assumptions respectfully",
        "4",
        "5",
    ),
    (
        "Private fostering",
        "spotting private fostering arrangements and the duty to notify",
        "Know what counts as private fostering\nNotify the council when you should",
        "2",
        "3",
    ),
    (
        "Female genital mutilation",
        "the law, the mandatory reporting duty and talking with families",
        "Recognise when a girl may be at risk\nKnow the reporting duty and routes",
        "3",
        "4",
    ),
    (
        "Forced marriage and honour-based abuse",
        "understanding the risks and the one chance rule",
        "Recognise the risk indicators\nKnow the specialist services to involve",
        "3",
        "4",
    ),
    (
        "Safeguarding supervision",
        "reflective supervision that keeps the child at the centre",
        "Lead reflective supervision\nSupport staff through difficult cases",
        "5",
        "6",
    ),
    (
        "Early help assessment",
        "offering early help and coordinating support as lead professional",
        "Complete an early help assessment\nChair a team around the family meeting",
        "3",
        "4",
    ),
    (
        "Information sharing",
        "sharing information lawfully and confidently to protect children",
        "Apply the seven golden rules\nRecord decisions to share or not to share",
        "2",
        "3",
    ),
    (
        "Self-harm and suicidal thoughts in young people",
        "responding to self-harm and thoughts of suicide, and getting help fast",
        "Respond calmly to a disclosure\nKnow the urgent and routine routes to help",
        "3",
        "4",
    ),
    (
        "Radicalisation and the Prevent duty",
        "recognising vulnerability to radicalisation and making a Prevent referral",
        "Recognise signs of radicalisation\nKnow how to make a referral",
        "2",
        "3",
    ),
    (
        "Harmful sexual behaviour",
        "telling healthy from harmful sexual behaviour in children and responding well",
        "Use a continuum of sexual behaviour\nPlan a proportionate response",
        "3",
        "4",
    ),
    (
        "Trauma-informed practice",
        "how adversity shapes children's behaviour and how services can respond",
        "Explain the effect of trauma on development\nAdapt practice to avoid re-traumatising",
        "3",
        "4",
    ),
    (
        "Bruising in babies who are not mobile",
        "why bruising in a baby who cannot move is always a concern, and the protocol",
        "Know the protocol for bruising in non-mobile babies\nRefer without delay",
        "3",
        "4",
    ),
    (
        "Safe sleep and infant safety",
        "advice to parents on safe sleep and coping with crying",
        "Give consistent safe sleep advice\nTalk with parents about coping with crying",
        "2",
        "3",
    ),
    (
        "Children in care and care leavers",
        "the particular risks for looked-after children and care leavers",
        "Understand corporate parenting\nSupport stable placements",
        "3",
        "4",
    ),
    (
        "Young carers",
        "identifying children who care for a family member and getting them support",
        "Identify young carers\nRefer for a young carer's assessment",
        "2",
        "3",
    ),
    (
        "Talking with children about worries",
        "hearing the child's voice and recording what they say",
        "Listen without leading\nRecord the child's own words",
        "2",
        "3",
    ),
    (
        "Professional curiosity and challenge",
        "asking the next question, and escalating when agencies disagree",
        "Show professional curiosity\nUse the escalation procedure",
        "3",
        "4",
    ),
    (
        "Modern slavery and trafficking of children",
        "recognising trafficked children and the national referral mechanism",
        "Recognise indicators of trafficking\nKnow how a referral is made",
        "3",
        "4",
    ),
]

CONFERENCE_THEMES = [
    "Online safety: growing up connected",
    "Neglect: seeing the whole child",
    "Exploitation outside the home",
    "Hearing the voice of the child",
    "Domestic abuse: children are victims too",
    "Trauma and resilience",
    "Safeguarding through a pandemic",
    "Mental health and wellbeing of young people",
    "Learning from reviews: what has changed",
    "Early help: the right support at the right time",
    "Disabled children: equal protection",
    "Working with fathers",
]

PRACTICE_GROUP_TOPICS = [
    "Learning from a local case review\nThe refreshed threshold guidance",
    "Children who go missing\nReturn conversations",
    "Exploitation: the local picture",
    "Neglect: using the assessment tool",
    "The domestic abuse risk identification matrix\nSpeaking the same language",
    "Private fostering\nOnline safety",
    "Escalation when agencies disagree",
    "Young carers in our schools",
    "Bruising in babies who are not mobile",
    "Early help: what is on offer locally",
]

COMMENTS = [
    "I will check the threshold guidance before I call the front door.",
    "Speak to the child on their own and write down what they say.",
    "Share worries with the school nurse earlier.",
    "Use the risk matrix with every family where there is domestic abuse.",
    "Ask about who else lives in the house.",
    "Talk to my manager sooner when I am stuck.",
    "",
    "",
]

VENUE_KINDS = [
    ("children's centre", "Level access; baby change; parking for 20 cars."),
    ("library meeting room", "Lift to the first floor; hearing loop; town centre car park."),
    ("fire station training room", "Step-free access; free parking on site."),
]


# Progress, counts and writing ------------------------------------------------------------------


@dataclass
class Output:
    """Rows waiting to be written and counts of rows written."""

    batch_size: int
    counts: Counter = field(default_factory=Counter)

    def write(self, model, rows: Sequence) -> None:
        model.objects.bulk_create(rows, batch_size=self.batch_size)
        self.counts[model._meta.label_lower] += len(rows)


@contextlib.contextmanager
def _timestamps_as_given(*fields) -> Iterator[None]:
    """Let bulk_create keep historic timestamps (created_at, joined_at, submitted_at) instead
    of stamping every row with now: auto_now_add is switched off for the duration."""
    saved = [(f, f.auto_now_add) for f in fields]
    try:
        for f, _ in saved:
            f.auto_now_add = False
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour, minute), tzinfo=timezone.get_current_timezone()
    )


def _working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _allocate(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` by largest remainders."""
    weight_sum = sum(weights)
    shares = [total * w / weight_sum for w in weights]
    counts = [int(s) for s in shares]
    for i in sorted(range(len(shares)), key=lambda i: (counts[i] - shares[i], i))[
        : total - sum(counts)
    ]:
        counts[i] += 1
    return counts


# The people -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Member:
    user_id: int
    agency_id: int
    locality_id: int | None
    manager_id: int | None


def _members(partnership: Partnership, role: str) -> list[Member]:
    """Memberships with `role` in the partnership, by e-mail address (a stable order)."""
    rows = (
        Membership.objects.filter(agency__partnership=partnership, role_grants__role=role)
        .order_by("user__email", "agency__name")
        .values_list(
            "user_id", "agency_id", "team__locality_id", "agency__locality_id", "line_manager_id"
        )
    )
    seen: set[int] = set()
    members = []
    for user_id, agency_id, team_locality, agency_locality, manager_id in rows:
        if user_id not in seen:
            seen.add(user_id)
            members.append(Member(user_id, agency_id, team_locality or agency_locality, manager_id))
    return members


# The catalogue ---------------------------------------------------------------------------------


@dataclass
class CourseSpec:
    course: Course
    weight: float  # how often it runs, relative to the others
    first_year: int
    last_year: int


def _catalogue(
    partnership: Partnership, rng: random.Random, first_year: int, years: int, out: Output
) -> list[CourseSpec]:
    FeeSchedule.objects.get_or_create(partnership=partnership)
    levels = {
        code: Level.objects.get_or_create(
            partnership=partnership,
            code=code,
            defaults={"name": name, "description": text, "order": int(code)},
        )[0]
        for code, name, text in LEVELS
    }
    for stage, name, questions in (
        (Questionnaire.Stage.IMMEDIATE, "After the session", IMMEDIATE_QUESTIONS),
        (Questionnaire.Stage.FOLLOW_UP, "Six to eight weeks later", FOLLOW_UP_QUESTIONS),
    ):
        if not Questionnaire.objects.filter(partnership=partnership, stage=stage).exists():
            Questionnaire.objects.create(
                partnership=partnership,
                name=name,
                stage=stage,
                questions=questions,
                is_default=True,
            )
    last_year = first_year + years - 1
    specs: list[CourseSpec] = []
    courses: list[Course] = []
    for topic, covers, outcomes, basic, advanced in TOPICS:
        for variant in ("foundation", "advanced"):
            foundation = variant == "foundation"
            level = basic if foundation else advanced
            title = f"{topic}: {variant}"
            # A few courses start part-way through the decade; a few are retired before its end.
            roll = rng.random()
            starts = first_year + (rng.randint(1, max(1, years // 2)) if roll < 0.06 else 0)
            ends = last_year - (rng.randint(1, max(1, years // 3)) if roll > 0.94 else 0)
            course = Course(
                partnership=partnership,
                kind=Course.Kind.COURSE,
                title=title,
                slug=slugify(title)[:200],
                summary=(
                    f"An introduction to {covers}."
                    if foundation
                    else f"For practitioners who have done the foundation course: {covers}, "
                    "applied to complex cases."
                ),
                learning_outcomes=outcomes,
                audience="Practitioners in every partner agency whose work matches the level.",
                level=levels[level],
                duration=Course.Duration.FULL_DAY if foundation else Course.Duration.HALF_DAY,
                requires_manager_approval=int(level) >= 5,
                requires_evaluation_for_certificate=not foundation,
                charges_apply=True,
                status=Course.Status.PUBLISHED if ends == last_year else Course.Status.ARCHIVED,
                created_at=_at(datetime.date(starts - 1, 12, 1), 10),
            )
            courses.append(course)
            specs.append(CourseSpec(course, 3.0 if foundation else 1.0, starts, ends))
    out.write(Course, courses)
    Prerequisite = Course.prerequisites.through
    out.write(
        Prerequisite,
        [
            Prerequisite(from_course_id=advanced.pk, to_course_id=foundation.pk)
            for foundation, advanced in zip(courses[::2], courses[1::2], strict=True)
        ],
    )
    return specs


def _venues(partnership: Partnership, out: Output) -> list[Venue]:
    venues = []
    for locality in partnership.localities.order_by("name"):
        for kind, access in VENUE_KINDS:
            venues.append(
                Venue(
                    partnership=partnership,
                    name=f"{locality.name} {kind}",
                    address=f"{kind.capitalize()}\n{locality.name}",
                    access_information=access,
                    locality=locality,
                )
            )
    venues.append(
        Venue(
            partnership=partnership,
            name=f"{partnership.area} training centre",
            address=f"County Hall\n{partnership.area}",
            access_information="Step-free throughout; hearing loop in every room; parking.",
        )
    )
    out.write(Venue, venues)
    return venues


@dataclass
class Pool:
    """Who may lead each course, and when."""

    by_course: dict[int, list[tuple[Member, datetime.date, datetime.date]]]

    def available(self, course: Course, day: datetime.date, busy: set[int]) -> list[Member]:
        return [
            member
            for member, accredited_on, expires_on in self.by_course[course.pk]
            if accredited_on <= day <= expires_on and member.user_id not in busy
        ]


def _pool(
    specs: list[CourseSpec],
    trainers: list[Member],
    rng: random.Random,
    first_year: int,
    years: int,
    out: Output,
) -> Pool:
    """Accredit every trainer for a few courses. The first two trainers of each course are
    accredited for the whole decade, so that every session can be led; the others for a few
    years somewhere in it (their accreditations start, lapse and are shown as expired)."""
    decade_start = datetime.date(first_year - 1, 9, 1)
    decade_end = datetime.date(first_year + years + 1, 8, 31)
    chosen: dict[int, list[Member]] = {spec.course.pk: [] for spec in specs}
    for member in trainers:
        for spec in rng.sample(specs, min(len(specs), rng.randint(2, 4))):
            chosen[spec.course.pk].append(member)
    for n, spec in enumerate(specs):
        needed = min(2, len(trainers))
        k = n
        while len(chosen[spec.course.pk]) < needed:
            member = trainers[k % len(trainers)]
            if member not in chosen[spec.course.pk]:
                chosen[spec.course.pk].append(member)
            k += 1
    by_course: dict[int, list[tuple[Member, datetime.date, datetime.date]]] = {}
    rows = []
    for spec in specs:
        entries = []
        for position, member in enumerate(chosen[spec.course.pk]):
            if position < 2:
                accredited_on, expires_on = decade_start, decade_end
            else:
                accredited_on = decade_start + datetime.timedelta(
                    days=rng.randint(0, max(1, (years - 1) * 365))
                )
                expires_on = accredited_on + datetime.timedelta(days=rng.randint(2, 5) * 365)
            entries.append((member, accredited_on, expires_on))
            rows.append(
                Accreditation(
                    trainer_id=member.user_id,
                    course=spec.course,
                    accredited_on=accredited_on,
                    expires_on=expires_on,
                )
            )
        by_course[spec.course.pk] = entries
    out.write(Accreditation, rows)
    return Pool(by_course)


# One financial year --------------------------------------------------------------------------


@dataclass
class Context:
    partnership: Partnership
    rng: random.Random
    now: datetime.datetime
    out: Output
    specs: list[CourseSpec]
    venues: list[Venue]
    pool: Pool
    practitioners: list[Member]
    immediate: Questionnaire
    follow_up: Questionnaire
    sessions_per_year: int
    # Each course's quality: the centre of its evaluation ratings.
    quality: dict[int, float] = field(default_factory=dict)


def _closes_at(start: datetime.datetime, cutoff: int) -> datetime.datetime:
    last_day = working_days_before(timezone.localtime(start).date(), cutoff)
    return _at(last_day + datetime.timedelta(days=1), 0)


def _year_sessions(ctx: Context, year: int) -> list[Session]:
    rng = ctx.rng
    running = [s for s in ctx.specs if s.first_year <= year <= s.last_year]
    total = ctx.sessions_per_year
    if total < len(running):
        running = sorted(rng.sample(running, total), key=lambda s: s.course.title)
        counts = [1] * total
    else:
        if len(running) > MAX_COURSES_PER_YEAR:
            keep = set(rng.sample(range(len(running)), MAX_COURSES_PER_YEAR))
            running = [spec for i, spec in enumerate(running) if i in keep]
        counts = [1 + c for c in _allocate(total - len(running), [s.weight for s in running])]
    days = _working_days(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))
    plans = []
    for spec, count in zip(running, counts, strict=True):
        for day in rng.choices(days, k=count):
            plans.append((day, spec.course))
    plans.sort(key=lambda item: (item[0], item[1].title))

    busy: dict[datetime.date, set[int]] = {}
    sessions: list[Session] = []
    leaders: list[list[Member]] = []
    for day, course in plans:
        # The trainers must be accredited on the day and free: move to the next working day
        # until they are (there are always two accredited for the whole decade).
        index = days.index(day)
        while True:
            free = ctx.pool.available(course, days[index], busy.setdefault(days[index], set()))
            if free or index == len(days) - 1:
                break
            index += 1
        day = days[index]
        if not free:
            continue  # every accredited trainer is busy on the last days of the year
        team = rng.sample(free, 2 if len(free) > 1 and rng.random() < 0.35 else 1)
        busy[day].update(m.user_id for m in team)
        online = year >= ONLINE_FROM_YEAR and rng.random() < 0.3
        full_day = course.duration == Course.Duration.FULL_DAY
        starts_at = _at(day, 9, 30) if full_day else _at(day, rng.choice((9, 13)), 30)
        if online:
            capacity = rng.choice((25, 30, 40))
        else:
            capacity = rng.choice((18, 20, 24)) if full_day else rng.choice((16, 20, 24, 30))
        cancelled = rng.random() < P_SESSION_CANCELLED
        session = Session(
            course=course,
            starts_at=starts_at,
            ends_at=starts_at + datetime.timedelta(hours=6 if full_day else 3),
            venue=None if online else rng.choice(ctx.venues),
            online_url=f"https://meet.example/training/{year}-{len(sessions) + 1}"
            if online
            else "",
            joining_instructions=(
                "The joining link opens 10 minutes before the start; please test your camera."
                if online
                else "Please sign in at reception 15 minutes before the start."
            ),
            capacity=capacity,
            booking_opens_at=starts_at - datetime.timedelta(days=rng.randint(60, 120)),
            cutoff_working_days=rng.choice((2, 2, 3)),
            status=Session.Status.CANCELLED if cancelled else Session.Status.SCHEDULED,
            cancelled_reason="The trainer was unwell and no one could stand in."
            if cancelled
            else "",
        )
        if not cancelled and starts_at <= ctx.now:
            session.reminder_sent_at = starts_at - datetime.timedelta(days=3)
        sessions.append(session)
        leaders.append(team)
    ctx.out.write(Session, sessions)
    ctx.out.write(
        SessionTrainer,
        [
            SessionTrainer(session=session, trainer_id=m.user_id, agency_id=m.agency_id)
            for session, team in zip(sessions, leaders, strict=True)
            for m in team
        ],
    )
    for session, team in zip(sessions, leaders, strict=True):
        session.leader_ids = {m.user_id for m in team}
    return sessions


def _people(ctx: Context, count: int, exclude: set[int]) -> list[Member]:
    """Up to `count` different practitioners (none of them in `exclude`), in random order."""
    practitioners = ctx.practitioners
    picks = ctx.rng.sample(range(len(practitioners)), min(len(practitioners), count + len(exclude)))
    chosen = [practitioners[i] for i in picks if practitioners[i].user_id not in exclude]
    return chosen[:count]


def _session_bookings(
    ctx: Context, session: Session
) -> tuple[list[Booking], list[WaitingListEntry]]:
    """Bookings and waiting-list entries for one session, with their outcomes."""
    rng = ctx.rng
    course = session.course
    start = session.starts_at
    closes = _closes_at(start, session.cutoff_working_days)
    opens = session.booking_opens_at
    past = start <= ctx.now
    demand = max(1, round(session.capacity * rng.triangular(0.55, 1.45, 1.0)))
    people = _people(ctx, demand, session.leader_ids)
    first, queue = people[: session.capacity], people[session.capacity :]
    span = max(1.0, (closes - opens).total_seconds())

    def booked_at(fraction_low: float, fraction_high: float) -> datetime.datetime:
        return opens + datetime.timedelta(seconds=span * rng.uniform(fraction_low, fraction_high))

    def booking(member: Member, created_at: datetime.datetime, **fields) -> Booking:
        return Booking(
            session=session,
            person_id=member.user_id,
            agency_id=member.agency_id,
            booked_by_id=member.user_id,
            created_at=created_at,
            **fields,
        )

    bookings: list[Booking] = []
    entries: list[WaitingListEntry] = []
    full_at = booked_at(0.5, 0.8)
    waiting = [
        WaitingListEntry(
            session=session,
            person_id=member.user_id,
            joined_at=full_at + datetime.timedelta(hours=n + 1),
            status=WaitingListEntry.Status.WAITING,
        )
        for n, member in enumerate(queue)
    ]
    entries.extend(waiting)

    if session.status == Session.Status.CANCELLED:
        cancelled_at = start - datetime.timedelta(days=rng.randint(1, 10))
        for member in first:
            bookings.append(
                booking(
                    member,
                    booked_at(0.0, 0.8),
                    status=Booking.Status.SESSION_CANCELLED,
                    cancelled_at=cancelled_at,
                )
            )
        for entry in waiting:
            entry.status = WaitingListEntry.Status.LEFT
        return bookings, entries

    def outcome(member: Member, created_at: datetime.datetime, *, may_leave: bool) -> Booking:
        """One place booked, and what became of it. Returns the booking (holding or not)."""
        needs_approval = course.requires_manager_approval and member.manager_id is not None
        decided_by = member.manager_id if needs_approval else None
        roll = rng.random()
        if not past:
            if needs_approval and roll < 0.3:
                return booking(member, created_at, status=Booking.Status.AWAITING_APPROVAL)
            return booking(member, created_at, status=Booking.Status.CONFIRMED, decided_by_id=None)
        if needs_approval and roll < P_DECLINED:
            return booking(
                member, created_at, status=Booking.Status.DECLINED, decided_by_id=decided_by
            )
        roll = rng.random()
        if may_leave and roll < P_CANCELLED:
            low = created_at + datetime.timedelta(hours=1)
            return booking(
                member,
                created_at,
                status=Booking.Status.CANCELLED,
                cancelled_at=low + (closes - low) * rng.uniform(0.1, 0.9) if closes > low else low,
                decided_by_id=decided_by,
            )
        if roll < P_CANCELLED + P_LATE_CANCELLED:
            return booking(
                member,
                created_at,
                status=Booking.Status.LATE_CANCELLED,
                cancelled_at=closes + (start - closes) * rng.uniform(0.05, 0.95),
                decided_by_id=decided_by,
            )
        attendance = (
            Booking.Attendance.NO_SHOW if rng.random() < P_NO_SHOW else Booking.Attendance.ATTENDED
        )
        return booking(
            member,
            created_at,
            status=Booking.Status.CONFIRMED,
            attendance=attendance,
            decided_by_id=decided_by,
        )

    freed: list[datetime.datetime] = []  # when each place given back before the cut-off was freed
    for member in first:
        placed = outcome(member, booked_at(0.0, 0.8), may_leave=True)
        bookings.append(placed)
        if placed.status in (Booking.Status.CANCELLED, Booking.Status.DECLINED):
            freed.append(placed.cancelled_at or placed.created_at + datetime.timedelta(days=2))

    # Places given back go to the waiting list in order; each offer is claimed, expires or is
    # turned down, and the next person is offered the place.
    queue_position = 0
    for freed_at in sorted(freed):
        while queue_position < len(waiting):
            entry, member = waiting[queue_position], queue[queue_position]
            queue_position += 1
            offered_at = max(freed_at, entry.joined_at) + datetime.timedelta(minutes=15)
            if offered_at >= closes:
                queue_position -= 1  # too late to offer: bookings have closed
                break
            entry.offered_at = offered_at
            entry.offer_expires_at = offered_at + datetime.timedelta(hours=48)
            roll = rng.random()
            if roll < P_OFFER_CLAIMED:
                entry.status = WaitingListEntry.Status.CLAIMED
                claimed_at = offered_at + datetime.timedelta(hours=rng.uniform(0.5, 40))
                bookings.append(outcome(member, claimed_at, may_leave=False))
                break
            entry.status = (
                WaitingListEntry.Status.EXPIRED
                if roll < P_OFFER_CLAIMED + P_OFFER_EXPIRED
                else WaitingListEntry.Status.LEFT
            )
            freed_at = entry.offer_expires_at
    for entry in waiting[queue_position:]:
        if past and rng.random() < 0.4:
            entry.status = WaitingListEntry.Status.LEFT

    if past:
        holding = sum(b.status == Booking.Status.CONFIRMED for b in bookings)
        spare = session.capacity - holding
        if spare > 0 and rng.random() < P_WALK_INS:
            booked = {b.person_id for b in bookings}
            for member in _people(ctx, min(spare, rng.randint(1, 2)), session.leader_ids | booked):
                bookings.append(
                    booking(
                        member,
                        start + datetime.timedelta(minutes=rng.randint(-20, 10)),
                        status=Booking.Status.CONFIRMED,
                        attendance=Booking.Attendance.ATTENDED,
                        is_walk_in=True,
                    )
                )
    return bookings, entries


def _evaluations(ctx: Context, sessions: list[Session], bookings: list[Booking]) -> None:
    rng = ctx.rng
    by_session = {s.pk: s for s in sessions}
    responses = []
    for b in bookings:
        if b.attendance != Booking.Attendance.ATTENDED:
            continue
        session = by_session[b.session_id]
        if rng.random() >= P_IMMEDIATE_EVALUATION:
            continue
        centre = ctx.quality.setdefault(session.course_id, rng.uniform(3.6, 4.5))

        def rating(shift: float = 0.0, centre=centre) -> int:
            return max(1, min(5, round(rng.gauss(centre + shift, 0.8))))

        submitted = session.ends_at + datetime.timedelta(hours=rng.uniform(0.2, 120))
        if submitted <= ctx.now:
            answers = {
                "overall": rating(),
                "trainer": rating(0.2),
                "relevance": rating(-0.1),
                "change": rng.choice(COMMENTS),
            }
            responses.append(
                EvaluationResponse(
                    booking_id=b.pk,
                    questionnaire=ctx.immediate,
                    stage=Questionnaire.Stage.IMMEDIATE,
                    answers=answers,
                    submitted_at=submitted,
                )
            )
        later = session.ends_at + datetime.timedelta(days=rng.uniform(42, 56))
        if later <= ctx.now and rng.random() < P_FOLLOW_UP_EVALUATION:
            responses.append(
                EvaluationResponse(
                    booking_id=b.pk,
                    questionnaire=ctx.follow_up,
                    stage=Questionnaire.Stage.FOLLOW_UP,
                    answers={"used": rating(-0.4), "example": rng.choice(COMMENTS)},
                    submitted_at=later,
                )
            )
    ctx.out.write(EvaluationResponse, responses)


def _mark_invitations(ctx: Context, sessions: list[Session], bookings: list[Booking]) -> None:
    """Record that evaluation invitations went out for past sessions with attendees, so that
    send_evaluations never sends them again."""
    attended = {b.session_id for b in bookings if b.attendance == Booking.Attendance.ATTENDED}
    changed = []
    for session in sessions:
        if session.pk not in attended or session.ends_at > ctx.now:
            continue
        session.evaluation_sent_at = session.ends_at + datetime.timedelta(hours=1)
        follow_up = session.ends_at + datetime.timedelta(days=42)
        session.follow_up_sent_at = follow_up if follow_up <= ctx.now else None
        changed.append(session)
    Session.objects.bulk_update(
        changed, ["evaluation_sent_at", "follow_up_sent_at"], batch_size=ctx.out.batch_size
    )


def _practice_groups(
    ctx: Context, year: int, groups: list[PracticeGroup], by_locality: dict
) -> None:
    rng = ctx.rng
    meetings, plans = [], []
    for group in groups:
        for month in (5, 7, 9, 11, 1, 3):
            calendar_year = year if month >= 4 else year + 1
            wednesdays = [
                d
                for d in _working_days(
                    datetime.date(calendar_year, month, 8), datetime.date(calendar_year, month, 24)
                )
                if d.weekday() == 2
            ]
            day = rng.choice(wednesdays)
            meeting = PracticeGroupMeeting(
                group=group,
                starts_at=_at(day, 12, 30),
                venue=f"{group.locality.name} children's centre",
                topics=rng.choice(PRACTICE_GROUP_TOPICS),
            )
            meetings.append(meeting)
            local = by_locality.get(group.locality_id) or ctx.practitioners
            plans.append(local)
    ctx.out.write(PracticeGroupMeeting, meetings)
    attendances = []
    for meeting, local in zip(meetings, plans, strict=True):
        if meeting.starts_at > ctx.now:
            continue
        for member in rng.sample(local, min(len(local), rng.randint(12, 30))):
            attendances.append(
                PracticeGroupAttendance(
                    meeting=meeting, person_id=member.user_id, agency_id=member.agency_id
                )
            )
    ctx.out.write(PracticeGroupAttendance, attendances)


def _conference(ctx: Context, year: int) -> list[Booking]:
    rng = ctx.rng
    day = rng.choice(
        [
            d
            for d in _working_days(datetime.date(year, 6, 1), datetime.date(year, 7, 15))
            if d.weekday() in (1, 2, 3)
        ]
    )
    title = f"Annual conference {day.year}"
    theme = CONFERENCE_THEMES[(year + rng.randrange(3)) % len(CONFERENCE_THEMES)]
    course = Course(
        partnership=ctx.partnership,
        kind=Course.Kind.CONFERENCE,
        title=title,
        slug=slugify(title),
        summary=theme,
        learning_outcomes="Hear what is changing locally and nationally\nMeet colleagues from "
        "other agencies",
        duration=Course.Duration.FULL_DAY,
        status=Course.Status.PUBLISHED,
        charges_apply=False,
        created_at=_at(day - datetime.timedelta(days=180), 10),
    )
    ctx.out.write(Course, [course])
    capacity = min(rng.choice((180, 200, 220, 250)), max(20, len(ctx.practitioners) // 20))
    session = Session(
        course=course,
        starts_at=_at(day, 9),
        ends_at=_at(day, 16),
        venue=ctx.venues[-1],
        capacity=capacity,
        booking_opens_at=_at(day - datetime.timedelta(days=120), 9),
        cutoff_working_days=3,
        joining_instructions="Registration and coffee from 8.30am.",
    )
    if session.starts_at <= ctx.now:
        session.reminder_sent_at = session.starts_at - datetime.timedelta(days=3)
    ctx.out.write(Session, [session])
    conference = Conference(partnership=ctx.partnership, title=title, theme=theme, session=session)
    ctx.out.write(Conference, [conference])
    items = [
        ("talk", "Welcome from the independent chair", "Independent chair", 9, 15, 30),
        ("talk", "What the year has taught us", "Partnership business manager", 9, 45, 45),
        ("workshop", "Putting it into practice", "Practitioners from the training pool", 11, 0, 75),
        ("break", "Lunch", "", 12, 15, 45),
        ("talk", "In our own words", "Young people from the children in care council", 13, 0, 45),
        ("workshop", "Tools for the front line", "Local safeguarding leads", 14, 0, 75),
        ("talk", "Closing reflections", "Independent chair", 15, 30, 30),
    ]
    ctx.out.write(
        ProgrammeItem,
        [
            ProgrammeItem(
                conference=conference,
                kind=kind,
                title=f"{theme}: {item}" if kind == "workshop" else item,
                speakers=speakers,
                room="Main hall" if kind != "workshop" else rng.choice(("Room 1", "Room 2")),
                starts_at=_at(day, hour, minute),
                ends_at=_at(day, hour, minute) + datetime.timedelta(minutes=length),
            )
            for kind, item, speakers, hour, minute, length in items
        ],
    )
    past = session.starts_at <= ctx.now
    bookings = []
    for member in _people(ctx, round(capacity * rng.uniform(0.9, 1.0)), set()):
        created_at = session.booking_opens_at + datetime.timedelta(days=rng.uniform(0, 100))
        roll = rng.random()
        if past and roll < 0.05:
            status, attendance, cancelled_at = (
                Booking.Status.CANCELLED,
                "",
                created_at + datetime.timedelta(days=1),
            )
        elif past:
            status, cancelled_at = Booking.Status.CONFIRMED, None
            attendance = Booking.Attendance.NO_SHOW if roll > 0.92 else Booking.Attendance.ATTENDED
        else:
            status, attendance, cancelled_at = Booking.Status.CONFIRMED, "", None
        bookings.append(
            Booking(
                session=session,
                person_id=member.user_id,
                agency_id=member.agency_id,
                booked_by_id=member.user_id,
                status=status,
                attendance=attendance,
                created_at=created_at,
                cancelled_at=cancelled_at,
            )
        )
    ctx.out.write(Booking, bookings)
    return bookings


# The entry point -------------------------------------------------------------------------------


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
    practitioners = _members(partnership, Role.PRACTITIONER)
    trainers = _members(partnership, Role.TRAINER)
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
        with _timestamps_as_given(*fields):
            specs = _catalogue(partnership, rng, first_year, years, out)
            venues = _venues(partnership, out)
            pool = _pool(specs, trainers, rng, first_year, years, out)
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
                sessions = _year_sessions(ctx, year)
                bookings, entries = [], []
                for session in sessions:
                    made, waiting = _session_bookings(ctx, session)
                    bookings.extend(made)
                    entries.extend(waiting)
                out.write(Booking, bookings)
                out.write(WaitingListEntry, entries)
                _evaluations(ctx, sessions, bookings)
                _mark_invitations(ctx, sessions, bookings)
                _practice_groups(ctx, year, groups, by_locality)
                _conference(ctx, year)
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
