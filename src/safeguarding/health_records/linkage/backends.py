"""Where Splink runs: DuckDB in process, or a Spark cluster."""

from __future__ import annotations

import os


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
