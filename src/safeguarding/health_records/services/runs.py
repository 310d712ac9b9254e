"""The run lifecycle: created (extracts kept, queued), failed, saved with what it found.

`save_run` is the contract with the linkage package and `link_health_records --save`: it takes
read_extract's two reports and link's result (duck-typed: no import of the linkage package here).
The worker's claim and progress are in `services.queue`.
"""

from __future__ import annotations

import datetime
import shutil
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.health_records.access import require_analyst_or_system
from safeguarding.health_records.models import (
    ExtractImport,
    ImportProblem,
    Kind,
    LinkageRun,
    ReviewPair,
)
from safeguarding.health_records.selectors.counts import WITHHELD_KEY, withheld_keys
from safeguarding.health_records.services.queue import run_enqueue
from safeguarding.health_records.services.storage import run_dir, store_upload, upload_suffix
from safeguarding.health_records.services.worklist import BATCH, worklist_refresh
from safeguarding.health_records.snapshots import repeated, snapshot
from safeguarding.people.models import Agency, Role


def default_agency(partnership=None) -> Agency:
    """The agency that owns a run started without one (the command line): the only agency with
    health records analysts. Several such agencies must be told apart by the caller."""
    agencies = Agency.objects.filter(
        memberships__role_grants__role=Role.HEALTH_RECORDS_ANALYST
    ).distinct()
    if partnership is not None:
        agencies = agencies.filter(partnership=partnership)
    found = list(agencies[:2])
    if len(found) != 1:
        raise ValueError(
            "Cannot tell which agency owns this run: "
            + ("no agency has" if not found else "more than one agency has")
            + " a health records analyst. Give the agency."
        )
    return found[0]


def run_create(
    *,
    agency: Agency,
    gp_file,
    hv_file,
    extract_date: datetime.date | None = None,
    match_threshold: float = 0.95,
    review_threshold: float = 0.50,
    backend: str = "duckdb",
    actor,
) -> LinkageRun:
    """Keep the two uploaded extracts and queue the linkage (a background task, after commit).
    Files are written inside the transaction; if it fails they are removed, so nothing is left
    half-saved."""
    require_analyst_or_system(actor, agency)
    if not 0 < review_threshold < match_threshold <= 1:
        raise ValidationError("The review threshold must be above 0 and below the match threshold.")
    directory = None
    try:
        with transaction.atomic():
            run = LinkageRun.objects.create(
                partnership=agency.partnership,
                agency=agency,
                extract_date=extract_date or timezone.localdate(),
                match_threshold=match_threshold,
                review_threshold=review_threshold,
                backend=backend,
                started_by=actor,
            )
            directory = run_dir(run)
            for kind, upload in ((Kind.GP, gp_file), (Kind.HV, hv_file)):
                target = directory / f"{kind}{upload_suffix(upload.name)}"
                size, sha = store_upload(upload, target)
                ExtractImport.objects.create(
                    run=run,
                    kind=kind,
                    filename=Path(upload.name).name[:255],
                    stored_path=str(target),
                    size_bytes=size,
                    sha256=sha,
                    uploaded_by=actor,
                )
            audit.record(
                action="health_records.linkagerun.created",
                obj=run,
                actor=actor,
                changes={
                    "agency": agency,
                    "extract_date": run.extract_date,
                    "gp_file": gp_file.name,
                    "hv_file": hv_file.name,
                    "match_threshold": match_threshold,
                    "review_threshold": review_threshold,
                },
            )
            transaction.on_commit(lambda: run_enqueue(run.pk))
    except BaseException:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    return run


@transaction.atomic
def run_failed(
    *, run: LinkageRun, error: str, refused: dict[str, str] | None = None, actor=None
) -> LinkageRun:
    """The run stopped: say why on its page. `refused` is {kind: reason} for refused extracts."""
    run = LinkageRun.objects.select_for_update().get(pk=run.pk)
    run.status = LinkageRun.Status.FAILED
    run.error = error
    run.progress = ""
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "error", "progress", "finished_at"])
    for kind, reason in (refused or {}).items():
        run.imports.filter(kind=kind).update(refused=reason)
    audit.record(
        action="health_records.linkagerun.failed", obj=run, actor=actor, changes={"error": error}
    )
    return run


def _problems(extract: ExtractImport, report) -> None:
    rows = [
        ImportProblem(
            extract=extract,
            severity=severity,
            row_number=problem.row_number,
            record_id=str(problem.record_id or "")[:100],
            reasons=list(problem.reasons),
        )
        for severity, problems in (
            (ImportProblem.Severity.FLAGGED, report.flagged),
            (ImportProblem.Severity.REJECTED, report.rejected),
        )
        for problem in problems
    ]
    ImportProblem.objects.bulk_create(rows, batch_size=BATCH)


