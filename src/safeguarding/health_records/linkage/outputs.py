"""Write a linkage result to a directory: three CSV files and summary.json.

The CSV files hold names and addresses from the extracts and are opened in spreadsheets, so they
are written by the neutralising writer (a value such as =HYPERLINK(...) arrives as text); read
them back with `safeguarding.core.exports.read_csv`.
"""

from __future__ import annotations

import json
from pathlib import Path

from safeguarding.core.exports import write_csv

from .extracts import Record
from .types import LinkageResult

RECORD_FIELDS = [
    "nhs_number",
    "nhs_number_as_supplied",
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "postcode",
    "address_line",
]


def _write_records(path: Path, id_column: str, ids: list[str], records: list[Record], extra: str):
    by_id = {r.record_id: r for r in records}

    def rows():
        for record_id in ids:
            row = by_id[record_id].as_row()
            yield [record_id, *(row[f] for f in RECORD_FIELDS), row[extra], row["flags"]]

    write_csv(path, [id_column, *RECORD_FIELDS, extra, "flags"], rows())


def write_outputs(
    result: LinkageResult,
    gp_records: list[Record],
    hv_records: list[Record],
    out_dir,
    *,
    extra_summary: dict | None = None,
) -> dict[str, Path]:
    """Write matches.csv, gp_not_known_to_hv.csv, hv_not_registered_with_gp.csv, summary.json."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {
        "matches": out / "matches.csv",
        "gp_not_known_to_hv": out / "gp_not_known_to_hv.csv",
        "hv_not_registered_with_gp": out / "hv_not_registered_with_gp.csv",
        "summary": out / "summary.json",
    }
    write_csv(
        paths["matches"],
        ["gp_record_id", "hv_record_id", "match_probability", "match_status", "reason"],
        (
            [
                pair.gp_record_id,
                pair.hv_record_id,
                f"{pair.match_probability:.6f}",
                pair.match_status,
                pair.reason,
            ]
            for pair in result.pairs
        ),
    )
    _write_records(
        paths["gp_not_known_to_hv"],
        "gp_record_id",
        result.gp_not_known_to_hv,
        gp_records,
        "gp_practice_code",
    )
    _write_records(
        paths["hv_not_registered_with_gp"],
        "hv_record_id",
        result.hv_not_registered_with_gp,
        hv_records,
        "hv_team",
    )
    summary = {
        "counts": result.counts,
        "timings_seconds": result.timings,
        "peak_memory_mb": result.peak_memory_mb,
        "model": result.model,
        **(extra_summary or {}),
    }
    paths["summary"].write_text(json.dumps(summary, indent=2, default=str), encoding="utf-8")
    return paths
