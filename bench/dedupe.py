"""Register duplicates benchmark: the engine's dedupe over a whole register, with known truth.

    python -m bench dedupe -- --register 100000 [--seed 1] [--share 0.01]

The register comes from ``notinschool synth`` (cached under .tmp/bench/dedupe/): one record
per child from the child's first intake row, and, for a share of the children who have a
second intake row that differs from the first (another spelling, another date written, an
old address), a second register record from that row, as a duplicate that reached the
register. Prints the time, CPU time and peak resident memory of ``dedupe_people`` (what
``notinschool link`` and the monthly run add), then:

- pairs at or above the review threshold, per 1,000 register records (a person's workload),
  and how many are left out because both records carry a UPN or NHS number and they differ;
- recall: the share of planted duplicates found; precision: the share of pairs suggested
  (after that rule) that are a planted duplicate.

A pair of records of two different children is a wrong suggestion even when they are twins:
the officer rules it out once. Asserts nothing.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from bench.linkage.data import _INTAKE, _PERSON, _read_strings, _synth
from bench.linkage.measure import StageMeter

ROOT = Path(__file__).resolve().parent.parent
TMP = ROOT / ".tmp" / "bench" / "dedupe"


def _django() -> None:
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, str(ROOT))
    django.setup()


def register_with_duplicates(children: int, seed: int, share: float) -> tuple[pa.Table, int]:
    """The register table (engine columns; ``id`` is the person id, ``#2`` on a duplicate)
    and how many duplicates were planted."""
    folder = TMP / f"r{children}-s{seed}"
    raw = folder / "synth"
    cached = folder / f"register-{share}.parquet"
    if cached.exists():
        table = pq.read_table(cached)
        return table, sum(1 for i in table["id"].to_pylist() if i.endswith("#2"))
    _synth(children, 0.05, seed, raw)
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})
    con.execute("SET enable_progress_bar = false")
    truth = pacsv.read_csv(raw / "truth.csv", convert_options=pacsv.ConvertOptions(
        include_columns=["file", "row", "person_id"],
        column_types={"file": pa.string(), "row": pa.int64(), "person_id": pa.string()}))
    con.register("truth_rows", truth)
    parts = []
    for rank, kind in enumerate(_INTAKE[:-1]):  # contacts carry no identity of their own
        table = _read_strings(raw / f"{kind}.csv", ("record_id", *_PERSON))
        con.register(f"intake_{rank}", table)
        cols = ", ".join(c if c in table.column_names else f"NULL::VARCHAR AS {c}" for c in _PERSON)
        parts.append(f"SELECT {rank} AS rank, '{kind}.csv' AS file, row, {cols} FROM intake_{rank}")
    person = ", ".join("TRY_CAST(date_of_birth AS DATE) AS date_of_birth" if c == "date_of_birth"
                       else c for c in _PERSON)
    identity = " OR ".join(f"{c} IS DISTINCT FROM first_{c}"
                           for c in ("forename", "surname", "date_of_birth", "postcode"))
    con.execute(f"""
        CREATE TABLE rows AS
        SELECT t.person_id, row_number() OVER (PARTITION BY t.person_id ORDER BY i.rank, i.row) AS n,
               {person}
        FROM ({" UNION ALL ".join(parts)}) AS i JOIN truth_rows AS t USING (file, row)
    """)
    firsts = ", ".join(f"f.{c} AS first_{c}" for c in ("forename", "surname", "date_of_birth",
                                                        "postcode"))
    seconds = con.execute(f"""
        SELECT r.person_id FROM rows r JOIN (SELECT person_id, {firsts.replace('f.', '')}
            FROM rows WHERE n = 1) f USING (person_id)
        WHERE r.n = 2 AND ({identity.replace('first_', 'f.first_')})
    """).fetchall()
    chosen = [p for (p,) in seconds
              if int(hashlib.sha256(f"{seed}:{p}".encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share]
    con.register("chosen", pa.table({"person_id": chosen}))
    columns = ", ".join(c for c in _PERSON)
    table = con.sql(f"""
        SELECT person_id AS id, {columns} FROM rows WHERE n = 1
        UNION ALL
        SELECT person_id || '#2' AS id, {columns} FROM rows JOIN chosen USING (person_id) WHERE n = 2
        ORDER BY id
    """).to_arrow_table()
    table = table.cast(pa.schema([pa.field(f.name, pa.date32() if f.name == "date_of_birth"
                                           else pa.string()) for f in table.schema]))
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, cached)
    return table, len(chosen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench dedupe --", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--register", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--share", type=float, default=0.01,
                        help="share of children with a second, different intake row who get a "
                             "duplicate register record")
    args = parser.parse_args(argv)
    _django()
    from notinschool.linkage import engine
    from notinschool.linkage.duplicates import _identifiers, _numbers_differ

    register, planted = register_with_duplicates(args.register, args.seed, args.share)
    print(f"register: {register.num_rows:,} records, {planted:,} planted duplicates")
    meter = StageMeter()
    meter.start("dedupe")
    found = engine.dedupe_people(register)
    meter.stop()
    stage = meter.stages[-1]
    ids = _identifiers([register])
    kept = [m for m in found if not _numbers_differ(ids[m.left_id], ids[m.right_id])]
    true = {frozenset((p, f"{p}#2")) for p in (i[:-2] for i in register["id"].to_pylist()
                                                  if i.endswith("#2"))}
    hits = sum(frozenset((m.left_id, m.right_id)) in true for m in kept)
    print(f"dedupe_people: {stage.seconds:.1f} s wall, {stage.cpu_seconds:.1f} s CPU, "
          f"peak {stage.peak_mb:,.0f} MB ({meter.method})")
    print(f"pairs at or above the review threshold: {len(found):,}; left out (UPN or NHS "
          f"number differ): {len(found) - len(kept):,}; suggested: {len(kept):,} "
          f"({1000 * len(kept) / register.num_rows:.2f} per 1,000 records)")
    print(f"recall {hits / max(planted, 1):.4f} ({hits:,} of {planted:,} planted); "
          f"precision {hits / max(len(kept), 1):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
