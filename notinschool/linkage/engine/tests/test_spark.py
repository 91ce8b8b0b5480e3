"""The Spark backend gives the same matches as DuckDB (slow: starts a local JVM).

    pytest -m slow notinschool/linkage/engine/tests/test_spark.py

Needs the optional extra (``pip install notinschool[spark]``) and a Java runtime."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notinschool.linkage.engine import link_people_table
from notinschool.linkage.engine.tests.synthetic import generate

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime")
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    session = (
        SparkSession.builder.master("local[1]")
        .appName("notinschool-test")
        .config("spark.jars", similarity_jar_location())
        .config("spark.sql.ansi.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    session.sparkContext.setLogLevel("ERROR")
    session.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("checkpoints")))
    yield session
    session.stop()


def test_spark_finds_the_same_matches_with_the_same_evidence(spark: Any, tmp_path: Path) -> None:
    from notinschool.linkage.engine.spark import link_people_spark

    data = generate(120, 400, seed=5)
    on_spark = link_people_spark(data.register, data.agency, spark=spark, workdir=tmp_path)
    on_duckdb = link_people_table(data.register, data.agency)
    assert on_duckdb.num_rows > 40
    keys = ["left_id", "right_id"]
    labels = [c for c in on_duckdb.column_names if c.endswith("_label")]
    assert on_spark.select(keys + labels).to_pylist() == on_duckdb.select(keys + labels).to_pylist()
    for a, b in zip(on_spark["probability"].to_pylist(), on_duckdb["probability"].to_pylist(),
                    strict=True):  # fmt: skip
        assert a == pytest.approx(b, rel=1e-9)
