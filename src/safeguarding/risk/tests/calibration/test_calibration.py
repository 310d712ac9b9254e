"""Calibration: services (nothing half-saved, one rating per vignette), the rating journey, who
sees what (the expert's level only after closing; nobody else's ratings), results and exports."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from safeguarding.conftest import _person, signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.people import services as people_services
from safeguarding.people.models import Role, Sector
from safeguarding.risk.calibration import selectors, services
from safeguarding.risk.models import CalibrationExercise, Rating, Vignette
from safeguarding.risk.tests.calibration.fixtures import (
    ASHDOWN,
    BASE_ANSWERS,
    BROOK,
    MATRIX,
    make_exercise,
    make_vignette,
)


def _rate(exercise, vignette, rater, answers=ASHDOWN, level=3, rationale=""):
    return services.rating_submit(
        exercise=exercise,
        vignette=vignette,
        rater=rater,
        answers=answers,
        chosen_level=level,
        rationale=rationale,
        actor=rater,
    )


# Services --------------------------------------------------------------------------------------


def test_rating_records_the_suggestion_and_the_agency_at_the_time(
    calibration_exercise, calibration_vignettes, practitioner_a, agency_a
):
    ashdown, _ = calibration_vignettes
    rating = _rate(calibration_exercise, ashdown, practitioner_a, level=3)
    assert rating.suggested_level == 3  # scale 2, raised by a child under 7
    assert rating.chosen_level == 3
    assert (rating.agency, rating.sector) == (agency_a, Sector.POLICE)
    assert rating.answers["ev_increasing"] == "yes"
    entry = AuditEntry.objects.get(action="risk.calibration_rating.submitted")
    assert entry.actor == practitioner_a
    assert entry.object_id == str(rating.pk)


def test_one_rating_per_vignette_per_exercise(
    calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    _rate(calibration_exercise, ashdown, practitioner_a)
    with pytest.raises(ValidationError, match="already rated"):
        _rate(calibration_exercise, ashdown, practitioner_a, level=4, rationale="Second go")
    assert Rating.objects.count() == 1
    assert AuditEntry.objects.filter(action="risk.calibration_rating.submitted").count() == 1


def test_database_refuses_a_second_rating(
    calibration_exercise, calibration_vignettes, practitioner_a, agency_a
):
    ashdown, _ = calibration_vignettes
    _rate(calibration_exercise, ashdown, practitioner_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            exercise=calibration_exercise,
            vignette=ashdown,
            rater=practitioner_a,
            agency=agency_a,
            sector=agency_a.sector,
            instrument_version=1,
            chosen_level=2,
        )


def test_a_different_level_needs_reasons_and_nothing_is_saved_without(
    calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    with pytest.raises(ValidationError) as caught:
        _rate(calibration_exercise, ashdown, practitioner_a, level=4)
    assert "rationale" in caught.value.error_dict
    assert not Rating.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="risk.calibration_rating").exists()
    rating = _rate(calibration_exercise, ashdown, practitioner_a, level=4, rationale="Escalating")
    assert (rating.suggested_level, rating.chosen_level) == (3, 4)


def test_missing_required_answers_are_refused_by_question(
    calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    answers = {k: v for k, v in ASHDOWN.items() if k != "child_under_7"}
    with pytest.raises(ValidationError) as caught:
        _rate(calibration_exercise, ashdown, practitioner_a, answers=answers)
    assert "q_child_under_7" in caught.value.error_dict
    assert not Rating.objects.exists()


def test_only_participants_rate_and_only_while_open(
    admin, calibration_exercise, calibration_vignettes, practitioner_a, practitioner_b
):
    ashdown, _ = calibration_vignettes
    with pytest.raises(ValidationError, match="not taking part"):
        _rate(calibration_exercise, ashdown, practitioner_b)
    services.exercise_close(exercise=calibration_exercise, actor=admin)
    with pytest.raises(ValidationError, match="not open"):
        _rate(calibration_exercise, ashdown, practitioner_a)
    assert not Rating.objects.exists()


def test_a_vignette_outside_the_exercise_cannot_be_rated(
    partnership, admin, calibration_exercise, practitioner_a
):
    other = make_vignette(partnership, admin, "The Dale family", BROOK, 1)
    with pytest.raises(ValidationError, match="not part of the exercise"):
        _rate(calibration_exercise, other, practitioner_a, answers=BROOK, level=1)


def test_exercise_needs_published_vignettes_of_its_instrument(partnership, admin):
    draft = services.vignette_create(
        partnership=partnership,
        instrument_code=MATRIX,
        instrument_version=1,
        title="Unfinished",
        story="Draft",
        actor=admin,
    )
    with pytest.raises(ValidationError) as caught:
        make_exercise(partnership, admin, [draft], [])
    assert "vignettes" in caught.value.error_dict
    assert not CalibrationExercise.objects.exists()


def test_publishing_needs_the_expert_level(partnership, admin):
    draft = services.vignette_create(
        partnership=partnership,
        instrument_code=MATRIX,
        instrument_version=1,
        title="Unfinished",
        story="Draft",
        actor=admin,
    )
    with pytest.raises(ValidationError, match="expert"):
        services.vignette_publish(vignette=draft, actor=admin)
    draft.refresh_from_db()
    assert draft.published_at is None


def test_expert_answers_are_checked_and_need_a_rationale(partnership, admin):
    draft = services.vignette_create(
        partnership=partnership,
        instrument_code=MATRIX,
        instrument_version=1,
        title="Unfinished",
        story="Draft",
        actor=admin,
    )
    with pytest.raises(ValidationError) as caught:
        services.vignette_set_expert(
            vignette=draft, answers=BASE_ANSWERS, level=2, rationale="  ", actor=admin
        )
    assert "rationale" in caught.value.error_dict
    with pytest.raises(ValidationError) as caught:
        services.vignette_set_expert(
            vignette=draft, answers=BASE_ANSWERS, level=9, rationale="Why", actor=admin
        )
    assert "level" in caught.value.error_dict
    draft.refresh_from_db()
    assert draft.expert_level is None and draft.expert_answers == {}


def test_a_rated_vignette_cannot_change(
    admin, calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    _rate(calibration_exercise, ashdown, practitioner_a)
    with pytest.raises(ValidationError, match="rated"):
        services.vignette_set_expert(
            vignette=ashdown, answers=BROOK, level=1, rationale="Changed", actor=admin
        )
    with pytest.raises(ValidationError, match="rated"):
        services.vignette_update(vignette=ashdown, title="New", story="New", actor=admin)
    ashdown.refresh_from_db()
    assert ashdown.expert_level == 3


def test_people_outside_the_partnership_cannot_take_part(admin, calibration_exercise):
    other = people_services.partnership_create(name="Elsewhere SCP", area="Elsewhere")
    agency = people_services.agency_create(
        partnership=other, name="Elsewhere Police", sector=Sector.POLICE
    )
    outsider = _person("owen.outsider@elsewhere.example", agency, [Role.PRACTITIONER])
    with pytest.raises(ValidationError, match="Not in this partnership"):
        services.exercise_participants_add(
            exercise=calibration_exercise, people=[outsider], actor=admin
        )
    assert not calibration_exercise.participants.filter(pk=outsider.pk).exists()


def test_attendees_of_the_linked_meeting_can_be_added(
    partnership, admin, calibration_vignettes, practitioner_b, agency_b
):
    from safeguarding.learning.models import PracticeGroupAttendance
    from safeguarding.learning.services import events

    group = events.practice_group_ensure(
        locality=partnership.localities.get(name="North"), actor=admin
    )
    meeting = events.meeting_create(
        group=group,
        starts_at=datetime.datetime(2014, 3, 12, 10, tzinfo=datetime.UTC),
        venue="Northtown children's centre",
        topics="Calibration",
        actor=admin,
    )
    PracticeGroupAttendance.objects.create(meeting=meeting, person=practitioner_b, agency=agency_b)
    exercise = services.exercise_create(
        partnership=partnership,
        title="North group",
        held_on=datetime.date(2014, 3, 12),
        instrument_code=MATRIX,
        vignettes=calibration_vignettes,
        meeting=meeting,
        actor=admin,
    )
    assert services.event_attendees(exercise) == [practitioner_b]


def test_opening_needs_vignettes_and_closing_needs_open(partnership, admin):
    exercise = CalibrationExercise.objects.create(
        partnership=partnership,
        title="Empty",
        held_on=datetime.date(2014, 3, 1),
        instrument_code=MATRIX,
        created_by=admin,
    )
    with pytest.raises(ValidationError, match="at least one vignette"):
        services.exercise_open(exercise=exercise, actor=admin)
    with pytest.raises(ValidationError, match="open exercise"):
        services.exercise_close(exercise=exercise, actor=admin)
    exercise.refresh_from_db()
    assert exercise.status == CalibrationExercise.Status.DRAFT


# The rating journey ----------------------------------------------------------------------------


def test_practitioner_rates_in_the_tool(
    calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    client = signed_in(Client(), practitioner_a)
    url = reverse("risk:calibration-rate", args=[calibration_exercise.pk, ashdown.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert ashdown.story in page.content.decode()
    assert "Is any child in the household under 7?" in page.content.decode()

    # Step 1 with a required question missing: the GOV.UK error summary names it.
    page = client.post(url, {"s_evidence": ["ev_increasing"]})
    assert page.status_code == 200
    assert "There is a problem" in page.content.decode()
    assert "Answer &#x27;Is any child in the household under 7?&#x27;" in page.content.decode()

    page = client.post(
        url,
        {
            "s_evidence": ["ev_increasing"],
            "s_children": ["ch_witnessed"],
            "q_pregnancy_or_baby_under_1": "no",
            "q_child_under_7": "yes",
            "q_special_needs": "no",
        },
    )
    level_url = reverse("risk:calibration-rate-level", args=[calibration_exercise.pk, ashdown.pk])
    assert page.status_code == 302 and page["Location"] == level_url

    page = client.get(level_url)
    assert "The tool suggests: Scale 3" in page.content.decode()

    page = client.post(level_url, {"chosen_level": "4"})
    assert "Give your reasons" in page.content.decode()
    assert not Rating.objects.exists()

    page = client.post(level_url, {"chosen_level": "4", "rationale": "The father is escalating."})
    assert page.status_code == 302
    rating = Rating.objects.get()
    assert (rating.suggested_level, rating.chosen_level) == (3, 4)
    assert rating.answers["ch_witnessed"] == "yes" and rating.answers["ev_minor_incidents"] == "no"
    # Rated once: the rating pages now lead to the rating.
    assert client.get(url)["Location"] == reverse("risk:calibration-rating", args=[rating.pk])


def test_expert_level_is_hidden_until_the_exercise_closes(
    admin, calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    rating = _rate(calibration_exercise, ashdown, practitioner_a, level=2, rationale="Not sure")
    client = signed_in(Client(), practitioner_a)
    url = reverse("risk:calibration-rating", args=[rating.pk])
    body = client.get(url).content.decode()
    assert "The expert&#x27;s reasons." not in body
    assert "The expert&#x27;s level" not in body
    assert "when the exercise closes" in body

    services.exercise_close(exercise=calibration_exercise, actor=admin)
    body = client.get(url).content.decode()
    assert "The expert&#x27;s reasons." in body
    assert "Higher than yours" in body


def test_other_agency_practitioner_cannot_see_a_rating_even_in_the_same_exercise(
    admin, calibration_exercise, calibration_vignettes, practitioner_a, practitioner_b
):
    ashdown, _ = calibration_vignettes
    services.exercise_participants_add(
        exercise=calibration_exercise, people=[practitioner_b], actor=admin
    )
    rating = _rate(calibration_exercise, ashdown, practitioner_a)
    client = signed_in(Client(), practitioner_b)
    assert client.get(reverse("risk:calibration-rating", args=[rating.pk])).status_code == 404
    # ... and their own exercise page lists only their own progress.
    page = client.get(reverse("risk:calibration-exercise", args=[calibration_exercise.pk]))
    assert page.status_code == 200
    assert reverse("risk:calibration-rating", args=[rating.pk]) not in page.content.decode()


def test_draft_exercises_are_invisible_to_participants(
    partnership, admin, calibration_vignettes, practitioner_a
):
    draft = make_exercise(
        partnership, admin, list(calibration_vignettes), [practitioner_a], open_it=False
    )
    client = signed_in(Client(), practitioner_a)
    assert client.get(reverse("risk:calibration-exercise", args=[draft.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(calibration_exercise):
    page = Client().get(reverse("risk:calibration-exercise", args=[calibration_exercise.pk]))
    assert page.status_code == 302 and page["Location"].startswith("/sign-in/")


# Business unit pages ---------------------------------------------------------------------------


def test_admin_writes_a_vignette_and_gives_the_expert_answers(partnership, admin):
    client = signed_in(Client(), admin)
    page = client.post(
        reverse("risk:calibration-vignette-create"),
        {"title": "The Ellis family", "instrument": f"{MATRIX}:1", "story": "A fictional story."},
    )
    vignette = Vignette.objects.get(title="The Ellis family")
    assert page["Location"] == reverse("risk:calibration-vignette-expert", args=[vignette.pk])
    page = client.post(
        page["Location"],
        {
            "s_evidence": ["ev_serious_violence"],
            "q_pregnancy_or_baby_under_1": "no",
            "q_child_under_7": "no",
            "q_special_needs": "no",
            "level": "3",
        },
    )
    assert "Explain why this is the right level" in page.content.decode()
    page = client.post(
        reverse("risk:calibration-vignette-expert", args=[vignette.pk]),
        {
            "s_evidence": ["ev_serious_violence"],
            "q_pregnancy_or_baby_under_1": "no",
            "q_child_under_7": "no",
            "q_special_needs": "no",
            "level": "3",
            "rationale": "Serious violence in the past.",
        },
    )
    assert page.status_code == 302
    client.post(reverse("risk:calibration-vignette-publish", args=[vignette.pk]))
    vignette.refresh_from_db()
    assert vignette.expert_level == 3 and vignette.is_published
    assert vignette.expert_answers["ev_serious_violence"] == "yes"


def test_admin_creates_and_runs_an_exercise(
    partnership, admin, calibration_vignettes, practitioner_a
):
    client = signed_in(Client(), admin)
    page = client.post(
        reverse("risk:calibration-exercise-create"),
        {
            "title": "Summer calibration",
            "held_on_day": "12",
            "held_on_month": "6",
            "held_on_year": "2014",
            "instrument_code": MATRIX,
            "vignettes": [v.pk for v in calibration_vignettes],
        },
    )
    exercise = CalibrationExercise.objects.get(title="Summer calibration")
    assert page["Location"] == reverse("risk:calibration-participants", args=[exercise.pk])
    page = client.post(page["Location"], {"add": "1", "emails": "nobody@police.example"})
    assert "No account in this partnership for nobody@police.example" in page.content.decode()
    client.post(
        reverse("risk:calibration-participants", args=[exercise.pk]),
        {"add": "1", "emails": practitioner_a.email.upper()},
    )
    assert list(exercise.participants.all()) == [practitioner_a]
    client.post(reverse("risk:calibration-exercise-open", args=[exercise.pk]))
    exercise.refresh_from_db()
    assert exercise.is_open


def _rated_exercise(partnership, admin, agencies, per_agency, title, held_on, accuracy):
    """An exercise rated by `per_agency` practitioners in each agency; the first `accuracy`
    share of each agency's raters choose the expert's level, the rest one level lower."""
    ashdown = Vignette.objects.get(title="The Ashdown family")
    brook = Vignette.objects.get(title="The Brook family")
    raters = []
    for agency in agencies:
        for n in range(per_agency):
            domain = agency.email_domains[0]
            raters.append(
                _person(f"r{n}.{title.split()[0].lower()}@{domain}", agency, [Role.PRACTITIONER])
            )
    exercise = make_exercise(
        partnership, admin, [ashdown, brook], raters, title=title, held_on=held_on
    )
    for index, rater in enumerate(raters):
        right = (index % per_agency) < accuracy * per_agency
        _rate(exercise, ashdown, rater, level=3 if right else 2, rationale="" if right else "Hm")
        _rate(
            exercise,
            brook,
            rater,
            answers=BROOK,
            level=1 if right else 0,
            rationale="" if right else "Hm",
        )
    services.exercise_close(exercise=exercise, actor=admin)
    return exercise


def test_results_show_kappa_agreement_and_suppress_small_groups(
    partnership, admin, agency_a, agency_b, calibration_vignettes
):
    small = people_services.agency_create(
        partnership=partnership,
        name="Tiny Charity",
        sector=Sector.VOLUNTARY,
        email_domains=["tiny.example"],
    )
    exercise = _rated_exercise(
        partnership,
        admin,
        [agency_a, agency_b],
        6,
        "First exercise",
        datetime.date(2014, 1, 10),
        0.5,
    )
    extra = _person("solo.rater@tiny.example", small, [Role.PRACTITIONER])
    CalibrationExercise.objects.filter(pk=exercise.pk).update(status="open")
    services.exercise_participants_add(exercise=exercise, people=[extra], actor=admin)
    _rate(exercise, Vignette.objects.get(title="The Ashdown family"), extra)
    results = selectors.exercise_results(exercise)
    assert results.summary.raters == 13
    assert results.summary.kappa.value is not None
    assert results.summary.kappa.standard_error is not None  # 13 raters
    names = {row.name: row.result for row in results.agencies}
    assert names["Tiny Charity"].suppressed
    assert not names["Testshire Police"].suppressed
    assert names["Testshire Police"].agreement.exact_percent == 50
    assert names["Testshire Police"].agreement.under_percent == 50

    client = signed_in(Client(), admin)
    body = client.get(reverse("risk:calibration-exercise-results", args=[exercise.pk])).content
    body = body.decode()
    assert "Fleiss" in body and "Not shown: too few raters" in body
    assert "Solo" not in body  # aggregates only


def test_results_page_queries_do_not_grow_with_raters(
    partnership, admin, agency_a, agency_b, calibration_vignettes
):
    few = _rated_exercise(
        partnership, admin, [agency_a, agency_b], 3, "Few raters", datetime.date(2014, 1, 10), 0.5
    )
    many = _rated_exercise(
        partnership, admin, [agency_a, agency_b], 12, "Many raters", datetime.date(2014, 2, 10), 0.5
    )
    client = signed_in(Client(), admin)
    counts = []
    for exercise in (few, many):
        url = reverse("risk:calibration-exercise-results", args=[exercise.pk])
        client.get(url)  # warm the session and role caches alike
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 15
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("risk:calibration-results")).status_code == 200
    assert len(queries) <= 15


def test_trend_shows_improving_agreement(
    partnership, admin, agency_a, agency_b, calibration_vignettes
):
    _rated_exercise(
        partnership, admin, [agency_a, agency_b], 5, "Autumn one", datetime.date(2013, 10, 1), 0.4
    )
    _rated_exercise(
        partnership, admin, [agency_a, agency_b], 5, "Spring two", datetime.date(2014, 3, 1), 0.8
    )
    found = selectors.trend(partnership=partnership)
    assert [p.exercise.title for p in found.points] == ["Autumn one", "Spring two"]
    first, second = found.points
    assert second.kappa.value > first.kappa.value
    assert second.agreement.exact_percent == 80 and first.agreement.exact_percent == 40
    body = signed_in(Client(), admin).get(reverse("risk:calibration-results")).content.decode()
    assert 'id="chart-kappa-trend-title"' in body
    assert "Spring two" in body


def test_board_member_reads_results_but_practitioners_do_not(
    board_member, practitioner_a, calibration_exercise
):
    url = reverse("risk:calibration-results")
    assert signed_in(Client(), board_member).get(url).status_code == 200
    assert signed_in(Client(), practitioner_a).get(url).status_code == 403


def test_exports_have_no_names_and_are_audited(
    admin, calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    _rate(calibration_exercise, ashdown, practitioner_a)
    client = signed_in(Client(), admin)
    response = client.get(
        reverse("risk:calibration-exercise-export", args=[calibration_exercise.pk, "csv"])
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "rater"
    assert rows[1][:3] == ["Rater 1", "Police", "The Ashdown family"]
    assert practitioner_a.email not in text and "Paul" not in text
    response = client.get(
        reverse("risk:calibration-exercise-export", args=[calibration_exercise.pk, "xlsx"])
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "By agency", "By sector", "Vignettes", "Ratings"]
    assert AuditEntry.objects.filter(action="risk.calibration_exercise.exported").count() == 2
    assert (
        client.get(
            reverse("risk:calibration-exercise-export", args=[calibration_exercise.pk, "pdf"])
        ).status_code
        == 404
    )


def test_results_with_fewer_than_five_raters_show_no_figures(
    admin, calibration_exercise, calibration_vignettes, practitioner_a
):
    ashdown, _ = calibration_vignettes
    _rate(calibration_exercise, ashdown, practitioner_a, level=2, rationale="Unsure")
    client = signed_in(Client(), admin)
    url = reverse("risk:calibration-exercise-results", args=[calibration_exercise.pk])
    body = client.get(url).content.decode()
    assert "agreement figures are not shown" in body
    assert "Under-called (below" not in body and "Levels chosen for" not in body


def test_trend_chart_shows_negative_kappa_gaps_and_escapes_labels():
    from safeguarding.core import charts

    def kappa_chart(labels, values, intervals):
        return charts.trend_chart(
            labels,
            [charts.Series("Kappa", values, intervals=intervals, missing="not calculated")],
            title="Kappa & friends",
            decimals=2,
            max_value=1,
            category_header="Exercise",
            chart_id="t",
        )

    chart = kappa_chart(
        ["<Autumn>", "Winter", "Spring"], [-0.1, None, 0.5], [(-0.3, 0.1), None, (0.4, 0.6)]
    )
    svg = str(chart.svg)
    assert "&lt;Autumn&gt;" in svg and "<Autumn>" not in svg
    assert "Kappa &amp; friends" in svg
    assert ["Winter", "not calculated", ""] in chart.table.rows
    assert "-0.25" in svg  # the axis reaches below the lowest interval
    assert ["Spring", "0.50", "0.40 to 0.60"] in chart.table.rows
    assert chart.table.headers == ["Exercise", "Kappa", "Kappa: 95% interval"]
    with pytest.raises(ValueError):
        kappa_chart(["a"], [0.1, 0.2], None)
