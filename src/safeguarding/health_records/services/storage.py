"""Where uploaded extracts and run outputs live: inside HEALTH_RECORDS_DIR, and nowhere else."""

from __future__ import annotations

import hashlib
import logging
import shutil
from pathlib import Path

from django.conf import settings

from safeguarding.health_records.models import LinkageRun

log = logging.getLogger(__name__)


def health_records_dir() -> Path:
    return Path(settings.HEALTH_RECORDS_DIR)


def run_dir(run: LinkageRun) -> Path:
    return health_records_dir() / "runs" / str(run.pk)


def store_upload(upload, target: Path) -> tuple[int, str]:
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


def upload_suffix(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return suffix if suffix in (".csv", ".xlsx", ".txt") else ".csv"


def remove_stored(path: str | Path | None) -> None:
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
