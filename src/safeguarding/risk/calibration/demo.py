"""Demo calibration: five fictional families scored at three rounds of practice groups in 2013/14
after the matrix was launched, with agreement improving round by round, and an open exercise the
demo practitioners can try.

Raters are drawn from six agencies in different sectors. Each rater's answers match the expert's
with a probability that grows from round to round; a rater who misses something usually misses
the most serious indicator or modifier (so under-calling, the dangerous error, is the common
one). Every rating goes through `rating_submit`, so the engine's suggestion is real.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.learning.selectors import public as learning_public
from safeguarding.people.models import Role, User
from safeguarding.risk.calibration import services
from safeguarding.risk.instruments import get_instrument
from safeguarding.risk.models import CalibrationExercise, Rating, Vignette

INSTRUMENT = "children-da-matrix"
NO = {"pregnancy_or_baby_under_1": "no", "child_under_7": "no", "special_needs": "no"}

# (title, story, the expert's "yes" answers (the rest no), expert level, rationale)
VIGNETTES = [
    (
        "The Hollis family",
        "Dawn (34) and Lee (36) live with Kai (11) and Ruby (9). The school's family worker hears "
        "from Dawn that she and Lee argue loudly most weekends since Lee lost his job; last month "
        "he pushed her against a door. There were no injuries and the police have not been called. "
        "Dawn says she is worn down and worried about what the children hear; she asks about "
        "support. Kai has become quieter in class.",
        ["ev_minor_incidents", "ev_verbal_abuse", "ch_aware", "np_seeks_help", "pf_safe_adult"],
        1,
        "A single minor incident with no pattern yet, a parent who recognises the effect on the "
        "children and asks for help, and a trusted adult at school: early help from one "
        "practitioner, with the school keeping watch on Kai.",
    ),
    (
        "The Penrose family",
        "Sasha (28) has two children, Leon (10) and Maya (8). Police have been called to the flat "
        "twice in six months after neighbours heard shouting and banging; on the second visit "
        "Sasha had a bruised arm and said the children were in their room. Her partner Dean "
        "drinks heavily at weekends and says Sasha 'winds him up'. Leon has started missing "
        "school on Mondays.",
        [
            "ev_increasing",
            "ev_police_callouts",
            "ch_witnessed",
            "ch_behaviour",
            "ap_denies",
            "ap_substance",
        ],
        2,
        "Violence that is becoming more frequent, police call-outs, children who hear it and a "
        "change in Leon's attendance: scale 2. No child is under 7 and nothing points to scale 3, "
        "so early help coordinated by a lead professional.",
    ),
    (
        "The Marsh family",
        "Kerry (24) lives with her partner Jordan (27) and her children Alfie (5) and Poppy (3). "
        "The health visitor notices Kerry is anxious and has a healing cut on her lip. Kerry says "
        "Jordan has hit her 'a few times', more often since the summer, and that Alfie saw the "
        "last time and cried for hours. She has lost touch with her own family since moving in "
        "with Jordan and has nobody to turn to.",
        ["ev_increasing", "ch_witnessed", "np_isolated", "child_under_7"],
        3,
        "Violence that is becoming more frequent, a child who has seen it and an isolated mother: "
        "scale 2, raised to scale 3 because both children are under 7. Refer to children's "
        "social care as a child in need.",
    ),
    (
        "The Quinlan family",
        "Nicole (22) is 30 weeks pregnant and lives with her partner Ryan (25). The midwife sees "
        "bruising to Nicole's arms and she has missed two antenatal appointments. Nicole says "
        "Ryan 'grabbed her' during an argument about money last week. There are no other "
        "children. Ryan has a caution for assault on a previous partner.",
        [
            "ev_increasing",
            "pb_missed_antenatal",
            "pb_assault_pregnancy",
            "ap_violent_history",
            "pregnancy_or_baby_under_1",
        ],
        4,
        "Violence during pregnancy, with missed antenatal care and a history of violence to a "
        "previous partner: scale 4 on its own, and pregnancy with any domestic abuse indicator "
        "puts the case at scale 4. Refer now for a child protection enquiry on the unborn baby.",
    ),
    (
        "The Trent family",
        "Claire (39) separated from Mark (41) in the spring. Their son Oliver (12) has autism. "
        "Mark has twice turned up at Claire's house at night, breaching the contact arrangement, "
        "and sends her dozens of messages a day. Claire is taking medication for depression and "
        "says she cannot cope with Oliver's distress, which has included hitting his head against "
        "walls. Mark was violent during the marriage.",
        ["ev_serious_violence", "ap_breaches", "ch_self_harm", "np_mental_health", "special_needs"],
        4,
        "Past serious violence, breaches and harassment after separation, a parent whose mental "
        "health limits her care and a child self-harming: scale 3, raised to 4 because Oliver "
        "has special needs. Stalking after separation would be scale 4 in its own right.",
    ),
]

# (title, date, chance that a rater's answers match the expert's)
ROUNDS = [
    ("Matrix launch: practice groups, autumn 2013", datetime.date(2013, 10, 15), 0.45),
    ("Practice groups, winter 2014", datetime.date(2014, 1, 21), 0.65),
    ("Practice groups, spring 2014", datetime.date(2014, 3, 11), 0.85),
]
OPEN_ROUND = ("Refresher: practice groups, summer 2014", datetime.date(2014, 6, 10))
AGENCIES = 6
RATERS_PER_AGENCY = 8
DEMO_PRACTITIONERS = ("tom.fairbairn@", "amira.haddad@")

REASONS_LOWER = [
    "The mother is engaging well with support, which I think reduces the risk.",
    "I was not convinced the incidents were as serious as described.",
    "The children seem settled at school.",
]
REASONS_HIGHER = [
    "The pattern of escalation worries me more than the tool suggests.",
    "I am concerned about what is not yet known.",
]


def load(partnership, stdout) -> None:
    if Vignette.objects.filter(partnership=partnership).exists():
        stdout.write("  Calibration exercises: already loaded")
        return
    rng = random.Random(2013)
    with transaction.atomic():
        counts = _load(partnership, rng)
    audit.record(action="risk.calibration_demo.loaded", obj=partnership, actor=None, changes=counts)
    stdout.write(
        f"  Calibration: {counts['vignettes']} vignettes, {counts['closed_exercises']} closed "
        f"exercises with {counts['ratings']} ratings; agreement (kappa) "
        f"{' -> '.join(counts['kappas'])}; one exercise open for the demo practitioners"
    )


def _author(partnership) -> User:
    return (
        User.objects.filter(
            memberships__agency__partnership=partnership, memberships__role_grants__role=Role.ADMIN
        )
        .order_by("pk")
        .first()
    )


def _raters(partnership, rng: random.Random) -> list[User]:
    """RATERS_PER_AGENCY practitioners from each of AGENCIES agencies in different sectors."""
    from safeguarding.people.models import Agency

    agencies = list(
        Agency.objects.filter(
            partnership=partnership, memberships__role_grants__role=Role.PRACTITIONER
        )
        .distinct()
        .order_by("name")
    )
    rng.shuffle(agencies)
    chosen, sectors = [], set()
    for agency in agencies:
        if agency.sector in sectors:
            continue
        people = list(
            User.objects.filter(
                is_active=True,
                memberships__agency=agency,
                memberships__role_grants__role=Role.PRACTITIONER,
            )
            .exclude(email__startswith=DEMO_PRACTITIONERS[0])
            .exclude(email__startswith=DEMO_PRACTITIONERS[1])
            .distinct()
            .order_by("pk")[:200]
        )
        if len(people) >= RATERS_PER_AGENCY:
            sectors.add(agency.sector)
            chosen += rng.sample(people, RATERS_PER_AGENCY)
        if len(sectors) == AGENCIES:
            break
    return chosen


def _rater_answers(inst, expert: dict, accuracy: float, rng: random.Random) -> dict:
    """The expert's answers, or (1 - accuracy of the time) with the most serious thing missed."""
    answers = dict(expert)
    if rng.random() < accuracy:
        return answers
    serious = sorted(
        (
            q
            for q in inst.questions
            if answers.get(q.code) == "yes" and q.kind != "protective_factor"
        ),
        key=lambda q: (q.kind == "modifier", q.scale or 0),
        reverse=True,
    )
    if serious:
        answers[serious[0].code] = "no"
    return answers


