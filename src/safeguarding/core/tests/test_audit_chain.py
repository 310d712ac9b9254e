"""The audit trail is tamper-evident: entries form a hash chain that `verify_audit` recomputes,
and on PostgreSQL the database refuses TRUNCATE. The tampering tests act as someone who owns the
table (on PostgreSQL they lift the table's triggers first, as an owner can): the point of the
chain is that even they cannot remove, move or edit an entry unnoticed."""

from __future__ import annotations

import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, connections, transaction

from safeguarding.core import audit
from safeguarding.core.models import AuditEntry


def _as_table_owner(sql: str, params=()) -> None:
    """Run SQL on the audit table as its owner would, with the append-only trigger lifted."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditentry ENABLE TRIGGER USER")


def _five(actor) -> list[AuditEntry]:
    return [
        audit.record(action=f"test.thing.step{i}", actor=actor, changes={"n": [i, i + 1]})
        for i in range(5)
    ]


def _verify(*args) -> str:
    out = StringIO()
    call_command("verify_audit", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _broken(*args) -> str:
    with pytest.raises(CommandError) as caught:
        _verify(*args)
    assert caught.value.returncode == 1
    return str(caught.value)


@pytest.mark.django_db
def test_each_entry_stores_the_previous_hash_and_its_own(admin):
    entries = _five(admin)
    first = AuditEntry.objects.order_by("id").first()
    assert first.previous_hash == ""
    for before, after in zip(entries, entries[1:], strict=False):
        assert after.previous_hash == before.entry_hash
        assert len(after.entry_hash) == 64
    for entry in entries:
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert stored.entry_hash == entry.entry_hash == audit.entry_digest(stored)


@pytest.mark.django_db
def test_verify_audit_reports_an_intact_chain(admin):
    entries = _five(admin)
    out = _verify()
    assert f"intact: {AuditEntry.objects.count()} entries" in out
    assert f"Last hash: {entries[-1].entry_hash}" in out
    assert "intact" in _verify("--anchor", entries[2].entry_hash)
    assert "intact" in _verify("--anchor", "")  # the first run of the crontab: no anchor kept yet


@pytest.mark.django_db
def test_verify_audit_detects_a_deleted_entry(admin):
    entries = _five(admin)
    _as_table_owner("DELETE FROM core_auditentry WHERE id = %s", [entries[2].pk])
    message = _broken()
    assert f"broken at entry {entries[3].pk}" in message
    assert "predecessor" in message


@pytest.mark.django_db
def test_verify_audit_detects_reordered_entries(admin):
    entries = _five(admin)
    a, b = entries[1].pk, entries[3].pk
    _as_table_owner("UPDATE core_auditentry SET id = -1 WHERE id = %s", [a])
    _as_table_owner("UPDATE core_auditentry SET id = %s WHERE id = %s", [a, b])
    _as_table_owner("UPDATE core_auditentry SET id = %s WHERE id = -1", [b])
    assert f"broken at entry {a}" in _broken()


@pytest.mark.django_db
def test_verify_audit_detects_an_edited_entry(admin):
    entries = _five(admin)
    _as_table_owner(
        "UPDATE core_auditentry SET object_repr = 'nothing to see' WHERE id = %s",
        [entries[4].pk],
    )
    message = _broken()
    assert f"broken at entry {entries[4].pk}" in message
    assert "content does not match" in message


@pytest.mark.django_db
def test_verify_audit_detects_entries_removed_from_the_end_with_an_anchor(admin):
    entries = _five(admin)
    _as_table_owner("DELETE FROM core_auditentry WHERE id >= %s", [entries[3].pk])
    assert "intact" in _verify()  # the chain alone cannot see a shortened end...
    message = _broken("--anchor", entries[4].entry_hash)  # ...a hash kept elsewhere can
    assert entries[4].entry_hash in message


def test_verify_audit_has_help():
    out = StringIO()
    with pytest.raises(SystemExit):
        call_command("verify_audit", "--help", stdout=out)


@pytest.mark.django_db
def test_progress_bar_only_on_a_terminal(admin):
    _five(admin)

    class Terminal(StringIO):
        def isatty(self):
            return True

    from safeguarding.core.management.commands import verify_audit

    terminal = Terminal()
    bar = verify_audit._Bar(terminal, AuditEntry.objects.count(), enabled=True)
    audit.verify_chain(progress=bar)
    bar.close()
    assert "100%" in terminal.getvalue()
    plain = StringIO()
    bar = verify_audit._Bar(plain, 5, enabled=False)
    audit.verify_chain(progress=bar)
    assert plain.getvalue() == ""


@pytest.mark.django_db
def test_postgresql_refuses_truncate_of_the_audit_table(admin):
    if connection.vendor != "postgresql":
        pytest.skip("the TRUNCATE trigger is PostgreSQL's")
    entry = audit.record(action="test.thing.done", actor=admin)
    with (
        pytest.raises(DatabaseError, match="cannot be truncated"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test connections allow the flush between transactional tests; switch it off.
        cursor.execute("SET LOCAL safeguarding.allow_audit_truncate = off")
        cursor.execute("TRUNCATE core_auditentry")
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_on_postgresql_make_one_chain(admin):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time")
    start = threading.Barrier(6)
    errors: list[BaseException] = []

    def write(n: int) -> None:
        try:
            start.wait()
            for i in range(8):
                with transaction.atomic():
                    audit.record(action=f"test.writer{n}.step{i}")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    checked, _, broken, _ = audit.verify_chain()
    assert broken is None
    assert checked == AuditEntry.objects.count() >= 48


@pytest.mark.django_db(transaction=True)
def test_the_app_runs_as_a_least_privilege_role_that_cannot_lift_the_guards(admin, agency_a):
    """The runtime role of docs/operations.md: writes and audits, but cannot truncate, alter or
    disable the audit table's triggers, nor switch replication mode."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles are PostgreSQL's")
    import uuid

    from safeguarding.people import services

    role = f"runtime_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {role} LOGIN")
    owner = connection.settings_dict["USER"]
    try:
        call_command("grant_runtime_role", role, stdout=StringIO())
        connection.close()
        connection.settings_dict["USER"] = role
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            assert cursor.fetchone()[0] == role
        services.agency_update(agency=agency_a, actor=admin, name="Runtime Police")
        entry = AuditEntry.objects.get(action="people.agency.updated")
        assert entry.changes["name"][1] == "Runtime Police"
        for sql in [
            "TRUNCATE core_auditentry",
            "ALTER TABLE core_auditentry DISABLE TRIGGER USER",
            "ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only",
            "ALTER TABLE core_auditentry ADD COLUMN note text",
            "SET session_replication_role = replica",
            "UPDATE core_auditentry SET action = 'x'",
            "DELETE FROM core_auditentry",
        ]:
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
                cur.execute(sql)
        assert AuditEntry.objects.get(pk=entry.pk).action == "people.agency.updated"
        assert audit.verify_chain()[2] is None
    finally:
        connection.close()
        connection.settings_dict["USER"] = owner
        with connection.cursor() as cursor:
            cursor.execute(f"DROP OWNED BY {role}")
            cursor.execute(f"DROP ROLE {role}")


def test_grant_runtime_role_prints_its_sql():
    from safeguarding.core.management.commands.grant_runtime_role import grant_statements

    statements = grant_statements("app_runtime")
    revoke = [s for s in statements if s.startswith("REVOKE")]
    assert revoke == [
        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "core_auditentry" '
        'FROM "app_runtime"'
    ]


@pytest.mark.django_db
def test_hashes_survive_the_database_round_trip(admin, agency_a):
    """What the database gives back (jsonb reorders keys, inet normalises addresses, times come
    back in UTC) hashes the same as what was written."""
    import datetime

    for address in ["192.0.2.7", "2001:db8::1", "::ffff:192.0.2.1", None]:
        token = audit.set_client_address(address)
        try:
            audit.record(
                action="test.thing.done",
                obj=agency_a,
                actor=admin,
                changes={
                    "zeta": 1.5,
                    "alpha": {"z": "é \u2014 ✓", "y": [1, "x", None, True]},
                    "when": datetime.date(2026, 12, 5),
                    "big": 2**60,
                },
            )
        finally:
            audit.reset_client_address(token)
    checked, _, broken, _ = audit.verify_chain()
    assert broken is None and checked >= 4
