"""save_run (the contract with the linkage package), review decisions, worklist outcomes."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeguarding.core.models import AuditEntry
from safeguarding.health_records.age_bands import age_band
from safeguarding.health_records.models import (
    Direction,
    ImportProblem,
    Kind,
    LinkageRun,
    Outcome,
    ReviewPair,
    WorklistItem,
)
from safeguarding.health_records.selectors.review import prior_decisions
from safeguarding.health_records.services.retention import purge_expired
from safeguarding.health_records.services.review import review_decide
from safeguarding.health_records.services.runs import save_run
from safeguarding.health_records.services.worklist import worklist_allocate, worklist_outcome_record
from safeguarding.health_records.tests.conftest import record, report, result
from safeguarding.people.models import Team

pytestmark = pytest.mark.django_db


def test_save_run_stores_counts_review_pairs_and_worklist(hr_saved_run, hr_team, hr_north):
    run = hr_saved_run
    assert run.status == LinkageRun.Status.COMPLETED
    assert (run.gp_records, run.hv_records, run.matched, run.review) == (4, 3, 1, 1)
    assert (run.gp_not_known_to_hv, run.hv_not_registered_with_gp) == (2, 1)
    assert run.trained_model == {"m": [0.9], "u": [0.1]}
    assert run.timings == {"total": 1.25}

    gp_import = run.imports.get(kind=Kind.GP)
    assert (gp_import.rows_read, gp_import.accepted, gp_import.flagged, gp_import.rejected) == (
        5,
        4,
        1,
        1,
    )
    rejected = ImportProblem.objects.get(extract=gp_import, severity="rejected")
    assert (rejected.row_number, rejected.record_id) == (7, "G9")
    assert rejected.reasons == ["date of birth is in the future"]

    pair = ReviewPair.objects.get(run=run)
    assert (pair.gp_record_id, pair.hv_record_id) == ("G2", "H2")
    assert pair.gp["given_name"] == "Ben" and pair.hv["given_name"] == "Benjamin"

    items = {item.record_id: item for item in WorklistItem.objects.filter(last_run=run)}
    assert set(items) == {"G3", "G4", "H3"}
    # G3 lives in TE1 (North): the North health visiting team has it.
    assert items["G3"].team == hr_team and items["G3"].locality == hr_north
    assert items["G3"].direction == Direction.GP_NOT_KNOWN_TO_HV
    assert items["G3"].due_date == datetime.date(2014, 4, 28)
    assert items["G3"].age_band == "Under 1"
    # G4's postcode district belongs to no locality: not allocated, for an analyst to place.
    assert items["G4"].team is None and items["G4"].locality is None
    # H3 names its team in the extract: that team has it, whatever the postcode says.
    assert items["H3"].team == hr_team
    assert items["H3"].direction == Direction.HV_NOT_REGISTERED

    assert run.breakdowns[Direction.GP_NOT_KNOWN_TO_HV]["team"] == {
        "Health visiting team North": 1,
        "Not allocated": 1,
    }
    assert run.breakdowns[Direction.HV_NOT_REGISTERED]["age_band"] == {"Under 1": 1}
    assert AuditEntry.objects.filter(
        action="health_records.linkagerun.saved", object_id=str(run.pk)
    ).exists()


def test_next_run_refreshes_open_items_and_closes_children_now_known(
    hr_saved_run, agency_b, hr_analyst
):
    g3 = WorklistItem.objects.get(record_id="G3")
    gp = report(
        [
            record("G3", given_name="Cleo", family_name="Cole", postcode="TE1 2BB"),
            record("G4", given_name="Dan", family_name="Dale-Smith", postcode="ZZ1 1ZZ"),
        ]
    )
    hv = report([record("H9", kind="hv", given_name="Cleo", family_name="Cole")])
    second = save_run(
        gp,
        hv,
        result(pairs=[("G3", "H9", 0.99, "match")], gp_unknown=["G4"]),
        gp_filename="gp2.csv",
        hv_filename="hv2.csv",
        actor=hr_analyst,
        agency=agency_b,
        extract_date=datetime.date(2014, 4, 30),
    )
    g3.refresh_from_db()
    assert g3.outcome == Outcome.NOW_KNOWN and g3.outcome_by is None
    g4 = WorklistItem.objects.get(record_id="G4")
    assert g4.last_run == second and g4.family_name == "Dale-Smith"
    assert WorklistItem.objects.filter(record_id="G4").count() == 1  # one open item per child
    assert second.counts["worklist"] == {"added": 0, "refreshed": 1, "now_known": 1}


def test_save_run_refuses_another_agencys_analyst(agency_b, hr_other_analyst):
    with pytest.raises(PermissionDenied):
        save_run(
            report([]),
            report([]),
            result(),
            gp_filename="g",
            hv_filename="h",
            actor=hr_other_analyst,
            agency=agency_b,
        )
    assert not LinkageRun.objects.exists()


def test_save_run_from_the_command_line_finds_the_analysts_agency(agency_b, hr_analyst):
    run = save_run(
        report([record("G1")]),
        report([]),
        result(gp_unknown=["G1"]),
        gp_filename="g",
        hv_filename="h",
    )
    assert run.agency == agency_b and run.started_by is None


def test_save_run_is_all_or_nothing(agency_b, hr_analyst):
    """A pair naming a record that is not in the extract stops the save: nothing is kept."""
    with pytest.raises(KeyError):
        save_run(
            report([record("G1")]),
            report([]),
            result(pairs=[("G1", "H404", 0.7, "review")]),
            gp_filename="g",
            hv_filename="h",
            actor=hr_analyst,
            agency=agency_b,
        )
    assert not LinkageRun.objects.exists() and not WorklistItem.objects.exists()


def test_review_decisions_are_reused_by_the_next_run(hr_saved_run, hr_analyst, agency_b):
    pair = ReviewPair.objects.get(run=hr_saved_run)
    review_decide(pair=pair, accepted=False, actor=hr_analyst)
    assert prior_decisions(agency=agency_b) == {("G2", "H2"): False}
    review_decide(pair=pair, accepted=True, actor=hr_analyst)  # changed mind
    assert prior_decisions(agency=agency_b) == {("G2", "H2"): True}
    entry = (
        AuditEntry.objects.filter(action="health_records.reviewpair.decided").order_by("pk").last()
    )
    assert entry.changes == {"decision": ["rejected", "accepted"]}


def test_review_decision_needs_the_runs_analyst(hr_saved_run, hr_other_analyst, admin):
    pair = ReviewPair.objects.get(run=hr_saved_run)
    for actor in (hr_other_analyst, admin):
        with pytest.raises(PermissionDenied):
            review_decide(pair=pair, accepted=True, actor=actor)


def test_team_member_records_an_outcome(hr_saved_run, hr_health_visitor):
    item = WorklistItem.objects.get(record_id="G3")
    worklist_outcome_record(
        item=item,
        outcome=Outcome.CONTACT_MADE,
        notes="Spoke to mother; first visit booked.",
        actor=hr_health_visitor,
    )
    item.refresh_from_db()
    assert item.outcome == Outcome.CONTACT_MADE and item.outcome_by == hr_health_visitor
    entry = AuditEntry.objects.get(action="health_records.worklistitem.outcome_recorded")
    assert entry.changes["outcome"] == ["", "contact_made"]


def test_other_outcome_needs_notes(hr_saved_run, hr_analyst):
    item = WorklistItem.objects.get(record_id="G3")
    with pytest.raises(ValidationError):
        worklist_outcome_record(item=item, outcome=Outcome.OTHER, actor=hr_analyst)


def test_another_team_cannot_record_an_outcome(hr_saved_run, hr_south_visitor, practitioner_b):
    item = WorklistItem.objects.get(record_id="G3")
    for actor in (hr_south_visitor, practitioner_b):
        with pytest.raises(PermissionDenied):
            worklist_outcome_record(item=item, outcome=Outcome.MOVED_OUT, actor=actor)


def test_allocate_to_a_team_of_the_same_agency_only(hr_saved_run, hr_analyst, agency_a):
    from safeguarding.people import services as people

    item = WorklistItem.objects.get(record_id="G4")
    police_team = people.team_create(agency=agency_a, name="Neighbourhood team")
    with pytest.raises(ValidationError):
        worklist_allocate(item=item, team=police_team, actor=hr_analyst)
    south = Team.objects.get(name="Health visiting team North")
    worklist_allocate(item=item, team=south, actor=hr_analyst)
    item.refresh_from_db()
    assert item.team == south and item.locality == south.locality


@pytest.mark.parametrize(
    ("born", "band"),
    [
        (datetime.date(2014, 3, 1), "Under 1"),
        (datetime.date(2013, 3, 31), "1 to 2"),
        (datetime.date(2013, 4, 1), "Under 1"),
        (datetime.date(2009, 3, 31), "5 and over"),
        (None, "Not known"),
    ],
)
def test_age_band(born, band):
    assert age_band(born, datetime.date(2014, 3, 31)) == band


def test_a_possible_second_registration_keeps_the_record_it_repeats_until_purged(
    client, agency_b, hr_analyst
):
    from django.urls import reverse

    from safeguarding.conftest import signed_in

    reason = "second registration of the child in GP record G1"
    run = save_run(
        report([record("G1"), record("G5", given_name="Amy", postcode="TE1 9ZZ")]),
        report([record("H1", kind="hv")]),
        result(
            pairs=[
                ("G1", "H1", 0.999, "match"),
                ("G5", "H1", 0.8, "review", reason, ("gp", "G1")),
            ]
        ),
        gp_filename="g",
        hv_filename="h",
        actor=hr_analyst,
        agency=agency_b,
    )
    pair = ReviewPair.objects.get(run=run)
    assert (pair.reason, pair.repeats["list"], pair.repeats["record_id"]) == (reason, "gp", "G1")
    assert pair.repeats["postcode"] == record("G1").postcode
    signed_in(client, hr_analyst)
    page = client.get(reverse("health_records:review_pair", args=[pair.pk])).content.decode()
    assert "Matched GP record it may repeat" in page and "TE1 9ZZ" in page
    LinkageRun.objects.filter(pk=run.pk).update(
        created_at=run.created_at - datetime.timedelta(days=31)
    )
    purge_expired()
    pair.refresh_from_db()
    assert (pair.gp, pair.hv, pair.repeats) == ({}, {}, {})
