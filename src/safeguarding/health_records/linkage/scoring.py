"""Steps 2 and 3: estimate (or reuse) the model and score the candidate pairs with Splink."""

from __future__ import annotations

import time
from typing import Any

from .backends import duckdb_api, spark_api
from .comparisons import splink_settings
from .features import _arrow_table
from .types import STEPS, LinkageSettings, Progress


def _training_recall(gp: dict[str, list[Any]], hv: dict[str, list[Any]]) -> float:
    """Share of true pairs an NHS-number rule can find: both records need a valid number."""

    def share(cols: dict[str, list[Any]]) -> float:
        values = cols["nhs_number"]
        return sum(1 for v in values if v) / max(len(values), 1)

    return min(0.99, max(0.05, share(gp) * share(hv)))


def _train(linker, gp_cols, hv_cols, settings: LinkageSettings, timings) -> None:
    """Estimate the model from these two files (see the module docstring)."""
    from splink import block_on

    training = linker.training
    training.estimate_probability_two_random_records_match(
        [block_on("nhs_number")], recall=_training_recall(gp_cols, hv_cols)
    )
    n_pairs = len(gp_cols["unique_id"]) * len(hv_cols["unique_id"])
    step = time.perf_counter()
    training.estimate_u_using_random_sampling(
        max_pairs=min(settings.max_training_pairs, max(n_pairs, 1)) + 1,
        seed=settings.seed,
    )
    timings["training_u"] = time.perf_counter() - step
    for rule in (block_on("nhs_number"), block_on("dob_str", "given_std")):
        training.estimate_parameters_using_expectation_maximisation(
            rule,
            estimate_without_term_frequencies=True,
            max_pairs=settings.max_training_pairs,
        )


def _score(
    gp_cols: dict[str, list[Any]],
    hv_cols: dict[str, list[Any]],
    settings: LinkageSettings,
    timings: dict[str, float],
    progress: Progress,
    all_gammas: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Train the model and return candidate pairs (gp id, hv id, probability, gammas).

    all_gammas adds every comparison's level as "gammas" (for error analysis in bench/)."""
    import logging

    from splink import Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    started = time.perf_counter()
    db_api = duckdb_api() if settings.backend == "duckdb" else spark_api(settings.spark_master)
    gp_sdf = db_api.register(_arrow_table(gp_cols), dataset_display_name="gp")
    hv_sdf = db_api.register(_arrow_table(hv_cols), dataset_display_name="hv")
    linker = Linker(
        [gp_sdf, hv_sdf],
        splink_settings(
            max(len(gp_cols["unique_id"]), len(hv_cols["unique_id"])),
            settings.em_max_iterations,
            settings.trained_model,
        ),
        log_level=None,
    )
    progress(STEPS[1], 1, len(STEPS))
    if settings.trained_model is None:
        _train(linker, gp_cols, hv_cols, settings, timings)
        timings["training"] = time.perf_counter() - started
    model = linker.misc.save_model_to_json()

    progress(STEPS[2], 2, len(STEPS))
    started = time.perf_counter()
    floor = min(settings.review_threshold, 0.01)
    predictions = linker.inference.predict(threshold_match_probability=floor, warning_mode="never")
    columns = "source_dataset_l, unique_id_l, unique_id_r, match_probability"
    columns += ", gamma_nhs_number, gamma_given_name, gamma_date_of_birth, gamma_home"
    if all_gammas:
        columns += ", gamma_family_name, gamma_sex"
    query = f"select {columns} from {predictions.physical_name}"  # noqa: S608 - Splink's table
    if settings.backend == "duckdb":
        rows = db_api.duckdb_con.sql(query).fetchall()
    else:
        rows = [tuple(r) for r in db_api.spark.sql(query).collect()]
    timings["scoring"] = time.perf_counter() - started
    candidates = []
    for (
        source_l,
        id_l,
        id_r,
        probability,
        gamma_nhs,
        gamma_given,
        gamma_dob,
        gamma_home,
        *rest,
    ) in rows:
        gp_id, hv_id = (id_l, id_r) if source_l == "gp" else (id_r, id_l)
        candidate = {
            "gp": gp_id,
            "hv": hv_id,
            "p": float(probability),
            "nhs": int(gamma_nhs),
            "given": int(gamma_given),
            "dob": int(gamma_dob),
            "home": int(gamma_home),
        }
        if all_gammas:
            family, sex = map(int, rest)
            candidate["gammas"] = (int(gamma_nhs), int(gamma_given), family, int(gamma_dob))
            candidate["gammas"] += (sex, int(gamma_home))
        candidates.append(candidate)
    if settings.backend == "duckdb":
        db_api.duckdb_con.close()
    return candidates, model
