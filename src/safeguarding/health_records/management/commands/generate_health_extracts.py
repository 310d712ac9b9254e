"""Write synthetic GP and health visiting extracts, and the truth, for testing the linkage."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safeguarding.health_records.linkage.generate import LOCAL_MOVES, REFERENCE_DATE, generate


class Command(BaseCommand):
    help = (
        "Write DIR/gp_extract.csv, DIR/hv_extract.csv and DIR/truth.csv for N synthetic "
        "under-fives: most on both lists, some on one only, with missing and mistyped NHS "
        "numbers (999 test range only), nicknames and transliterations, changed and "
        "double-barrelled surnames, transposed and near dates of birth, moves, twins and "
        "triplets, and second GP registrations. The same --seed gives the same files."
    )

    def add_arguments(self, parser):
        parser.add_argument("--children", type=int, required=True, help="Number of children.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument("--out", type=Path, required=True, help="Output directory.")
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=REFERENCE_DATE,
            help=f"Extract date; children are under five on it (default {REFERENCE_DATE}).",
        )
        parser.add_argument(
            "--local-moves",
            type=float,
            default=LOCAL_MOVES,
            help="Share of house moves and second registrations at another address that stay "
            f"in the same locality (0-1, default {LOCAL_MOVES}); 0 moves children anywhere.",
        )

    def handle(self, *args, children, seed, out, as_of, local_moves, **options):
        if not 0 <= local_moves <= 1:
            raise CommandError("--local-moves must be between 0 and 1.")
        disable = not sys.stderr.isatty()
        bar = tqdm(total=children, unit="children", file=sys.stderr, disable=disable)
        try:
            counts = generate(
                children, seed, out, as_of=as_of, progress=bar.update, local_moves=local_moves
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self.stdout.write(
            f"{counts['children']:,} children: {counts['both']:,} on both lists, "
            f"{counts['gp_only']:,} GP only, {counts['hv_only']:,} health visiting only, "
            f"{counts['twins']:,} twins or triplets, {counts['duplicates']:,} second GP "
            f"registrations. {counts['gp_records']:,} GP and {counts['hv_records']:,} health "
            f"visiting records written to {out}"
        )
