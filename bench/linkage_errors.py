"""Pair-by-pair error analysis of the health-records linkage against the generator's truth file.

Usage (from the repository root, after `bench/linkage.py` has generated the extracts):

    .venv/bin/python bench/linkage_errors.py var/bench-linkage/100000-seed1 [--show 15]

Runs the pipeline's own steps (features, Splink scoring with every comparison level kept,
guards and assignment, the unknown lists) and sorts every error into a cause:

- false matches: a match pair joining two different children (twin or not);
- missed children: children on both lists with no correct match, by what happened to their true
  pair (never a candidate, under the review threshold, in the review band, blocked by a guard,
  lost to another pair in the one-to-one assignment);
- unknown-list errors: GP records on the unknown list whose child is known to health visiting
  (why they are there), and truly unknown GP records missing from the list.

For each cause a few examples print with both records and the comparison levels, so that a
change to the model can be aimed at a cause. Read records are cached in the data directory
(records.pickle) to make reruns quick. Nothing here is used by the product.
"""

from __future__ import annotations

import argparse
import datetime
import pickle
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TODAY = datetime.date(2014, 3, 31)
GAMMA_NAMES = ["nhs", "given", "family", "dob", "sex", "home"]


def load(directory: Path):
    from safeguarding.health_records.linkage import read_extract

    cache = directory / "records.pickle"
    if cache.exists():
        with cache.open("rb") as handle:
            return pickle.load(handle)  # noqa: S301 - our own cache file
    gp = read_extract(directory / "gp_extract.csv", "gp", today=TODAY).accepted
    hv = read_extract(directory / "hv_extract.csv", "hv", today=TODAY).accepted
    with cache.open("wb") as handle:
        pickle.dump((gp, hv), handle)
    return gp, hv


def describe(record) -> str:
    dob = record.date_of_birth.isoformat() if record.date_of_birth else "-"
    return (
        f"{record.record_id} nhs={record.nhs_number or '-'}({record.nhs_number_raw or ''}) "
        f"{record.given_name} {record.family_name} {dob} {record.sex} "
        f"{record.postcode or '-'} {record.address_line}"
    )


def gammas(candidate) -> str:
    if not candidate or "gammas" not in candidate:
        return "(no candidate)"
    levels = " ".join(f"{n}={g}" for n, g in zip(GAMMA_NAMES, candidate["gammas"], strict=True))
    return f"p={candidate['p']:.4f} {levels}"