def _import_counts(extract: ExtractImport, report) -> None:
    extract.rows_read = report.rows_read
    extract.accepted = len(report.accepted)
    extract.flagged = len(report.flagged)
    extract.rejected = len(report.rejected)
    extract.save(update_fields=["rows_read", "accepted", "flagged", "rejected"])
    extract.problems.all().delete()
    _problems(extract, report)


@transaction.atomic
def save_run(
    gp_report,
    hv_report,
    result,
    *,
    gp_filename: str,
    hv_filename: str,
    actor=None,
    run: LinkageRun | None = None,
    agency: Agency | None = None,
    extract_date: datetime.date | None = None,
    linkage_settings=None,
    out_dir: str | Path | None = None,
) -> LinkageRun:
    """Store a finished linkage: the import reports, the counts, timings and trained model, the
    pairs to review (with the named fields needed to decide) and the worklist of unknown
    children, allocated to teams. Matched pairs stay in the run's matches.csv (`out_dir`).

    Called by the web task with the run it made, or by `link_health_records --save` (a new run
    owned by `agency`, or the only agency with health records analysts)."""
    if run is None:
        agency = agency or default_agency()
        require_analyst_or_system(actor, agency)
        run = LinkageRun.objects.create(
            partnership=agency.partnership,
            agency=agency,
            extract_date=extract_date or timezone.localdate(),
            started_by=actor if getattr(actor, "is_authenticated", False) else None,
            started_at=timezone.now(),
        )
        for kind, name in ((Kind.GP, gp_filename), (Kind.HV, hv_filename)):
            ExtractImport.objects.create(run=run, kind=kind, filename=Path(name).name[:255])
    else:
        run = LinkageRun.objects.select_for_update().get(pk=run.pk)
        require_analyst_or_system(actor, run.agency)
        if run.status == LinkageRun.Status.COMPLETED:
            raise ValidationError("This run has already been saved.")

    imports = {extract.kind: extract for extract in run.imports.all()}
    _import_counts(imports[Kind.GP], gp_report)
    _import_counts(imports[Kind.HV], hv_report)

    if linkage_settings is not None:
        run.match_threshold = linkage_settings.match_threshold
        run.review_threshold = linkage_settings.review_threshold
        run.backend = linkage_settings.backend
        run.decisions_reused = len(linkage_settings.decisions or {})

    gp_by_id = {str(r.record_id): r for r in gp_report.accepted}
    hv_by_id = {str(r.record_id): r for r in hv_report.accepted}
    pairs = list(result.pairs)
    matched = [p for p in pairs if p.match_status == "match"]
    review = [p for p in pairs if p.match_status == "review"]

    ReviewPair.objects.bulk_create(
        [
            ReviewPair(
                run=run,
                gp_record_id=str(p.gp_record_id),
                hv_record_id=str(p.hv_record_id),
                match_probability=float(p.match_probability),
                reason=p.reason[:200],
                gp=snapshot(gp_by_id[str(p.gp_record_id)]),
                hv=snapshot(hv_by_id[str(p.hv_record_id)]),
                repeats=repeated(p, gp_by_id, hv_by_id),
            )
            for p in review
        ],
        batch_size=BATCH,
    )
    worklist = worklist_refresh(
        run,
        gp_unknown=[gp_by_id[str(i)] for i in result.gp_not_known_to_hv],
        hv_unknown=[hv_by_id[str(i)] for i in result.hv_not_registered_with_gp],
        gp_matched={str(p.gp_record_id) for p in matched},
        hv_matched={str(p.hv_record_id) for p in matched},
    )

    run.gp_records = len(gp_report.accepted)
    run.hv_records = len(hv_report.accepted)
    run.matched = len(matched)
    run.review = len(review)
    run.gp_not_known_to_hv = len(result.gp_not_known_to_hv)
    run.hv_not_registered_with_gp = len(result.hv_not_registered_with_gp)
    run.counts = {**dict(result.counts), "worklist": worklist}
    run.timings = {k: round(float(v), 3) for k, v in dict(result.timings).items()}
    run.trained_model = result.model
    run.output_dir = str(out_dir) if out_dir else run.output_dir
    run.status = LinkageRun.Status.COMPLETED
    run.progress = ""
    run.error = ""
    run.finished_at = timezone.now()
    # What those who see aggregates only are shown, worked out once (it can take a moment).
    run.breakdowns[WITHHELD_KEY] = withheld_keys(run)
    run.save()
    audit.record(
        action="health_records.linkagerun.saved",
        obj=run,
        actor=actor,
        changes={
            "gp_file": gp_filename,
            "hv_file": hv_filename,
            "matched": run.matched,
            "review": run.review,
            "gp_not_known_to_hv": run.gp_not_known_to_hv,
            "hv_not_registered_with_gp": run.hv_not_registered_with_gp,
            "worklist": worklist,
        },
    )
    return run
