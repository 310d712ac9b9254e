"""Writes for the health-records linkage: runs, what they found, review decisions, worklist
outcomes and retention. Keyword-only, atomic, each audited. `actor=None` is the system (the
background task, the commands, the demo loader).

`save_run` is the contract with the linkage package and `link_health_records --save`: it takes
read_extract's two reports and link's result (duck-typed: no import of the linkage package here).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import shutil
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from safeguarding.core import audit
from safeguarding.health_records.access import ANALYSTS_ONLY, is_analyst, team_ids
from safeguarding.health_records.models import (
    Direction,
    ExtractImport,
    ImportProblem,
    Kind,
    LinkageRun,
    Outcome,
    PostcodeDistrict,
    ReviewPair,
    WorklistItem,
)
from safeguarding.people.models import Agency, Locality, Role, Team

log = logging.getLogger(__name__)

FOLLOW_UP_DAYS = 28
NOT_ALLOCATED = "Not allocated"
NOT_GIVEN = "Not given"  # a new unknown child is due to be followed up within four weeks
BATCH = 2000


def health_records_dir() -> Path:
    return Path(settings.HEALTH_RECORDS_DIR)


def run_dir(run: LinkageRun) -> Path:
    return health_records_dir() / "runs" / str(run.pk)


def _require_analyst(actor, agency) -> None:
    if actor is not None and not is_analyst(actor, agency):
        raise PermissionDenied(ANALYSTS_ONLY)


# Runs -------------------------------------------------------------------------------------------


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


def _store_upload(upload, target: Path) -> tuple[int, str]:
    """Write an uploaded file to `target` in chunks; (size, sha256)."""
    digest = hashlib.sha256()
    size = 0
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        for chunk in upload.chunks():
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    target.chmod(0o600)
    return size, digest.hexdigest()


def _suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in (".csv", ".xlsx", ".txt") else ".csv"


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
    _require_analyst(actor, agency)
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
                target = directory / f"{kind}{_suffix(upload.name)}"
                size, sha = _store_upload(upload, target)
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
            transaction.on_commit(lambda: _enqueue(run.pk))
    except BaseException:
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
        raise
    return run


def _enqueue(run_id: int) -> None:
    from safeguarding.health_records.tasks import link_run

    result = link_run.enqueue(run_id)
    LinkageRun.objects.filter(pk=run_id, task_id="").update(task_id=str(result.id)[:64])


def run_started(*, run: LinkageRun) -> LinkageRun | None:
    """Claim a queued run for this worker; None if another worker has already claimed it (the
    conditional UPDATE is atomic, so two workers can never both run it)."""
    claimed = LinkageRun.objects.filter(pk=run.pk, status=LinkageRun.Status.QUEUED).update(
        status=LinkageRun.Status.RUNNING, started_at=timezone.now(), progress="Reading extracts"
    )
    if not claimed:
        return None
    run.refresh_from_db()
    return run


def run_progress(*, run: LinkageRun, step: str) -> None:
    """Shown on the run's page while it runs (no audit entry: it changes nothing recorded)."""
    LinkageRun.objects.filter(pk=run.pk).update(progress=step[:200])


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


def _repeated(pair, gp_by_id: dict, hv_by_id: dict) -> dict[str, Any]:
    """The snapshot of the matched record a possible second registration repeats, if any."""
    if not pair.repeats:
        return {}
    kind, record_id = pair.repeats
    record = (gp_by_id if kind == "gp" else hv_by_id).get(str(record_id))
    return {"list": kind, **_snapshot(record)} if record is not None else {}


def _snapshot(record) -> dict[str, Any]:
    dob = getattr(record, "date_of_birth", None)
    return {
        "record_id": str(record.record_id),
        "nhs_number": _nhs_display(record),
        "nhs_number_valid": bool(getattr(record, "nhs_number_valid", False)),
        "given_name": record.given_name or "",
        "family_name": record.family_name or "",
        "date_of_birth": dob.isoformat() if dob else "",
        "sex": record.sex or "",
        "postcode": record.postcode or "",
        "address_line": record.address_line or "",
        "gp_practice_code": getattr(record, "gp_practice_code", "") or "",
        "hv_team": getattr(record, "hv_team", "") or "",
        "flags": list(getattr(record, "flags", []) or []),
    }


