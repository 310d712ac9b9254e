"""The background task behind "start a linkage run": the same read_extract / link / save_run as
`manage.py link_health_records --save`, run by the task worker (`manage.py db_worker`)."""

from __future__ import annotations

import logging
import time

from django_tasks import task

from safeguarding.health_records.models import Kind, LinkageRun
from safeguarding.health_records.selectors.review import prior_decisions
from safeguarding.health_records.services.queue import run_progress, run_started
from safeguarding.health_records.services.runs import run_failed, save_run
from safeguarding.health_records.services.storage import run_dir

log = logging.getLogger(__name__)

KIND_NAMES = {Kind.GP: "GP extract", Kind.HV: "health visiting extract"}


def _refusal(kind: str, error) -> str:
    missing = getattr(error, "missing_columns", None)
    if missing:
        return f"The {KIND_NAMES[kind]} is missing these columns: {', '.join(missing)}."
    return f"The {KIND_NAMES[kind]} was refused: {getattr(error, 'message', None) or error}"


class _Progress:
    """progress(step, done, total) from the linkage, written to the run at most once a second."""

    def __init__(self, run: LinkageRun):
        self.run, self.last = run, 0.0

    def __call__(self, step: str, done: int = 0, total: int = 0) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and done != total:
            return
        self.last = now
        label = f"{step} ({done:,} of {total:,})" if total else step
        run_progress(run=self.run, step=label)


@task()
def link_run(run_id: int) -> dict:
    from safeguarding.health_records.linkage import (
        ExtractRefused,
        LinkageSettings,
        link,
        read_extract,
        write_outputs,
    )

    run = LinkageRun.objects.select_related("agency").get(pk=run_id)
    claimed = run_started(run=run)
    if claimed is None:
        return {"status": run.status}  # already picked up by another worker
    run = claimed
    imports = {extract.kind: extract for extract in run.imports.all()}
    reports, refused = {}, {}
    for kind in (Kind.GP, Kind.HV):
        run_progress(run=run, step=f"Reading the {KIND_NAMES[kind]}")
        try:
            reports[kind] = read_extract(imports[kind].stored_path, kind=str(kind))
        except ExtractRefused as error:
            refused[kind] = _refusal(kind, error)
    if refused:
        run_failed(run=run, error=" ".join(refused.values()), refused=refused)
        return {"status": "failed", "refused": refused}
    try:
        decisions = prior_decisions(agency=run.agency)
        settings = LinkageSettings(
            match_threshold=run.match_threshold,
            review_threshold=run.review_threshold,
            backend=run.backend,
            decisions=decisions,
        )
        result = link(
            reports[Kind.GP].accepted, reports[Kind.HV].accepted, settings, progress=_Progress(run)
        )
        out_dir = run_dir(run) / "output"
        run_progress(run=run, step="Writing the results")
        write_outputs(result, reports[Kind.GP].accepted, reports[Kind.HV].accepted, out_dir)
        save_run(
            reports[Kind.GP],
            reports[Kind.HV],
            result,
            gp_filename=imports[Kind.GP].filename,
            hv_filename=imports[Kind.HV].filename,
            run=run,
            linkage_settings=settings,
            out_dir=out_dir,
        )
    except Exception as error:
        log.exception("Linkage run %s failed", run.pk)
        run_failed(
            run=run,
            error=f"The linkage stopped with an error ({type(error).__name__}). The extracts are "
            "kept: start a new run, and ask the platform's support team if it happens again.",
        )
        raise
    return {"status": "completed"}
