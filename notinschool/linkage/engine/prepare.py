"""Getting people into DuckDB and normalising them for comparison.

Everything here runs as SQL inside DuckDB over Arrow data: no Python loop touches a record.
The prepared table has one row per input record and the derived columns that the model's
comparisons and blocking rules use:

========================  ==================================================================
column                    meaning
========================  ==================================================================
unique_id                 the caller's ``id``
fn                        first forename token, lower case, letters only
fn_full                   every forename token joined (``van groesen``, ``sara-louise``,
                          ``nguy en``: ``vangroesen``, ``saralouise``, ``nguyen``)
mn_list                   other forename tokens then middle names (NULL when none)
sn                        surname, letters only, parts joined (``smithjones``)
sn_parts                  parts of a hyphenated or double surname, particles dropped
fn_formals                the forename and every formal name it is a nickname of
mn1_formals, sn_formals  the same for the first middle name and the surname (for swaps)
fn_key                    nickname family of the forename (blocking only)
fn_sx, sn_sx              Soundex-like phonetic codes of fn_full and sn (blocking only)
dob, dob_str, dob_y/m/d   date of birth and its parts; ``dob_md`` month and day
dob_swapped               the date with day and month exchanged, when that is a date
sex                       ``F``, ``M`` or NULL
pc, pc_sector, pc_outcode postcode without spaces, its sector and district
addr                      first address line, lower case, without spaces or punctuation
street                    first address line without house or flat numbers
nhs, upn                  identifiers when well formed
parents                   normalised parent names (households only)
========================  ==================================================================
"""

from __future__ import annotations

import csv
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

PERSON_COLUMNS: tuple[str, ...] = (
    "id",
    "forename",
    "middle_names",
    "surname",
    "sex",
    "date_of_birth",
    "postcode",
    "address_line_1",
    "upn",
    "nhs_number",
    "parent1_name",
    "parent2_name",
)
"""Columns of an input table. All are strings except ``date_of_birth`` (date32 or an ISO
``YYYY-MM-DD`` / UK ``DD/MM/YYYY`` string). Missing columns are treated as all empty; an
empty string means "not known"; ``id`` must be unique within a table."""

NICKNAMES_TABLE = "nin_nicknames"

# Particles that do not count as "one part of the surname" on their own.
_SURNAME_PARTICLES = (
    "van", "von", "de", "der", "den", "del", "della", "da", "di", "du", "la", "le", "el",
    "al", "bin", "binti", "ibn", "mc", "mac", "st", "ter", "ten",
)  # fmt: skip

_STREET_SUFFIXES = {
    "rd": "road", "st": "street", "ave": "avenue", "av": "avenue", "ln": "lane",
    "cl": "close", "cres": "crescent", "cr": "crescent", "dr": "drive", "gdns": "gardens",
    "gro": "grove", "gr": "grove", "pl": "place", "sq": "square", "ter": "terrace",
    "terr": "terrace", "ct": "court", "pk": "park", "wy": "way",
}  # fmt: skip

_ADDRESS_NOISE = ("flat", "apartment", "apt", "unit", "room", "floor", "no", "number")

_PARENT_TITLES = ("mr", "mrs", "ms", "miss", "mx", "dr", "rev", "sir", "lady", "prof")


def conform(table: pa.Table) -> pa.Table:
    """Return ``table`` with exactly PERSON_COLUMNS, strings everywhere but the date.

    Missing columns become all-null; empty or blank strings become null; extra columns are
    dropped. ``id`` must be present, non-null and unique.
    """
    if "id" not in table.column_names:
        raise ValueError("a people table needs an 'id' column")
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for name in PERSON_COLUMNS:
        if name not in table.column_names:
            columns[name] = pa.nulls(table.num_rows, pa.string())
            continue
        col = table[name]
        if name == "date_of_birth" and (
            pa.types.is_date(col.type) or pa.types.is_timestamp(col.type)
        ):
            columns[name] = pc.cast(col, pa.date32())
            continue
        if not pa.types.is_string(col.type) and not pa.types.is_large_string(col.type):
            col = pc.cast(col, pa.string())
        columns[name] = col
    out = pa.table(columns)
    if out["id"].null_count:
        raise ValueError("'id' must not be empty")
    if pc.count_distinct(out["id"]).as_py() != out.num_rows:
        raise ValueError("'id' must be unique within a table")
    return out


