"""What `notinschool link` runs (the people scored, then households), on DuckDB and on Spark,
on the linkage benchmark's data (`bench/linkage/data.py`: `notinschool synth` with known truth).

    python -m bench.spark_linkage --register 10000 --agency 100000
    python -m bench.spark_linkage --register 100000 --agency 1000000 --driver-memory 12g
    python -m bench.spark_linkage ... --master spark://127.0.0.1:7077 --engines spark

Each engine runs in a process of its own. Printed for each: wall time (Spark: the session's
start, then the linking), CPU (the Python process and, for Spark, its JVM, where the work is in
local mode; a standalone cluster's executors are not counted), peak resident memory (the same
processes, VmHWM), the matches and households found, and the quality against the truth (pairs
at 0.80: F1; at 0.999: precision). Then how the two runs' matches compare: the same pairs, the
same labels, the largest difference in probability and weight. The figures of docs/spark.md.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / ".tmp" / "bench" / "spark_linkage"


def _cpu_self() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _peak_mb(pid: int | str = "self") -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"^VmHWM:\s+(\d+) kB", text, re.MULTILINE)
    return int(match.group(1)) / 1024 if match else 0.0


def _cpu_of(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _matches_table(matches: list[Any]) -> pa.Table:
    labels = sorted({e.field for m in matches for e in m.evidence})
    columns: dict[str, list[Any]] = {"left_id": [], "right_id": [], "probability": [], "weight": []}
    columns.update({f"{f}_label": [] for f in labels})
    for m in matches:
        columns["left_id"].append(m.left_id)
        columns["right_id"].append(m.right_id)
        columns["probability"].append(m.probability)
        columns["weight"].append(m.weight)
        for e in m.evidence:
            columns[f"{e.field}_label"].append(e.label)
    return pa.table(columns)


def run(engine: str, data: Path, out: Path, master: str | None, driver_memory: str,
        partitions: int | None) -> None:
    """One engine's run, in this process; writes OUT/<engine>.json and OUT/<engine>.parquet."""
    register = pq.read_table(data / "register.parquet")
    agency = pq.read_table(data / "agency.parquet")
    result: dict[str, Any] = {"engine": engine, "register": register.num_rows,
                              "agency": agency.num_rows}
    began, cpu_began = time.perf_counter(), _cpu_self()
    if engine == "duckdb":
        from notinschool.linkage.engine import link_people_and_households

        matches, households = link_people_and_households(register, agency)
        result["start_seconds"] = 0.0
        result["jvm_cpu_seconds"], result["jvm_peak_mb"] = 0.0, 0.0
    else:
        from pyspark import SparkContext

        from notinschool.linkage.engine.spark import link_people_and_households_spark, spark_session

        conf = {"spark.driver.memory": driver_memory, "spark.ui.enabled": "false"}
        if partitions:
            conf["spark.sql.shuffle.partitions"] = str(partitions)
        session = spark_session(master, app_name="notinschool bench", conf=conf)
        result["master"] = session.sparkContext.master
        result["start_seconds"] = time.perf_counter() - began
        matches, households = link_people_and_households_spark(register, agency, spark=session)
        gateway = SparkContext._gateway
        proc = getattr(gateway, "proc", None) if gateway is not None else None
        if proc is not None:
            result["jvm_cpu_seconds"], result["jvm_peak_mb"] = _cpu_of(proc.pid), _peak_mb(proc.pid)
        else:
            result["jvm_cpu_seconds"], result["jvm_peak_mb"] = 0.0, 0.0
        session.stop()
    result["seconds"] = time.perf_counter() - began
    result["cpu_seconds"] = _cpu_self() - cpu_began
    result["peak_mb"] = _peak_mb()
    result["matches"], result["households"] = len(matches), len(households)
    result["automatic"] = sum(1 for m in matches if m.is_automatic)
    pq.write_table(_matches_table(matches), out / f"{engine}.parquet")
    (out / f"{engine}.json").write_text(json.dumps(result, indent=2))


