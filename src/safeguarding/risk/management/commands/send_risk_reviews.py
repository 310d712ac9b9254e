"""Remind practitioners of their risk identification reviews that are due or overdue."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from safeguarding.risk.services.reviews import review_reminders_send


class Command(BaseCommand):
    help = (
        "E-mail each practitioner once about every open review of their risk identifications "
        "that is due within --days days or overdue (the e-mail gives the reference and a link, "
        "never names). Idempotent: a reminded review is marked, so the command can run daily "
        "(schedule it once a day, e.g. from cron or a systemd timer). Each reminder is an "
        "audit entry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=7, help="Remind this many days ahead (default 7)."
        )
        parser.add_argument(
            "--today", help="Run as if today were this date (YYYY-MM-DD), for testing."
        )

    def handle(self, *args, days: int, today: str | None, **options):
        if days < 0:
            raise CommandError("--days must be 0 or more.")
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError("--today must be a date as YYYY-MM-DD.") from None
        sent = review_reminders_send(today=day, days_ahead=days)
        self.stdout.write(self.style.SUCCESS(f"{sent} review reminder(s) sent."))
