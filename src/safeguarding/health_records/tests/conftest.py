"""Fixtures for the health-records platform tests (prefixed hr_). The linkage engine is the
linkage package's; `hr_fake_link` stands in for it where a test is about the platform only."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from safeguarding.people import services as people
from safeguarding.people.models import Role


@pytest.fixture(autouse=True)
def _hr_dir(settings, tmp_path):
    settings.HEALTH_RECORDS_DIR = tmp_path / "health_records"
    settings.HEALTH_RECORDS_RETENTION_DAYS = 30


@pytest.fixture
def hr_north(partnership):
    return partnership.localities.get(name="North")


@pytest.fixture
def hr_team(agency_b, hr_north):
    """The health visiting team for the North locality, in the community health agency."""
    return people.team_create(agency=agency_b, name="Health visiting team North", locality=hr_north)


@pytest.fixture
def hr_other_team(agency_b, partnership):
    return people.team_create(
        agency=agency_b,
        name="Health visiting team South",
        locality=partnership.localities.get(name="South"),
    )


@pytest.fixture
def hr_districts(partnership, hr_north):
    from safeguarding.health_records.models import PostcodeDistrict

    south = partnership.localities.get(name="South")
    PostcodeDistrict.objects.create(partnership=partnership, outward_code="TE1", locality=hr_north)
    PostcodeDistrict.objects.create(partnership=partnership, outward_code="TE9", locality=south)


def _person(email, agency, roles, **extra):
    given, family = email.split("@")[0].split(".")
    return people.person_create(
        email=email,
        given_name=given.title(),
        family_name=family.title(),
        agency=agency,
        roles=roles,
        password="correct horse battery staple",
        **extra,
    )


@pytest.fixture
def hr_analyst(agency_b):
    """A health records analyst in the community health agency (which runs the linkage)."""
    return _person("cara.analyst@health.example", agency_b, [Role.HEALTH_RECORDS_ANALYST])


@pytest.fixture
def hr_other_analyst(agency_a):
    """A health records analyst in another agency."""
    return _person("otto.analyst@police.example", agency_a, [Role.HEALTH_RECORDS_ANALYST])


@pytest.fixture
def hr_health_visitor(agency_b, hr_team):
    """A practitioner in the North health visiting team."""
    return _person("vera.visitor@health.example", agency_b, [Role.PRACTITIONER], team=hr_team)


@pytest.fixture
def hr_south_visitor(agency_b, hr_other_team):
    return _person("sam.south@health.example", agency_b, [Role.PRACTITIONER], team=hr_other_team)


def record(record_id, *, kind="gp", **values):
    from safeguarding.health_records.linkage import Record

    defaults = {
        "record_id": record_id,
        "nhs_number": None,
        "nhs_number_raw": "",
        "nhs_number_valid": False,
        "given_name": "Test",
        "family_name": "Child",
        "date_of_birth": datetime.date(2013, 6, 1),
        "sex": "F",
        "postcode": "TE1 1AA",
        "address_line": "1 High Street",
    }
    defaults.update(values)
    if kind == "gp":
        defaults.setdefault("gp_practice_code", "T81001")
    else:
        defaults.setdefault("hv_team", "")
    return Record(**defaults)


def report(records, *, flagged=(), rejected=(), rows_read=None):
    from safeguarding.health_records.linkage import ExtractReport, RowProblem

    result = ExtractReport(kind="gp", filename="x.csv", encoding="utf-8")
    result.accepted = list(records)
    result.flagged = [RowProblem(n, rid, reasons) for n, rid, reasons in flagged]
    result.rejected = [RowProblem(n, rid, reasons) for n, rid, reasons in rejected]
    result.rows_read = rows_read if rows_read is not None else len(records) + len(rejected)
    return result


def result(pairs=(), gp_unknown=(), hv_unknown=()):
    from safeguarding.health_records.linkage import LinkageResult, Pair

    return LinkageResult(
        pairs=[Pair(*pair) for pair in pairs],  # (gp, hv, p, status[, reason])
        gp_not_known_to_hv=list(gp_unknown),
        hv_not_registered_with_gp=list(hv_unknown),
        counts={"pairs_scored": 42},
        timings={"total": 1.25},
        model={"m": [0.9], "u": [0.1]},
    )


@pytest.fixture
def hr_saved_run(agency_b, hr_analyst, hr_team, hr_districts):
    """A completed run: G1/H1 matched, G2/H2 for review, G3 (North) and G4 (no district) not
    known to health visiting, H3 (named team South... not in this agency's names) not
    registered with a GP."""
    from safeguarding.health_records.services.runs import save_run

    gp = report(
        [
            record("G1", given_name="Amy", family_name="Able"),
            record("G2", given_name="Ben", family_name="Bell"),
            record("G3", given_name="Cleo", family_name="Cole", postcode="TE1 2BB"),
            record("G4", given_name="Dan", family_name="Dale", postcode="ZZ1 1ZZ"),
        ],
        flagged=[(3, "G2", ["NHS number fails the check digit"])],
        rejected=[(7, "G9", ["date of birth is in the future"])],
    )
    hv = report(
        [
            record("H1", kind="hv", given_name="Amy", family_name="Able"),
            record("H2", kind="hv", given_name="Benjamin", family_name="Bell"),
            record(
                "H3",
                kind="hv",
                given_name="Eve",
                family_name="East",
                postcode="TE9 9ZZ",
                hv_team="Health visiting team North",
            ),
        ]
    )
    linked = result(
        pairs=[("G1", "H1", 0.999, "match"), ("G2", "H2", 0.7, "review", "two family names")],
        gp_unknown=["G3", "G4"],
        hv_unknown=["H3"],
    )
    return save_run(
        gp,
        hv,
        linked,
        gp_filename="gp.csv",
        hv_filename="hv.csv",
        actor=hr_analyst,
        agency=agency_b,
        extract_date=datetime.date(2014, 3, 31),
    )


@pytest.fixture
def hr_fake_link(monkeypatch):
    """Replace the linkage package's link with one that matches on NHS number only."""
    from safeguarding.health_records import linkage

    calls = []

    def fake_link(gp_records, hv_records, settings, progress=None):
        calls.append(settings)
        by_nhs = {r.nhs_number: r for r in hv_records if r.nhs_number}
        pairs, matched_hv = [], set()
        for r in gp_records:
            other = by_nhs.get(r.nhs_number) if r.nhs_number else None
            if other is not None:
                pairs.append((r.record_id, other.record_id, 0.99, "match"))
                matched_hv.add(other.record_id)
        matched_gp = {p[0] for p in pairs}
        return result(
            pairs=pairs,
            gp_unknown=[r.record_id for r in gp_records if r.record_id not in matched_gp],
            hv_unknown=[r.record_id for r in hv_records if r.record_id not in matched_hv],
        )

    monkeypatch.setattr(linkage, "link", fake_link)
    return SimpleNamespace(calls=calls)
