"""The practitioner's journey in the browser's terms (test client), access, audit, outcomes,
shares, reviews, the referral summary, loading a partnership's version, and the board's figures."""

from __future__ import annotations

import datetime
import io

import pytest
import yaml
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.risk.instruments import get_instrument
from safeguarding.risk.models import Identification, IdentificationShare, Outcome, Review
from safeguarding.risk.selectors.identifications import evaluate, instrument_for
from safeguarding.risk.services.identifications import identification_confirm
from safeguarding.risk.services.referrals import outcome_record
from safeguarding.risk.tests.journey_fixtures import (
    journey_dash,
    journey_household,
    journey_matrix,
)

pytestmark = pytest.mark.django_db


def _post_section(client, identification, section, data, **query):
    url = reverse("risk:section", args=[identification.pk, section])
    return client.post(url, data)


def _dates(boxes: dict) -> dict:
    """POST data for the repeating date input of incident_dates: {box: (day, month, year)}."""
    data = {}
    for n, (day, month, year) in boxes.items():
        data.update(
            {
                f"incident_dates-{n}_day": day,
                f"incident_dates-{n}_month": month,
                f"incident_dates-{n}_year": year,
            }
        )
    return data


def test_practitioner_completes_the_matrix_in_the_browser(practitioner_a):
    client = signed_in(Client(), practitioner_a)
    response = client.post(
        reverse("risk:household-create"),
        {
            "agency": practitioner_a.memberships.get().agency_id,
            "address": "2 Test Lane",
            "postcode": "te1 1aa",
        },
    )
    household_url = response["Location"]
    pk = int(household_url.rstrip("/").split("/")[-3])
    response = client.post(
        reverse("risk:member-add", args=[pk]),
        {
            "role": "child",
            "given_name": "Mo",
            "family_name": "Test",
            "date_of_birth_day": "1",
            "date_of_birth_month": "2",
            "date_of_birth_year": str(timezone.localdate().year - 4),
        },
    )
    assert response.status_code == 302
    child = practitioner_a.risk_households.get().members.get()
    response = client.post(
        reverse("risk:start", args=[pk]),
        {"instrument": "children-da-matrix", "children": [child.pk]},
    )
    identification = Identification.objects.get()
    assert response["Location"] == reverse("risk:section", args=[identification.pk, "evidence"])
    # The child is 4: the "under 7" modifier is filled in from the household.
    assert identification.answers == {"child_under_7": "yes"}

    _post_section(client, identification, "evidence", {"ticked": ["ev_increasing"]})
    # Continuing without answering a required question is an error, and nothing is saved.
    response = _post_section(client, identification, "pregnancy", {})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    _post_section(client, identification, "pregnancy", {"pregnancy_or_baby_under_1": "no"})
    response = _post_section(
        client,
        identification,
        "children",
        {"child_under_7": "yes", "special_needs": "dont_know", "ticked": ["ch_witnessed"]},
    )
    assert response["Location"].endswith("/questions/abusive_parent/")
    _post_section(client, identification, "abusive_parent", {})
    _post_section(client, identification, "non_abusing_parent", {})
    response = _post_section(client, identification, "protective", {"ticked": ["pf_safe_adult"]})
    assert response["Location"] == reverse("risk:check", args=[identification.pk])

    page = client.get(reverse("risk:check", args=[identification.pk])).content.decode()
    assert "Check your answers" in page and "See the suggested level" in page
    page = client.get(reverse("risk:result", args=[identification.pk])).content.decode()
    assert "Suggested level: Scale 3 – serious" in page  # scale 2 raised by the child's age
    assert "Protective factor: The children have a trusted adult" in page
    assert "Information gaps" in page

    response = client.post(reverse("risk:result", args=[identification.pk]), {"level": "3"})
    assert response.status_code == 302
    identification.refresh_from_db()
    assert identification.status == Identification.Status.COMPLETED
    assert (identification.suggested_level, identification.confirmed_level) == (3, 3)
    assert identification.instrument_version == get_instrument("children-da-matrix").version
    review = identification.reviews.get()
    assert review.due_on == identification.assessed_on + datetime.timedelta(weeks=8)

    docx = client.get(reverse("risk:summary-docx", args=[identification.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Referral summary" in text and "section 17" in text
    pdf = client.get(reverse("risk:summary-pdf", args=[identification.pk]))
    assert pdf.content[:5] == b"%PDF-"


def test_save_and_come_back_later_keeps_partial_answers(practitioner_a):
    identification = journey_matrix(practitioner_a, {"ev_minor_incidents": "yes"}, confirm=False)
    client = signed_in(Client(), practitioner_a)
    response = _post_section(
        client, identification, "pregnancy", {"action": "later", "pb_missed_antenatal": ""}
    )
    assert response["Location"] == reverse("risk:home")
    response = client.get(reverse("risk:result", args=[identification.pk]))
    assert response["Location"] == reverse("risk:check", args=[identification.pk])
    page = client.get(reverse("risk:check", args=[identification.pk])).content.decode()
    assert "questions still to answer" in page


def test_dash_in_the_browser_with_sources_comments_and_bad_dates(practitioner_a):
    identification = journey_dash(practitioner_a, yes=0)
    client = signed_in(Client(), practitioner_a)
    data = {
        "q01_injury": "yes",
        "q01_injury__source": "victim",
        "q01_injury__comment": "Bruising to the arm",
        "q02_frightened": "dont_know",
        "q03_fears_further": "no",
        "q04_isolated": "no",
        "q05_depressed": "no",
    }
    assert _post_section(client, identification, "incident", data).status_code == 302
    identification.refresh_from_db()
    assert identification.answer_notes["q01_injury"] == {
        "source": "victim",
        "comment": "Bruising to the arm",
    }
    before = dict(identification.answers)
    response = _post_section(
        client,
        identification,
        "marac",
        {
            **_dates({1: ("1", "6", "2014"), 2: ("31", "2", "2014"), 3: ("3", "", "2014")}),
            "children_in_household": "yes",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'href="#id_incident_dates-2_0">Incident or call-out 2 must be a real date' in page
    assert 'href="#id_incident_dates-3_0">Incident or call-out 3 must include a month' in page
    identification.refresh_from_db()
    assert identification.answers == before  # nothing saved from the failed submission


def test_visible_high_risk_can_never_be_lowered(practitioner_a):
    identification = journey_dash(practitioner_a, yes=14)
    client = signed_in(Client(), practitioner_a)
    response = client.post(
        reverse("risk:result", args=[identification.pk]),
        {"level": "2", "rationale": "I think it is lower."},
    )
    assert (
        "Visible high risk (14 or more yes answers) cannot be lowered" in response.content.decode()
    )
    identification.refresh_from_db()
    assert identification.status == Identification.Status.IN_PROGRESS
    assert identification.confirmed_level is None


def test_dash_thirteen_yes_is_medium_and_marac_on_judgement(practitioner_a):
    identification = journey_dash(
        practitioner_a,
        yes=13,
        professional_judgement="yes",
        professional_judgement_reasons="Recent non-fatal strangulation.",
    )
    evaluation = evaluate(identification)
    assert evaluation.level.code == "medium"
    assert evaluation.marac_criteria == ["professional_judgement"]
    assert evaluation.details["children_prompt"] == "children-da-matrix"


def test_a_different_level_needs_a_rationale(practitioner_a):
    identification = journey_matrix(practitioner_a, confirm=False)
    client = signed_in(Client(), practitioner_a)
    response = client.post(reverse("risk:result", args=[identification.pk]), {"level": "4"})
    assert "Explain why the level differs" in response.content.decode()
    client.post(
        reverse("risk:result", args=[identification.pk]),
        {"level": "4", "rationale": "The father has just been released from prison."},
    )
    identification.refresh_from_db()
    assert identification.status == Identification.Status.COMPLETED
    assert (identification.suggested_level, identification.confirmed_level) == (2, 4)


def test_a_lower_matrix_level_waits_for_the_line_managers_countersignature(
    practitioner_a, line_manager_a, django_capture_on_commit_callbacks
):
    identification = journey_matrix(practitioner_a, confirm=False)
    with django_capture_on_commit_callbacks(execute=True):
        identification = identification_confirm(
            identification=identification,
            level=1,
            rationale="Father has moved abroad; contact has ended.",
            actor=practitioner_a,
        )
    assert identification.status == Identification.Status.AWAITING_COUNTERSIGNATURE
    assert not identification.reviews.exists()
    assert [m.to for m in mail.outbox] == [[line_manager_a.email]]

    author = signed_in(Client(), practitioner_a)
    assert author.get(reverse("risk:countersign", args=[identification.pk])).status_code == 403
    manager = signed_in(Client(), line_manager_a)
    page = manager.get(reverse("risk:identification-detail", args=[identification.pk]))
    assert "Countersign or return" in page.content.decode()
    response = manager.post(
        reverse("risk:countersign", args=[identification.pk]), {"decision": "countersign"}
    )
    assert response.status_code == 302
    identification.refresh_from_db()
    assert identification.status == Identification.Status.COMPLETED
    assert identification.countersigned_by == line_manager_a
    assert identification.reviews.count() == 1


def test_practitioner_in_other_agency_gets_404_until_shared(practitioner_a, practitioner_b):
    identification = journey_matrix(practitioner_a)
    url = reverse("risk:identification-detail", args=[identification.pk])
    other = signed_in(Client(), practitioner_b)
    assert other.get(url).status_code == 404
    assert other.get(reverse("risk:summary-pdf", args=[identification.pk])).status_code == 404

    author = signed_in(Client(), practitioner_a)
    agency_b = practitioner_b.memberships.get().agency
    response = author.post(
        reverse("risk:share", args=[identification.pk]),
        {"agency": agency_b.pk, "note": "Health visitor supports the family (need to know)."},
    )
    assert response.status_code == 302
    assert other.get(url).status_code == 200
    assert AuditEntry.objects.filter(
        action="risk.identification.shared", object_id=str(identification.pk)
    ).exists()
    # The receiving agency sees it but cannot change it.
    assert other.get(reverse("risk:outcome", args=[identification.pk])).status_code == 403


def test_a_referral_shares_it_with_the_receiving_agency(practitioner_a, agency_b, practitioner_b):
    identification = journey_matrix(practitioner_a)
    outcome_record(
        identification=identification,
        kind=Outcome.Kind.CHILDRENS_SOCIAL_CARE,
        date=timezone.localdate(),
        reference="CSC-1234",
        receiving_agency=agency_b,
        actor=practitioner_a,
    )
    share = IdentificationShare.objects.get()
    assert (share.agency, share.reason) == (agency_b, IdentificationShare.Reason.REFERRAL)
    client = signed_in(Client(), practitioner_b)
    assert (
        client.get(reverse("risk:identification-detail", args=[identification.pk])).status_code
        == 200
    )


def test_referral_needs_a_reference_and_a_past_date(practitioner_a):
    identification = journey_matrix(practitioner_a)
    client = signed_in(Client(), practitioner_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client.post(
        reverse("risk:outcome", args=[identification.pk]),
        {
            "kind": "marac",
            "date_day": tomorrow.day,
            "date_month": tomorrow.month,
            "date_year": tomorrow.year,
        },
    )
    assert "The date must be today or in the past" in response.content.decode()
    assert not Outcome.objects.exists()


def test_safeguarding_lead_sees_the_agencys_identifications_colleagues_do_not(
    practitioner_a, safeguarding_lead_a, world
):
    identification = journey_matrix(practitioner_a)
    url = reverse("risk:identification-detail", args=[identification.pk])
    assert signed_in(Client(), safeguarding_lead_a).get(url).status_code == 200
    assert signed_in(Client(), world["colleague_a"]).get(url).status_code == 404


def test_the_business_unit_never_sees_an_identification(practitioner_a, admin):
    identification = journey_matrix(practitioner_a)
    client = signed_in(Client(), admin)
    assert (
        client.get(reverse("risk:identification-detail", args=[identification.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("risk:household-detail", args=[identification.household_id])).status_code
        == 404
    )


def test_every_view_is_recorded_in_the_audit_trail(practitioner_a, line_manager_a):
    identification = journey_matrix(practitioner_a)
    for user in (practitioner_a, line_manager_a):
        signed_in(Client(), user).get(
            reverse("risk:identification-detail", args=[identification.pk])
        )
    signed_in(Client(), line_manager_a).get(reverse("risk:summary-pdf", args=[identification.pk]))
    views = AuditEntry.objects.filter(
        action="risk.identification.viewed", object_id=str(identification.pk)
    ).order_by("id")
    assert [(e.actor, e.changes.get("purpose", "")) for e in views] == [
        (practitioner_a, ""),
        (line_manager_a, ""),
        (line_manager_a, "referral summary (pdf)"),
    ]


def test_review_reminders_are_sent_once(practitioner_a, django_capture_on_commit_callbacks):
    identification = journey_matrix(practitioner_a)
    review = identification.reviews.get()
    out = io.StringIO()
    call_command(
        "send_risk_reviews", today=str(review.due_on - datetime.timedelta(days=8)), stdout=out
    )
    assert "0 review reminder(s)" in out.getvalue()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "send_risk_reviews", today=str(review.due_on - datetime.timedelta(days=7)), stdout=out
        )
        call_command("send_risk_reviews", today=str(review.due_on), stdout=out)
    reminders = [m for m in mail.outbox if "review due" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [practitioner_a.email]
    assert "Example" not in reminders[0].body  # no names in e-mail


def test_new_incident_brings_the_review_forward(practitioner_a):
    identification = journey_matrix(practitioner_a)
    client = signed_in(Client(), practitioner_a)
    client.post(reverse("risk:review-set", args=[identification.pk]), {"when": "now"})
    reviews = identification.reviews.order_by("id")
    assert reviews[0].replaced_on == timezone.localdate()
    assert (reviews[1].due_on, reviews[1].reason) == (
        timezone.localdate(),
        Review.Reason.NEW_INCIDENT,
    )
    client.post(reverse("risk:review-done", args=[reviews[1].pk]), {"note": "Safety plan updated."})
    assert identification.reviews.get(pk=reviews[1].pk).on_time is True


def _local_matrix_text(version: int, wording: str) -> str:
    data = yaml.safe_load(get_instrument("children-da-matrix").source)
    data["version"] = version
    data["sections"][0]["questions"][0]["text"] = wording
    return yaml.safe_dump(data)


def test_a_partnership_loads_its_licensed_wording_as_a_new_version(
    tmp_path, partnership, practitioner_a
):
    earlier = journey_matrix(practitioner_a)
    path = tmp_path / "licensed.yaml"
    path.write_text(_local_matrix_text(1, "Licensed wording"))
    with pytest.raises(CommandError, match="licensed.yaml: version 1 is not new"):
        call_command("load_instrument", str(path), stdout=io.StringIO())
    path.write_text(_local_matrix_text(2, "Licensed wording"))
    call_command("load_instrument", str(path), stdout=io.StringIO())
    newest = get_instrument("children-da-matrix", partnership=partnership)
    assert newest.version == 2 and newest.questions[0].text == "Licensed wording"
    later = journey_matrix(practitioner_a)
    assert later.instrument_version == 2
    earlier.refresh_from_db()
    assert earlier.instrument_version == 1
    assert instrument_for(earlier).questions[0].text != "Licensed wording"
    assert AuditEntry.objects.filter(action="risk.instrument.loaded").count() == 1


def test_an_invalid_licensed_file_is_refused_naming_the_file(tmp_path, partnership):
    data = yaml.safe_load(_local_matrix_text(2, "x"))
    data["sections"][0]["questions"][0]["scale"] = 7
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(CommandError, match=r"broken.yaml: indicator 'ev_minor_incidents': scale 7"):
        call_command("load_instrument", str(path), stdout=io.StringIO())
    from safeguarding.risk.models import InstrumentVersion

    assert not InstrumentVersion.objects.exists()


def test_board_insight_shows_only_aggregates_with_small_numbers_suppressed(practitioner_a, admin):
    household = journey_household(practitioner_a)
    for _ in range(5):
        journey_matrix(practitioner_a, household=household)
    dash = journey_dash(practitioner_a, yes=15, confirm=True)
    client = signed_in(Client(), admin)
    page = client.get(reverse("risk:insight")).content.decode()
    assert "Children's matrix: Scale 2 – moderate to serious" in page
    assert "Adult checklist: High risk" in page
    assert "fewer than 5" in page  # the single DASH one is not shown
    # ...and the five matrix ones are withheld too, or the total (6) would give the DASH away.
    levels = page.split("By level, with referral rates")[1].split("</table>")[0]
    assert levels.count(">fewer than 5<") == 1 and ">withheld<" in levels
    # A period: a bad date is an error in the GOV.UK summary, with no figures; a good one works.
    bad = client.get(reverse("risk:insight"), {"date_from": "31/2/2014", "date_to": "1/1/2026"})
    html = bad.content.decode()
    assert "govuk-error-summary" in html and "Enter the start date as a real date" in html
    assert "By level, with referral rates" not in html
    today = timezone.localdate()
    good = client.get(
        reverse("risk:insight"),
        {"date_from": f"1/1/{today.year - 1}", "date_to": today.strftime("%d/%m/%Y")},
    )
    assert "By level, with referral rates" in good.content.decode()
    assert ">5<" not in levels.replace(" ", "")
    # The total (6) is withheld too: beside "fewer than 5" and "withheld" it would be 1 + 5
    # ("withheld" is 0 or 5 and over), and so would the month, agency and sector rows equal to it.
    # (This line asserted ">6<", the old leaky output; see the report on issue 9.)
    assert ">6<" not in page.replace(" ", "")
    assert "Example" not in page and dash.household.address.splitlines()[0] not in page


@pytest.mark.parametrize(
    "values, shown",
    [
        ([20, 3, 7], ["20", "fewer than 5", "withheld"]),  # the next smallest is withheld
        ([20, 3, 2], ["20", "fewer than 5", "fewer than 5"]),  # two hidden: enough
        ([20, 3], ["withheld", "fewer than 5"]),
        ([20, 7], ["20", "7"]),
        ([3], ["fewer than 5"]),  # the total is suppressed itself
        ([0, 9, 3], ["0", "withheld", "fewer than 5"]),
        ([], []),
    ],
)
def test_secondary_suppression_of_rows_that_add_up_to_a_total(values, shown):
    from safeguarding.core.suppression import suppress_counts

    assert [str(c) for c in suppress_counts(values)[0]] == shown


def test_a_rate_is_withheld_when_its_count_is_withheld():
    from safeguarding.core import suppression as selectors

    assert selectors.rate(selectors.Count(8, withheld=True), 10) == "withheld"
    assert selectors.rate(8, 10) == "80%"
    assert selectors.rate(0, 0) == "–"


def test_insight_counts(practitioner_a, partnership):
    from safeguarding.risk.selectors import insight as selectors

    household = journey_household(practitioner_a)
    items = [journey_matrix(practitioner_a, household=household) for _ in range(6)]
    for identification in items[:5]:
        outcome_record(
            identification=identification,
            kind=Outcome.Kind.EARLY_HELP,
            date=timezone.localdate(),
            reference="",
            receiving_agency=None,
            actor=practitioner_a,
        )
    today = timezone.localdate()
    figures = selectors.insight(partnership, today - datetime.timedelta(days=30), today, today)
    (row,) = figures["levels"]
    assert (row["count"].value, row["referred"].value, row["rate"]) == (6, 5, "83%")
    assert figures["reviews"]["due"].value == 0  # all due in 8 weeks
    assert str(figures["total"]) == "6"


def test_admin_upload_validates_and_loads_a_new_version(partnership, django_user_model):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from safeguarding.risk.models import InstrumentVersion

    superuser = django_user_model.objects.create_superuser("root@scp.example", "pw")
    client = signed_in(Client(), superuser)
    url = reverse("admin:risk_instrumentversion_add")
    bad = SimpleUploadedFile("licensed.yaml", _local_matrix_text(1, "x").encode())
    response = client.post(url, {"partnership": partnership.pk, "file": bad})
    assert "licensed.yaml: version 1 is not new" in response.content.decode()
    good = SimpleUploadedFile("licensed.yaml", _local_matrix_text(2, "Licensed").encode())
    response = client.post(url, {"partnership": partnership.pk, "file": good})
    assert response.status_code == 302
    assert InstrumentVersion.objects.get().version == 2


def test_incident_dates_are_a_repeating_date_input_that_feeds_potential_escalation(
    practitioner_a,
):
    identification = journey_dash(practitioner_a, yes=2)
    client = signed_in(Client(), practitioner_a)
    url = reverse("risk:section", args=[identification.pk, "marac"])
    page = client.get(url).content.decode()
    for n in (1, 2, 3):
        assert f'name="incident_dates-{n}_day"' in page
    assert 'name="incident_dates-4_day"' not in page
    three = _dates({1: ("", "", ""), 2: ("", "", ""), 3: ("", "", "")})
    # "Add another date" shows a fourth date input and saves nothing.
    before = dict(identification.answers)
    response = client.post(
        url, {**three, "children_in_household": "yes", "action": "add:incident_dates"}
    )
    assert response.status_code == 200
    assert 'name="incident_dates-4_day"' in response.content.decode()
    identification.refresh_from_db()
    assert identification.answers == before
    # A date in the future is refused on its own box.
    future = _dates({1: ("1", "1", str(timezone.localdate().year + 1))})
    response = client.post(url, {**three, **future, "children_in_household": "yes"})
    assert "Incident or call-out 1 must be today or in the past" in response.content.decode()
    # Three incidents inside 12 months before the identification: potential escalation.
    day = identification.assessed_on
    boxes = {
        n: (str(d.day), str(d.month), str(d.year))
        for n, d in enumerate([day, day - datetime.timedelta(days=40), day.replace(day=1)], 1)
    }
    response = client.post(url, {**_dates(boxes), "children_in_household": "yes"})
    assert response.status_code == 302
    identification.refresh_from_db()
    assert len(identification.answers["incident_dates"]) == 3
    assert "potential_escalation" in evaluate(identification).marac_criteria
    # Saved dates come back in their boxes, with one empty box to add another.
    page = client.get(url).content.decode()
    assert 'name="incident_dates-4_day" type="text" inputmode="numeric">' in page


def test_lists_that_name_identifications_are_recorded_in_the_audit_trail(
    practitioner_a, line_manager_a, practitioner_b
):
    from rest_framework.test import APIClient

    identification = journey_matrix(practitioner_a)
    signed_in(Client(), line_manager_a).get(reverse("risk:home"))
    listed = AuditEntry.objects.get(action="risk.identification.listed", actor=line_manager_a)
    assert identification.pk in listed.changes["ids"]
    # Someone who sees no identification leaves no list entry.
    signed_in(Client(), practitioner_b).get(reverse("risk:home"))
    assert not AuditEntry.objects.filter(
        action="risk.identification.listed", actor=practitioner_b
    ).exists()
    api = APIClient()
    api.force_authenticate(practitioner_a)
    assert api.get("/api/v1/risk/identifications/").status_code == 200
    entry = AuditEntry.objects.filter(
        action="risk.identification.listed", actor=practitioner_a
    ).latest("id")
    assert entry.changes == {"ids": [identification.pk], "purpose": "API"}
