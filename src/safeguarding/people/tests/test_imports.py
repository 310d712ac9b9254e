"""Importing agencies and people from CSV and Excel files, with a validation report."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from safeguarding.conftest import signed_in
from safeguarding.core.models import AuditEntry
from safeguarding.people import imports, services
from safeguarding.people.models import Agency, Role, Sector, Team, User

SAMPLES = Path(__file__).resolve().parents[4] / "docs" / "samples"
AGENCY_URL = "people:agency-import"
PEOPLE_URL = "people:person-import"

AGENCIES_CSV = (
    "Name,Sector,Locality,Statutory_Partner,Funds_Partnership,Email_Domains,Notes\n"
    "Northtown Academy,school,North,no,no,northtown.example; academy.example,ignored\n"
    "Testshire Youth Trust,Voluntary and community,,yes,1,youth.example,\n"
)

PEOPLE_CSV = (
    "email,given_name,family_name,agency,team,job_title,roles,line_manager_email\n"
    "zoe.first@police.example,Zoë,First,testshire police,Child Exploitation,DC,,"
    "max.later@police.example\n"
    "max.later@police.example,Max,Later,Testshire Police,Child Exploitation,DS,"
    "practitioner; Line manager,\n"
    "tia.trainer@police.example,Tia,Trainer,Testshire Police,,Trainer,trainer,"
    "paul.police@police.example\n"
)


def _upload(client, url_name, content: bytes, name: str = "file.csv"):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(reverse(url_name), {"step": "check", "file": upload})


def _confirm(client, url_name, response):
    return client.post(reverse(url_name), {"step": "confirm", "digest": response.context["digest"]})


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Reading files ---------------------------------------------------------------------------------


def test_csv_with_bom_is_read_as_utf8():
    data = "\ufeffEmail,Given Name\nzoe@x.example,Zoë\n".encode()
    table = imports.parse_table(data, "people.csv")
    assert table.header == ["email", "given_name"]
    assert table.rows[0].values == {"email": "zoe@x.example", "given_name": "Zoë"}
    assert table.rows[0].number == 2


def test_windows_1252_csv_is_read():
    data = "email,given_name\nzoe@x.example,Zoë\n\n\nrene@x.example,René\n".encode("cp1252")
    table = imports.parse_table(data, "people.CSV")
    assert [r.get("given_name") for r in table.rows] == ["Zoë", "René"]
    assert [r.number for r in table.rows] == [2, 5]  # blank rows skipped, numbering kept


def test_xlsx_is_read_with_typed_cells():
    data = _xlsx(
        [
            ["Name", "Sector", "statutory_partner"],
            ["Zoë's School", "school", True],
            [None, None, None],
            ["Other", "other", 1],
        ]
    )
    table = imports.parse_table(data, "agencies.xlsx")
    assert [r.values for r in table.rows] == [
        {"name": "Zoë's School", "sector": "school", "statutory_partner": "yes"},
        {"name": "Other", "sector": "other", "statutory_partner": "1"},
    ]
    assert [r.number for r in table.rows] == [2, 4]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("agencies.txt", b"name,sector\n", "must be a CSV file (.csv) or an Excel workbook"),
        ("agencies.xls", b"\xd0\xcf\x11\xe0", "old-style Excel workbook"),
        ("agencies.xlsx", b"name,sector\nA,b\n", "could not be read as an Excel workbook"),
        ("agencies.csv", b"", "The file is empty"),
        ("agencies.csv", b"name,sector\n", "no rows below them"),
        ("agencies.csv", b"name,Name\nA,B\n", "more than once: name"),
    ],
)
def test_unreadable_files_are_refused(name, data, message):
    with pytest.raises(imports.ImportFileError) as error:
        imports.parse_table(data, name)
    assert message in error.value.message


def test_oversized_file_is_refused():
    data = b"name,sector\n" + b"x" * imports.MAX_FILE_BYTES
    with pytest.raises(imports.ImportFileError, match="smaller than 5 MB"):
        imports.parse_table(data, "agencies.csv")


def test_missing_columns_are_refused_with_their_names(personas):
    response = _upload(
        personas["admin"], PEOPLE_URL, b"E-mail,Given_name,agency\na@b.example,A,B\n"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert "missing these required columns: email, family_name" in body
    assert "Confirm import" not in body


# Agencies --------------------------------------------------------------------------------------


def test_valid_agencies_file_is_checked_then_imported_with_audit(personas, partnership):
    admin = personas["admin"]
    before = Agency.objects.count()
    response = _upload(admin, AGENCY_URL, AGENCIES_CSV.encode(), "new agencies.csv")
    body = response.content.decode()
    report = response.context["report"]
    assert report.counts() == {"rows": 2, "created": 2, "updated": 0, "rejected": 0}
    assert "Confirm import" in body
    assert Agency.objects.count() == before  # nothing written at the checking step

    response = _confirm(admin, AGENCY_URL, response)
    assert response.status_code == 302
    assert response.url == reverse("people:agency-list")
    academy = Agency.objects.get(name="Northtown Academy")
    assert academy.sector == Sector.SCHOOL
    assert academy.locality.name == "North"
    assert academy.email_domains == ["academy.example", "northtown.example"]
    trust = Agency.objects.get(name="Testshire Youth Trust")
    assert (trust.sector, trust.is_statutory_partner, trust.funds_partnership) == (
        Sector.VOLUNTARY,
        True,
        True,
    )
    assert (
        AuditEntry.objects.filter(
            action="people.agency.created", object_id__in=[academy.pk, trust.pk]
        ).count()
        == 2
    )
    summary = AuditEntry.objects.get(action="people.import.completed")
    assert summary.actor.email == "ada.admin@scp.example"
    assert summary.changes == {
        "kind": "agencies",
        "file_name": "new agencies.csv",
        "rows": 2,
        "created": 2,
        "updated": 0,
        "rejected": 0,
    }
    assert personas["admin"].session.get("people.import.agencies") is None


def test_reimporting_agencies_updates_instead_of_duplicating(personas, agency_a):
    admin = personas["admin"]
    content = b"name,sector,statutory_partner,funds_partnership\nTESTSHIRE POLICE,police,yes,no\n"
    response = _upload(admin, AGENCY_URL, content)
    report = response.context["report"]
    assert report.counts()["updated"] == 1
    assert "Funds the partnership: yes → no" in response.content.decode()
    _confirm(admin, AGENCY_URL, response)
    agency_a.refresh_from_db()
    assert Agency.objects.filter(name__iexact="testshire police").count() == 1
    assert agency_a.name == "Testshire Police"
    assert agency_a.funds_partnership is False
    assert agency_a.email_domains == ["police.example"]  # column absent: unchanged
    assert AuditEntry.objects.filter(
        action="people.agency.updated", object_id=str(agency_a.pk)
    ).exists()
    assert AuditEntry.objects.get(action="people.import.completed").changes["updated"] == 1


def test_bad_agency_rows_are_reported_and_nothing_is_imported(personas, agency_a):
    content = (
        b"name,sector,locality,statutory_partner,email_domains\n"
        b"Good Agency,school,,no,good.example\n"
        b"Bad Sector,polise,,no,\n"
        b",school,Nowhere,perhaps,not a domain\n"
        b"good agency,school,,,\n"
    )
    before = Agency.objects.count()
    response = _upload(personas["admin"], AGENCY_URL, content)
    body = response.content.decode()
    report = response.context["report"]
    assert report.counts() == {"rows": 4, "created": 1, "updated": 0, "rejected": 3}
    reasons = {row.number: row.errors for row in report.rejected}
    assert reasons[3] == [
        "sector “polise” is not a sector. Use one of the codes or names in the list of sectors."
    ]
    assert len(reasons[4]) == 4  # name missing, locality, yes/no, domain
    assert any("locality “Nowhere”" in reason for reason in reasons[4])
    assert "also on row 2" in reasons[5][0]
    assert "Confirm import" not in body
    assert "Nothing has been imported" in body
    assert "Rejected rows" in body
    assert Agency.objects.count() == before
    assert response.context["digest"] == ""
    # Even a forged confirmation imports nothing: no checked file is kept.
    response = personas["admin"].post(reverse(AGENCY_URL), {"step": "confirm", "digest": "x"})
    assert "no longer available" in response.content.decode()
    assert Agency.objects.count() == before


def test_xlsx_agencies_file_imports(personas, partnership):
    data = _xlsx(
        [
            ["name", "sector", "statutory_partner", "funds_partnership"],
            ["Zoë Hall School", "School", False, None],
        ]
    )
    admin = personas["admin"]
    response = _upload(admin, AGENCY_URL, data, "agencies.xlsx")
    assert response.context["report"].is_valid
    _confirm(admin, AGENCY_URL, response)
    assert Agency.objects.get(name="Zoë Hall School").is_statutory_partner is False


# People ----------------------------------------------------------------------------------------


def test_valid_people_file_imports_everyone_without_emails(personas, agency_a, practitioner_a):
    admin = personas["admin"]
    users_before = User.objects.count()
    response = _upload(admin, PEOPLE_URL, PEOPLE_CSV.encode("cp1252"), "people.csv")
    report = response.context["report"]
    assert report.counts() == {"rows": 3, "created": 3, "updated": 0, "rejected": 0}
    assert "Imported people are not sent an e-mail" in response.content.decode()
    assert User.objects.count() == users_before

    response = _confirm(admin, PEOPLE_URL, response)
    assert response.status_code == 302
    zoe = User.objects.get(email="zoe.first@police.example")
    assert zoe.given_name == "Zoë"
    assert not zoe.has_usable_password()
    membership = zoe.memberships.get()
    assert membership.agency == agency_a
    assert membership.team.name == "Child Exploitation"
    assert membership.role_codes == {Role.PRACTITIONER}
    assert membership.line_manager.email == "max.later@police.example"  # later in the file
    max_membership = User.objects.get(email="max.later@police.example").memberships.get()
    assert max_membership.role_codes == {Role.PRACTITIONER, Role.LINE_MANAGER}
    assert max_membership.team == membership.team
    assert Team.objects.filter(agency=agency_a, name="Child Exploitation").count() == 1
    tia = User.objects.get(email="tia.trainer@police.example").memberships.get()
    assert tia.line_manager == practitioner_a
    assert tia.team is None
    assert mail.outbox == []
    assert AuditEntry.objects.filter(action="people.user.created").count() >= 3
    assert AuditEntry.objects.filter(action="people.team.created").count() == 1
    summary = AuditEntry.objects.get(action="people.import.completed")
    assert summary.changes == {
        "kind": "people",
        "file_name": "people.csv",
        "rows": 3,
        "created": 3,
        "updated": 0,
        "rejected": 0,
        "teams_created": 1,
    }


def test_xlsx_people_file_imports(personas, agency_a):
    data = _xlsx(
        [
            ["Email", "Given name", "Family name", "Agency", "Roles"],
            [
                "Xia.Sheet@Police.example",
                "Xia",
                "Sheet",
                "Testshire Police",
                "Agency safeguarding lead",
            ],
        ]
    )
    admin = personas["admin"]
    response = _upload(admin, PEOPLE_URL, data, "people.xlsx")
    assert response.context["report"].is_valid
    _confirm(admin, PEOPLE_URL, response)
    user = User.objects.get(email="xia.sheet@police.example")
    assert user.memberships.get().role_codes == {Role.SAFEGUARDING_LEAD}


def test_bad_people_rows_are_reported_and_nothing_is_imported(personas, agency_a):
    content = (
        b"email,given_name,family_name,agency,roles,line_manager_email\n"
        b"ok.person@police.example,Ok,Person,Testshire Police,,\n"
        b"not-an-email,Bad,Email,Testshire Police,,\n"
        b"OK.PERSON@police.example,Dup,Licate,Testshire Police,,\n"
        b"lost.agency@police.example,Lost,Agency,Nowhere Agency,,\n"
        b"bad.role@police.example,Bad,Role,Testshire Police,practitioner; wizard,\n"
        b"lost.manager@police.example,Lost,Manager,Testshire Police,,nobody@police.example\n"
        b"self.manager@police.example,,Manager,Testshire Police,,self.manager@police.example\n"
    )
    users_before = User.objects.count()
    response = _upload(personas["admin"], PEOPLE_URL, content)
    body = response.content.decode()
    report = response.context["report"]
    assert report.counts() == {"rows": 7, "created": 1, "updated": 0, "rejected": 6}
    reasons = {row.number: " ".join(row.errors) for row in report.rejected}
    assert "“not-an-email” is not a valid e-mail address" in reasons[3]
    assert "ok.person@police.example is also on row 2" in reasons[4]
    assert "agency “Nowhere Agency” is not an agency" in reasons[5]
    assert "roles: “wizard” is not a role" in reasons[6]
    assert "nobody@police.example is not someone with an account" in reasons[7]
    assert "given_name is missing" in reasons[8]
    assert "cannot be their own line manager" in reasons[8]
    for number in reasons:
        assert f">{number}</th>" in body
    assert "Confirm import" not in body
    assert User.objects.count() == users_before
    assert not AuditEntry.objects.filter(action="people.import.completed").exists()


def test_reimporting_people_updates_instead_of_duplicating(
    personas, practitioner_a, line_manager_a, agency_b
):
    admin = personas["admin"]
    content = (
        b"email,given_name,family_name,agency,job_title,roles\n"
        b"PAUL.POLICE@police.example,Paul,Police,Testshire Police,Detective sergeant,\n"
        b"paul.police@police.example,Paul,Police,Testshire Community Health,Liaison,\n"
    )
    response = _upload(admin, PEOPLE_URL, content)
    # The same person twice is refused even for different agencies.
    assert response.context["report"].counts()["rejected"] == 1

    content = (
        b"email,given_name,family_name,agency,job_title,roles\n"
        b"PAUL.POLICE@police.example,Paul,Police,Testshire Police,Detective sergeant,\n"
    )
    users_before = User.objects.count()
    response = _upload(admin, PEOPLE_URL, content)
    report = response.context["report"]
    assert report.counts() == {"rows": 1, "created": 0, "updated": 1, "rejected": 0}
    assert "Job title: Detective constable → Detective sergeant" in response.content.decode()
    _confirm(admin, PEOPLE_URL, response)
    assert User.objects.count() == users_before
    membership = practitioner_a.memberships.get()
    assert membership.job_title == "Detective sergeant"
    assert membership.role_codes == {Role.PRACTITIONER}  # blank roles: unchanged
    assert membership.line_manager == line_manager_a  # blank line manager: unchanged
    assert AuditEntry.objects.filter(action="people.membership.updated").exists()
    assert AuditEntry.objects.get(action="people.import.completed").changes["updated"] == 1


def test_confirmation_checks_the_file_again(personas, agency_a):
    admin = personas["admin"]
    content = (
        b"email,given_name,family_name,agency\n"
        b"new.person@police.example,New,Person,Testshire Police\n"
    )
    response = _upload(admin, PEOPLE_URL, content)
    assert response.context["report"].is_valid
    services.agency_update(agency=agency_a, actor=None, is_active=False)
    response = _confirm(admin, PEOPLE_URL, response)
    assert response.status_code == 200
    assert "agency Testshire Police is inactive" in response.content.decode()
    assert "Confirm import" not in response.content.decode()
    assert not User.objects.filter(email="new.person@police.example").exists()


def test_a_failed_write_rolls_back_the_whole_import(partnership, admin, monkeypatch):
    table = imports.parse_table(AGENCIES_CSV.encode(), "agencies.csv")
    real_create = services.agency_create
    calls = []

    def failing_create(**kwargs):
        calls.append(kwargs["name"])
        if len(calls) == 2:
            raise ValidationError({"name": "Refused."})
        return real_create(**kwargs)

    monkeypatch.setattr(imports.services, "agency_create", failing_create)
    before = Agency.objects.count()
    with pytest.raises(imports.ImportFailed, match="Row 3: Refused."):
        imports.confirm_import(imports.AGENCIES, table, partnership, admin)
    assert Agency.objects.count() == before
    assert not AuditEntry.objects.filter(action="people.import.completed").exists()


def test_sample_files_import_cleanly(partnership, admin):
    agencies = imports.parse_table((SAMPLES / "agencies.csv").read_bytes(), "agencies.csv")
    report = imports.confirm_import(imports.AGENCIES, agencies, partnership, admin)
    assert report.imported, [row.errors for row in report.rejected]
    people = imports.parse_table((SAMPLES / "people.csv").read_bytes(), "people.csv")
    report = imports.confirm_import(imports.PEOPLE, people, partnership, admin)
    assert report.imported, [row.errors for row in report.rejected]
    assert report.counts()["created"] == 7


# Who may import --------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", [AGENCY_URL, PEOPLE_URL])
def test_only_business_unit_admins_may_import(personas, url_name):
    assert personas["admin"].get(reverse(url_name)).status_code == 200
    practitioner = personas["practitioner_a"]
    assert practitioner.get(reverse(url_name)).status_code == 403
    response = _upload(practitioner, url_name, AGENCIES_CSV.encode())
    assert response.status_code == 403
    response = personas["anonymous"].get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("people:sign-in"))


def test_anonymous_upload_is_redirected_and_imports_nothing(client, partnership):
    before = Agency.objects.count()
    response = _upload(client, AGENCY_URL, AGENCIES_CSV.encode())
    assert response.status_code == 302
    assert response.url.startswith(reverse("people:sign-in"))
    assert Agency.objects.count() == before


def test_line_manager_cannot_import(line_manager_a):
    from django.test import Client

    manager = signed_in(Client(), line_manager_a)
    assert manager.get(reverse(PEOPLE_URL)).status_code == 403