def _nhs_display(record) -> str:
    if getattr(record, "nhs_number", None):
        n = record.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}"
    return (getattr(record, "nhs_number_raw", "") or "").strip()[:20]


def age_band(date_of_birth: datetime.date | None, on: datetime.date) -> str:
    if date_of_birth is None:
        return "Not known"
    months = (on.year - date_of_birth.year) * 12 + on.month - date_of_birth.month
    if on.day < date_of_birth.day:
        months -= 1
    if months < 0:
        return "Not known"
    if months < 12:
        return "Under 1"
    years = months // 12
    if years < 5:
        return f"{years} to {years + 1}"
    return "5 and over"


AGE_BANDS = ["Under 1", "1 to 2", "2 to 3", "3 to 4", "4 to 5", "5 and over", "Not known"]


def _outward(postcode: str | None) -> str:
    return (postcode or "").strip().upper().split(" ")[0] if postcode else ""


class _Allocator:
    """Locality from the postcode district; the team: for a health visiting record the team it
    names (if the agency has one by that name), otherwise the agency's health visiting team in
    the child's locality."""

    def __init__(self, run: LinkageRun):
        self.districts = dict(
            PostcodeDistrict.objects.filter(partnership=run.partnership).values_list(
                "outward_code", "locality_id"
            )
        )
        teams = list(Team.objects.filter(agency=run.agency).order_by("name"))
        self.by_name = {team.name.casefold(): team for team in teams}
        self.by_locality: dict[int, Team] = {}
        for team in sorted(teams, key=lambda t: "health visiting" not in t.name.casefold()):
            if team.locality_id is not None:
                self.by_locality.setdefault(team.locality_id, team)

    def allocate(self, snapshot: dict) -> tuple[int | None, Team | None]:
        named = self.by_name.get(snapshot["hv_team"].casefold()) if snapshot["hv_team"] else None
        locality_id = self.districts.get(_outward(snapshot["postcode"]))
        if named is not None:
            return locality_id or named.locality_id, named
        if locality_id is None:
            return None, None
        return locality_id, self.by_locality.get(locality_id)


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
        _require_analyst(actor, agency)
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
        _require_analyst(actor, run.agency)
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
                gp=_snapshot(gp_by_id[str(p.gp_record_id)]),
                hv=_snapshot(hv_by_id[str(p.hv_record_id)]),
                repeats=_repeated(p, gp_by_id, hv_by_id),
            )
            for p in review
        ],
        batch_size=BATCH,
    )
    worklist = _update_worklist(
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


REFRESHED_FIELDS = [
    *WorklistItem.NAMED_FIELDS,
    "gp_practice_code",
    "hv_team_code",
    "age_band",
    "last_run",
    "purged_at",
    "locality",
    "team",
]


def _update_worklist(
    run: LinkageRun,
    *,
    gp_unknown: Iterable,
    hv_unknown: Iterable,
    gp_matched: set[str],
    hv_matched: set[str],
) -> dict[str, int]:
    """One open item per unknown child: refresh the ones already open, add the new ones, and
    close as "now known" the open ones this run found on both lists."""
    allocator = _Allocator(run)
    due = run.extract_date + datetime.timedelta(days=FOLLOW_UP_DAYS)
    now = timezone.now()
    tally = {"added": 0, "refreshed": 0, "now_known": 0}
    localities = dict(
        Locality.objects.filter(partnership=run.partnership).values_list("pk", "name")
    )
    breakdowns: dict[str, dict[str, Counter]] = {}
    for direction, records, matched in (
        (Direction.GP_NOT_KNOWN_TO_HV, gp_unknown, gp_matched),
        (Direction.HV_NOT_REGISTERED, hv_unknown, hv_matched),
    ):
        open_items = {
            item.record_id: item
            for item in WorklistItem.objects.filter(
                agency=run.agency, direction=direction, outcome=Outcome.OPEN
            )
        }
        new, changed = [], []
        counts = breakdowns.setdefault(
            direction, {name: Counter() for name in ("locality", "team", "gp_practice", "age_band")}
        )
        for record in records:
            snap = _snapshot(record)
            dob = getattr(record, "date_of_birth", None)
            locality_id, team = allocator.allocate(snap)
            values = {
                "nhs_number": snap["nhs_number"],
                "given_name": snap["given_name"][:100],
                "family_name": snap["family_name"][:100],
                "date_of_birth": dob,
                "sex": snap["sex"][:1],
                "postcode": snap["postcode"][:10],
                "address_line": snap["address_line"][:300],
                "gp_practice_code": snap["gp_practice_code"][:20],
                "hv_team_code": snap["hv_team"][:120],
                "age_band": age_band(dob, run.extract_date),
                "last_run": run,
                "purged_at": None,
            }
            item = open_items.pop(snap["record_id"], None)
            if item is None:
                new.append(
                    WorklistItem(
                        agency=run.agency,
                        first_run=run,
                        direction=direction,
                        record_id=snap["record_id"][:100],
                        locality_id=locality_id,
                        team=team,
                        due_date=due,
                        **values,
                    )
                )
            else:
                for name, value in values.items():
                    setattr(item, name, value)
                if item.team_id is None and team is not None:
                    item.locality_id, item.team = locality_id, team
                changed.append(item)
            final_team = item.team if item is not None else team
            final_locality = item.locality_id if item is not None else locality_id
            counts["locality"][localities.get(final_locality, NOT_ALLOCATED)] += 1
            counts["team"][final_team.name if final_team else NOT_ALLOCATED] += 1
            counts["gp_practice"][values["gp_practice_code"] or NOT_GIVEN] += 1
            counts["age_band"][values["age_band"]] += 1
        WorklistItem.objects.bulk_create(new, batch_size=BATCH)
        WorklistItem.objects.bulk_update(changed, REFRESHED_FIELDS, batch_size=BATCH)
        found = [item.pk for record_id, item in open_items.items() if record_id in matched]
        for start in range(0, len(found), BATCH):
            WorklistItem.objects.filter(pk__in=found[start : start + BATCH]).update(
                outcome=Outcome.NOW_KNOWN,
                outcome_notes=f"Found on both lists by linkage run {run.pk}.",
                outcome_at=now,
            )
        tally["added"] += len(new)
        tally["refreshed"] += len(changed)
        tally["now_known"] += len(found)
    run.breakdowns = {
        direction: {name: dict(counter) for name, counter in tables.items()}
        for direction, tables in breakdowns.items()
    }
    return tally


# Review -----------------------------------------------------------------------------------------


@transaction.atomic
def review_decide(*, pair: ReviewPair, accepted: bool, actor) -> ReviewPair:
    """Accept (same child) or reject (different children) a review pair. The agency's next run
    reuses the decision; a decision can be changed, and the change is audited."""
    pair = ReviewPair.objects.select_for_update().select_related("run").get(pk=pair.pk)
    if actor is None or not is_analyst(actor, pair.run.agency_id):
        raise PermissionDenied(ANALYSTS_ONLY)
    if pair.purged_at is not None:
        raise ValidationError("This pair's details have been deleted: it can no longer be decided.")
    before = audit.snapshot(pair, ["decision"])
    pair.decision = ReviewPair.Decision.ACCEPTED if accepted else ReviewPair.Decision.REJECTED
    pair.decided_by = actor
    pair.decided_at = timezone.now()
    pair.save(update_fields=["decision", "decided_by", "decided_at"])
    audit.record(
        action="health_records.reviewpair.decided",
        obj=pair,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(pair, ["decision"])),
    )
    return pair


