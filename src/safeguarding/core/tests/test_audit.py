"""The audit trail: every write recorded, entries immutable, auditors can filter and export."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from safeguarding.core import audit
from safeguarding.core.models import AuditEntry
from safeguarding.people import services


@pytest.mark.django_db
def test_service_write_records_actor_action_object_changes_and_address(admin, agency_a):
    token = audit.set_client_address("192.0.2.7")
    try:
        services.agency_update(
            agency=agency_a, actor=admin, name="Testshire Constabulary", funds_partnership=True
        )
    finally:
        audit.reset_client_address(token)
    entry = AuditEntry.objects.filter(action="people.agency.updated").get()
    assert entry.actor == admin and entry.actor_email == admin.email
    assert entry.object_type == "people.agency" and entry.object_id == str(agency_a.pk)
    # funds_partnership was already true, so only the name changed
    assert entry.changes == {"name": ["Testshire Police", "Testshire Constabulary"]}
    assert entry.client_address == "192.0.2.7"
    assert entry.created_at is not None


@pytest.mark.django_db
def test_update_with_no_real_change_writes_nothing(admin, agency_a):
    before = AuditEntry.objects.count()
    services.agency_update(agency=agency_a, actor=admin, name=agency_a.name)
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_client_address_comes_from_the_request(personas, agency_a):
    personas["admin"].post(
        f"/agencies/{agency_a.pk}/edit/",
        {
            "name": "Renamed Police",
            "sector": "police",
            "email_domains": "police.example",
        },
        REMOTE_ADDR="198.51.100.4",
    )
    entry = AuditEntry.objects.get(action="people.agency.updated")
    assert entry.client_address == "198.51.100.4"


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted(admin):
    entry = audit.record(action="test.thing.done", actor=admin)
    entry.action = "test.thing.undone"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"


@pytest.mark.django_db
def test_admin_cannot_add_change_or_delete_entries(admin):
    admin.is_superuser = True
    request = RequestFactory().get("/admin/")
    request.user = admin
    model_admin = site._registry[AuditEntry]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


@pytest.mark.django_db
def test_read_of_a_child_level_record_is_recorded(practitioner_a, agency_a):
    entry = audit.record_read(obj=agency_a, actor=practitioner_a, purpose="test")
    assert entry.action == "people.agency.viewed"
    assert entry.actor == practitioner_a


@pytest.mark.django_db
def test_admin_site_changes_are_audited(personas, agency_a, admin):
    admin.is_staff = admin.is_superuser = True
    admin.save()
    response = personas["admin"].post(
        f"/admin/people/agency/{agency_a.pk}/change/",
        {
            "partnership": agency_a.partnership_id,
            "name": "Admin renamed",
            "sector": "police",
            "email_domains": '["police.example"]',
            "is_active": "on",
            "teams-TOTAL_FORMS": "0",
            "teams-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = AuditEntry.objects.get(action="people.agency.updated_in_admin")
    assert entry.changes["name"] == ["Testshire Police", "Admin renamed"]


@pytest.mark.django_db
def test_database_refuses_to_rewrite_entries_on_postgresql(admin):
    from django.db import DatabaseError, connection, transaction

    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger is PostgreSQL's; SQLite relies on the model guards")
    entry = audit.record(action="test.thing.done", actor=admin)
    for sql in [
        "UPDATE core_auditentry SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditentry WHERE id = %s",
    ]:
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).action == "test.thing.done"


@pytest.mark.django_db
def test_deleting_a_user_keeps_their_entries(admin, agency_a):
    services.agency_update(agency=agency_a, actor=admin, name="Renamed")
    entry = AuditEntry.objects.get(action="people.agency.updated")
    admin_id = admin.pk
    admin.memberships.all().delete()
    admin.delete()
    entry = AuditEntry.objects.get(pk=entry.pk)
    assert entry.actor_id == admin_id and entry.actor_email == "ada.admin@scp.example"
