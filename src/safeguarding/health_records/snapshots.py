"""What is kept of an extract record on a review pair or a worklist item: the named fields needed
to decide or follow up, as plain JSON-able values (the linkage's records are duck-typed here)."""

from __future__ import annotations

from typing import Any


def snapshot(record) -> dict[str, Any]:
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


def repeated(pair, gp_by_id: dict, hv_by_id: dict) -> dict[str, Any]:
    """The snapshot of the matched record a possible second registration repeats, if any."""
    if not pair.repeats:
        return {}
    kind, record_id = pair.repeats
    record = (gp_by_id if kind == "gp" else hv_by_id).get(str(record_id))
    return {"list": kind, **snapshot(record)} if record is not None else {}


def _nhs_display(record) -> str:
    if getattr(record, "nhs_number", None):
        n = record.nhs_number
        return f"{n[:3]} {n[3:6]} {n[6:]}"
    return (getattr(record, "nhs_number_raw", "") or "").strip()[:20]