# Worklist ---------------------------------------------------------------------------------------


def may_work_on(actor, item: WorklistItem) -> bool:
    return is_analyst(actor, item.agency_id) or (
        item.team_id is not None and item.team_id in team_ids(actor)
    )


OUTCOME_FIELDS = ["outcome", "outcome_notes", "due_date"]


@transaction.atomic
def worklist_outcome_record(
    *,
    item: WorklistItem,
    outcome: str,
    notes: str = "",
    due_date: datetime.date | None = None,
    actor,
) -> WorklistItem:
    """Record what following up a child found (or, with the outcome left open, a new due date)."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    if actor is None or not may_work_on(actor, item):
        raise PermissionDenied("Only the team the child is allocated to and analysts can do this.")
    if outcome not in Outcome.values:
        raise ValidationError("Choose an outcome.")
    if outcome == Outcome.OTHER and not notes.strip():
        raise ValidationError("Say what the outcome was.")
    if item.purged_at is not None:
        raise ValidationError("This child's details have been deleted under the retention rules.")
    before = audit.snapshot(item, OUTCOME_FIELDS)
    item.outcome = outcome
    item.outcome_notes = notes.strip()
    item.due_date = due_date if due_date is not None else item.due_date
    item.outcome_by = actor if outcome != Outcome.OPEN else None
    item.outcome_at = timezone.now() if outcome != Outcome.OPEN else None
    item.save(update_fields=[*OUTCOME_FIELDS, "outcome_by", "outcome_at"])
    audit.record(
        action="health_records.worklistitem.outcome_recorded",
        obj=item,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(item, OUTCOME_FIELDS)),
    )
    return item


@transaction.atomic
def worklist_allocate(*, item: WorklistItem, team: Team | None, actor) -> WorklistItem:
    """Give the child to another team (analysts only); the team must be in the run's agency."""
    item = WorklistItem.objects.select_for_update().get(pk=item.pk)
    if actor is None or not is_analyst(actor, item.agency_id):
        raise PermissionDenied(ANALYSTS_ONLY)
    if team is not None and team.agency_id != item.agency_id:
        raise ValidationError("Choose one of your agency's teams.")
    before = audit.snapshot(item, ["team", "locality"])
    item.team = team
    if team is not None and team.locality_id:
        item.locality_id = team.locality_id
    item.save(update_fields=["team", "locality"])
    audit.record(
        action="health_records.worklistitem.allocated",
        obj=item,
        actor=actor,
        changes=audit.diff(before, audit.snapshot(item, ["team", "locality"])),
    )
    return item


