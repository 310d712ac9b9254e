"""What a linkage takes (its settings and a progress callback) and what it gives back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[str, int, int], None]

STEPS = ["Preparing records", "Estimating the model", "Scoring candidate pairs", "Assigning pairs"]


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
