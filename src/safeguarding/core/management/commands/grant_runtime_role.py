"""Grant a least-privilege PostgreSQL role what the running application needs, and no more.

Run as the role that owns the tables (the one that runs migrations), after every `migrate`:
the runtime role owns nothing, so it cannot ALTER, DISABLE TRIGGER on or TRUNCATE any table,
and it may only read and append to the audit trail.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from safeguarding.core.models import AuditEntry


def grant_statements(role: str) -> list[str]:
    quote = connection.ops.quote_name
    role_q, audit = quote(role), quote(AuditEntry._meta.db_table)
    return [
        f"GRANT USAGE ON SCHEMA public TO {role_q}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role_q}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {audit} FROM {role_q}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role_q}",
    ]


class Command(BaseCommand):
    help = (
        "PostgreSQL: grant an existing login ROLE (one that owns nothing) SELECT, INSERT, UPDATE "
        "and DELETE on every table except UPDATE and DELETE on the audit trail, and USAGE on the "
        "sequences. Run it as the owner role after every migrate; --print shows the SQL instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("role", help="the runtime role (create it first: CREATE ROLE … LOGIN)")
        parser.add_argument(
            "--print", action="store_true", help="print the SQL instead of running it"
        )

    def handle(self, *args, role, print, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Runtime roles are PostgreSQL's; SQLite has no users.")
        statements = grant_statements(role)
        if print:
            self.stdout.write(";\n".join(statements) + ";")
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper, EXISTS (SELECT 1 FROM pg_class c WHERE c.relowner = r.oid) "
                "FROM pg_roles r WHERE r.rolname = %s",
                [role],
            )
            row = cursor.fetchone()
        if row is None:
            raise CommandError(f"There is no role {role!r}: create it first.")
        if row[0] or row[1]:
            raise CommandError(
                f"{role!r} is a superuser or owns tables: the runtime role must own nothing."
            )
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"Granted {role!r} the runtime privileges.")
