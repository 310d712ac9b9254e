from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safeguarding.people.services import deactivate_unused_accounts, unused_accounts


class Command(BaseCommand):
    help = (
        "Deactivate accounts that have not signed in for a while (default ACCOUNT_INACTIVITY_DAYS, "
        "180 days). Accounts never used count from their creation. Each deactivation is audited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.ACCOUNT_INACTIVITY_DAYS,
            help="Deactivate after this many days without a sign-in.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="List the accounts without deactivating them."
        )

    def handle(self, *args, days: int, dry_run: bool, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        if dry_run:
            for user in unused_accounts(days=days):
                self.stdout.write(f"would deactivate {user.email}")
            return
        done = deactivate_unused_accounts(days=days)
        for user in done:
            self.stdout.write(f"deactivated {user.email}")
        self.stdout.write(self.style.SUCCESS(f"{len(done)} account(s) deactivated."))
