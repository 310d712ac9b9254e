"""Load a partnership's own version of a risk instrument (e.g. its licensed wording)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from safeguarding.people.models import Partnership
from safeguarding.risk.instruments import InstrumentError
from safeguarding.risk.services.instruments import instrument_version_load


class Command(BaseCommand):
    help = (
        "Validate an instrument file (YAML or JSON, in the shipped files' format: see "
        "src/safeguarding/risk/instruments/) and store it as a new version of that instrument "
        "for one partnership. Its version must be higher than every version the partnership "
        "already has; new identifications then use it, and earlier ones keep theirs. "
        "A file that does not validate is refused with a message naming the file and the "
        "problem, and nothing is stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the instrument file.")
        parser.add_argument(
            "--partnership",
            help="The partnership's name (needed only when there is more than one).",
        )
        parser.add_argument(
            "--check", action="store_true", help="Validate the file only; store nothing."
        )

    def handle(self, *args, file: str, partnership: str | None, check: bool, **options):
        if partnership:
            try:
                target = Partnership.objects.get(name=partnership)
            except Partnership.DoesNotExist:
                raise CommandError(f"There is no partnership called {partnership!r}.") from None
        else:
            partnerships = list(Partnership.objects.all()[:2])
            if len(partnerships) != 1:
                raise CommandError("Name the partnership with --partnership.")
            target = partnerships[0]
        path = Path(file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{file}: cannot be read: {error}") from None
        try:
            if check:
                from safeguarding.risk.instruments import parse_instrument

                inst = parse_instrument(text, str(path))
                self.stdout.write(self.style.SUCCESS(f"{file}: valid ({inst})."))
                return
            version = instrument_version_load(
                partnership=target, filename=str(path), text=text, actor=None
            )
        except InstrumentError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Loaded {version.code} version {version.version} for {target}.")
        )