@cache
def nickname_pairs() -> tuple[tuple[str, str], ...]:
    """The shipped (formal, nickname or variant) pairs, lower case."""
    text = resources.files(__package__).joinpath("nicknames.csv").read_text("utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(
        (row["formal"].strip().lower(), row["name"].strip().lower())
        for row in rows
        if row["formal"].strip() and row["name"].strip()
    )


@cache
def nickname_lookup() -> pa.Table:
    """One row per known name: ``name``, ``formals`` (the name itself and every formal name
    it shortens or varies; two names are a nickname match when these overlap) and ``key``
    (its whole nickname family, for blocking only)."""
    pairs = nickname_pairs()
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    formals: dict[str, set[str]] = {}
    for formal, name in pairs:
        formals.setdefault(formal, {formal})
        formals.setdefault(name, {name}).add(formal)
        a, b = find(formal), find(name)
        if a != b:
            parent[max(a, b)] = min(a, b)
    names = sorted(formals)
    return pa.table(
        {
            "name": names,
            "formals": [sorted(formals[n]) for n in names],
            "key": [find(n) for n in names],
        }
    )


def register_nicknames(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or replace) the nickname lookup table in ``con``."""
    con.register("nin_nicknames_arrow", nickname_lookup())
    con.execute(f"CREATE OR REPLACE TABLE {NICKNAMES_TABLE} AS SELECT * FROM nin_nicknames_arrow")
    con.unregister("nin_nicknames_arrow")


def _tokens(col: str) -> str:
    """Lower-case letter tokens of a name, split on spaces and hyphens."""
    cleaned = (
        f"regexp_replace(regexp_replace(lower(strip_accents(coalesce({col}, ''))), "
        r"'[''’`.]', '', 'g'), '[^a-z]+', ' ', 'g')"
    )
    return f"list_filter(string_split(trim({cleaned}), ' '), lambda t: t <> '')"


def soundex_sql(expr: str) -> str:
    """A Soundex-like code of a lower-case letters-only string (used for blocking).

    First letter plus the next three consonant codes; h and w are ignored, repeated codes
    collapse. Consistent rather than textbook-exact, which is all blocking needs.
    """
    letters = "abcdefgijklmnopqrstuvxyz"
    codes = {
        **dict.fromkeys("aeiouy", "0"), **dict.fromkeys("bfpv", "1"),
        **dict.fromkeys("cgjkqsxz", "2"), **dict.fromkeys("dt", "3"), "l": "4",
        **dict.fromkeys("mn", "5"), "r": "6",
    }  # fmt: skip
    mapped = "".join(codes[c] for c in letters)
    # h and w are dropped, but not as the first letter, whose code the next letter's is
    # compared with: dropped there, a name beginning with h or w lost its second letter's
    # code ("whtie" W000 where "white" is W300).
    inner = (f"translate(left({expr}, 1), '{letters}hw', '{mapped}00')"
             f" || translate(substr({expr}, 2), '{letters}hw', '{mapped}')")
    for digit in "123456":
        inner = f"regexp_replace({inner}, '{digit}+', '{digit}', 'g')"
    return (
        f"CASE WHEN {expr} IS NOT NULL THEN upper(left({expr}, 1)) || "
        f"rpad(left(replace(substr({inner}, 2), '0', ''), 3), 3, '0') END"
    )


def _street_sql(col: str) -> str:
    """The street of a first address line: words only (no numbers, no flat or unit), with
    common abbreviations written out, joined without spaces."""
    words = f"string_split(regexp_replace(lower(strip_accents({col})), '[^a-z]+', ' ', 'g'), ' ')"
    noise = ", ".join(f"'{w}'" for w in _ADDRESS_NOISE)
    words = f"list_filter({words}, lambda w: length(w) > 1 AND NOT list_contains([{noise}], w))"
    cases = " ".join(f"WHEN '{short}' THEN '{full}'" for short, full in _STREET_SUFFIXES.items())
    words = f"list_transform({words}, lambda w: CASE w {cases} ELSE w END)"
    return f"nullif(array_to_string({words}, ''), '')"


def _parent_sql(col: str) -> str:
    text = f"lower(strip_accents(coalesce({col}, '')))"
    text = f"regexp_replace({text}, '[''’`]', '', 'g')"
    text = f"' ' || trim(regexp_replace({text}, '[^a-z]+', ' ', 'g')) || ' '"
    titles = "|".join(_PARENT_TITLES)
    text = f"regexp_replace({text}, '^ ({titles}) ', ' ')"
    return f"nullif(trim({text}), '')"


def _dob_sql(table: pa.Table) -> str:
    if pa.types.is_date(table.schema.field("date_of_birth").type):
        return "CAST(date_of_birth AS DATE)"
    text = "trim(date_of_birth)"
    return (
        f"CAST(coalesce(try_strptime({text}, '%Y-%m-%d'), try_strptime({text}, '%d/%m/%Y'))"
        " AS DATE)"
    )


def _distinct_lookup(source: str, columns: tuple[str, ...], outputs: dict[str, str]) -> str:
    """SQL computing ``outputs`` (name -> expression of ``v``) once per distinct value of the
    given ``columns`` of ``source``: names and addresses repeat, and regular expressions are
    the expensive part of preparation."""
    values = " UNION ".join(f"SELECT {c} AS v FROM {source}" for c in columns)
    selects = ", ".join(f"{expr} AS {name}" for name, expr in outputs.items())
    return f"SELECT v, {selects} FROM (SELECT DISTINCT v FROM ({values}) WHERE v IS NOT NULL)"


# The NHS number's check digit (modulus 11, as core.identifiers.nhs_number_valid): a number
# whose check digit is wrong is not used for matching.
_NHS_CHECK = (
    "(11 - list_sum(list_transform(range(1, 10), lambda i: "
    "CAST(substr(nhs_raw, i, 1) AS INTEGER) * (11 - i))) % 11) % 11"
    " = CAST(substr(nhs_raw, 10, 1) AS INTEGER)"
)


BLOCKING_COLUMNS: tuple[str, ...] = (
    "unique_id", "fn_key", "fn_sx", "sn_sx", "dob", "dob_y", "dob_m", "dob_d", "dob_md",
    "dob_swapped", "pc", "nhs", "upn",
)  # fmt: skip
"""The prepared columns that the model's blocking rules join on (see :func:`prepare`'s
``keys_only``)."""

# The type of every prepared column that is not a blocking column (NULL in a keys-only table).
_OTHER_TYPES: dict[str, str] = {
    "fn": "VARCHAR", "fn_full": "VARCHAR", "mn_list": "VARCHAR[]", "sn": "VARCHAR", "sn_parts": "VARCHAR[]",
    "fn_formals": "VARCHAR[]", "mn1_formals": "VARCHAR[]", "sn_formals": "VARCHAR[]",
    "dob_str": "VARCHAR", "sex": "VARCHAR", "pc_sector": "VARCHAR", "pc_outcode": "VARCHAR",
    "addr": "VARCHAR", "street": "VARCHAR", "parents": "VARCHAR[]",
}  # fmt: skip


def prepare(
    con: duckdb.DuckDBPyConnection,
    table: pa.Table,
    name: str,
    *,
    keys_only: bool = False,
    only_ids: str | None = None,
    checked: bool = False,
) -> int:
    """Load ``table`` (conformed here) into DuckDB as the prepared table ``name``.

    Returns the number of rows. The nickname lookup must already be registered.

    One statement, one pass over the records: every name and address value is normalised
    once per distinct value (with its phonetic code and nickname lookups), then joined back.

    With ``keys_only`` only :data:`BLOCKING_COLUMNS` are computed (the others are NULL, with
    their types), which is enough to find the candidate pairs; ``only_ids`` (a query of one
    column of ids) keeps only those records. Blocking a large table by its keys and then
    preparing just the records in a candidate pair gives the same prepared rows as preparing
    everyone. ``checked``: ``table`` has already been conformed (and its ids checked).
    """
    table = table if checked else conform(table)
    raw = f"{name}_arrow"
    con.register(raw, table)
    source = raw
    if only_ids is not None:
        source = f"{name}_only"
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE {source} AS
            SELECT * FROM {raw} WHERE id IN ({only_ids})""")  # fmt: skip
        con.unregister(raw)
    particles = ", ".join(f"'{p}'" for p in _SURNAME_PARTICLES)
    nick = NICKNAMES_TABLE
    lookups = {
        # Forename: its first token (fn) and the others (the start of mn_list).
        "fn_t": _distinct_lookup(source, ("forename",), {"tok": _tokens("v")}),
        "fn_d": f"""
            SELECT t.v, t.tok[1] AS fn, t.tok[2:] AS rest,
                   CASE WHEN t.tok[1] IS NOT NULL THEN coalesce(nk.formals, [t.tok[1]]) END
                       AS formals,
                   coalesce(nk.key, t.tok[1]) AS key,
                   nullif(array_to_string(t.tok, ''), '') AS full,
                   {soundex_sql("nullif(array_to_string(t.tok, ''), '')")} AS sx,
                   nk2.formals AS formals2
            FROM fn_t AS t
            LEFT JOIN {nick} AS nk ON nk.name = t.tok[1]
            LEFT JOIN {nick} AS nk2 ON nk2.name = t.tok[2]""",
        "mn_t": _distinct_lookup(source, ("middle_names",), {"tok": _tokens("v")}),
        "mn_d": f"""
            SELECT t.v, t.tok, nk.formals AS formals1
            FROM mn_t AS t LEFT JOIN {nick} AS nk ON nk.name = t.tok[1]""",
        "sn_t": _distinct_lookup(source, ("surname",), {"tok": _tokens("v")}),
        "sn_n": f"""
            SELECT v, nullif(array_to_string(tok, ''), '') AS sn,
                   list_filter(tok, lambda t: length(t) > 1
                                              AND NOT list_contains([{particles}], t)) AS parts
            FROM sn_t""",
        "sn_d": f"""
            SELECT t.v, t.sn,
                   CASE WHEN t.sn IS NOT NULL THEN
                       CASE WHEN len(t.parts) > 0 THEN t.parts ELSE [t.sn] END END AS parts,
                   CASE WHEN t.sn IS NOT NULL THEN coalesce(nk.formals, [t.sn]) END AS formals,
                   {soundex_sql("t.sn")} AS sx
            FROM sn_n AS t LEFT JOIN {nick} AS nk ON nk.name = t.sn""",
        "ad_d": _distinct_lookup(source, ("address_line_1",), {
            "addr": "nullif(regexp_replace(lower(strip_accents(v)), '[^a-z0-9]', '', 'g'), '')",
            "street": _street_sql("v"),
        }),
        "pc_d": _distinct_lookup(source, ("postcode",), {
            "pc": "nullif(upper(regexp_replace(v, '[^A-Za-z0-9]', '', 'g')), '')",
        }),
        "pa_d": _distinct_lookup(source, ("parent1_name", "parent2_name"), {"p": _parent_sql("v")}),
    }  # fmt: skip
    if keys_only:  # only the blocking keys: no middle names, addresses or parents
        lookups["mn_d"] = ("SELECT NULL::VARCHAR AS v, NULL::VARCHAR[] AS tok, "
                           "NULL::VARCHAR[] AS formals1 LIMIT 0")
        lookups["ad_d"] = ("SELECT NULL::VARCHAR AS v, NULL::VARCHAR AS addr, "
                           "NULL::VARCHAR AS street LIMIT 0")
        lookups["pa_d"] = "SELECT NULL::VARCHAR AS v, NULL::VARCHAR AS p LIMIT 0"
        del lookups["mn_t"]
    with_sql = ",\n".join(f"{alias} AS ({sql})" for alias, sql in lookups.items())
    others = ", ".join(f"NULL::{t} AS {c}" for c, t in _OTHER_TYPES.items())
    columns = f"* REPLACE ({others})" if keys_only else "*"
    sql = f"""
    CREATE OR REPLACE TABLE {name} AS
    WITH {with_sql},
    joined AS (
        SELECT
            CAST(s.id AS VARCHAR) AS unique_id,
            fn_d.fn,
            fn_d.full AS fn_full,
            nullif(list_concat(coalesce(fn_d.rest, []), coalesce(mn_d.tok, [])), [])
                AS mn_list,
            CASE WHEN len(fn_d.rest) > 0 THEN fn_d.formals2 ELSE mn_d.formals1 END
                AS mn1_nick,
            sn_d.sn,
            sn_d.parts AS sn_parts,
            fn_d.formals AS fn_formals,
            sn_d.formals AS sn_formals,
            fn_d.key AS fn_key,
            fn_d.sx AS fn_sx,
            sn_d.sx AS sn_sx,
            {_dob_sql(table)} AS dob,
            CASE upper(left(trim(s.sex), 1)) WHEN 'F' THEN 'F' WHEN 'M' THEN 'M' END AS sex,
            pc_d.pc,
            ad_d.addr,
            ad_d.street,
            regexp_replace(coalesce(s.nhs_number, ''), '[^0-9]', '', 'g') AS nhs_raw,
            upper(regexp_replace(coalesce(s.upn, ''), '[^A-Za-z0-9]', '', 'g')) AS upn_raw,
            list_distinct(list_filter([p1.p, p2.p], lambda p: p IS NOT NULL)) AS parents
        FROM {source} AS s
        LEFT JOIN fn_d ON fn_d.v = s.forename
        LEFT JOIN mn_d ON mn_d.v = s.middle_names
        LEFT JOIN sn_d ON sn_d.v = s.surname
        LEFT JOIN ad_d ON ad_d.v = s.address_line_1
        LEFT JOIN pc_d ON pc_d.v = s.postcode
        LEFT JOIN pa_d AS p1 ON p1.v = s.parent1_name
        LEFT JOIN pa_d AS p2 ON p2.v = s.parent2_name
    )
    SELECT {columns} FROM (SELECT
        unique_id,
        fn,
        fn_full,
        mn_list,
        sn,
        sn_parts,
        fn_formals,
        CASE WHEN mn_list IS NOT NULL THEN coalesce(mn1_nick, [mn_list[1]]) END AS mn1_formals,
        sn_formals,
        fn_key,
        fn_sx,
        sn_sx,
        dob,
        strftime(dob, '%Y%m%d') AS dob_str,
        year(dob) AS dob_y,
        month(dob) AS dob_m,
        day(dob) AS dob_d,
        strftime(dob, '%m%d') AS dob_md,
        CASE WHEN day(dob) <= 12 AND day(dob) <> month(dob)
            THEN make_date(year(dob), day(dob), month(dob)) END AS dob_swapped,
        sex,
        pc,
        CASE WHEN length(pc) BETWEEN 5 AND 7 THEN left(pc, length(pc) - 2) END AS pc_sector,
        CASE WHEN length(pc) BETWEEN 5 AND 7 THEN left(pc, length(pc) - 3)
             WHEN length(pc) BETWEEN 2 AND 4 THEN pc END AS pc_outcode,
        addr,
        street,
        CASE WHEN length(nhs_raw) = 10 AND {_NHS_CHECK} THEN nhs_raw END AS nhs,
        CASE WHEN length(upn_raw) = 13 THEN upn_raw END AS upn,
        nullif(parents, []) AS parents
    FROM joined)
    """
    try:
        con.execute(sql)
    finally:
        if source == raw:
            con.unregister(raw)
        else:
            con.execute(f"DROP TABLE IF EXISTS {source}")
    if only_ids is None:
        return table.num_rows
    return int(con.execute(f"SELECT count(*) FROM {name}").fetchall()[0][0])
