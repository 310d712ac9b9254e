"""Recompute the audit trail's hash chain and report the first broken link."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError

from safeguarding.core import audit


class _Bar:
    """A one-line progress bar on a terminal; nothing otherwise (cron mail, logs)."""

    def __init__(self, stream, total: int, *, enabled: bool):
        self.stream, self.total, self.enabled = stream, max(total, 1), enabled
        self.done = 0
        self._shown = -1

    def __call__(self, n: int) -> None:
        self.done += n
        percent = min(100, self.done * 100 // self.total)
        if self.enabled and percent != self._shown:
            self._shown = percent
            filled = percent * 30 // 100
            self.stream.write(
                f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% "
                f"{self.done}/{self.total} entries"
            )
            self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._shown >= 0:
            self.stream.write("\n")
            self.stream.flush()


class Command(BaseCommand):
    help = (
        "Recompute the audit trail's hash chain in id order and report the first broken link "
        "(an entry deleted, moved, inserted or edited). Prints the number of entries and the "
        "last hash; exits with status 1 if the chain is broken, or if --anchor names a hash "
        "that is no longer in the chain (entries removed from the end, or the trail emptied)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--anchor",
            action="append",
            default=[],
            metavar="HASH",
            help="a last hash printed by an earlier run (keep them outside the database): "
            "it must still be in the chain; may be given more than once",
        )
        parser.add_argument(
            "--no-progress", action="store_true", help="no progress bar, even on a terminal"
        )

    def handle(self, *args, anchor, no_progress, **options):
        anchor = [a.strip() for a in anchor if a.strip()]  # an empty anchor file on the first run
        stream = sys.stderr
        bar = _Bar(
            stream,
            audit.chain_length(),
            enabled=not no_progress and hasattr(stream, "isatty") and stream.isatty(),
        )
        try:
            checked, last_hash, broken, seen = audit.verify_chain(progress=bar, anchors=anchor)
        finally:
            bar.close()
        if broken is not None:
            raise CommandError(
                f"The audit trail's chain is broken at entry {broken.entry_id} "
                f"(position {broken.position} in id order): {broken.reason}. "
                f"The {broken.position - 1} entries before it are intact.",
                returncode=1,
            )
        missing = [h for h in anchor if h not in seen]
        if missing:
            raise CommandError(
                f"The chain of {checked} entries is intact but no longer contains "
                f"{', '.join(missing)}: entries were removed from its end.",
                returncode=1,
            )
        self.stdout.write(f"The audit trail's chain is intact: {checked} entries.")
        self.stdout.write(f"Last hash: {last_hash or '(none: the trail is empty)'}")
