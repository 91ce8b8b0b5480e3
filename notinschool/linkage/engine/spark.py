"""The same model on Spark, for national scale (optional extra ``notinschool[spark]``).

People are prepared exactly as for DuckDB (:mod:`.prepare`, in DuckDB, which is quick even for
tens of millions of rows), written as Parquet, and scored by Splink's Spark backend with the
model's SQL translated from DuckDB's dialect to Spark's (by sqlglot, which Splink uses
already; the two string similarity functions come from the jar Splink ships). The result
table has the columns of :func:`.linking.link_people_table`, so the rest of the project does
not know which backend ran. See docs/spark.md for running it on a cluster.

- :func:`spark_session` a session for ``notinschool link --engine spark`` (a master URL, or
  ``local[2]``), or :class:`SparkUnavailable` saying what is missing (pyspark, Java)
- :func:`spark_link_people` both, for ``notinschool.linkage.linking.run_linkage``
- :func:`link_people_and_households_spark` what :func:`.linking.link_people_and_households`
  returns, with the people scored on Spark
"""

from __future__ import annotations

import contextlib
import copy
import functools
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import sqlglot

from .linking import (
    _AGENCY_NAME,
    _REGISTER_NAME,
    AGENCY_TABLE,
    DUCKDB_CONFIG,
    REGISTER_TABLE,
    Match,
    _per_child,
    _results_sql,
    _Workspace,
    household_pairs,
    matches_from_table,
)
from .model import REVIEW_THRESHOLD, ModelSpec, default_model

# DuckDB function -> the name Splink's Spark jar registers it under.
_FUNCTIONS = {
    "JARO_WINKLER_SIMILARITY": "jaro_winkler",
    "JAROWINKLER_SIMILARITY": "jaro_winkler",
    "DAMERAU_LEVENSHTEIN": "damerau_levenshtein",
}


DEFAULT_MASTER = "local[2]"
"""The master when none is given and none is configured (spark-submit, spark-defaults.conf)."""


class SparkUnavailable(RuntimeError):
    """Spark cannot start here: pyspark is not installed, or there is no Java runtime."""


def java_runtime() -> str | None:
    """The ``java`` Spark would start: ``$JAVA_HOME/bin/java``, else the one on PATH."""
    home = os.environ.get("JAVA_HOME")
    if home:
        java = Path(home) / "bin" / "java"
        return str(java) if java.is_file() and os.access(java, os.X_OK) else None
    return shutil.which("java")


def spark_session(master: str | None = None, *, app_name: str = "notinschool link",
                  conf: dict[str, str] | None = None) -> Any:
    """A SparkSession for the engine: Splink's similarity jar on the class path, ANSI mode off
    (Splink's SQL expects Spark's lenient casts), logs at ERROR.

    ``master`` (``spark://host:7077``, ``yarn``, ``local[4]``...) wins; without it, the master
    that spark-submit, ``PYSPARK_SUBMIT_ARGS`` or ``spark-defaults.conf`` set; failing those,
    :data:`DEFAULT_MASTER`. ``conf`` adds settings (over spark-defaults.conf's, for the keys it
    names), given to the JVM as it starts, so ``spark.driver.memory`` works.
    Raises :class:`SparkUnavailable` when pyspark or Java is missing.
    """
    try:
        from pyspark import SparkConf, SparkContext
        from pyspark.sql import SparkSession
    except ImportError as error:
        raise SparkUnavailable(
            "the Spark engine needs pyspark, which is not installed: "
            "pip install 'notinschool[spark]'"
        ) from error
    if java_runtime() is None:
        where = "JAVA_HOME" if os.environ.get("JAVA_HOME") else "PATH (nor JAVA_HOME set)"
        raise SparkUnavailable(
            f"the Spark engine needs a Java runtime (17 or later), and there is none on {where}"
        )
    from splink.backends.spark import similarity_jar_location

    # Settings the JVM needs as it starts: the similarity jar on the driver's class path (its
    # functions are registered there), and ``conf`` (the driver's memory, say). Under
    # spark-submit the JVM is already running: its --jars must name the jar (docs/spark.md).
    jar = similarity_jar_location()
    settings = {"spark.sql.ansi.enabled": "false", **(conf or {})}
    settings["spark.jars"] = ",".join(j for j in (settings.get("spark.jars", ""), jar) if j)
    if master:
        settings["spark.master"] = master
    elif not _master_configured():
        settings["spark.master"] = DEFAULT_MASTER  # spark-submit's own default is local[*]
    launch = SparkConf(loadDefaults=False)
    for key, value in settings.items():
        launch.set(key, value)
    log = Path(tempfile.gettempdir()) / f"notinschool-spark-{os.getpid()}.log"
    try:
        SparkContext._ensure_initialized(conf=launch, gateway=_quiet_gateway(launch, log))
    except Exception as error:
        raise SparkUnavailable(f"Spark's JVM did not start ({error}); its log: {log}") from error
    configured = SparkConf()  # now with spark-submit's, PYSPARK_SUBMIT_ARGS's and the defaults'
    builder = SparkSession.builder.appName(app_name)
    if master or not configured.contains("spark.master"):
        builder = builder.master(master or DEFAULT_MASTER)
    jars = [j for j in (configured.get("spark.jars") or "").split(",") if j]
    builder = builder.config("spark.jars", ",".join(jars + [jar] * (jar not in jars)))
    builder = builder.config("spark.sql.ansi.enabled", "false")
    if not sys.stderr.isatty():
        builder = builder.config("spark.ui.showConsoleProgress", "false")
    for key, value in (conf or {}).items():
        if key != "spark.jars":  # already with the similarity jar
            builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as error:  # a master URL Spark cannot use, a cluster that refuses
        raise SparkUnavailable(f"Spark did not start a session: {error}") from error
    session.sparkContext.setLogLevel("ERROR")
    return session


