"""Load (or refresh) the demo partnership and print its sign-in accounts with new passwords."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from safeguarding.core import demo

NOTE = """\
Two-factor sign-in: every account above already has an authenticator set up, so each is asked
for a 6-digit code after its password (roles that see records about children, or decide who
does, cannot turn it off). Add the account's key to any
authenticator app (enter it by hand: time-based, 30 seconds, 6 digits), or print the current code
with `oathtool --totp -b KEY`. The keys stay the same from one run to the next; the passwords are
new every time load_demo runs. All people, e-mail addresses and passwords are synthetic."""


class Command(BaseCommand):
    help = (
        "Load the demo partnership (a Cambridgeshire-like LSCB in 2013/14: 4 localities, about 40 "
        "partner agencies, about 1,000 synthetic practitioners). Idempotent: running it again "
        "adds nothing twice. Every run sets new random passwords for the demo sign-in accounts "
        "and prints them with each account's authenticator key."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        result = demo.load_ground_demo(
            progress_factory=lambda total: tqdm(
                total=total,
                desc="Practitioners",
                unit="people",
                delay=1.0,
                file=sys.stderr,
                leave=False,
            )
        )
        elapsed = time.monotonic() - started
        totals, created = result.totals, result.created
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo partnership: {result.partnership} ({result.partnership.area}, 2013/14)"
            )
        )
        self.stdout.write(
            f"  {totals['localities']} localities, {totals['agencies']} agencies, "
            f"{totals['teams']} teams, {totals['people']:,} people "
            f"({totals['trainers']} in the training pool)"
        )
        self.stdout.write(
            f"  added this run: {created['agencies']} agencies, {created['teams']} teams, "
            f"{created['users']:,} people, {created['role_grants']:,} role grants "
            f"({elapsed:.1f} s)"
        )
        # Then each other app's `demo.load(partnership, stdout)`, in app order.
        demo.load_app_demos(result.partnership, self.stdout)
        self.stdout.write("")
        self.stdout.write("Demo sign-in accounts (new passwords on every run):")
        self.stdout.write("")
        rows = [("role", "e-mail", "password", "authenticator key (TOTP)")]
        rows += [(a.persona.label, a.user.email, a.password, a.totp_key) for a in result.accounts]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        for n, row in enumerate(rows):
            line = "  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row[:3]))
            self.stdout.write(f"  {line}  {row[3]}")
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in [*widths, len(row[3])]))
        self.stdout.write("")
        self.stdout.write(NOTE)
