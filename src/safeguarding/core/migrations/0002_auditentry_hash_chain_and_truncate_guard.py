"""Chain the audit entries (each stores its predecessor's hash and its own) and, on PostgreSQL,
refuse TRUNCATE of the audit table.

Existing entries are chained in id order here; on PostgreSQL the append-only trigger is lifted for
that, inside this migration's transaction only, by the role that runs migrations (the owner).

TRUNCATE is refused unless the session has set `safeguarding.allow_audit_truncate = on` AND the
current role is (a member of) the table's owner: the test suite's flush between transactional tests
and an operator's deliberate `manage.py flush` (see docs/operations.md). The runtime role owns
nothing and holds no TRUNCATE privilege, so the setting gives it nothing.
"""

import django.utils.timezone
from django.db import migrations, models

TRUNCATE_GUARD = """
CREATE OR REPLACE FUNCTION core_auditentry_no_truncate() RETURNS trigger AS $$
BEGIN
    IF current_setting('safeguarding.allow_audit_truncate', true) = 'on'
       AND pg_has_role(current_user,
                       (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER') THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'the audit trail cannot be truncated'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditentry_no_truncate
    BEFORE TRUNCATE ON core_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION core_auditentry_no_truncate();
"""
DROP_TRUNCATE_GUARD = """
DROP TRIGGER IF EXISTS core_auditentry_no_truncate ON core_auditentry;
DROP FUNCTION IF EXISTS core_auditentry_no_truncate();
"""


def chain_existing(apps, schema_editor):
    from safeguarding.core.audit import entry_digest

    AuditEntry = apps.get_model("core", "AuditEntry")
    postgres = schema_editor.connection.vendor == "postgresql"
    if not AuditEntry.objects.exists():
        return
    if postgres:
        schema_editor.execute(
            "ALTER TABLE core_auditentry DISABLE TRIGGER core_auditentry_append_only"
        )
    previous = ""
    for entry in AuditEntry.objects.order_by("id").iterator():
        entry.previous_hash = previous
        entry.entry_hash = previous = entry_digest(entry)
        # The historical model has no guards; the queryset update is a plain UPDATE.
        AuditEntry.objects.filter(pk=entry.pk).update(
            previous_hash=entry.previous_hash, entry_hash=entry.entry_hash
        )
    if postgres:
        schema_editor.execute(
            "ALTER TABLE core_auditentry ENABLE TRIGGER core_auditentry_append_only"
        )


def guard_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_GUARD)


def unguard_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRUNCATE_GUARD)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="auditentry",
            name="created_at",
            field=models.DateTimeField(
                db_index=True, default=django.utils.timezone.now, editable=False
            ),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="previous_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.AddField(
            model_name="auditentry",
            name="entry_hash",
            field=models.CharField(blank=True, editable=False, max_length=64),
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.RunPython(guard_truncate, unguard_truncate),
    ]
