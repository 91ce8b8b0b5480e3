"""Benchmark data with known truth: register and agency people as Arrow tables.

Source ``synth`` (the default) runs the project's own generator, ``notinschool synth`` (a
fictional authority, its intake files, six agencies' files and truth.csv), then turns its
files into the engine's input tables with DuckDB:

- register: one record per child named in an intake file, as the first intake row about
  the child has it (roll deletion, else parent registration, else referral, else school
  admission, else contact), with whatever differences that row carries;
- agency: one record per agency record id (the identifying columns of its first fact row);
  agencies hold the same child under several sources, sometimes twice in one source;
- truth: (register id, agency id) where truth.csv says both rows are the same person.

The agency side is cut to exactly the asked number of records by a seeded random sample of
record ids. Source ``engine`` uses the engine's own test generator
(notinschool/linkage/engine/tests/synthetic.py) instead.

Generated data is kept under .tmp/bench/linkage/ and reused.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[2]
TMP = ROOT / ".tmp" / "bench" / "linkage"
AS_OF = dt.date(2026, 11, 2)

# Agency records per agency data row in synth output (each record has one or more facts).
_RECORDS_PER_ROW = 0.52

# Intake files in order of preference for the register's own record of a child.
_INTAKE = ("roll-deletions", "parent-registrations", "referrals", "school-admissions", "contacts")
_PERSON = ("forename", "middle_names", "surname", "sex", "date_of_birth", "postcode",
           "address_line_1", "upn", "nhs_number", "parent1_name", "parent2_name")  # fmt: skip
_AGENCIES = ("social_care", "health", "police", "domestic_abuse", "exploitation", "housing")


@dataclass(frozen=True)
class BenchData:
    folder: Path
    register_rows: int
    agency_rows: int
    truth_pairs: int
    source: str

    @property
    def register(self) -> Path:
        return self.folder / "register.parquet"

    @property
    def agency(self) -> Path:
        return self.folder / "agency.parquet"

    @property
    def truth(self) -> Path:
        return self.folder / "truth.parquet"


def load(path: Path) -> pa.Table:
    return pq.read_table(path)


def prepare_data(register: int, agency: int, *, seed: int, source: str) -> BenchData:
    """Generate (or reuse) the data for one benchmark size."""
    folder = TMP / f"{source}-r{register}-a{agency}-s{seed}"
    meta_path = folder / "meta.json"
    if meta_path.exists():
        meta = json.loads(meta_path.read_text())
        print(f"data: reusing {folder.relative_to(ROOT)} ({meta['note']})")
        return BenchData(folder, meta["register"], meta["agency"], meta["truth"], source)
    if source == "synth" and agency > SYNTH_LARGEST:
        return _padded(register, agency, seed, folder)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    if source == "synth":
        reg, ag, truth, note = _from_synth(register, agency, seed, folder)
    elif source == "engine":
        reg, ag, truth, note = _from_engine_generator(register, agency, seed)
    else:
        raise ValueError(f"unknown data source {source!r}")
    pq.write_table(reg, folder / "register.parquet")
    pq.write_table(ag, folder / "agency.parquet")
    pq.write_table(truth, folder / "truth.parquet")
    took = time.perf_counter() - started
    note = f"{note}; made in {took:.0f} s"
    meta = {"register": reg.num_rows, "agency": ag.num_rows, "truth": truth.num_rows,
            "note": note}  # fmt: skip
    meta_path.write_text(json.dumps(meta, indent=2))
    print(f"data: {folder.relative_to(ROOT)} ({note})")
    return BenchData(folder, reg.num_rows, ag.num_rows, truth.num_rows, source)


SYNTH_LARGEST = 10_000_000
"""The most agency records made by ``notinschool synth`` itself (about 17 minutes and 4 GB of
files at 200,000 children); larger sizes add mixed records to that (see :func:`_padded`)."""


def _padded(register: int, agency: int, seed: int, folder: Path) -> BenchData:
    """``agency`` records: the SYNTH_LARGEST of the synth data of this register size, and
    as many more people as are missing, each put together from four different synth agency
    records (forename, middle names and sex from one; surname and parents from another;
    date of birth from a third; postcode and first address line from a fourth; no UPN or
    NHS number), chosen by seeded hashes. They are nobody on the register (truth is the
    base's), have the base's names, birthdays and addresses in the same proportions, so
    look-alikes come as often as among the base's people; what they lack is the base's
    families and the ties between a name and a place. Made with DuckDB in a minute or two,
    where synth would take about an hour at 30,000,000."""
    base = prepare_data(register, SYNTH_LARGEST, seed=seed, source="synth")
    started = time.perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    extra = agency - base.agency_rows
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    con.execute("SET enable_progress_bar = false")
    con.execute(f"SET temp_directory = '{(folder / 'duckdb-spill').as_posix()}'")
    src = (base.agency).as_posix()
    con.execute(f"CREATE TABLE b AS SELECT *, row_number() OVER () - 1 AS k FROM '{src}'")
    n = base.agency_rows
    parts = {"f": "forename, middle_names, sex", "s": "surname, parent1_name, parent2_name",
             "d": "date_of_birth", "a": "postcode, address_line_1"}  # fmt: skip
    selects = []
    for p in range((extra + n - 1) // n):
        rows = min(n, extra - p * n)
        for key, cols in parts.items():
            con.execute(f"""CREATE OR REPLACE TABLE {key} AS SELECT {cols},
                row_number() OVER (ORDER BY hash(k, '{key}', {p}, {seed})) - 1 AS i FROM b""")
        con.execute(f"""CREATE OR REPLACE TABLE mix_{p} AS
            SELECT 'mix:{p}:' || f.i AS id, f.forename, f.middle_names, s.surname, f.sex,
                   d.date_of_birth, a.postcode, a.address_line_1, NULL::VARCHAR AS upn,
                   NULL::VARCHAR AS nhs_number, s.parent1_name, s.parent2_name
            FROM f JOIN s USING (i) JOIN d USING (i) JOIN a USING (i) WHERE f.i < {rows}""")
        selects.append(f"SELECT * FROM mix_{p}")
    cols = ", ".join(("id", *_PERSON))
    con.execute(f"""COPY (SELECT * FROM (SELECT {cols} FROM '{src}' UNION ALL
                {" UNION ALL ".join(selects)}) ORDER BY hash(id))
                TO '{(folder / "agency.parquet").as_posix()}' (FORMAT parquet)""")  # fmt: skip
    con.close()
    for name in ("register.parquet", "truth.parquet"):
        (folder / name).write_bytes((base.folder / name).read_bytes())
    rows = pq.ParquetFile(folder / "agency.parquet").metadata.num_rows
    note = (f"{base.agency_rows} agency records of {base.folder.name} and {rows - base.agency_rows} "
            f"mixed from them; made in {time.perf_counter() - started:.0f} s")  # fmt: skip
    meta = {"register": base.register_rows, "agency": rows, "truth": base.truth_pairs,
            "note": note}  # fmt: skip
    (folder / "meta.json").write_text(json.dumps(meta, indent=2))
    print(f"data: {folder.relative_to(ROOT)} ({note})")
    return BenchData(folder, base.register_rows, rows, base.truth_pairs, "synth")


def _from_engine_generator(
    register: int, agency: int, seed: int
) -> tuple[pa.Table, pa.Table, pa.Table, str]:
    from notinschool.linkage.engine.tests.synthetic import generate

    data = generate(register, agency, seed=seed)
    pairs = sorted(data.truth)
    truth = pa.table({"left_id": [p[0] for p in pairs], "right_id": [p[1] for p in pairs]})
    return data.register, data.agency, truth, "engine/tests/synthetic.py generator"


def _synth(children: int, ratio: float, seed: int, out: Path) -> None:
    if (out / "truth.json").exists():
        return
    started = time.perf_counter()
    cmd = [sys.executable, "-m", "notinschool.synth", "--children", str(children),
           "--seed", str(seed), "--out", str(out), "--as-of", AS_OF.isoformat(),
           "--agency-ratio", f"{ratio:.2f}"]  # fmt: skip
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    print(f"data: notinschool synth --children {children} --agency-ratio {ratio:.2f} "
          f"took {time.perf_counter() - started:.0f} s")  # fmt: skip


def _read_strings(path: Path, columns: tuple[str, ...]) -> pa.Table:
    """The named columns of a CSV (those it has), all as strings, plus ``row`` (the row
    number as truth.csv counts it: the header is row 1)."""
    with path.open(encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split(",")
    wanted = [c for c in columns if c in header]
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(
            include_columns=wanted,
            column_types={c: pa.string() for c in wanted},
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )
    rows = pa.array(range(2, table.num_rows + 2), pa.int64())
    return table.append_column("row", rows)


def _from_synth(
    register: int, agency: int, seed: int, folder: Path
) -> tuple[pa.Table, pa.Table, pa.Table, str]:
    ratio = agency / max(register, 1) / _RECORDS_PER_ROW
    raw = folder / "synth"
    _synth(register, ratio, seed, raw)
    con = duckdb.connect(config={"autoinstall_known_extensions": False,
                                 "autoload_known_extensions": False})  # fmt: skip
    con.execute("SET enable_progress_bar = false")
    truth_csv = pacsv.read_csv(
        raw / "truth.csv",
        convert_options=pacsv.ConvertOptions(
            include_columns=["file", "row", "person_id"],
            column_types={"file": pa.string(), "row": pa.int64(), "person_id": pa.string()},
        ),
    )
    con.register("truth_rows", truth_csv)
    intake_parts = []
    for rank, kind in enumerate(_INTAKE):
        table = _read_strings(raw / f"{kind}.csv", ("record_id", *_PERSON))
        name = f"intake_{rank}"
        con.register(name, table)
        cols = ", ".join(f"{c}" if c in table.column_names else f"NULL::VARCHAR AS {c}"
                         for c in _PERSON)  # fmt: skip
        intake_parts.append(f"SELECT {rank} AS rank, '{kind}.csv' AS file, row, {cols} FROM {name}")
    agency_parts = []
    for source in _AGENCIES:
        table = _read_strings(raw / f"agency-{source}.csv", ("record_id", *_PERSON))
        name = f"agency_{source}"
        con.register(name, table)
        cols = ", ".join(_PERSON)
        agency_parts.append(
            f"SELECT '{source}:' || record_id AS id, 'agency-{source}.csv' AS file, row, {cols} "
            f"FROM {name}"
        )
    person_cols = ", ".join(
        "TRY_CAST(date_of_birth AS DATE) AS date_of_birth" if c == "date_of_birth" else c
        for c in _PERSON
    )
    con.execute(f"""
        CREATE TABLE reg AS
        SELECT t.person_id AS id, {person_cols}
        FROM ({" UNION ALL ".join(intake_parts)}) AS i
        JOIN truth_rows AS t USING (file, row)
        QUALIFY row_number() OVER (PARTITION BY t.person_id ORDER BY i.rank, i.row) = 1
    """)
    con.execute(f"""
        CREATE TABLE ag_all AS
        SELECT a.id, t.person_id, {person_cols}
        FROM ({" UNION ALL ".join(agency_parts)}) AS a
        JOIN truth_rows AS t USING (file, row)
        QUALIFY row_number() OVER (PARTITION BY a.id ORDER BY a.row) = 1
    """)
    available = con.execute("SELECT count(*) FROM ag_all").fetchall()[0][0]
    con.execute(f"""
        CREATE TABLE ag AS SELECT * FROM ag_all
        ORDER BY hash(id || '/{seed}') LIMIT {agency}
    """)
    reg = con.sql("SELECT * FROM reg ORDER BY id").to_arrow_table()
    ag = con.sql(f"SELECT id, {', '.join(_PERSON)} FROM ag ORDER BY hash(id)").to_arrow_table()
    truth = con.sql("""
        SELECT r.id AS left_id, a.id AS right_id
        FROM reg AS r JOIN ag AS a ON a.person_id = r.id
        ORDER BY 1, 2
    """).to_arrow_table()
    con.close()
    note = (f"notinschool synth, {register} children, agency ratio {ratio:.2f}: "
            f"{available} agency records, {ag.num_rows} sampled")  # fmt: skip
    return reg, ag, truth, note
