"""Score a linkage result against the truth file written by the generator."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

from .types import Pair


def read_truth(path) -> dict[str, dict[str, tuple[str, str]]]:
    """{"gp": {record_id: (child_id, multiple_birth)}, "hv": {...}}"""
    truth: dict[str, dict[str, tuple[str, str]]] = {"gp": {}, "hv": {}}
    with Path(path).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            truth[row["list"]][row["record_id"]] = (row["child_id"], row["multiple_birth"])
    return truth


def _ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def evaluate(
    truth: dict[str, dict[str, tuple[str, str]]],
    pairs: list[Pair],
    gp_unknown: list[str],
    hv_unregistered: list[str],
) -> dict[str, float]:
    gp, hv = truth["gp"], truth["hv"]
    gp_children = {child for child, _ in gp.values()}
    hv_children = {child for child, _ in hv.values()}
    both = gp_children & hv_children
    matches = [p for p in pairs if p.match_status == "match"]
    reviews = [p for p in pairs if p.match_status == "review"]
    correct = [p for p in matches if gp[p.gp_record_id][0] == hv[p.hv_record_id][0]]
    found = {gp[p.gp_record_id][0] for p in correct}
    twin_cross = sum(
        1
        for p in pairs
        if gp[p.gp_record_id][0] != hv[p.hv_record_id][0]
        and gp[p.gp_record_id][1]
        and gp[p.gp_record_id][1] == hv[p.hv_record_id][1]
    )
    precision = _ratio(len(correct), len(matches))
    recall = _ratio(len(found), len(both))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    def list_scores(
        listed: list[str], records: dict, other_children: set
    ) -> tuple[float, float, int]:
        """Recall and precision of a list of records, and the truly unlisted records missed."""
        truly = {rid for rid, (child, _) in records.items() if child not in other_children}
        hits = len(truly & set(listed))
        return _ratio(hits, len(truly)), _ratio(hits, len(listed)), len(truly) - hits

    gp_list_recall, gp_list_precision, gp_missed = list_scores(gp_unknown, gp, hv_children)
    hv_list_recall, hv_list_precision, hv_missed = list_scores(hv_unregistered, hv, gp_children)
    review_correct = sum(gp[p.gp_record_id][0] == hv[p.hv_record_id][0] for p in reviews)
    errors: dict[str, int] = defaultdict(int)
    for p in matches:
        if gp[p.gp_record_id][0] != hv[p.hv_record_id][0]:
            errors["false_matches"] += 1
    return {
        "children_on_both_lists": len(both),
        "matches": len(matches),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "twin_cross_links": twin_cross,
        "review_pairs": len(reviews),
        "review_pairs_same_child": review_correct,
        "unknown_list": len(gp_unknown),
        "unknown_list_recall": gp_list_recall,
        "unknown_list_precision": gp_list_precision,
        "unknown_list_missed": gp_missed,
        "unregistered_list": len(hv_unregistered),
        "unregistered_list_recall": hv_list_recall,
        "unregistered_list_precision": hv_list_precision,
        "unregistered_list_missed": hv_missed,
        **errors,
    }
