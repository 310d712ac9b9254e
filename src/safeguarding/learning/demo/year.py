"""The demo partnership's training year, 2013/14, as the seed report tells it: 57 courses run by
local practitioners from the training pool for nearly 800 attendees, four local practice groups
with over 500 attendances, and the annual conference on e-safety for 200 practitioners (March 2014).
Also a few sessions in the coming weeks, so that the booking journeys can be tried.

Historic bookings, registers and evaluations are written in bulk (one audit entry per bulk
write), since the booking services rightly refuse to book sessions in the past."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.calendar import is_working_day
from safeguarding.learning.models import (
    Accreditation,
    Booking,
    Certificate,
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
)
from safeguarding.people.models import Membership, Role

LEVELS = [
    ("1", "Group 1", "Occasional contact with children, young people or parents"),
    ("2", "Group 2", "Regular contact with children, young people or parents"),
    ("3", "Group 3", "Work with children and families who may need extra help"),
    ("4", "Group 4", "Work with children in need and child protection cases"),
    ("5", "Group 5", "Lead or manage safeguarding work in an agency"),
    ("6", "Group 6", "Specialist safeguarding roles: named and designated professionals"),
    ("7", "Group 7", "Senior managers responsible for safeguarding in their agency"),
    ("8", "Group 8", "Board members and chief officers"),
]

# (title, level code, duration, approval needed, summary, outcomes, prerequisite title)
COURSES = [
    (
        "Safeguarding children: a shared responsibility",
        "2",
        "full_day",
        False,
        "What every practitioner needs to know to recognise abuse and act on it.",
        "Recognise the signs of abuse and neglect\nKnow how and when to make a referral\n"
        "Understand information sharing",
        None,
    ),
    (
        "Working together to safeguard children",
        "3",
        "full_day",
        False,
        "How the agencies share concerns, assess need and plan together.",
        "Describe each agency's part\nUse the threshold document\nTake part in strategy meetings",
        "Safeguarding children: a shared responsibility",
    ),
    (
        "Domestic abuse and its impact on children",
        "3",
        "full_day",
        False,
        "The effect of domestic abuse on children, and the partnership's risk matrix.",
        "Identify domestic abuse\nUse the risk identification matrix\nRefer at the right level",
        "Safeguarding children: a shared responsibility",
    ),
    (
        "Child sexual exploitation: spotting the signs",
        "3",
        "full_day",
        False,
        "Recognising and responding to child sexual exploitation.",
        "Know the warning signs of exploitation\nKnow the local pathway\nWork with young people",
        None,
    ),
    (
        "Safeguarding disabled children",
        "3",
        "full_day",
        False,
        "Why disabled children are at greater risk, and what helps.",
        "Understand additional vulnerabilities\nCommunicate with disabled children",
        None,
    ),
    (
        "Neglect: assessment and action",
        "3",
        "full_day",
        False,
        "Recognising neglect early and using the neglect tool.",
        "Recognise cumulative harm\nUse the neglect assessment tool",
        None,
    ),
    (
        "Parental mental health and substance misuse",
        "3",
        "half_day",
        False,
        "Thinking about the child when parents struggle.",
        "Consider the impact on children\nWork with adult services",
        None,
    ),
    (
        "Children who go missing",
        "3",
        "half_day",
        False,
        "The missing children protocol and return interviews.",
        "Know the missing protocol\nUnderstand links with exploitation",
        None,
    ),
    (
        "E-safety for practitioners",
        "2",
        "half_day",
        False,
        "Keeping children and young people safe online.",
        "Know the main online risks\nGive practical advice to families",
        None,
    ),
    (
        "Safer recruitment",
        "5",
        "full_day",
        True,
        "Recruiting safely: the law and good practice.",
        "Apply safer recruitment practice\nKnow the rules on checks",
        None,
    ),
    (
        "Managing allegations against staff",
        "5",
        "half_day",
        True,
        "What to do when an allegation is made against someone who works with children.",
        "Know the role of the designated officer\nFollow the procedure",
        None,
    ),
    (
        "Child protection conferences: contributing well",
        "4",
        "half_day",
        False,
        "Preparing reports and taking part in child protection conferences.",
        "Write a clear report\nContribute to the plan",
        "Working together to safeguard children",
    ),
    (
        "Learning from serious case reviews",
        "4",
        "half_day",
        False,
        "Themes from local and national serious case reviews.",
        "Apply lessons to practice\nChallenge professional assumptions",
        None,
    ),
    (
        "Private fostering",
        "2",
        "half_day",
        False,
        "Recognising private fostering arrangements and notifying them.",
        "Know what private fostering is\nKnow the duty to notify",
        None,
    ),
    (
        "Female genital mutilation and honour-based violence",
        "3",
        "half_day",
        False,
        "Understanding the law and responding to risk.",
        "Recognise risk indicators\nKnow the referral routes",
        None,
    ),
    (
        "Supervision for safeguarding",
        "5",
        "full_day",
        True,
        "Safeguarding supervision for managers.",
        "Provide reflective supervision\nSupport staff with difficult cases",
        None,
    ),
]

# The rest of the 2013/14 programme: each of the 57 courses ran once in the year, as the seed
# counts them ("each one of the 57 courses being run by a local practitioner from our training
# pool"). (title, level code, duration, summary, outcomes)
MORE_COURSES = [
    (
        "Safeguarding awareness for volunteers",
        "1",
        "half_day",
        "The basics for volunteers in clubs, faith groups and charities.",
        "Know what abuse is\nKnow who to tell",
    ),
    (
        "Safeguarding in early years settings",
        "2",
        "half_day",
        "Keeping babies and young children safe in nurseries and with childminders.",
        "Recognise concerns in the early years\nFollow the setting's procedure",
    ),
    (
        "Designated safeguarding lead in schools",
        "5",
        "full_day",
        "The role of the designated safeguarding lead in a school or college.",
        "Lead safeguarding in a school\nKeep records well",
    ),
    (
        "Refresher for designated safeguarding leads",
        "5",
        "half_day",
        "Updates in law, guidance and local procedures for school leads.",
        "Know what has changed\nShare learning with staff",
    ),
    (
        "Early help assessment and the lead professional",
        "3",
        "full_day",
        "Completing an early help assessment and coordinating the team around the family.",
        "Complete an early help assessment\nLead a team around the family",
    ),
    (
        "Using the thresholds document",
        "3",
        "half_day",
        "Deciding the level of need and the right response.",
        "Apply the thresholds\nExplain a decision to a family",
    ),
    (
        "Information sharing: confidence and consent",
        "2",
        "half_day",
        "When and how to share information to keep children safe.",
        "Know the principles of information sharing\nRecord decisions",
    ),
    (
        "Recording and chronologies",
        "3",
        "half_day",
        "Writing records and chronologies that help children.",
        "Write a useful chronology\nSeparate fact from opinion",
    ),
    (
        "Assessing parenting capacity",
        "4",
        "full_day",
        "Assessing whether parents can meet a child's needs, and change.",
        "Use assessment frameworks\nWeigh capacity to change",
    ),
    (
        "Core groups and child protection plans",
        "4",
        "half_day",
        "Making child protection plans work through the core group.",
        "Write outcome-focused plans\nRun a useful core group",
    ),
    (
        "Strategy discussions and section 47 enquiries",
        "4",
        "full_day",
        "Joint working between police, social care and health in enquiries.",
        "Contribute to a strategy discussion\nKnow each agency's role",
    ),
    (
        "Physical abuse and bruising in non-mobile babies",
        "3",
        "half_day",
        "Responding to bruising and injuries in babies who cannot move on their own.",
        "Know the bruising protocol\nRefer without delay",
    ),
    (
        "Abusive head trauma and coping with crying",
        "2",
        "half_day",
        "Helping parents cope with a crying baby.",
        "Explain the risks of shaking\nGive coping advice",
    ),
    (
        "Sexual abuse within the family",
        "4",
        "full_day",
        "Recognising and responding to intra-familial sexual abuse.",
        "Recognise indicators\nRespond to a disclosure",
    ),
    (
        "Harmful sexual behaviour",
        "4",
        "full_day",
        "Children and young people who display harmful sexual behaviour.",
        "Tell healthy from harmful behaviour\nUse the local pathway",
    ),
    (
        "Emotional abuse",
        "3",
        "half_day",
        "Recognising emotional abuse and its long-term effects.",
        "Recognise emotional abuse\nEvidence its impact",
    ),
    (
        "Attachment and child development",
        "3",
        "full_day",
        "How early relationships shape development, and what helps.",
        "Understand attachment\nSpot developmental concerns",
    ),
    (
        "Adolescent neglect",
        "3",
        "half_day",
        "Neglect of teenagers: less visible, just as harmful.",
        "Recognise neglect of teenagers\nEngage young people",
    ),
    (
        "Young carers",
        "2",
        "half_day",
        "Identifying and supporting children who care for a family member.",
        "Identify young carers\nKnow the support available",
    ),
    (
        "Teenage relationship abuse",
        "3",
        "half_day",
        "Abuse in young people's own relationships.",
        "Recognise relationship abuse\nSupport young people",
    ),
    (
        "Coercive control",
        "3",
        "half_day",
        "Understanding controlling behaviour in families.",
        "Recognise coercive control\nKnow the law",
    ),
    (
        "Risk assessment for adult victims of domestic abuse",
        "4",
        "full_day",
        "Using the risk checklist with adult victims and referring to MARAC.",
        "Complete the checklist well\nKnow the MARAC criteria",
    ),
    (
        "MARAC: working together on high-risk cases",
        "4",
        "half_day",
        "How the multi-agency risk assessment conference works.",
        "Prepare for MARAC\nAct on the plan",
    ),
    (
        "Working with fathers and male carers",
        "3",
        "half_day",
        "Engaging fathers and men in the family in assessment and plans.",
        "Include fathers\nAssess risk and strength",
    ),
    (
        "Gangs and criminal exploitation",
        "3",
        "full_day",
        "Children drawn into gangs and criminal activity.",
        "Recognise exploitation\nKnow the referral routes",
    ),
    (
        "Trafficked children",
        "4",
        "half_day",
        "Recognising and protecting children who have been trafficked.",
        "Recognise trafficking\nKnow the national referral mechanism",
    ),
    (
        "Radicalisation and the Prevent duty",
        "2",
        "half_day",
        "Protecting children from being drawn into extremism.",
        "Recognise vulnerability\nKnow how to refer",
    ),
    (
        "Self-harm and suicidal feelings in young people",
        "3",
        "full_day",
        "Responding to young people who self-harm.",
        "Respond calmly\nKnow the local services",
    ),
    (
        "Children's mental health: a first response",
        "2",
        "half_day",
        "Recognising mental health difficulties and finding help.",
        "Spot early signs\nFind the right service",
    ),
    (
        "Parental learning disability",
        "3",
        "half_day",
        "Supporting parents with a learning disability to care for their children.",
        "Adapt communication\nAssess with fairness",
    ),
    (
        "Substance misuse in young people",
        "3",
        "half_day",
        "Young people's drug and alcohol use and safeguarding.",
        "Assess risk\nKnow the young people's services",
    ),
    (
        "Looked-after children and care leavers",
        "3",
        "half_day",
        "The needs of children in care and young people leaving care.",
        "Know corporate parenting duties\nSupport transitions",
    ),
    (
        "Children with complex health needs",
        "3",
        "half_day",
        "Safeguarding children who rely on medical care.",
        "Recognise fabricated or induced illness\nWork with health teams",
    ),
    (
        "Safeguarding in sport and leisure",
        "1",
        "half_day",
        "For coaches and staff in clubs and leisure centres.",
        "Know the warning signs\nKnow who to tell",
    ),
    (
        "Safeguarding for housing staff",
        "2",
        "half_day",
        "What housing and district council staff see, and what to do.",
        "Recognise concerns at home visits\nRefer to the right place",
    ),
    (
        "Safeguarding for GP practice staff",
        "2",
        "half_day",
        "The practice team's part in keeping children safe.",
        "Flag and code concerns\nShare with health visitors",
    ),
    (
        "Child deaths: the review process",
        "5",
        "half_day",
        "How child deaths are reviewed and what the panel learns.",
        "Know the rapid response\nContribute to reviews",
    ),
    (
        "Serious case review: panel and practitioner events",
        "5",
        "half_day",
        "Taking part in a serious case review.",
        "Know the process\nContribute to learning events",
    ),
    (
        "Multi-agency audit for managers",
        "6",
        "half_day",
        "How the board audits practice and what it finds.",
        "Audit a case file\nAct on findings",
    ),
    (
        "Chairing multi-agency meetings",
        "6",
        "full_day",
        "Chairing meetings that focus on the child.",
        "Keep the child central\nManage disagreement",
    ),
    (
        "Safeguarding for senior leaders",
        "7",
        "half_day",
        "Leaders' accountability for safeguarding in their organisation.",
        "Know statutory duties\nTest the culture",
    ),
]

VENUES = [
    (
        "Shire Hall, Castle Street, Cambridge",
        "Castle Street\nCambridge",
        "CB3 0AP",
        "Step-free entrance from the car park; hearing loop in rooms 1 and 2.",
    ),
    ("The Maltings, Ely", "Ship Lane\nEly", "CB7 4BB", "Level access; parking on site."),
    ("Fenland Hall, March", "County Road\nMarch", "PE15 8NQ", "Lift to all floors."),
    (
        "Pathfinder House, Huntingdon",
        "St Mary's Street\nHuntingdon",
        "PE29 3TN",
        "Step-free access; five minutes' walk from the bus station.",
    ),
]

FY_START = datetime.date(2013, 4, 1)
FY_END = datetime.date(2014, 3, 31)
SESSIONS_IN_YEAR = 57
ATTENDEES_TARGET = 790
# The seed's conference was held "in the middle of the inspection", before its July 2014 update;
# the issue asks for it inside the 2013/14 year, so the demo holds it on the year's last Thursday
# but one.
CONFERENCE_DAY = datetime.date(2014, 3, 20)


def load(partnership, stdout) -> None:
    if Course.objects.filter(partnership=partnership).exists():
        stdout.write("  Training programme: already loaded")
        return
    rng = random.Random(2014)
    with transaction.atomic():
        counts = _load(partnership, rng)
    audit.record(action="learning.demo.loaded", obj=partnership, actor=None, changes=counts)
    stdout.write(
        f"  Training programme 2013/14: {counts['courses']} courses, "
        f"{counts['sessions_in_year']} sessions run, {counts['attendances']} attendances; "
        f"{counts['practice_group_attendances']} practice group attendances; conference "
        f"with {counts['conference_attendances']} practitioners; "
        f"{counts['upcoming_sessions']} sessions open for booking"
    )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _working_days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    days, day = [], start
    while day <= end:
        if is_working_day(day):
            days.append(day)
        day += datetime.timedelta(days=1)
    return days


def _load(partnership, rng: random.Random) -> dict:
    FeeSchedule.objects.get_or_create(partnership=partnership)
    levels = {
        code: Level.objects.create(
            partnership=partnership, code=code, name=name, description=text, order=int(code)
        )
        for code, name, text in LEVELS
    }
    courses = {}
    for title, level, duration, approval, summary, outcomes, _ in COURSES:
        courses[title] = Course.objects.create(
            partnership=partnership,
            title=title,
            slug=_slug(title),
            summary=summary,
            learning_outcomes=outcomes,
            level=levels[level],
            duration=duration,
            requires_manager_approval=approval,
            status=Course.Status.PUBLISHED,
            audience="Practitioners in every partner agency whose work matches the level.",
        )
    for title, level, duration, summary, outcomes in MORE_COURSES:
        courses[title] = Course.objects.create(
            partnership=partnership,
            title=title,
            slug=_slug(title),
            summary=summary,
            learning_outcomes=outcomes,
            level=levels[level],
            duration=duration,
            status=Course.Status.PUBLISHED,
            audience="Practitioners in every partner agency whose work matches the level.",
        )
    for title, *_, prerequisite in COURSES:
        if prerequisite:
            courses[title].prerequisites.add(courses[prerequisite])
    localities = list(partnership.localities.order_by("name"))
    venues = [
        Venue.objects.create(
            partnership=partnership,
            name=name,
            address=address,
            postcode=postcode,
            access_information=access,
            locality=localities[n % len(localities)],
        )
        for n, (name, address, postcode, access) in enumerate(VENUES)
    ]

    trainers = list(
        Membership.objects.filter(agency__partnership=partnership, role_grants__role=Role.TRAINER)
        .select_related("user", "agency")
        .order_by("user__email")
    )
    course_list = list(courses.values())
    accredited: dict[int, list[Membership]] = {c.pk: [] for c in course_list}
    accreditations = []
    # Every course has at least two accredited trainers (round robin), and each trainer a few more.
    for n, course in enumerate(course_list * 2):
        membership = trainers[n % len(trainers)]
        if membership not in accredited[course.pk]:
            accredited[course.pk].append(membership)
    for membership in trainers:
        for course in rng.sample(course_list, 2):
            if membership not in accredited[course.pk]:
                accredited[course.pk].append(membership)
    for course in course_list:
        for membership in accredited[course.pk]:
            accreditations.append(
                Accreditation(
                    trainer=membership.user,
                    course=course,
                    accredited_on=datetime.date(2012, 9, 1),
                    expires_on=datetime.date(2028, 8, 31),
                )
            )
    Accreditation.objects.bulk_create(accreditations)

    # 57 sessions spread over the year's working days, plus a few in the coming weeks.
    days = _working_days(FY_START, FY_END)
    chosen = sorted(rng.sample(days, SESSIONS_IN_YEAR))
    today = timezone.localdate()
    upcoming_days = _working_days(
        today + datetime.timedelta(days=10), today + datetime.timedelta(days=80)
    )
    upcoming = sorted(rng.sample(upcoming_days, 12))
    busy: dict[int, set[datetime.date]] = {}
    sessions = []
    for n, day in enumerate(chosen + upcoming):
        course = course_list[n % len(course_list)]
        pool = [m for m in accredited[course.pk] if day not in busy.get(m.user_id, set())]
        team = rng.sample(pool, min(len(pool), 2 if n % 3 == 0 else 1))
        for m in team:
            busy.setdefault(m.user_id, set()).add(day)
        start = _at(day, 9, 30) if course.duration == "full_day" else _at(day, 13, 30)
        hours = 6 if course.duration == "full_day" else 3
        session = Session.objects.create(
            course=course,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=hours),
            venue=venues[n % len(venues)],
            capacity=rng.choice([16, 18, 20]),
            joining_instructions="Please sign in at reception 15 minutes before the start. "
            "Lunch is not provided on half-day courses.",
            cutoff_working_days=2,
        )
        SessionTrainer.objects.bulk_create(
            SessionTrainer(session=session, trainer=m.user, agency=m.agency) for m in team
        )
        sessions.append(session)
    held, open_sessions = sessions[:SESSIONS_IN_YEAR], sessions[SESSIONS_IN_YEAR:]

    practitioners = list(
        Membership.objects.filter(
            agency__partnership=partnership, role_grants__role=Role.PRACTITIONER
        )
        .exclude(role_grants__role=Role.TRAINER)
        .select_related("user", "agency")
        .order_by("user__email")
        .distinct()
    )
    bookings = []
    # Walk through a shuffled list of practitioners so that most attendees are different people,
    # as in the seed ("nearly 800 people attended one of our training courses").
    queue = rng.sample(practitioners, len(practitioners))
    per_session = round(ATTENDEES_TARGET / SESSIONS_IN_YEAR / 0.83)
    for n, session in enumerate(held):
        group = [queue[(n * per_session + k) % len(queue)] for k in range(per_session)]
        for k, m in enumerate(group):
            roll = rng.random()
            if k >= session.capacity:
                break
            if roll < 0.05:
                status, attendance = Booking.Status.LATE_CANCELLED, ""
            elif roll < 0.10:
                status, attendance = Booking.Status.CANCELLED, ""
            elif roll < 0.17:
                status, attendance = Booking.Status.CONFIRMED, Booking.Attendance.NO_SHOW
            else:
                status, attendance = Booking.Status.CONFIRMED, Booking.Attendance.ATTENDED
            bookings.append(
                Booking(
                    session=session,
                    person=m.user,
                    agency=m.agency,
                    booked_by=m.user,
                    status=status,
                    attendance=attendance,
                    is_walk_in=roll > 0.97,
                )
            )
    # The seed says "nearly 800": settle the year's attendances between 780 and 799 by turning a
    # few no-shows into attendances (or the reverse), deterministically.
    attended_now = [b for b in bookings if b.attendance == Booking.Attendance.ATTENDED]
    no_shows = [b for b in bookings if b.attendance == Booking.Attendance.NO_SHOW]
    while len(attended_now) < ATTENDEES_TARGET - 5 and no_shows:
        booking = no_shows.pop()
        booking.attendance = Booking.Attendance.ATTENDED
        attended_now.append(booking)
    while len(attended_now) > ATTENDEES_TARGET + 5:
        attended_now.pop().attendance = Booking.Attendance.NO_SHOW
    Booking.objects.bulk_create(bookings, batch_size=1000)
    # A few bookings already made on the sessions open now.
    for session in open_sessions[:6]:
        for m in rng.sample(practitioners, session.capacity // 2):
            Booking.objects.create(
                session=session,
                person=m.user,
                agency=m.agency,
                booked_by=m.user,
                status=Booking.Status.CONFIRMED,
            )
    attended = list(
        Booking.objects.filter(session__in=held, attendance=Booking.Attendance.ATTENDED)
    )
    Certificate.objects.bulk_create([Certificate(booking=b) for b in attended], batch_size=1000)
    _evaluations(partnership, attended, rng)

    meetings, lpg_attendances = _practice_groups(partnership, practitioners, rng)
    conference_attendances = _conference(partnership, venues[0], practitioners, rng)
    for model, count in [
        (Booking, len(bookings)),
        (Certificate, len(attended)),
        (PracticeGroupAttendance, lpg_attendances),
    ]:
        audit.record(
            action="learning.demo.bulk_created",
            object_type=model._meta.label_lower,
            changes={"count": count},
            object_repr=str(partnership),
        )
    return {
        "courses": len(courses),
        "sessions_in_year": len(held),
        "attendances": len(attended),
        "practice_group_meetings": meetings,
        "practice_group_attendances": lpg_attendances,
        "conference_attendances": conference_attendances,
        "upcoming_sessions": len(open_sessions),
        "trainers": len(trainers),
    }


def _slug(title: str) -> str:
    from django.utils.text import slugify

    return slugify(title)[:200]


IMMEDIATE_QUESTIONS = [
    {
        "code": "overall",
        "text": "Overall, how would you rate this session?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "trainer",
        "text": "How well did the trainer know the subject?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "relevance",
        "text": "How relevant was it to your work?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "change",
        "text": "What will you do differently after this session?",
        "kind": "text",
        "required": False,
    },
]
FOLLOW_UP_QUESTIONS = [
    {
        "code": "used",
        "text": "How much have you used what you learnt?",
        "kind": "rating",
        "required": True,
    },
    {
        "code": "example",
        "text": "Give an example of a change in your practice.",
        "kind": "text",
        "required": False,
    },
]
COMMENTS = [
    "Check the threshold document before calling the front door.",
    "Talk to the child on their own and write down their words.",
    "Share concerns with the school nurse sooner.",
    "Use the risk matrix with families where there is domestic abuse.",
    "",
]


def _evaluations(partnership, attended, rng) -> None:
    immediate = Questionnaire.objects.filter(partnership=partnership, stage="immediate").first()
    if immediate is None:
        immediate = Questionnaire.objects.create(
            partnership=partnership,
            name="After the session",
            stage="immediate",
            questions=IMMEDIATE_QUESTIONS,
            is_default=True,
        )
    follow_up = Questionnaire.objects.filter(partnership=partnership, stage="follow_up").first()
    if follow_up is None:
        follow_up = Questionnaire.objects.create(
            partnership=partnership,
            name="Six to eight weeks later",
            stage="follow_up",
            questions=FOLLOW_UP_QUESTIONS,
            is_default=True,
        )
    responses = []
    for booking in attended:
        if rng.random() < 0.7:
            answers = {
                q["code"]: rng.choice([3, 4, 4, 5, 5])
                for q in immediate.questions
                if q["kind"] == "rating"
            }
            answers.update(
                {
                    q["code"]: rng.choice(COMMENTS)
                    for q in immediate.questions
                    if q["kind"] == "text"
                }
            )
            responses.append(
                EvaluationResponse(
                    booking=booking, questionnaire=immediate, stage="immediate", answers=answers
                )
            )
        if rng.random() < 0.3:
            answers = {"used": rng.choice([2, 3, 4, 4, 5]), "example": rng.choice(COMMENTS)}
            answers = {
                q["code"]: answers.get(q["code"], "")
                for q in follow_up.questions
                if q["code"] in answers
            } or answers
            responses.append(
                EvaluationResponse(
                    booking=booking, questionnaire=follow_up, stage="follow_up", answers=answers
                )
            )
    EvaluationResponse.objects.bulk_create(responses, batch_size=1000)


TOPICS = [
    "Learning from serious case reviews\nThe new threshold document",
    "Children who go missing\nReturn interviews",
    "Child sexual exploitation: the local picture",
    "Neglect: the graded care profile",
    "Launch of the domestic abuse risk identification matrix\nSpeaking the same language",
    "Private fostering\nE-safety",
]


def _practice_groups(partnership, practitioners, rng) -> tuple[int, int]:
    meetings = attendances = 0
    by_locality: dict[int, list[Membership]] = {}
    for m in practitioners:
        if m.agency.locality_id:
            by_locality.setdefault(m.agency.locality_id, []).append(m)
    for locality in partnership.localities.order_by("name"):
        group = PracticeGroup.objects.create(
            locality=locality, name=f"{locality.name} local practice group"
        )
        local = by_locality.get(locality.pk) or practitioners
        for month in (5, 7, 9, 11, 1, 3):
            year = 2013 if month >= 4 else 2014
            day = next(
                d
                for d in _working_days(
                    datetime.date(year, month, 10), datetime.date(year, month, 20)
                )
                if d.weekday() == 2
            )
            meeting = PracticeGroupMeeting.objects.create(
                group=group,
                starts_at=_at(day, 12, 30),
                venue=f"{locality.name} children's centre",
                topics=TOPICS[(month + locality.pk) % len(TOPICS)],
            )
            meetings += 1
            people = rng.sample(local, min(len(local), rng.randint(18, 26)))
            PracticeGroupAttendance.objects.bulk_create(
                PracticeGroupAttendance(meeting=meeting, person=m.user, agency=m.agency)
                for m in people
            )
            attendances += len(people)
    return meetings, attendances


def _conference(partnership, venue, practitioners, rng) -> int:
    course = Course.objects.create(
        partnership=partnership,
        kind=Course.Kind.CONFERENCE,
        title="Annual conference 2014",
        slug="annual-conference-2014",
        summary="Keeping children safe online.",
        learning_outcomes="Understand online sexual exploitation\nGive practical e-safety advice",
        duration=Course.Duration.FULL_DAY,
        status=Course.Status.PUBLISHED,
        charges_apply=False,
    )
    day = CONFERENCE_DAY
    session = Session.objects.create(
        course=course,
        starts_at=_at(day, 9, 0),
        ends_at=_at(day, 16, 0),
        venue=venue,
        capacity=220,
        cutoff_working_days=3,
        joining_instructions="Registration from 8.30am.",
    )
    conference = Conference.objects.create(
        partnership=partnership,
        title="Annual conference 2014",
        theme="E-safety: keeping youngsters safe online",
        session=session,
    )
    programme = [
        ("talk", "Welcome from the independent chair", "Independent chair of the LSCB", 9, 15),
        (
            "talk",
            "Online sexual exploitation: what we are seeing",
            "Police online safety lead",
            9,
            30,
        ),
        (
            "workshop",
            "Cyber mentors: advice from young people",
            "Cyber mentors from a local secondary school",
            11,
            0,
        ),
        ("break", "Lunch", "", 12, 30),
        ("workshop", "Helping parents keep children safe online", "E-safety adviser", 13, 30),
        ("talk", "Closing reflections", "Business manager", 15, 30),
    ]
    for kind, title, speakers, hour, minute in programme:
        start = _at(day, hour, minute)
        ProgrammeItem.objects.create(
            conference=conference,
            kind=kind,
            title=title,
            speakers=speakers,
            room="Main hall",
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=75 if kind == "workshop" else 30),
        )
    people = rng.sample(practitioners, min(len(practitioners), 212))
    Booking.objects.bulk_create(
        Booking(
            session=session,
            person=m.user,
            agency=m.agency,
            booked_by=m.user,
            status=Booking.Status.CONFIRMED,
            attendance=Booking.Attendance.ATTENDED if n < 200 else Booking.Attendance.NO_SHOW,
        )
        for n, m in enumerate(people)
    )
    return 200


def trainer_days(partnership) -> Decimal:
    """Total trainer-days given in 2013/14 (used by the demo's own test)."""
    rows = SessionTrainer.objects.filter(
        session__course__partnership=partnership,
        session__course__kind=Course.Kind.COURSE,
        session__starts_at__date__range=(FY_START, FY_END),
    ).select_related("session__course")
    return sum((row.session.course.trainer_days for row in rows), Decimal(0))
