"""The Spark backend (local mode) gives the same answer as DuckDB on small data.

Kept quick: about a hundred children; the model is estimated once, on DuckDB, and both backends
then block, score (with term frequencies), guard and assign with those same parameters
(LinkageSettings.trained_model), so any difference is a difference between the backends. One local
Spark session serves the module (the pipeline's session is reused by getOrCreate).
"""

from __future__ import annotations

import datetime
import shutil

import pytest

from safeguarding.health_records.linkage import LinkageSettings, link, read_extract
from safeguarding.health_records.linkage.generate import generate

pytestmark = pytest.mark.skipif(
    shutil.which("java") is None, reason="Spark needs Java, not installed"
)

TODAY = datetime.date(2014, 3, 31)


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    out = tmp_path_factory.mktemp("spark")
    generate(120, 5, out)
    gp = read_extract(out / "gp_extract.csv", "gp", today=TODAY).accepted
    hv = read_extract(out / "hv_extract.csv", "hv", today=TODAY).accepted
    trained = link(gp, hv, LinkageSettings(backend="duckdb")).model["splink"]
    duck = link(gp, hv, LinkageSettings(backend="duckdb", trained_model=trained))
    spark = link(gp, hv, LinkageSettings(backend="spark", trained_model=trained))
    yield duck, spark
    from pyspark.sql import SparkSession

    session = SparkSession.getActiveSession()
    if session is not None:
        session.stop()


def test_spark_was_used(both):
    duck, spark = both
    assert duck.model["backend"] == "duckdb" and spark.model["backend"] == "spark"
    assert spark.counts["matches"] > 50


def test_same_pairs_and_lists(both):
    duck, spark = both

    def as_set(result):
        return {(p.gp_record_id, p.hv_record_id, p.match_status) for p in result.pairs}

    assert as_set(spark) == as_set(duck)
    assert spark.gp_not_known_to_hv == duck.gp_not_known_to_hv
    assert spark.hv_not_registered_with_gp == duck.hv_not_registered_with_gp


def test_same_probabilities(both):
    duck, spark = both
    duck_p = {(p.gp_record_id, p.hv_record_id): p.match_probability for p in duck.pairs}
    for p in spark.pairs:
        assert p.match_probability == pytest.approx(
            duck_p[(p.gp_record_id, p.hv_record_id)], abs=1e-4
        )


def test_the_saved_model_is_used_not_re_estimated(both):
    duck, spark = both
    for result in (duck, spark):
        assert "training" not in result.timings
        levels = result.model["splink"]["comparisons"][1]["comparison_levels"]
        assert any(level.get("m_probability") for level in levels)
