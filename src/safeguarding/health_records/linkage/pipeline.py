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

import datetime
import itertools
import os
import resource
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .extracts import Record
from .names import (
    compact,
    fuzzy_given_name_keys,
    given_name_keys,
    plain_address,
    soundex,
    tokens,
    within_one_edit,
)

Progress = Callable[[str, int, int], None]

STEPS = ["Preparing records", "Estimating the model", "Scoring candidate pairs", "Assigning pairs"]

# Splink numbers comparison levels from the last (0, "anything else") upwards; -1 is "null".
NHS_EXACT = 2
NHS_SLIP = 1  # one record's number fails the check digit and is one slip from the other's
GIVEN_ELSE = 0
DOB_ELSE = 0
# A given name seen at least this share of all records (and at least MIN_NAME_COUNT times) is an
# established name, not a typing slip: two different established names that are not variants of
# one another are two children, even if they look alike (Amelia and Amelie).
ESTABLISHED_NAME_SHARE = 1e-4
MIN_NAME_COUNT = 3


@dataclass
class LinkageSettings:
    match_threshold: float = 0.95
    review_threshold: float = 0.50
    backend: str = "duckdb"
    spark_master: str | None = None
    decisions: dict[tuple[str, str], bool] = field(default_factory=dict)
    # Cap on pairs used to estimate u values and for each EM session (keeps 1M x 1M quick).
    max_training_pairs: float = 2e6
    # Cap on EM iterations per session (Splink's default; tests of the Spark backend use fewer).
    em_max_iterations: int = 25
    # A model saved with an earlier run (its "splink" JSON) to score with instead of estimating
    # one from these files (the same parameters on either backend).
    trained_model: dict[str, Any] | None = None
    seed: int = 1
    # A record with no NHS number that has another record's name, sex and date of birth on the
    # same list, in the same postcode area but another home, is taken for a second registration
    # of that child only if fewer than this many look-alikes would be expected there by chance.
    look_alike_limit: float = 1e-4

    def __post_init__(self) -> None:
        if not 0 < self.review_threshold <= self.match_threshold <= 1:
            raise ValueError(
                "Thresholds must satisfy 0 < review_threshold <= match_threshold <= 1 "
                f"(got review {self.review_threshold}, match {self.match_threshold})."
            )
        if self.backend not in {"duckdb", "spark"}:
            raise ValueError(f"backend must be 'duckdb' or 'spark', not {self.backend!r}")


@dataclass(frozen=True, slots=True)
class Pair:
    gp_record_id: str
    hv_record_id: str
    match_probability: float
    match_status: str  # "match" or "review"
    reason: str = ""
    # For a possible second registration: the matched record on the same list it may repeat,
    # as ("gp" or "hv", record id).
    repeats: tuple[str, str] | None = None


@dataclass
class LinkageResult:
    pairs: list[Pair]
    gp_not_known_to_hv: list[str]
    hv_not_registered_with_gp: list[str]
    counts: dict[str, int]
    timings: dict[str, float]
    model: dict[str, Any]
    peak_memory_mb: float = 0.0

    @property
    def matches(self) -> list[Pair]:
        return [p for p in self.pairs if p.match_status == "match"]

    @property
    def reviews(self) -> list[Pair]:
        return [p for p in self.pairs if p.match_status == "review"]


# --- features ---------------------------------------------------------------------------------

FEATURE_COLUMNS = [
    "unique_id",
    "nhs_number",
    "nhs_invalid",
    "given_std",
    "given_keys",
    "given_key",
    "given_fuzzy_keys",
    "given_sdx",
    "family_std",
    "family_tokens",
    "family_sdx",
    "dob",
    "dob_str",
    "dob_swap",
    "dob_ym",
    "sex",
    "postcode",
    "pc_sector",
    "pc_out",
    "pc_area",
    "address_std",
]


def _swap_day_month(dob: datetime.date) -> str | None:
    if dob.day > 12 or dob.day == dob.month:
        return None
    return datetime.date(dob.year, dob.day, dob.month).isoformat()


