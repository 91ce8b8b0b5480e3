"""The same model on Spark, for national scale (optional extra ``notinschool[spark]``).

People are prepared exactly as for DuckDB (:mod:`.prepare`, in DuckDB, which is quick even for
tens of millions of rows), written as Parquet, and scored by Splink's Spark backend with the
model's SQL translated from DuckDB's dialect to Spark's (by sqlglot, which Splink uses
already; the two string similarity functions come from the jar Splink ships). The result
table has the columns of :func:`.linking.link_people_table`, so the rest of the project does
not know which backend ran. See docs/spark.md for running it on a cluster.
"""

from __future__ import annotations

import copy
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot

from .linking import (
    _AGENCY_NAME,
    _REGISTER_NAME,
    AGENCY_TABLE,
    DUCKDB_CONFIG,
    REGISTER_TABLE,
    _results_sql,
    _Workspace,
)
from .model import REVIEW_THRESHOLD, ModelSpec, default_model

# DuckDB function -> the name Splink's Spark jar registers it under.
_FUNCTIONS = {
    "JARO_WINKLER_SIMILARITY": "jaro_winkler",
    "JAROWINKLER_SIMILARITY": "jaro_winkler",
    "DAMERAU_LEVENSHTEIN": "damerau_levenshtein",
}


def spark_sql(condition: str) -> str:
    """One SQL condition of the model, from DuckDB's dialect to Spark's."""
    if condition.strip().upper() == "ELSE":
        return condition
    # sqlglot writes DuckDB's list_has_any as Spark's `&&`, which Spark reads as AND.
    condition = re.sub(r"\blist_has_any\(", "arrays_overlap(", condition)
    out = sqlglot.transpile(condition, read="duckdb", write="spark")[0]
    for duck, spark in _FUNCTIONS.items():
        out = re.sub(rf"\b{duck}\(", f"{spark}(", out, flags=re.IGNORECASE)
    return out


def spark_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """Splink settings with every level condition and blocking rule in Spark SQL."""
    out = copy.deepcopy(settings)
    for comparison in out["comparisons"]:
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = spark_sql(level["sql_condition"])
    out["blocking_rules_to_generate_predictions"] = [
        {**rule, "blocking_rule": spark_sql(rule["blocking_rule"])}
        for rule in out["blocking_rules_to_generate_predictions"]
    ]
    return out


def link_people_spark(
    register: pa.Table,
    agency: pa.Table,
    *,
    spark: Any,
    model: ModelSpec | None = None,
    threshold: float = REVIEW_THRESHOLD,
    best_only: bool = True,
    population: int | None = None,
    workdir: Path | None = None,
) -> pa.Table:
    """:func:`.linking.link_people_table` on Spark: same model, same result columns.

    ``spark`` is a SparkSession started with Splink's similarity jar on its class path
    (``spark.jars`` = ``splink.backends.spark.similarity_jar_location()``). ``workdir`` holds
    the Parquet passed between DuckDB and Spark (a temporary folder when not given; on a
    cluster, a path every executor can read).
    """
    from splink import Linker
    from splink.backends.spark import SparkAPI

    model = model or default_model()
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix="nin-spark-")) if own else Path(workdir or ".")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        with _Workspace() as ws:
            ws.load(register, agency)
            for table in (REGISTER_TABLE, AGENCY_TABLE):
                target = (folder / f"{table}.parquet").as_posix().replace("'", "''")
                ws.con.execute(f"COPY {table} TO '{target}' (FORMAT parquet)")
        if spark.sparkContext.getCheckpointDir() is None:
            # Splink checkpoints between steps; a session without a folder for that gets one.
            spark.sparkContext.setCheckpointDir(tempfile.mkdtemp(prefix="nin-spark-checkpoints-"))
        api = SparkAPI(spark_session=spark)
        inputs = [
            api.register(spark.read.parquet(str(folder / f"{table}.parquet")),
                         dataset_display_name=name)
            for table, name in ((REGISTER_TABLE, _REGISTER_NAME), (AGENCY_TABLE, _AGENCY_NAME))
        ]  # fmt: skip
        population = population or max(register.num_rows, agency.num_rows)
        settings = spark_settings(model.settings_for("link_only", population=population))
        linker = Linker(inputs, settings, log_level=None, validate_settings=False)
        predictions = linker.inference.predict(
            threshold_match_probability=threshold, warning_mode="never"
        )
        scored = folder / "predictions"
        predictions.as_spark_dataframe().write.mode("overwrite").parquet(str(scored))
        table = pq.read_table(scored)
        con = duckdb.connect(config=dict(DUCKDB_CONFIG))
        try:
            con.register("nin_spark_predictions", table)
            return con.sql(
                _results_sql("nin_spark_predictions", model, False, best_only)
            ).to_arrow_table()
        finally:
            con.close()
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)
