"""E-mail attendees a link to their evaluation: straight after the session and 6 to 8 weeks on."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand
from django.utils import timezone
from tqdm import tqdm

from safeguarding.learning.models import Questionnaire
from safeguarding.learning.selectors import evaluation as selectors
from safeguarding.learning.services.evaluation import evaluation_invitations_send


class Command(BaseCommand):
    help = (
        "E-mail everyone marked as attended a link to evaluate their session: once the session "
        "has ended (the immediate evaluation, for sessions that ended in the last 6 weeks) and "
        "again 42 to 56 days later (the follow-up on impact on practice). Only sessions whose "
        "register has been marked are included. "
        "Idempotent: each session's invitations go once per stage (recorded in the session's "
        "evaluation_sent_at and follow_up_sent_at), so the command can run every day. Each "
        "session invited is one audit entry."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--stage",
            choices=[*selectors.STAGES, "all"],
            default="all",
            help="Send only the immediate or only the follow-up invitations (default: both).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the sessions that are due, without sending or recording anything.",
        )

    def handle(self, *args, stage: str, dry_run: bool, **options):
        now = timezone.now()
        stages = selectors.STAGES if stage == "all" else (stage,)
        for current in stages:
            label = Questionnaire.Stage(current).label.lower()
            sessions = list(selectors.sessions_due_for_invitations(stage=current, now=now))
            if dry_run:
                for session in sessions:
                    people = selectors.attendees_to_invite(session, current).count()
                    self.stdout.write(f"would invite {people} to evaluate {session} ({label})")
                continue
            sent = 0
            # tqdm shows a bar on a terminal only (disable=None) and writes to stderr.
            for session in tqdm(
                sessions,
                desc=f"Sessions ({current})",
                unit="session",
                file=sys.stderr,
                disable=None,
                leave=False,
            ):
                sent += evaluation_invitations_send(session=session, stage=current, now=now)
            self.stdout.write(
                self.style.SUCCESS(
                    f"{label.capitalize()}: {sent} invitation(s) sent for "
                    f"{len(sessions)} session(s)."
                )
            )
