"""The linkage engine for children missing from health records (plain Python, no Django models).

report = read_extract(path_or_file, kind="gp")       # or kind="hv"
result = link(gp_report.accepted, hv_report.accepted, LinkageSettings())
write_outputs(result, gp_report.accepted, hv_report.accepted, out_dir)
"""

from .extracts import ExtractRefused, ExtractReport, Record, RowProblem, read_extract
from .outputs import write_outputs
from .pipeline import link
from .types import LinkageResult, LinkageSettings, Pair

__all__ = [
    "ExtractRefused",
    "ExtractReport",
    "LinkageResult",
    "LinkageSettings",
    "Pair",
    "Record",
    "RowProblem",
    "link",
    "read_extract",
    "write_outputs",
]