def _postcode_area(outward: str) -> str | None:
    """The letters an outward code starts with: LS for LS6, B for B15, EC for EC1A."""
    letters = "".join(itertools.takewhile(str.isalpha, outward))
    return letters or None


def features(records: Iterable[Record]) -> dict[str, list[Any]]:
    """Columns for Splink, one entry per record (column-wise, cheap to hand to Arrow)."""
    columns: dict[str, list[Any]] = {name: [] for name in FEATURE_COLUMNS}
    append = {name: columns[name].append for name in FEATURE_COLUMNS}
    for r in records:
        given_parts = tokens(r.given_name)
        given = given_parts[0] if given_parts else None
        keys = list(given_name_keys(given)) if given else None
        family_parts = tokens(r.family_name)
        dob = r.date_of_birth
        postcode = r.postcode
        append["unique_id"](r.record_id)
        append["nhs_number"](r.nhs_number)
        raw_digits = r.nhs_number_raw.replace(" ", "") if not r.nhs_number else ""
        append["nhs_invalid"](
            raw_digits if len(raw_digits) == 10 and raw_digits.isdigit() else None
        )
        append["given_std"](given)
        append["given_keys"](keys)
        append["given_key"](keys[0] if keys else None)
        append["given_fuzzy_keys"](list(fuzzy_given_name_keys(given)) if given else None)
        append["given_sdx"](soundex(given) if given else None)
        append["family_std"](compact(r.family_name) or None)
        append["family_tokens"](family_parts or None)
        append["family_sdx"](soundex(family_parts[0]) if family_parts else None)
        append["dob"](dob)
        append["dob_str"](dob.isoformat() if dob else None)
        append["dob_swap"](_swap_day_month(dob) if dob else None)
        append["dob_ym"](dob.isoformat()[:7] if dob else None)
        append["sex"](r.sex if r.sex in ("M", "F") else None)
        append["postcode"](postcode)
        append["pc_sector"](postcode[:-2] if postcode else None)
        outward = postcode.split(" ")[0] if postcode else None
        append["pc_out"](outward)
        append["pc_area"](_postcode_area(outward) if outward else None)
        append["address_std"](plain_address(r.address_line) or None)
    return columns


def _arrow_table(columns: dict[str, list[Any]]):
    import pyarrow as pa

    schema = pa.schema(
        [
            (name, pa.list_(pa.string()))
            if name in ("given_keys", "given_fuzzy_keys", "family_tokens")
            else (name, pa.date32() if name == "dob" else pa.string())
            for name in FEATURE_COLUMNS
        ]
    )
    return pa.table(columns, schema=schema)


# --- the Splink model -------------------------------------------------------------------------

BLOCKING_RULES = [
    "l.nhs_number = r.nhs_number",
    "l.dob_str = r.dob_str and l.family_sdx = r.family_sdx",
    "l.dob_str = r.dob_str and l.given_key = r.given_key",
    "l.dob_swap = r.dob_str and l.family_sdx = r.family_sdx",
    "l.dob_swap = r.dob_str and l.given_key = r.given_key",
    "l.postcode = r.postcode and l.given_key = r.given_key",
    "l.postcode = r.postcode and l.address_std = r.address_std",
    "l.dob_ym = r.dob_ym and l.family_sdx = r.family_sdx and l.given_sdx = r.given_sdx",
]


