"""Linkage benchmark: our engine and plain Splink on the same data with known truth.

    python -m bench linkage -- --register 100000 --agency 1000000 [--seed 1]
        [--source synth|engine] [--no-plain] [--train] [--threads N] [--memory-limit 3GB]
        [--chunk-rows N] [--plain tuned|tutorial] [--keep]
    python -m bench.linkage --register 100000 --agency 1000000   (the same, directly)

Data comes from ``notinschool synth`` (see bench/linkage/data.py) and is cached under
.tmp/bench/linkage/. Each engine runs in a process of its own; for each it prints every
stage's wall time, CPU time and peak resident memory, then the quality figures:

- pairwise precision, recall and F1 of the pairs at or above the operating threshold
  (REVIEW_THRESHOLD, 0.80: every pair a person or the system would act on);
- found: the share of register children who have agency records of whom at least one
  record was found; wrong: the share of register children given a link to someone else's
  record (at the operating threshold, and among automatic links alone);
- blocking pair completeness: the share of true pairs among the blocked candidates;
- auto precision: the precision of the pairs at or above AUTO_THRESHOLD (0.999), applied
  without a person.

Then the ratios ours / plain Splink. Asserts nothing; the targets are in README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from bench.linkage.data import ROOT, TMP, BenchData, prepare_data

AUTO = 0.999
REVIEW = 0.80


@dataclass
class Quality:
    pairs: int
    true_pairs: int
    precision: float
    recall: float
    f1: float
    found: float
    wrong: float
    auto_pairs: int
    auto_precision: float
    auto_recall: float
    auto_wrong: float


def quality(pairs: pa.Table, truth: pa.Table, register_rows: int) -> Quality:
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    con.register("p", pairs)
    con.register("t", truth)
    row = con.execute(f"""
        WITH j AS (
            SELECT p.left_id, p.right_id, p.probability,
                   t.left_id IS NOT NULL AS ok
            FROM (SELECT * FROM p WHERE probability >= {REVIEW}) AS p
            LEFT JOIN t ON t.left_id = p.left_id AND t.right_id = p.right_id
        ),
        children AS (SELECT DISTINCT left_id FROM t)
        SELECT
            (SELECT count(*) FROM j),
            (SELECT count(*) FILTER (WHERE ok) FROM j),
            (SELECT count(*) FROM t),
            (SELECT count(*) FROM children),
            (SELECT count(DISTINCT left_id) FILTER (WHERE ok) FROM j),
            (SELECT count(DISTINCT left_id) FILTER (WHERE NOT ok) FROM j),
            (SELECT count(*) FILTER (WHERE probability >= {AUTO}) FROM j),
            (SELECT count(*) FILTER (WHERE probability >= {AUTO} AND ok) FROM j),
            (SELECT count(DISTINCT left_id) FILTER (WHERE probability >= {AUTO} AND NOT ok)
             FROM j)
    """).fetchall()[0]
    con.close()
    found_pairs, tp, truth_pairs, children, found, wrong, auto, auto_tp, auto_wrong = row
    precision = tp / found_pairs if found_pairs else 1.0
    recall = tp / truth_pairs if truth_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Quality(
        pairs=found_pairs, true_pairs=tp, precision=precision, recall=recall, f1=f1,
        found=found / children if children else 1.0,
        wrong=wrong / register_rows if register_rows else 0.0,
        auto_pairs=auto, auto_precision=auto_tp / auto if auto else 1.0,
        auto_recall=auto_tp / truth_pairs if truth_pairs else 1.0,
        auto_wrong=auto_wrong / register_rows if register_rows else 0.0,
    )  # fmt: skip


def _run(engine: str, data: BenchData, out: Path, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.linkage.run", engine, str(data.folder), str(out)]
    if args.train and engine == "ours":
        cmd.append("--train")
    if args.threads:
        cmd += ["--threads", str(args.threads)]
    if args.memory_limit and engine == "ours":
        cmd += ["--memory-limit", args.memory_limit]
    if args.chunk_rows and engine == "ours":
        cmd += ["--chunk-rows", str(args.chunk_rows)]
    if engine == "plain":
        cmd += ["--plain", args.plain]
    env = dict(os.environ)
    env.setdefault("NOTINSCHOOL_LINKAGE_TMP", str(out / "duckdb-spill"))
    started = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT, env=env)
    result: dict[str, Any] = json.loads((out / f"{engine}.json").read_text())
    result["process_seconds"] = time.perf_counter() - started
    pairs = pq.read_table(out / f"{engine}-pairs.parquet")
    truth = pq.read_table(data.truth)
    result["quality"] = quality(pairs, truth, data.register_rows)
    return result


def _merged(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stages of one name added up, in order of first appearance (a run in chunks goes
    through prepare, blocking, scoring and selection once per chunk): wall and CPU summed,
    the highest peak."""
    out: dict[str, dict[str, Any]] = {}
    for s in stages:
        m = out.setdefault(s["name"], {"name": s["name"], "seconds": 0.0, "cpu_seconds": 0.0,
                                        "peak_mb": 0.0, "times": 0})
        m["seconds"] += s["seconds"]
        m["cpu_seconds"] += s["cpu_seconds"]
        m["peak_mb"] = max(m["peak_mb"], s["peak_mb"])
        m["times"] += 1
    return list(out.values())


