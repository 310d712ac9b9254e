"""Link a GP registration extract to a health visiting caseload extract."""

from __future__ import annotations

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from safeguarding.health_records.linkage import (
    ExtractRefused,
    LinkageSettings,
    link,
    read_extract,
    write_outputs,
)


class Command(BaseCommand):
    help = (
        "Link a GP registration extract (--gp) to a health visiting caseload extract (--hv), CSV "
        "or XLSX, with Splink. Writes DIR/matches.csv (gp_record_id, hv_record_id, "
        "match_probability, match_status match|review, reason), DIR/gp_not_known_to_hv.csv, "
        "DIR/hv_not_registered_with_gp.csv and DIR/summary.json (import reports, counts, timings, "
        "peak memory and the trained model). --save also stores the run in the platform. A file "
        "with missing columns, no records or an unreadable encoding is refused and nothing is "
        "written."
    )

    def add_arguments(self, parser):
        parser.add_argument("--gp", required=True, type=Path, help="GP registration extract.")
        parser.add_argument("--hv", required=True, type=Path, help="Health visiting caseload.")
        parser.add_argument("--out", required=True, type=Path, help="Directory for the outputs.")
        parser.add_argument(
            "--backend",
            choices=["duckdb", "spark"],
            default="duckdb",
            help="duckdb (default, one machine) or spark (national scale).",
        )
        parser.add_argument(
            "--spark-master",
            default=None,
            help="Spark master URL for a cluster (default: local mode on this machine).",
        )
        parser.add_argument(
            "--match-threshold",
            type=float,
            default=0.95,
            help="Pairs at or above this probability are matches (default 0.95).",
        )
        parser.add_argument(
            "--review-threshold",
            type=float,
            default=0.50,
            help="Pairs from here up to the match threshold go to a person to review "
            "(default 0.50).",
        )
        parser.add_argument(
            "--save", action="store_true", help="Also store the run, its pairs and worklist."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, gp, hv, out, backend, spark_master, save, no_progress, **options):
        try:
            settings = LinkageSettings(
                match_threshold=options["match_threshold"],
                review_threshold=options["review_threshold"],
                backend=backend,
                spark_master=spark_master,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        agency = None
        if save:
            from safeguarding.health_records.selectors.review import prior_decisions
            from safeguarding.health_records.services.runs import default_agency, save_run

            try:
                agency = default_agency()
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
            # Reuse what reviewers have decided in earlier runs.
            settings.decisions = prior_decisions(agency=agency)
        disable = no_progress or not sys.stderr.isatty()
        bar = tqdm(total=6, unit="step", file=sys.stderr, disable=disable, dynamic_ncols=True)
        reports = {}
        for kind, path in (("gp", gp), ("hv", hv)):
            bar.set_description(f"Reading {path.name}")
            try:
                reports[kind] = read_extract(path, kind=kind)
            except ExtractRefused as exc:
                bar.close()
                raise CommandError(f"{path}: {exc.message}") from exc
            bar.update(1)
        gp_report, hv_report = reports["gp"], reports["hv"]

        def progress(step: str, done: int, total: int) -> None:
            bar.set_description(step)
            bar.n = 2 + done
            bar.refresh()

        started = datetime.datetime.now(datetime.UTC)
        result = link(gp_report.accepted, hv_report.accepted, settings, progress=progress)
        bar.close()
        write_outputs(
            result,
            gp_report.accepted,
            hv_report.accepted,
            out,
            extra_summary={
                "started_at": started.isoformat(),
                "imports": {
                    kind: {
                        **report.summary(),
                        "flagged_rows": [vars_of(p) for p in report.flagged[:1000]],
                        "rejected_rows": [vars_of(p) for p in report.rejected[:1000]],
                    }
                    for kind, report in reports.items()
                },
            },
        )
        for kind, report in reports.items():
            s = report.summary()
            self.stdout.write(
                f"{kind.upper()} {report.filename}: {s['rows_read']:,} rows read, "
                f"{s['accepted']:,} accepted, {s['flagged']:,} flagged, "
                f"{s['rejected']:,} rejected"
            )
        c = result.counts
        self.stdout.write(
            f"{c['matches']:,} matches, {c['review']:,} to review, "
            f"{c['gp_not_known_to_hv']:,} GP-registered children not known to health visiting, "
            f"{c['hv_not_registered_with_gp']:,} known to health visiting but not GP-registered "
            f"({result.timings['total']:.1f}s, peak {result.peak_memory_mb:,.0f} MB)."
        )
        self.stdout.write(f"Outputs written to {out}")
        if save:
            run = save_run(
                gp_report,
                hv_report,
                result,
                gp_filename=gp_report.filename,
                hv_filename=hv_report.filename,
                actor=None,
                agency=agency,
                linkage_settings=settings,
                out_dir=out,
            )
            self.stdout.write(self.style.SUCCESS(f"Run saved: {run}"))


def vars_of(problem) -> dict:
    return {
        "row_number": problem.row_number,
        "record_id": problem.record_id,
        "reasons": problem.reasons,
    }