# Retention --------------------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "HEALTH_RECORDS_RETENTION_DAYS", 30))


def _remove(path: str | Path | None) -> None:
    if not path:
        return
    path = Path(path)
    root = health_records_dir().resolve()
    resolved = path.resolve()
    # Only ever delete inside HEALTH_RECORDS_DIR, whatever a row says.
    if root not in resolved.parents and resolved != root:
        log.warning("Not deleting %s: outside HEALTH_RECORDS_DIR", path)
        return
    if resolved.is_dir():
        shutil.rmtree(resolved, ignore_errors=True)
    elif resolved.exists():
        resolved.unlink()


def purge_expired(*, days: int | None = None, now=None, actor=None) -> dict[str, int]:
    """Delete uploaded extracts and named results older than `days` (default the setting),
    keeping only aggregates: run and import counts, and each worklist item's direction,
    outcome, locality, team, GP practice and age band. Worklist items refreshed by a later run
    are kept until that run expires too. One run at a time, each in its own transaction."""
    days = retention_days() if days is None else days
    if days < 0:
        raise ValueError("Days must be 0 or more.")
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=days)
    totals = {"runs": 0, "files": 0, "problems": 0, "review_pairs": 0, "worklist_items": 0}
    expired = LinkageRun.objects.filter(created_at__lt=cutoff, purged_at__isnull=True)
    expired = expired.exclude(status__in=[LinkageRun.Status.QUEUED, LinkageRun.Status.RUNNING])
    for run in expired.order_by("pk"):
        with transaction.atomic():
            run = LinkageRun.objects.select_for_update().get(pk=run.pk)
            files = 0
            for extract in run.imports.all():
                if extract.stored_path:
                    files += 1
                    transaction.on_commit(lambda p=extract.stored_path: _remove(p))
            problems, _ = ImportProblem.objects.filter(extract__run=run).delete()
            run.imports.update(stored_path="", purged_at=now)
            pairs = run.review_pairs.filter(purged_at__isnull=True).update(
                gp={}, hv={}, repeats={}, purged_at=now
            )
            items = WorklistItem.objects.filter(last_run=run, purged_at__isnull=True).update(
                **{name: "" for name in WorklistItem.NAMED_FIELDS if name != "date_of_birth"},
                date_of_birth=None,
                outcome_notes="",
                purged_at=now,
            )
            output, directory = run.output_dir, run_dir(run)
            transaction.on_commit(lambda o=output, d=directory: (_remove(o), _remove(d)))
            run.output_dir = ""
            run.purged_at = now
            run.save(update_fields=["output_dir", "purged_at"])
            changes = {"files": files, "problems": problems, "review_pairs": pairs}
            changes["worklist_items"] = items
            audit.record(
                action="health_records.linkagerun.purged",
                obj=run,
                actor=actor,
                changes={**changes, "retention_days": days},
            )
        totals["runs"] += 1
        for key, value in changes.items():
            totals[key] += value
    return totals