def _totals(result: dict[str, Any]) -> tuple[float, float, float]:
    stages = [s for s in result["stages"] if s["name"] != "check"]
    return (sum(s["seconds"] for s in stages), sum(s["cpu_seconds"] for s in stages),
            max(s["peak_mb"] for s in stages))  # fmt: skip


def _print_run(title: str, result: dict[str, Any]) -> None:
    print(f"\n{title} ({result['model']}; memory by {result['memory_method']})")
    print(f"  {'stage':<11} {'wall s':>8} {'cpu s':>8} {'peak MB':>9}")
    for s in _merged(result["stages"]):
        note = "  (not counted: truth lookup)" if s["name"] == "check" else ""
        if s["times"] > 1:
            note += f"  ({s['times']} chunks)"
        print(f"  {s['name']:<11} {s['seconds']:>8.1f} {s['cpu_seconds']:>8.1f} "
              f"{s['peak_mb']:>9.0f}{note}")  # fmt: skip
    wall, cpu, peak = _totals(result)
    print(f"  {'end to end':<11} {wall:>8.1f} {cpu:>8.1f} {peak:>9.0f}")
    counts = result["counts"]
    q: Quality = result["quality"]
    completeness = (counts["checked_pairs_blocked"] / counts["checked_pairs"]
                    if counts.get("checked_pairs") else float("nan"))  # fmt: skip
    print(f"  blocked candidate pairs {counts['blocked_pairs']:,}; "
          f"pair completeness {completeness:.4f} "
          f"({counts.get('checked_pairs_blocked', 0):,} of {counts.get('checked_pairs', 0):,} true pairs)")
    print(f"  at >= {REVIEW}: {q.pairs:,} pairs, {q.true_pairs:,} true; precision {q.precision:.4f} "
          f"recall {q.recall:.4f} F1 {q.f1:.4f}")
    print(f"  found {q.found:.4f} of register children with agency records; "
          f"wrong link {q.wrong:.4f} of register children")
    print(f"  auto (>= {AUTO}): {q.auto_pairs:,} pairs, precision {q.auto_precision:.4f}, "
          f"recall {q.auto_recall:.4f}, wrong link {q.auto_wrong:.4f} of register children")


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench linkage --", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=int, default=100_000)
    parser.add_argument("--agency", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--source", choices=("synth", "engine"), default="synth")
    parser.add_argument("--no-plain", action="store_true", help="skip plain Splink")
    parser.add_argument("--plain", choices=("tuned", "tutorial"), default="tuned",
                        help="plain Splink tuned as its documentation recommends (default), "
                             "or set up as its tutorials do")
    parser.add_argument("--train", action="store_true", help="train our model first")
    parser.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    parser.add_argument("--memory-limit", help="DuckDB memory limit for our engine, e.g. 3GB")
    parser.add_argument("--chunk-rows", type=int,
                        help="agency records our engine links at a time (default 2,000,000)")
    parser.add_argument("--drop-data", action="store_true",
                        help="delete the generated data afterwards")
    parser.add_argument("--keep", action="store_true",
                        help="keep the output folder (the pairs found, with their evidence)")
    args = parser.parse_args(argv)

    import splink

    print(f"linkage benchmark: {args.register:,} register x {args.agency:,} agency records, "
          f"seed {args.seed}, data from {args.source}")
    print(f"  {os.cpu_count()} cpus, load average {_load()}; duckdb {duckdb.__version__}, "
          f"splink {splink.__version__}, python {sys.version.split()[0]}")
    data = prepare_data(args.register, args.agency, seed=args.seed, source=args.source)
    print(f"  {data.register_rows:,} register, {data.agency_rows:,} agency records, "
          f"{data.truth_pairs:,} true pairs")
    # One per size and process: runs of two sizes, or two runs of one size, can overlap.
    out = TMP / f"out-{data.folder.name}-{os.getpid()}"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    ours = _run("ours", data, out, args)
    _print_run("ours: notinschool.linkage.engine", ours)
    if not args.no_plain:
        plain = _run("plain", data, out, args)
        _print_run(f"plain Splink, {args.plain}", plain)
        o_wall, o_cpu, o_peak = _totals(ours)
        p_wall, p_cpu, p_peak = _totals(plain)
        oq, pq_ = ours["quality"], plain["quality"]
        print(f"\nours / plain: wall time {o_wall / p_wall:.2f}, cpu time {o_cpu / p_cpu:.2f}, "
              f"peak memory {o_peak / p_peak:.2f}, F1 {oq.f1:.4f} / {pq_.f1:.4f} = "
              f"{oq.f1 / pq_.f1 if pq_.f1 else float('inf'):.2f}")
    print(f"\nload average at the end {_load()}")
    if args.keep:
        print(f"output kept in {out.relative_to(ROOT)}")
    else:
        shutil.rmtree(out, ignore_errors=True)
    if args.drop_data:
        shutil.rmtree(data.folder, ignore_errors=True)
    return 0
