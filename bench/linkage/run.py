"""One measured linking run in a process of its own (so its peak memory is its own).

    python -m bench.linkage.run ours|plain DATA_FOLDER OUT_FOLDER [--train] [--threads N]
        [--memory-limit 2GB] [--chunk-rows N] [--plain tuned|tutorial]

Reads register.parquet, agency.parquet and truth.parquet from DATA_FOLDER; writes the
pairs found (left_id, right_id, probability) to OUT_FOLDER/<name>-pairs.parquet and the
stages and counts to OUT_FOLDER/<name>.json. Truth is used only to count the true pairs
among the blocked candidates (the ``check`` stage, left out of the totals).
"""

from __future__ import annotations

import argparse
import json
import os
from dataclasses import asdict
from pathlib import Path

import pyarrow.parquet as pq

from bench.linkage.measure import StageMeter
from notinschool.linkage.engine.linking import DEFAULT_CHUNK_ROWS


def _ours(args: argparse.Namespace, meter: StageMeter) -> dict[str, object]:
    from notinschool.linkage.engine import LinkStats, link_people_table, train_model
    from notinschool.linkage.engine.model import model_for_population, population_counts

    data = Path(args.data)
    meter.start("load")
    register = pq.read_table(data / "register.parquet")
    truth = pq.read_table(data / "truth.parquet")
    # The agency side is read a part at a time as the engine links it (never all at once).
    agency_file = pq.ParquetFile(data / "agency.parquet")
    agency_rows = agency_file.metadata.num_rows
    agency = agency_file.iter_batches(batch_size=min(args.chunk_rows, 1 << 20))
    # As the app does: the replaced-field levels weighed by the register's own twins
    # (engine.model.model_for_population), counted over the whole register.
    meter.start("counts")
    model = model_for_population(population_counts(register))
    if args.train:
        meter.start("training")
        model = train_model(register, pq.read_table(data / "agency.parquet"), base=model)
    stats = LinkStats()
    table = link_people_table(register, agency, model=model, on_stage=meter, stats=stats,
                              check_pairs=truth, threads=args.threads,
                              memory_limit=args.memory_limit, chunk_rows=args.chunk_rows,
                              population=max(register.num_rows, agency_rows))  # fmt: skip
    meter.stop()
    # Every column (the evidence labels too), for looking at the wrong links (--keep).
    pq.write_table(table, Path(args.out) / "ours-pairs.parquet")
    return {"counts": asdict(stats), "model": model.note}


def _plain(args: argparse.Namespace, meter: StageMeter) -> dict[str, object]:
    import duckdb

    from bench.linkage import plain

    data = Path(args.data)
    meter.start("load")
    register = pq.read_table(data / "register.parquet")
    agency = pq.read_table(data / "agency.parquet")
    truth = pq.read_table(data / "truth.parquet")
    if args.threads:
        duckdb.default_connection().execute(f"SET threads = {int(args.threads)}")
    if args.plain == "tutorial":
        pairs, counts = plain.run(register, agency, meter.start, check_pairs=truth)
        note = "trained as in the Splink tutorials"
    else:
        pairs, counts = plain.run_tuned(register, agency, meter.start, check_pairs=truth)
        note = "tuned: term frequencies, blocking checked, EM capped at 1e6 pairs"
    meter.stop()
    pq.write_table(pairs, Path(args.out) / "plain-pairs.parquet")
    return {"counts": counts, "model": note}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.linkage.run")
    parser.add_argument("engine", choices=("ours", "plain"))
    parser.add_argument("data")
    parser.add_argument("out")
    parser.add_argument("--train", action="store_true")
    parser.add_argument("--threads", type=int)
    parser.add_argument("--memory-limit")
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS)
    parser.add_argument("--plain", choices=("tuned", "tutorial"), default="tuned")
    args = parser.parse_args(argv)
    meter = StageMeter()
    result = _ours(args, meter) if args.engine == "ours" else _plain(args, meter)
    result["stages"] = [asdict(s) for s in meter.stages]
    result["memory_method"] = meter.method
    result["cpus"] = os.cpu_count()
    (Path(args.out) / f"{args.engine}.json").write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