def analyse(directory: Path, show: int, settings=None, reuse: bool = False) -> dict:
    from safeguarding.health_records.linkage import pipeline
    from safeguarding.health_records.linkage.evaluate import evaluate, read_truth

    started = time.perf_counter()
    gp, hv = load(directory)
    truth = read_truth(directory / "truth.csv")
    print(f"read {len(gp):,} + {len(hv):,} records in {time.perf_counter() - started:.1f}s")
    settings = settings or pipeline.LinkageSettings()
    timings: dict[str, float] = {}
    started = time.perf_counter()
    scored = directory / "scored.pickle"
    if reuse and scored.exists():  # the same features and Splink scores as the last run
        with scored.open("rb") as handle:
            gp_cols, hv_cols, candidates, model = pickle.load(handle)  # noqa: S301
        for c in candidates:  # older pickles kept the home level only among the gammas
            c.setdefault("home", c["gammas"][5])
    else:
        gp_cols, hv_cols = pipeline.features(gp), pipeline.features(hv)
        candidates, model = pipeline._score(  # noqa: SLF001 - analysis of the internals
            gp_cols, hv_cols, settings, timings, lambda *a: None, all_gammas=True
        )
        with scored.open("wb") as handle:
            pickle.dump((gp_cols, hv_cols, candidates, model), handle)
    pairs, guard_counts = pipeline.assign(candidates, gp_cols, hv_cols, settings)
    gp_unknown, hv_unknown = pipeline.unknown_lists(
        pairs, [r.record_id for r in gp], [r.record_id for r in hv]
    )
    print(f"linked in {time.perf_counter() - started:.1f}s {timings}; guards {guard_counts}")
    scores = evaluate(truth, pairs, gp_unknown, hv_unknown)
    print({k: round(v, 5) if isinstance(v, float) else v for k, v in scores.items()})

    gp_by_id = {r.record_id: r for r in gp}
    hv_by_id = {r.record_id: r for r in hv}
    by_pair = {(c["gp"], c["hv"]): c for c in candidates}
    gt, ht = truth["gp"], truth["hv"]
    hv_of_child = defaultdict(list)
    for rid, (child, _) in ht.items():
        if rid in hv_by_id:  # rejected rows are not records
            hv_of_child[child].append(rid)
    gp_of_child = defaultdict(list)
    for rid, (child, _) in gt.items():
        if rid in gp_by_id:
            gp_of_child[child].append(rid)
    pair_of_gp = {p.gp_record_id: p for p in pairs}
    pair_of_hv = {p.hv_record_id: p for p in pairs}
    examples: dict[str, list[str]] = defaultdict(list)
    causes: Counter = Counter()

    def note(cause: str, text: str) -> None:
        causes[cause] += 1
        if len(examples[cause]) < show:
            examples[cause].append(text)

    def two(gp_id: str, hv_id: str) -> str:
        return (
            f"    GP {describe(gp_by_id[gp_id])}\n    HV {describe(hv_by_id[hv_id])}\n"
            f"    {gammas(by_pair.get((gp_id, hv_id)))}"
        )

    for p in pairs:
        if p.match_status == "match" and gt[p.gp_record_id][0] != ht[p.hv_record_id][0]:
            twin = gt[p.gp_record_id][1] and gt[p.gp_record_id][1] == ht[p.hv_record_id][1]
            cause = "false match: twin" if twin else "false match"
            text = two(p.gp_record_id, p.hv_record_id)
            for true_hv in hv_of_child.get(gt[p.gp_record_id][0], []):
                text += f"\n    true HV partner:\n{two(p.gp_record_id, true_hv)}"
            note(cause, text)

    correct_children = {
        gt[p.gp_record_id][0]
        for p in pairs
        if p.match_status == "match" and gt[p.gp_record_id][0] == ht[p.hv_record_id][0]
    }
    for child, gp_ids in gp_of_child.items():
        hv_ids = hv_of_child.get(child)
        if not hv_ids or child in correct_children:
            continue
        true_pairs = [(g, h) for g in gp_ids for h in hv_ids]
        scored = [by_pair[t] for t in true_pairs if t in by_pair]
        if not scored:
            cause = "missed: never a candidate (blocking)"
            g, h = true_pairs[0]
        else:
            best = max(scored, key=lambda c: c["p"])
            g, h = best["gp"], best["hv"]
            chosen = pair_of_gp.get(g) or pair_of_hv.get(h)
            if best["p"] < settings.review_threshold:
                cause = "missed: under review threshold"
            elif (g, h) in {(p.gp_record_id, p.hv_record_id) for p in [chosen] if chosen}:
                cause = "missed: in review band"
            elif chosen:
                cause = "missed: lost to another pair"
            else:
                cause = "missed: blocked by a guard"
        note(cause, two(g, h))

    listed = set(gp_unknown)
    hv_children = {child for child, _ in ht.values()}
    for rid in gp_unknown:
        child = gt[rid][0]
        if child in hv_children:
            p = pair_of_gp.get(rid)
            if p is None:
                siblings = [r for r in gp_of_child[child] if r != rid]
                other_matched = any(
                    pair_of_gp.get(r) and pair_of_gp[r].match_status == "match" for r in siblings
                )
                cause = (
                    "list FP: no pair, second registration of a matched child"
                    if other_matched
                    else "list FP: no pair"
                )
            elif p.match_status == "review" and gt[rid][0] == ht[p.hv_record_id][0]:
                cause = "list FP: review pair, same child"
            else:
                cause = "list FP: review pair, other child"
            note(cause, two(rid, p.hv_record_id) if p else f"    GP {describe(gp_by_id[rid])}")
    for rid, (child, _) in gt.items():
        if child not in hv_children and rid not in listed and rid in gp_by_id:
            p = pair_of_gp.get(rid)
            status = f"\n    {p.match_status} {p.reason}".rstrip()
            note("list FN: truly unknown, not listed", two(rid, p.hv_record_id) + status)

    for cause, n in sorted(causes.items()):
        print(f"\n== {cause}: {n}")
        for text in examples[cause]:
            print(text)
            print()
    # Probability distribution of review pairs by truth (for a review-band policy).
    bands = Counter()
    for p in pairs:
        if p.match_status == "review" and not p.reason:
            same = gt[p.gp_record_id][0] == ht[p.hv_record_id][0]
            bands[(round(p.match_probability, 1), same)] += 1
    print("review pairs by probability (rounded) and truth:", sorted(bands.items()))
    # Every pair with its levels and the truth, for choosing thresholds and a review policy.
    with (directory / "pairs.csv").open("w") as handle:
        handle.write("gp,hv,status,p,reason,same_child,gp_truly_unknown,hv_truly_unregistered,")
        handle.write(",".join(GAMMA_NAMES) + "\n")
        gp_children = {child for child, _ in gt.values()}
        for p in pairs:
            c = by_pair.get((p.gp_record_id, p.hv_record_id), {})
            levels = ",".join(str(g) for g in c.get("gammas", ("",) * len(GAMMA_NAMES)))
            handle.write(
                f"{p.gp_record_id},{p.hv_record_id},{p.match_status},{p.match_probability},"
                f"{p.reason[:6]},"
                f"{int(gt[p.gp_record_id][0] == ht[p.hv_record_id][0])},"
                f"{int(gt[p.gp_record_id][0] not in hv_children)},"
                f"{int(ht[p.hv_record_id][0] not in gp_children)},{levels}\n"
            )
    return {
        "scores": scores,
        "causes": dict(causes),
        "candidates": candidates,
        "pairs": pairs,
        "truth": truth,
        "model": model,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", type=Path)
    parser.add_argument("--show", type=int, default=8)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Reuse the last run's features and Splink scores (to try guard and assignment "
        "changes in seconds); rerun without it after changing features or the model.",
    )
    args = parser.parse_args()
    analyse(args.directory, args.show, reuse=args.reuse)


if __name__ == "__main__":
    main()
