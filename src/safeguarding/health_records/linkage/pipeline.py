"""Link a GP registration extract to a health visiting caseload with Splink (DuckDB or Spark).

The steps:
1. features: plain forms of names, given-name variant groups (also reached through one typing slip
   from a known name: 'Edwurd' -> Edward), Soundex, swapped day/month of the date of birth,
   postcode sector and outward code, and the digits of an NHS number that fails its check
   (computed once here, so both backends score the same columns);
2. a Fellegi-Sunter model whose parameters are estimated from these two files: the chance two
   random records match from the NHS-number agreements, u values by random sampling, m values by
   expectation maximisation (EM) on pairs blocked on NHS number and on date of birth + given name
   (or a model saved with an earlier run, LinkageSettings.trained_model). Comparisons: NHS number
   (equal, or one record's invalid number one slip from the other's), given name, family name
   (term frequencies for both), date of birth (equal, day/month swapped, within three days, one
   character), sex, and home (address and postcode together, down to the postcode area: a
   family that moves mostly stays in its area);
3. candidate pairs from blocking rules chosen for recall, scored by Splink;
4. guards and assignment, in plain Python, unless the NHS numbers agree (or nearly): a pair whose
   given names clearly disagree cannot link (no level of agreement, or two different names each
   common on these lists, such as Amelia and Amelie), a record may not link to the twin of its
   true partner (twins: same date of birth and same family name or home, different given names
   on one list; the guard needs the twin's own pair to be plausible), and a pair goes to review
   however high its score when its dates of birth agree at no level or its family names are two
   different common names a letter or a sound apart (Davies and Davis); prior review decisions
   are applied, and each record is used at most once, best pair first;
5. second registrations: a record left over on one list that repeats a matched record on the
   same list (see _same_child: the same NHS number, the same home, or the same postcode area when
   a look-alike there is unlikely) becomes a review pair with the reason, not an unknown child.
   See docs/adr/0006-linkage-unknown-list.md for why the review band stays on the unknown lists.
"""

from __future__ import annotations

import resource
import time

from .assignment import assign, unknown_lists
from .comparisons import BLOCKING_RULES
from .extracts import Record
from .features import features
from .scoring import _score
from .types import STEPS, LinkageResult, LinkageSettings, Progress


def _peak_memory_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)  # kilobytes on Linux


def link(
    gp_records: list[Record],
    hv_records: list[Record],
    settings: LinkageSettings | None = None,
    progress: Progress | None = None,
) -> LinkageResult:
    """Link the two lists; see the module docstring for the method."""
    settings = settings or LinkageSettings()
    progress = progress or (lambda step, done, total: None)
    timings: dict[str, float] = {}
    started_all = time.perf_counter()

    progress(STEPS[0], 0, len(STEPS))
    started = time.perf_counter()
    gp_cols, hv_cols = features(gp_records), features(hv_records)
    timings["features"] = time.perf_counter() - started

    if gp_records and hv_records:
        candidates, model = _score(gp_cols, hv_cols, settings, timings, progress)
    else:
        candidates, model = [], {}

    progress(STEPS[3], 3, len(STEPS))
    started = time.perf_counter()
    pairs, guard_counts = assign(candidates, gp_cols, hv_cols, settings)
    gp_unknown, hv_unregistered = unknown_lists(
        pairs, [r.record_id for r in gp_records], [r.record_id for r in hv_records]
    )
    timings["assignment"] = time.perf_counter() - started
    timings["total"] = time.perf_counter() - started_all
    progress("Done", len(STEPS), len(STEPS))

    counts = {
        "gp_records": len(gp_records),
        "hv_records": len(hv_records),
        "candidate_pairs": len(candidates),
        "matches": sum(p.match_status == "match" for p in pairs),
        "review": sum(p.match_status == "review" for p in pairs),
        "gp_not_known_to_hv": len(gp_unknown),
        "hv_not_registered_with_gp": len(hv_unregistered),
        "decisions_reused": len(settings.decisions),
        **guard_counts,
    }
    model = {
        "splink": model,
        "match_threshold": settings.match_threshold,
        "review_threshold": settings.review_threshold,
        "backend": settings.backend,
        "blocking_rules": BLOCKING_RULES,
    }
    return LinkageResult(
        pairs=sorted(pairs, key=lambda p: (p.match_status, p.gp_record_id, p.hv_record_id)),
        gp_not_known_to_hv=gp_unknown,
        hv_not_registered_with_gp=hv_unregistered,
        counts=counts,
        timings={k: round(v, 3) for k, v in timings.items()},
        model=model,
        peak_memory_mb=_peak_memory_mb(),
    )
