"""Blocking keys of people, for finding candidates outside the engine.

Every blocking rule (:data:`.model.BLOCKING_RULES` and the household rule) is an equality of
prepared columns. A caller that keeps these columns beside its records (in an indexed database
table, say) can pick out, for a few new register records, every other record that could share
a rule with them, and score only those: the pairs, and so the matches, are the same as against
everyone. :data:`KEYS_VERSION` changes whenever the preparation or the nickname table changes,
so stored keys can be recognised as stale and recomputed.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

import duckdb
import pyarrow as pa

from .model import BLOCKING_RULES
from .prepare import prepare, register_nicknames

KEY_COLUMNS: tuple[str, ...] = ("fn_key", "fn_sx", "sn_sx", "pc", "nhs", "upn")
"""The prepared columns the blocking rules join on, besides the date of birth (stored as it
comes, so it needs no key)."""



KEYED_RULES: tuple[str, ...] = (
    "l.nhs = r.nhs",
    "l.upn = r.upn",
    "l.dob = r.dob AND l.sn_sx = r.sn_sx",
    "l.dob = r.dob AND l.fn_key = r.fn_key",
    "l.dob = r.dob AND l.pc = r.pc",
    "l.dob_swapped = r.dob AND l.fn_key = r.fn_key AND l.sn_sx = r.sn_sx",
    "l.dob_y = r.dob_y AND l.dob_m = r.dob_m AND l.fn_key = r.fn_key AND l.sn_sx = r.sn_sx",
    "l.dob_y = r.dob_y AND l.dob_d = r.dob_d AND l.fn_key = r.fn_key AND l.sn_sx = r.sn_sx",
    "l.dob_md = r.dob_md AND l.fn_key = r.fn_key AND l.sn_sx = r.sn_sx",
    "l.fn_sx = r.sn_sx AND l.sn_sx = r.fn_sx AND l.dob_y = r.dob_y",
    "l.fn_sx = r.sn_sx AND l.sn_sx = r.fn_sx AND l.pc = r.pc",
    "l.dob = r.dob AND l.fn_sx = r.sn_sx",
    "l.dob = r.dob AND l.sn_sx = r.fn_sx",
    "l.pc = r.pc AND l.fn_key = r.fn_key",
    "l.pc = r.pc AND l.sn_sx = r.sn_sx",
)
"""The blocking rules that candidate selection by these keys was written for. When the
model's rules differ, :func:`keys_cover_blocking` is False and callers must link against
everyone."""


def keys_cover_blocking(rules: tuple[str, ...] | None = None) -> bool:
    """True when candidate selection by keys finds every pair the blocking ``rules`` (by
    default the model's) can make."""
    return tuple(rules if rules is not None else BLOCKING_RULES) == KEYED_RULES


@cache
def keys_version() -> str:
    """A fingerprint of everything that decides the keys: the preparation code and the
    nickname table. Stored keys with another version are stale."""
    digest = hashlib.sha256()
    for name in ("prepare.py", "keys.py", "nicknames.csv"):
        digest.update(resources.files(__package__).joinpath(name).read_bytes())
    return digest.hexdigest()[:12]


def blocking_keys(table: pa.Table) -> pa.Table:
    """``id`` and :data:`KEY_COLUMNS` (NULL where not known) of every person in ``table`` (an
    input table as :func:`.link_people` takes it), prepared exactly as linking prepares them."""
    from .linking import DUCKDB_CONFIG

    con = duckdb.connect(config=dict(DUCKDB_CONFIG))
    try:
        register_nicknames(con)
        prepare(con, table, "nin_keys", keys_only=True)
        columns = ", ".join(KEY_COLUMNS)
        return con.sql(f"SELECT unique_id AS id, {columns} FROM nin_keys").to_arrow_table()
    finally:
        con.close()