def _compare(duckdb_pairs: pa.Table, spark_pairs: pa.Table) -> str:
    """Pairs found by one engine only; over the pairs both found, labels that differ and the
    largest differences in probability and weight."""
    import duckdb

    con = duckdb.connect()
    con.register("a", duckdb_pairs)
    con.register("b", spark_pairs)
    labels = [c for c in duckdb_pairs.column_names if c.endswith("_label")]
    differ = " OR ".join(f"a.{c} IS DISTINCT FROM b.{c}" for c in labels) or "FALSE"
    only_a = con.sql("SELECT count(*) FROM a ANTI JOIN b USING (left_id, right_id)").fetchall()[0][0]
    only_b = con.sql("SELECT count(*) FROM b ANTI JOIN a USING (left_id, right_id)").fetchall()[0][0]
    # the labels are our own column names
    sql = (f"SELECT count(*), count(*) FILTER (WHERE {differ}), "  # noqa: S608
           "max(abs(a.probability - b.probability)), max(abs(a.weight - b.weight)) "
           "FROM a JOIN b USING (left_id, right_id)")
    both, labels_differ, dp, dw = con.sql(sql).fetchall()[0]
    con.close()
    return (f"both: {both:,} pairs ({labels_differ} with other labels; largest difference in "
            f"probability {dp or 0:.1e}, in weight {dw or 0:.1e}); only on DuckDB: {only_a}; "
            f"only on Spark: {only_b}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.spark_linkage", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=int, default=10000)
    parser.add_argument("--agency", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--engines", default="duckdb,spark")
    parser.add_argument("--master", help="Spark master URL (default: local[2])")
    parser.add_argument("--driver-memory", default="4g", help="spark.driver.memory (local mode: all of it)")
    parser.add_argument("--shuffle-partitions", type=int, help="spark.sql.shuffle.partitions")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # one engine, in this process
    parser.add_argument("--data", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.run:
        out = OUT / Path(args.data).name
        run(args.run, Path(args.data), out, args.master, args.driver_memory, args.shuffle_partitions)
        return 0

    from bench.linkage import quality
    from bench.linkage.data import prepare_data

    data = prepare_data(args.register, args.agency, seed=args.seed, source="synth")
    out = OUT / data.folder.name
    out.mkdir(parents=True, exist_ok=True)
    truth = pq.read_table(data.truth)
    print(f"{data.register_rows:,} register x {data.agency_rows:,} agency records, "
          f"{data.truth_pairs:,} true pairs; load average {os.getloadavg()[0]:.1f}")
    print(f"{'engine':<8} {'start s':>8} {'link s':>8} {'total s':>8} {'CPU s':>8} {'peak MB':>9} "
          f"{'matches':>8} {'auto':>7} {'househ.':>8} {'F1':>7} {'auto prec.':>10}")
    tables: dict[str, pa.Table] = {}
    for engine in args.engines.split(","):
        cmd = [sys.executable, "-m", "bench.spark_linkage", "--run", engine, "--data", str(data.folder),
               "--driver-memory", args.driver_memory]
        if args.master:
            cmd += ["--master", args.master]
        if args.shuffle_partitions:
            cmd += ["--shuffle-partitions", str(args.shuffle_partitions)]
        subprocess.run(cmd, check=True, cwd=ROOT)
        r = json.loads((out / f"{engine}.json").read_text())
        tables[engine] = pq.read_table(out / f"{engine}.parquet")
        q = quality(tables[engine], truth, data.register_rows)
        name = engine if engine == "duckdb" else f"spark ({r['master']})"
        print(f"{name:<8} {r['start_seconds']:>8.1f} {r['seconds'] - r['start_seconds']:>8.1f} "
              f"{r['seconds']:>8.1f} {r['cpu_seconds'] + r['jvm_cpu_seconds']:>8.1f} "
              f"{r['peak_mb'] + r['jvm_peak_mb']:>9,.0f} {r['matches']:>8,} {r['automatic']:>7,} "
              f"{r['households']:>8,} {q.f1:>7.4f} {q.auto_precision:>10.4f}", flush=True)
    if {"duckdb", "spark"} <= tables.keys():
        print(_compare(tables["duckdb"], tables["spark"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