def _chosen(inst, suggested: int, accuracy: float, rng: random.Random) -> tuple[int, str]:
    values = [level.value for level in inst.levels]
    if rng.random() < 0.6 + 0.35 * accuracy:
        return suggested, ""
    if rng.random() < 0.65 and suggested - 1 in values:
        return suggested - 1, rng.choice(REASONS_LOWER)
    if suggested + 1 in values:
        return suggested + 1, rng.choice(REASONS_HIGHER)
    return suggested, ""


def _meeting_near(partnership, day: datetime.date):
    return learning_public.meeting_near(partnership, day, days=14)


def _load(partnership, rng: random.Random) -> dict:
    from safeguarding.risk.calibration import selectors

    author = _author(partnership)
    inst = get_instrument(INSTRUMENT, partnership=partnership)
    vignettes = []
    for title, story, yes, level, rationale in VIGNETTES:
        vignette = services.vignette_create(
            partnership=partnership,
            instrument_code=inst.code,
            instrument_version=inst.version,
            title=title,
            story=story,
            actor=author,
        )
        answers = {**NO, **{q.code: "no" for q in inst.questions if q.answer_type == "yes_no"}}
        answers.update(dict.fromkeys(yes, "yes"))
        services.vignette_set_expert(
            vignette=vignette, answers=answers, level=level, rationale=rationale, actor=author
        )
        vignettes.append(services.vignette_publish(vignette=vignette, actor=author))

    raters = _raters(partnership, rng)
    ratings, kappas = 0, []
    for title, day, accuracy in ROUNDS:
        exercise = services.exercise_create(
            partnership=partnership,
            title=title,
            held_on=day,
            instrument_code=inst.code,
            vignettes=vignettes,
            meeting=_meeting_near(partnership, day),
            actor=author,
        )
        # Not everyone comes to every round: about nine in ten do.
        present = [r for r in raters if rng.random() < 0.9]
        services.exercise_participants_add(exercise=exercise, people=present, actor=author)
        services.exercise_open(exercise=exercise, actor=author)
        for rater in present:
            for vignette in vignettes:
                answers = _rater_answers(inst, vignette.expert_answers, accuracy, rng)
                evaluation = inst.evaluate(answers)
                level, reason = _chosen(inst, evaluation.level.value, accuracy, rng)
                services.rating_submit(
                    exercise=exercise,
                    vignette=vignette,
                    rater=rater,
                    answers=answers,
                    chosen_level=level,
                    rationale=reason,
                    actor=rater,
                )
                ratings += 1
        services.exercise_close(exercise=exercise, actor=author)
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(11, 0)))
        Rating.objects.filter(exercise=exercise).update(created_at=at)
        CalibrationExercise.objects.filter(pk=exercise.pk).update(
            opened_at=at - datetime.timedelta(hours=1), closed_at=at + datetime.timedelta(hours=2)
        )
        kappa = selectors.exercise_results(exercise).summary.kappa.value
        kappas.append("n/a" if kappa is None else f"{kappa:.2f}")

    title, day = OPEN_ROUND
    exercise = services.exercise_create(
        partnership=partnership,
        title=title,
        held_on=day,
        instrument_code=inst.code,
        vignettes=vignettes[1:4],
        actor=author,
    )
    demo_people = [
        user
        for prefix in DEMO_PRACTITIONERS
        for user in User.objects.filter(email__startswith=prefix)[:1]
    ]
    services.exercise_participants_add(
        exercise=exercise, people=demo_people + raters[:10], actor=author
    )
    services.exercise_open(exercise=exercise, actor=author)
    return {
        "vignettes": len(vignettes),
        "closed_exercises": len(ROUNDS),
        "raters": len(raters),
        "ratings": ratings,
        "kappas": kappas,
    }