def _quiet_gateway(conf: Any, log: Path) -> Any:
    """The JVM started with what it prints going to ``log``, not this command's output (a
    command stays quiet unless on a terminal); None where it is started already (by
    spark-submit, or earlier in this process)."""
    from pyspark import SparkContext
    from pyspark.java_gateway import launch_gateway

    if SparkContext._gateway is not None or os.environ.get("PYSPARK_GATEWAY_PORT"):
        return None
    with log.open("ab") as out:
        return launch_gateway(conf, popen_kwargs={"stdout": out, "stderr": out})


def _master_configured() -> bool:
    """Whether a master is set outside the command: by spark-submit (the JVM is running
    already), in PYSPARK_SUBMIT_ARGS, or in spark-defaults.conf."""
    if os.environ.get("PYSPARK_GATEWAY_PORT"):
        return True
    if "--master" in os.environ.get("PYSPARK_SUBMIT_ARGS", ""):
        return True
    from pyspark.find_spark_home import _find_spark_home

    folder = os.environ.get("SPARK_CONF_DIR") or os.path.join(_find_spark_home(), "conf")
    defaults = Path(folder) / "spark-defaults.conf"
    if not defaults.is_file():
        return False
    return any(line.split()[:1] == ["spark.master"] for line in defaults.read_text().splitlines())


@contextlib.contextmanager
def spark_link_people(master: str | None = None, *, workdir: Path | None = None,
                      conf: dict[str, str] | None = None) -> Iterator[Any]:
    """A session from :func:`spark_session` for the block, and a function with the signature
    of :func:`.linking.link_people_and_households` that scores on it (for
    ``notinschool.linkage.linking.run_linkage``). The session stops at the end."""
    session = spark_session(master, conf=conf)
    try:
        yield functools.partial(link_people_and_households_spark, spark=session, workdir=workdir)
    finally:
        session.stop()


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
    (:func:`spark_session` does that). ``workdir`` holds the prepared people as Parquet for
    Spark to read (a temporary folder when not given; on a cluster, a folder the driver
    writes and every executor reads at the same path). The scored pairs come back to the
    driver through Spark (only those at or above ``threshold``).
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
        table = predictions.as_spark_dataframe().toArrow()
        con = duckdb.connect(config=dict(DUCKDB_CONFIG))
        try:
            con.register("nin_spark_predictions", table)
            pairs = con.sql(
                _results_sql("nin_spark_predictions", model, False, best_only, homes=True)
            ).to_arrow_table()
        finally:
            con.close()
        # As on DuckDB: with best_only, one decision per child too.
        if best_only:
            return _per_child(pairs)
        return pairs.drop_columns(["nin_home_pc", "nin_home_addr"])
    finally:
        if own:
            shutil.rmtree(folder, ignore_errors=True)


def link_people_and_households_spark(
    register: pa.Table,
    agency: pa.Table,
    *,
    spark: Any,
    model: ModelSpec | None = None,
    threshold: float = REVIEW_THRESHOLD,
    population: int | None = None,
    workdir: Path | None = None,
) -> tuple[list[Match], list[tuple[str, str, str]]]:
    """:func:`.linking.link_people_and_households` with the people scored on Spark.

    The same model, prior and threshold; the households (agency people at a register
    child's home address, less those the model calls the same person) are found by
    :func:`.linking.household_pairs` in DuckDB on the driver: a join on postcode and first
    address line, small beside scoring every candidate pair.
    """
    model = model or default_model()
    population = population or max(register.num_rows, agency.num_rows)
    table = link_people_spark(register, agency, spark=spark, model=model, threshold=threshold,
                              best_only=True, population=population, workdir=workdir)
    households = household_pairs(register, agency, model=model,
                                 same_person_threshold=threshold, population=population)
    return matches_from_table(table, model), households
