"""The Spark backend (local mode) gives the same answer as DuckDB on small data."""

from __future__ import annotations

import datetime
import shutil

import pytest

from safeguarding.health_records.linkage import LinkageSettings, link, read_extract
from safeguarding.health_records.linkage.generate import generate

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs Java, not installed"),
]


def test_duckdb_and_spark_agree(tmp_path):
    generate(150, 5, tmp_path)
    today = datetime.date(2014, 3, 31)
    gp = read_extract(tmp_path / "gp_extract.csv", "gp", today=today).accepted
    hv = read_extract(tmp_path / "hv_extract.csv", "hv", today=today).accepted
    duck = link(gp, hv, LinkageSettings(backend="duckdb"))
    spark = link(gp, hv, LinkageSettings(backend="spark"))
    assert spark.model["backend"] == "spark"
    as_set = lambda result: {(p.gp_record_id, p.hv_record_id, p.match_status) for p in result.pairs}  # noqa: E731
    assert as_set(spark) == as_set(duck)
    assert spark.gp_not_known_to_hv == duck.gp_not_known_to_hv
    assert spark.hv_not_registered_with_gp == duck.hv_not_registered_with_gp
    duck_p = {(p.gp_record_id, p.hv_record_id): p.match_probability for p in duck.pairs}
    for p in spark.pairs:
        assert p.match_probability == pytest.approx(
            duck_p[(p.gp_record_id, p.hv_record_id)], abs=0.05
        )
