"""Generate synthetic partnerships at county or region scale, for load and performance testing."""

from __future__ import annotations

import argparse
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from tqdm import tqdm

from safeguarding.core.demo import (
    HISTORY_FIRST_YEAR,
    HISTORY_YEARS,
    generate_synthetic,
    ground_module,
)


class Command(BaseCommand):
    help = (
        "Generate synthetic partnerships: --scale county is one county (~600 agencies including "
        "~250 schools and ~80 GP practices, ~20,000 practitioners); --scale region is five "
        "counties (~100,000 practitioners); --scale test is a small county for the test suite. "
        "The same --seed gives the same people. Synthetic counties never clash with load_demo; "
        "run it on a fresh database (a county that already exists is refused). One audit entry "
        "summarises the run. Unless --no-training is given, each county also gets --years "
        "financial years of history from every app that has a synthetic.generate (the training "
        "programme: ~60 courses a year led by the training pool, about half a booking per "
        "practitioner a year with registers, cancellations, waiting lists and walk-ins, "
        "evaluations, practice groups and a conference a year; a county gets ~100,000 bookings "
        "over ten years)."
    )

    def add_arguments(self, parser):
        ground = ground_module("synthetic")  # people: its scales, counties and minimums
        parser.add_argument(
            "--scale",
            choices=sorted(ground.SCALES),
            default="county",
            help="county (default), region (five counties) or test (tiny).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed; the same seed gives the same data (default 1).",
        )
        parser.add_argument(
            "--counties",
            type=int,
            default=None,
            help=f"Override the number of counties (1-{len(ground.COUNTIES)}).",
        )
        parser.add_argument(
            "--agencies-per-county",
            type=int,
            default=None,
            help=f"Override the agencies per county (at least {ground.MIN_AGENCIES}).",
        )
        parser.add_argument(
            "--practitioners-per-county",
            type=int,
            default=None,
            help="Override the practitioners per county.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=2000, help="Rows per bulk insert (default 2000)."
        )
        parser.add_argument(
            "--training",
            action=argparse.BooleanOptionalAction,
            default=True,
            help="Add the years of training history (default) or, with --no-training, write "
            "the people only.",
        )
        parser.add_argument(
            "--years",
            type=int,
            default=HISTORY_YEARS,
            help=f"Financial years of history (default {HISTORY_YEARS}).",
        )
        parser.add_argument(
            "--first-year",
            type=int,
            default=HISTORY_FIRST_YEAR,
            help=f"The history starts in April of this year (default {HISTORY_FIRST_YEAR}, so that "
            "every year has ended and the same seed gives the same data; a decade that reaches "
            "today also has sessions still to come, open for booking).",
        )

    def handle(
        self,
        *args,
        scale,
        seed,
        counties,
        agencies_per_county,
        practitioners_per_county,
        batch_size,
        training,
        years,
        first_year,
        **options,
    ):
        ground = ground_module("synthetic")
        default_counties, default_agencies, default_people = ground.SCALES[scale]
        counties = counties or default_counties
        agencies = agencies_per_county or default_agencies
        people = practitioners_per_county or default_people
        if not 1 <= counties <= len(ground.COUNTIES):
            raise CommandError(f"--counties must be between 1 and {len(ground.COUNTIES)}.")
        if agencies < ground.MIN_AGENCIES:
            raise CommandError(f"--agencies-per-county must be at least {ground.MIN_AGENCIES}.")
        if people < 4 * agencies:
            raise CommandError("--practitioners-per-county must be at least 4 per agency.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        if not 1 <= years <= 50:
            raise CommandError("--years must be between 1 and 50.")
        if not 1990 <= first_year <= timezone.localdate().year:
            raise CommandError("--first-year must be between 1990 and this year.")

        started = time.monotonic()
        progress = tqdm(total=counties * people, unit="people", file=sys.stderr, dynamic_ncols=True)
        try:
            summary = generate_synthetic(
                seed=seed,
                counties=counties,
                agencies=agencies,
                practitioners=people,
                batch_size=batch_size,
                progress=progress,
                scale=scale,
                history={"first_year": first_year, "years": years} if training else None,
                history_progress_factory=lambda total, area: tqdm(
                    total=total,
                    desc=f"{area} training",
                    unit="year",
                    file=sys.stderr,
                    dynamic_ncols=True,
                    leave=False,
                ),
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        finally:
            progress.close()
        elapsed = time.monotonic() - started

        header = ("county", "localities", "agencies", "teams", "practitioners", "role grants")
        keys = ("county", "localities", "agencies", "teams", "practitioners", "role_grants")
        rows = [header] + [
            tuple(f"{row[k]:,}" if k != "county" else row[k] for k in keys) for row in summary
        ]
        widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
        self.stdout.write(f"Synthetic data, scale {scale}, seed {seed}:")
        for row in rows:
            self.stdout.write(
                "  "
                + "  ".join(
                    cell.ljust(w) if i == 0 else cell.rjust(w)
                    for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                )
            )
        if training:
            self.stdout.write(
                f"Training, April {first_year} to March {first_year + years} "
                f"({years} financial years):"
            )
            for row in summary:
                made = row["history"]
                self.stdout.write(
                    f"  {row['county']}: {made.get('course', 0):,} courses and conferences, "
                    f"{made.get('session', 0):,} sessions, {made.get('booking', 0):,} bookings, "
                    f"{made.get('waitinglistentry', 0):,} waiting-list entries, "
                    f"{made.get('evaluationresponse', 0):,} evaluations, "
                    f"{made.get('practicegroupmeeting', 0):,} practice group meetings "
                    f"({made.get('practicegroupattendance', 0):,} attendances)"
                )
        total = {k: sum(row[k] for row in summary) for k in keys[1:]}
        bookings = sum(row.get("history", {}).get("booking", 0) for row in summary)
        self.stdout.write(
            self.style.SUCCESS(
                f"Total: {total['agencies']:,} agencies, {total['teams']:,} teams, "
                f"{total['practitioners']:,} practitioners, {total['role_grants']:,} role grants, "
                f"{bookings:,} bookings in {elapsed:.1f} s"
            )
        )