def splink_settings(
    population: int, em_max_iterations: int = 25, trained: dict[str, Any] | None = None
) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    def null(column: str):
        return cll.NullLevel(column)

    comparisons = [
        cl.CustomComparison(
            output_column_name="nhs_number",
            comparison_levels=[
                # Random sampling would estimate u for this level from pairs that are in fact
                # the same child (two lists of one population); two different children share a
                # valid number only when a mistyped number passes the check digit and belongs to
                # someone else on the other list, so u is fixed at that order of rarity.
                cll.ExactMatchLevel("nhs_number").configure(
                    u_probability=1e-3 / max(population, 1), fix_u_probability=True
                ),
                # A number that fails the check digit is not used as an identifier, but one digit
                # changed or two neighbouring digits swapped from the other record's valid number
                # is strong evidence (about 100 valid numbers are one slip away from any number).
                cll.CustomLevel(
                    "damerau_levenshtein(nhs_number_l, nhs_invalid_r) <= 1 "
                    "or damerau_levenshtein(nhs_invalid_l, nhs_number_r) <= 1",
                    label_for_charts="One record's number is a slip from the other's",
                ).configure(u_probability=10 / max(population, 10_000), fix_u_probability=True),
                cll.CustomLevel("nhs_number_l is null or nhs_number_r is null").configure(
                    is_null_level=True
                ),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="given_name",
            comparison_levels=[
                null("given_std"),
                cll.ExactMatchLevel("given_std").configure(tf_adjustment_column="given_std"),
                cll.ArrayIntersectLevel("given_keys", 1).configure(
                    label_for_charts="Variant of the same name"
                ),
                cll.ArrayIntersectLevel("given_fuzzy_keys", 1).configure(
                    label_for_charts="Variant of the same name, allowing for a typing slip"
                ),
                cll.JaroWinklerLevel("given_std", 0.9),
                cll.DamerauLevenshteinLevel("given_std", 1),
                cll.ExactMatchLevel("given_sdx").configure(label_for_charts="Sounds alike"),
                cll.JaroWinklerLevel("given_std", 0.8),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="family_name",
            comparison_levels=[
                null("family_std"),
                cll.ExactMatchLevel("family_std").configure(tf_adjustment_column="family_std"),
                cll.ArrayIntersectLevel("family_tokens", 1).configure(
                    label_for_charts="Shares part of a double-barrelled name"
                ),
                cll.JaroWinklerLevel("family_std", 0.9),
                cll.DamerauLevenshteinLevel("family_std", 1),
                cll.ExactMatchLevel("family_sdx").configure(label_for_charts="Sounds alike"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="date_of_birth",
            comparison_levels=[
                null("dob_str"),
                cll.ExactMatchLevel("dob_str"),
                cll.CustomLevel(
                    "dob_swap_l = dob_str_r", label_for_charts="Day and month transposed"
                ),
                cll.AbsoluteDateDifferenceLevel(
                    "dob", input_is_string=False, threshold=3, metric="day"
                ).configure(label_for_charts="Within three days"),
                cll.DamerauLevenshteinLevel("dob_str", 1),
                cll.ExactMatchLevel("dob_ym").configure(label_for_charts="Same month"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_levels=[null("sex"), cll.ExactMatchLevel("sex"), cll.ElseLevel()],
        ),
        # Postcode and address in one comparison: they move together, and scoring them
        # separately would count one house move twice.
        cl.CustomComparison(
            output_column_name="home",
            comparison_levels=[
                cll.CustomLevel(
                    "(postcode_l is null or postcode_r is null) "
                    "and (address_std_l is null or address_std_r is null)"
                ).configure(is_null_level=True),
                cll.CustomLevel(
                    "postcode_l = postcode_r and address_std_l = address_std_r",
                    label_for_charts="Same address and postcode",
                ),
                cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
                cll.ExactMatchLevel("address_std").configure(
                    label_for_charts="Same address, postcode differs"
                ),
                cll.ExactMatchLevel("pc_sector").configure(label_for_charts="Same sector"),
                cll.ExactMatchLevel("pc_out").configure(label_for_charts="Same outward code"),
                # Postcode areas are geographic (LS is Leeds): a family that moves mostly stays
                # in its area, two look-alike children rarely share one.
                cll.ExactMatchLevel("pc_area").configure(label_for_charts="Same postcode area"),
                cll.ElseLevel(),
            ],
        ),
    ]
    from splink import SettingsCreator

    prior = {}
    if trained:
        # The saved comparisons are in the order these are built in.
        for comparison, saved in zip(comparisons, trained["comparisons"], strict=True):
            levels = [
                level for level in saved["comparison_levels"] if not level.get("is_null_level")
            ]
            comparison.configure(
                m_probabilities=[level.get("m_probability") for level in levels],
                u_probabilities=[level.get("u_probability") for level in levels],
            )
        prior["probability_two_random_records_match"] = trained[
            "probability_two_random_records_match"
        ]
    return SettingsCreator(
        **prior,
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=BLOCKING_RULES,
        retain_matching_columns=True,  # needed for the gamma (level) columns the guards read
        retain_intermediate_calculation_columns=False,
        max_iterations=em_max_iterations,
    )


def duckdb_api():
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    con.execute(f"SET threads = {os.cpu_count() or 1}")
    con.execute("SET preserve_insertion_order = false")
    return DuckDBAPI(connection=con)


def spark_session(master: str | None = None):
    """A Spark session with Splink's similarity functions on the class path."""
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    cores = os.cpu_count() or 1
    # Local mode on one machine: one partition a core, or Spark spends its time scheduling tiny
    # tasks.
    partitions = str(cores) if master is None else "200"
    builder = (
        SparkSession.builder.appName("link_health_records")
        .master(master or f"local[{cores}]")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.shuffle.partitions", partitions)
        .config("spark.default.parallelism", partitions)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
    )
    return builder.getOrCreate()


def spark_api(master: str | None = None):
    import tempfile

    from splink import SparkAPI

    spark = spark_session(master)
    spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="splink-checkpoints-"))
    return SparkAPI(spark_session=spark, break_lineage_method="persist")


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


# --- guards and assignment --------------------------------------------------------------------


def _siblings(cols: dict[str, list[Any]]) -> dict[str, list[str]]:
    """Records on one list with the same date of birth and the same family name or the same home,
    but not the same given name: twins and other multiple births (found even when one twin's
    record carries a move or a changed surname)."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    columns = (cols["dob_str"], cols["family_std"], cols["postcode"], cols["address_std"])
    for i, (dob, family, postcode, address) in enumerate(zip(*columns, strict=True)):
        if dob:
            if family:
                groups[(True, dob, family)].append(i)
            # The home is the postcode (an address line alone is shared by many streets).
            if home := postcode or address:
                groups[(False, dob, home)].append(i)
    ids, given_keys = cols["unique_id"], cols["given_keys"]
    siblings: dict[str, set[str]] = defaultdict(set)
    for members in groups.values():
        if len(members) < 2:
            continue
        for i in members:
            keys_i = set(given_keys[i] or ())
            for j in members:
                if j != i and not keys_i.intersection(given_keys[j] or ()):
                    siblings[ids[i]].add(ids[j])
    return {uid: sorted(others) for uid, others in siblings.items()}


def _established_names(*lists: dict[str, list[Any]], column: str = "given_std") -> set[str]:
    """Names common enough on these lists to be names in their own right, not slips."""
    counts: dict[str, int] = defaultdict(int)
    total = 0
    for cols in lists:
        for name in cols[column]:
            total += 1
            if name:
                counts[name] += 1
    floor = max(MIN_NAME_COUNT, ESTABLISHED_NAME_SHARE * total)
    return {name for name, n in counts.items() if n >= floor}


class _LookAlikes:
    """How many other children on a list would be expected, by chance, to share a record's given
    name, family name and date of birth in its postcode area: the name frequencies of both lists
    times the area's records, spread over the days of birth the lists cover."""

    def __init__(self, *lists: dict[str, list[Any]]):
        self.given: dict[str, int] = defaultdict(int)
        self.family: dict[str, int] = defaultdict(int)
        self.area: dict[str | None, int] = defaultdict(int)
        dobs = []
        for cols in lists:
            for name in cols["given_std"]:
                self.given[name] += 1
            for name in cols["family_std"]:
                self.family[name] += 1
            dobs += [d for d in cols["dob"] if d]
        self.records = sum(len(cols["unique_id"]) for cols in lists) or 1
        self.days = max((max(dobs) - min(dobs)).days + 1, 365) if dobs else 365
        self.lists = len(lists) or 1

    def expected(self, cols: dict[str, list[Any]], i: int, j: int) -> float:
        given = max(self.given[cols["given_std"][i]], self.given[cols["given_std"][j]])
        family = self.family[cols["family_std"][i]]
        in_area = self.area_count(cols, i)
        return in_area * (given / self.records) * (family / self.records) / self.days

    def area_count(self, cols: dict[str, list[Any]], i: int) -> int:
        key = (id(cols), cols["pc_area"][i])
        if key not in self.area:
            counts: dict[str | None, int] = defaultdict(int)
            for area in cols["pc_area"]:
                counts[area] += 1
            for area, n in counts.items():
                self.area[(id(cols), area)] = n
        return self.area[key]


def _same_child(
    cols: dict[str, list[Any]], i: int, j: int, look_alikes: _LookAlikes, limit: float
) -> bool:
    """Is record i (not linked) clearly a second registration of record j (linked) on one list?
    The same NHS number; or the same given name (or a form of it) and sex, no NHS numbers that
    disagree, and either the same home (postcode) with the family name and date of birth equal
    or a slip apart, or the same family name and date of birth in the same postcode area when a
    look-alike there is unlikely (fewer than `limit` expected: two children of one common name
    and birthday are not rare in one area)."""
    nhs_i, nhs_j = cols["nhs_number"][i], cols["nhs_number"][j]
    if nhs_i and nhs_j:
        return nhs_i == nhs_j

    def same(column: str) -> bool:
        return bool(cols[column][i] and cols[column][i] == cols[column][j])

    keys_i, keys_j = set(cols["given_keys"][i] or ()), set(cols["given_keys"][j] or ())
    sex_agrees = not (cols["sex"][i] and cols["sex"][j]) or same("sex")
    if not (keys_i & keys_j and sex_agrees):
        return False
    if same("postcode"):
        # In one home a slip in the family name or the date of birth does not make another
        # child (brothers and sisters are born months apart; twins have different names).
        family_i, family_j = cols["family_std"][i], cols["family_std"][j]
        dob_i, dob_j = cols["dob"][i], cols["dob"][j]
        return bool(
            family_i
            and family_j
            and (
                within_one_edit(family_i, family_j)
                or set(cols["family_tokens"][i] or ()) & set(cols["family_tokens"][j] or ())
            )
            and dob_i
            and dob_j
            and (abs((dob_i - dob_j).days) <= 3 or cols["dob_swap"][i] == cols["dob_str"][j])
        )
    # Elsewhere in the area: only for a record without an NHS number (a registration that has
    # a number, while the record it would repeat has none, is more often another child).
    return bool(
        not nhs_i
        and same("dob_str")
        and same("family_std")
        and same("pc_area")
        and look_alikes.expected(cols, i, j) <= limit
    )


def _second_registrations(
    cols: dict[str, list[Any]],
    linked: dict[str, str],
    look_alikes: _LookAlikes,
    limit: float,
    partner_numbers: dict[str, str | None] | None = None,
) -> dict[str, str]:
    """Records on one list not linked to the other list that are a second registration of a
    linked record on the same list: {record: the linked record}. partner_numbers (the NHS
    numbers of the other list's records) lets a linked partner's number rule a record out."""
    partner_numbers = partner_numbers or {}
    ids = cols["unique_id"]
    by_number: dict[str, int] = {}
    by_birth: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_home: dict[str, list[int]] = defaultdict(list)
    for i, uid in enumerate(ids):
        if uid in linked:
            if number := cols["nhs_number"][i]:
                by_number.setdefault(number, i)
            if cols["dob_str"][i] and cols["family_std"][i]:
                by_birth[(cols["dob_str"][i], cols["family_std"][i])].append(i)
            if cols["postcode"][i]:
                by_home[cols["postcode"][i]].append(i)
    found = {}
    for i, uid in enumerate(ids):
        if uid in linked:
            continue
        number = cols["nhs_number"][i]
        if number and number in by_number:
            found[uid] = ids[by_number[number]]
            continue
        same_home = by_home.get(cols["postcode"][i], []) if cols["postcode"][i] else []
        for j in same_home + by_birth.get((cols["dob_str"][i], cols["family_std"][i]), []):
            partner_number = partner_numbers.get(linked[ids[j]])
            if number and partner_number and number != partner_number:
                continue  # the linked child's number, from the other list, is another one
            if _same_child(cols, i, j, look_alikes, limit):
                found[uid] = ids[j]
                break
    return found


def assign(
    candidates: list[dict[str, Any]],
    gp_cols: dict[str, list[Any]],
    hv_cols: dict[str, list[Any]],
    settings: LinkageSettings,
) -> tuple[list[Pair], dict[str, int]]:
    decisions = settings.decisions
    gp_ids, hv_ids = set(gp_cols["unique_id"]), set(hv_cols["unique_id"])
    by_pair = {(c["gp"], c["hv"]): c for c in candidates}
    # A pair a person accepted is linked again even if the model no longer proposes it.
    for (gp_id, hv_id), accepted in decisions.items():
        if accepted and gp_id in gp_ids and hv_id in hv_ids and (gp_id, hv_id) not in by_pair:
            by_pair[(gp_id, hv_id)] = {
                "gp": gp_id,
                "hv": hv_id,
                "p": 0.0,
                "nhs": -1,
                "given": 99,
                "dob": 99,
                "home": 99,
            }
    gp_siblings, hv_siblings = _siblings(gp_cols), _siblings(hv_cols)
    established = _established_names(gp_cols, hv_cols)
    established_families = _established_names(gp_cols, hv_cols, column="family_std")
    gp_index = {uid: i for i, uid in enumerate(gp_cols["unique_id"])}
    hv_index = {uid: i for i, uid in enumerate(hv_cols["unique_id"])}
    counts = defaultdict(int)

    def distinct_names(c: dict[str, Any]) -> bool:
        """Two different established given names that are not forms of one name."""
        i, j = gp_index.get(c["gp"]), hv_index.get(c["hv"])
        if i is None or j is None:
            return False
        a, b = gp_cols["given_std"][i], hv_cols["given_std"][j]
        if not (a and b) or a == b or a not in established or b not in established:
            return False
        return not set(gp_cols["given_keys"][i]) & set(hv_cols["given_keys"][j])

    review = settings.review_threshold

    def look_alike_families(c: dict[str, Any]) -> bool:
        """Two different established family names a letter or a sound apart (Davies and Davis):
        two families, or a slip that happens to give another family's name."""
        i, j = gp_index.get(c["gp"]), hv_index.get(c["hv"])
        if i is None or j is None:
            return False
        a, b = gp_cols["family_std"][i], hv_cols["family_std"][j]
        if not (a and b) or a == b or not {a, b} <= established_families:
            return False
        if set(gp_cols["family_tokens"][i] or ()) & set(hv_cols["family_tokens"][j] or ()):
            return False
        return within_one_edit(a, b) or soundex(a) == soundex(b)

    def doubt(c: dict[str, Any]) -> str:
        """Why a pair above the match threshold still needs a person, unless NHS numbers agree."""
        if c["nhs"] >= NHS_SLIP:
            return ""
        # Brothers of one name in one home are not rare; nor are Chloe Davies and Chloe Davis.
        if c["dob"] == DOB_ELSE:
            return "dates of birth disagree"
        if look_alike_families(c):
            return "two different family names"
        return ""

    def blocked(c: dict[str, Any]) -> str | None:
        if c["nhs"] >= NHS_SLIP:  # the numbers agree (or nearly): not a twin, whatever the name
            return None
        if c["given"] == GIVEN_ELSE or distinct_names(c):
            return "given_names_disagree"
        # A twin's pair with a better-named, itself plausible, partner (two children of one
        # surname born the same day elsewhere are not twins, and seldom a plausible pair).
        for sibling in gp_siblings.get(c["gp"], ()):
            other = by_pair.get((sibling, c["hv"]))
            if other and other["given"] > c["given"] and other["p"] >= review:
                return "twin_guard"
        for sibling in hv_siblings.get(c["hv"], ()):
            other = by_pair.get((c["gp"], sibling))
            if other and other["given"] > c["given"] and other["p"] >= review:
                return "twin_guard"
        return None

    def order(c: dict[str, Any]):
        return (not decisions.get((c["gp"], c["hv"]), False), -c["p"], c["gp"], c["hv"])

    pairs: list[Pair] = []
    gp_used: dict[str, str] = {}
    hv_used: dict[str, str] = {}
    for c in sorted(by_pair.values(), key=order):
        decided = decisions.get((c["gp"], c["hv"]))
        if decided is False:
            counts["rejected_by_reviewer"] += 1
            continue
        if decided is None:
            if c["p"] < settings.review_threshold:
                continue
            reason = blocked(c)
            if reason:
                counts[f"blocked_{reason}"] += 1
                continue
        if c["gp"] in gp_used or c["hv"] in hv_used:
            continue
        above = c["p"] >= settings.match_threshold
        why_not = doubt(c) if above and not decided else ""
        status = "match" if decided or (above and not why_not) else "review"
        reason = "accepted by a reviewer" if decided else why_not
        pairs.append(Pair(c["gp"], c["hv"], round(c["p"], 6), status, reason))
        gp_used[c["gp"]] = c["hv"]
        hv_used[c["hv"]] = c["gp"]
        counts["accepted_by_reviewer"] += bool(decided)

    # A second registration of a matched child goes to a person to confirm (pair status "review"
    # with the reason) rather than being reported as an unknown child.
    look_alikes = _LookAlikes(gp_cols, hv_cols)
    limit = settings.look_alike_limit
    gp_numbers = dict(zip(gp_cols["unique_id"], gp_cols["nhs_number"], strict=True))
    hv_numbers = dict(zip(hv_cols["unique_id"], hv_cols["nhs_number"], strict=True))
    # Only a matched record's child is known; one whose pair is still under review may not be.
    gp_matched = {p.gp_record_id: p.hv_record_id for p in pairs if p.match_status == "match"}
    hv_matched = {hv_id: gp_id for gp_id, hv_id in gp_matched.items()}
    gp_seconds = _second_registrations(gp_cols, gp_matched, look_alikes, limit, hv_numbers)
    hv_seconds = _second_registrations(hv_cols, hv_matched, look_alikes, limit, gp_numbers)
    for first, gp_id, hv_id, kind in [
        *((f, s, gp_matched[f], "gp") for s, f in gp_seconds.items()),
        *((f, hv_matched[f], s, "hv") for s, f in hv_seconds.items()),
    ]:
        p = by_pair.get((gp_id, hv_id), {}).get("p", 0.0)
        name = "GP" if kind == "gp" else "health visiting"
        reason = f"second registration of the child in {name} record {first}"
        pairs.append(Pair(gp_id, hv_id, round(p, 6), "review", reason, (kind, first)))
        counts["second_registrations"] += 1
    return pairs, dict(counts)


def unknown_lists(
    pairs: list[Pair], gp_ids: list[str], hv_ids: list[str]
) -> tuple[list[str], list[str]]:
    """GP records not known to health visiting, health visiting records not registered with a GP.

    Only a match or a second registration of a matched child takes a record off the unknown
    lists: a child whose best candidate is still under review is followed up as unknown too,
    so that no unknown child waits on a review that turns out to be a different child."""
    linked = [p for p in pairs if p.match_status == "match" or p.reason.startswith("second")]
    gp_linked = {p.gp_record_id for p in linked}
    hv_linked = {p.hv_record_id for p in linked}
    return (
        [uid for uid in gp_ids if uid not in gp_linked],
        [uid for uid in hv_ids if uid not in hv_linked],
    )


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
