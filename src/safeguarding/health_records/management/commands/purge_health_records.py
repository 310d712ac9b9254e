"""Retention: delete uploaded extracts and named results older than N days, keeping aggregates."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from safeguarding.health_records.services.retention import purge_expired, retention_days


class Command(BaseCommand):
    help = (
        "Delete the uploaded extracts, output files and named details (review pairs, worklist "
        "items, import problem rows) of linkage runs older than --days (default "
        "HEALTH_RECORDS_RETENTION_DAYS, 30). Run and import counts, breakdowns, review "
        "decisions and worklist outcomes are kept. Worklist items a later run has refreshed are "
        "kept until that run expires. Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Keep this many days.")

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        kept = retention_days() if days is None else days
        totals = purge_expired(days=kept)
        self.stdout.write(
            f"Purged {totals['runs']} run(s) older than {kept} days: {totals['files']} extract "
            f"file(s), {totals['problems']} import problem row(s), {totals['review_pairs']} "
            f"review pair(s) and {totals['worklist_items']} worklist item(s) made anonymous."
        )
