"""Generate synthetic partnerships at county or region scale, for load and performance testing."""

from __future__ import annotations

import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safeguarding.people.demo_data import COUNTIES, MIN_AGENCIES, SCALES, generate_synthetic


class Command(BaseCommand):
    help = (
        "Generate synthetic partnerships: --scale county is one county (~600 agencies including "
        "~250 schools and ~80 GP practices, ~20,000 practitioners); --scale region is five "
        "counties (~100,000 practitioners); --scale test is a small county for the test suite. "
        "The same --seed gives the same people. Synthetic counties never clash with load_demo; "
        "run it on a fresh database (a county that already exists is refused). One audit entry "
        "summarises the run."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=sorted(SCALES),
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
            help=f"Override the number of counties (1-{len(COUNTIES)}).",
        )
        parser.add_argument(
            "--agencies-per-county",
            type=int,
            default=None,
            help=f"Override the agencies per county (at least {MIN_AGENCIES}).",
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

    def handle(
        self,
        *args,
        scale,
        seed,
        counties,
        agencies_per_county,
        practitioners_per_county,
        batch_size,
        **options,
    ):
        default_counties, default_agencies, default_people = SCALES[scale]
        counties = counties or default_counties
        agencies = agencies_per_county or default_agencies
        people = practitioners_per_county or default_people
        if not 1 <= counties <= len(COUNTIES):
            raise CommandError(f"--counties must be between 1 and {len(COUNTIES)}.")
        if agencies < MIN_AGENCIES:
            raise CommandError(f"--agencies-per-county must be at least {MIN_AGENCIES}.")
        if people < 4 * agencies:
            raise CommandError("--practitioners-per-county must be at least 4 per agency.")
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

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
        total = {k: sum(row[k] for row in summary) for k in keys[1:]}
        self.stdout.write(
            self.style.SUCCESS(
                f"Total: {total['agencies']:,} agencies, {total['teams']:,} teams, "
                f"{total['practitioners']:,} practitioners, {total['role_grants']:,} role grants "
                f"in {elapsed:.1f} s"
            )
        )
