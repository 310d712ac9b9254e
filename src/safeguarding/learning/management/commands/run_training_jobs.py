from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from safeguarding.learning.selectors.booking import sessions_due_reminder
from safeguarding.learning.services.sessions import session_remind
from safeguarding.learning.services.waiting_list import expire_offers


class Command(BaseCommand):
    help = (
        "The training programme's timed jobs. Run it every 15 minutes from cron, for example "
        "'*/15 * * * * cd /srv/safeguarding && .venv/bin/python manage.py run_training_jobs'. "
        "It (1) expires waiting-list offers not taken up within LEARNING_OFFER_HOURS (default 48 "
        "hours) and offers each place to the next person waiting, and (2) e-mails a reminder, "
        "with the calendar file and joining instructions, to everyone with a confirmed place on "
        "a session starting within LEARNING_REMINDER_DAYS days (default 3). Every session is "
        "reminded once, so running it again, or twice at the same time, sends nothing twice. "
        "Each change is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reminder-days",
            type=int,
            default=settings.LEARNING_REMINDER_DAYS,
            help="Remind people of sessions starting within this many days "
            "(default LEARNING_REMINDER_DAYS).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Never show a progress bar.")

    def handle(self, *args, reminder_days: int, no_progress: bool, **options):
        if reminder_days < 1:
            raise CommandError("--reminder-days must be at least 1.")
        now = timezone.now()
        expired = expire_offers(now=now)
        self.stdout.write(f"{expired} waiting-list offer(s) expired and passed on.")

        sessions = list(sessions_due_reminder(now=now, days=reminder_days))
        show_progress = not no_progress and self.stdout.isatty()
        sent = 0
        for session in tqdm(
            sessions,
            desc="Reminders",
            unit="session",
            disable=not show_progress,
        ):
            sent += session_remind(session=session, now=now)
        self.stdout.write(
            self.style.SUCCESS(f"{sent} reminder(s) sent for {len(sessions)} session(s).")
        )
