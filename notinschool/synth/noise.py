"""Differences between records of the same person, as other systems hold them.

A record view is a list `[forename, middle_names, surname, date_of_birth, line1, postcode]`.
Each noise kind changes one thing; a true-match record carries at most two kinds (the data
contract's promise that such a record still links without a person).
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata

from .names import NICKNAMES
from .rand import pick

Date = dt.date
View = list  # [forename, middle, surname, dob, line1, postcode]

KINDS = (
    "nickname",
    "typo",
    "transposition",
    "hyphen_part",
    "middle_swap",
    "name_swap",
    "dob_day_month",
    "dob_digit",
    "dob_year",
    "old_address",
)
_WEIGHTS = {
    "nickname": 6,
    "typo": 6,
    "transposition": 3,
    "hyphen_part": 8,
    "middle_swap": 2,
    "name_swap": 1,
    "dob_day_month": 3,
    "dob_digit": 3,
    "dob_year": 2,
    "old_address": 6,
}
NEARBY = {
    "a": "seq", "e": "wra", "i": "uoy", "o": "ipa", "u": "yio", "n": "mbh", "m": "nb",
    "r": "etf", "t": "ryg", "l": "kp", "s": "adz", "h": "gj", "y": "tui", "c": "kx",
}  # fmt: skip


def count(rng: random.Random, rates: tuple[float, float]) -> int:
    """How many differences a record gets: 0, 1 or 2, with P(1) and P(2) given."""
    r = rng.random()
    return 2 if r < rates[1] else 1 if r < rates[0] + rates[1] else 0


def applicable(view: View, has_previous: bool, twin: bool) -> list[str]:
    kinds = ["typo", "transposition", "dob_digit", "dob_year"]
    if view[0] in NICKNAMES:
        kinds.append("nickname")
    if "-" in view[2]:
        kinds.append("hyphen_part")
    if view[1] and not twin:
        kinds.append("middle_swap")
    if not twin:
        kinds.append("name_swap")
    dob = view[3]
    if dob.day <= 12 and dob.day != dob.month:
        kinds.append("dob_day_month")
    if has_previous:
        kinds.append("old_address")
    return kinds


def choose(rng: random.Random, kinds: list[str], n: int) -> list[str]:
    chosen: list[str] = []
    pool = list(kinds)
    while len(chosen) < n and pool:
        total = sum(_WEIGHTS[k] for k in pool)
        r = rng.random() * total
        for k in pool:
            r -= _WEIGHTS[k]
            if r < 0:
                break
        pool.remove(k)
        if not (k == "name_swap" and "middle_swap" in chosen) and not (
            k == "middle_swap" and "name_swap" in chosen
        ):
            chosen.append(k)
    return [k for k in KINDS if k in chosen]


def _strip_accents(name: str) -> str:
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return folded.replace("Ł", "L").replace("ł", "l") or name


def typo(rng: random.Random, name: str) -> str:
    if not name.isascii():
        stripped = _strip_accents(name)
        if stripped != name:
            return stripped
    spots = [i for i in range(1, len(name)) if name[i].isalpha() and name[i - 1].isalpha()]
    if len(name) < 3 or not spots:
        return name + name[-1]
    i = pick(rng, spots)
    ch = name[i].lower()
    op = rng.random()
    if op < 0.4 and ch in NEARBY:
        return name[:i] + pick(rng, NEARBY[ch]) + name[i + 1 :]
    if op < 0.7 and len(name) > 3:
        return name[:i] + name[i + 1 :]
    return name[:i] + name[i - 1].lower() + name[i:]


def transpose(rng: random.Random, name: str) -> str:
    spots = [
        i
        for i in range(1, len(name) - 1)
        if name[i] != name[i + 1] and name[i].isalpha() and name[i + 1].isalpha()
    ]
    if not spots:
        return typo(rng, name)
    i = pick(rng, spots)
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def _valid(year: int, month: int, day: int) -> Date | None:
    try:
        return Date(year, month, day)
    except ValueError:
        return None


def dob_digit(rng: random.Random, dob: Date) -> Date:
    """One digit of the written date wrong (day, month or the year's last digit)."""
    for _ in range(20):
        part = rng.randrange(3)
        digit = rng.randrange(10)
        if part == 0:
            d = _valid(dob.year, dob.month, (dob.day // 10) * 10 + digit)
        elif part == 1:
            d = _valid(dob.year, (dob.month // 10) * 10 + digit, dob.day)
        else:
            d = _valid((dob.year // 10) * 10 + digit, dob.month, dob.day)
        if d is not None and d != dob and abs((d - dob).days) < 3700:
            return d
    return dob + dt.timedelta(days=1)


def dob_year(rng: random.Random, dob: Date) -> Date:
    year = dob.year + (1 if rng.random() < 0.5 else -1)
    return _valid(year, dob.month, dob.day) or Date(year, dob.month, 28)


def apply(rng: random.Random, view: View, kinds: list[str], previous: tuple[str, str], latest: Date) -> View:
    """Apply the kinds in order; a changed birth date never lands after `latest`."""
    for kind in kinds:
        before = view[3]
        _apply_one(rng, view, kind, previous)
        if view[3] > latest:
            view[3] = _valid(before.year - 1, before.month, before.day) or Date(
                before.year - 1, before.month, 28
            )
    return view


def _apply_one(rng: random.Random, view: View, kind: str, previous: tuple[str, str]) -> None:
    if kind == "nickname":
        view[0] = pick(rng, NICKNAMES[view[0]]) if view[0] in NICKNAMES else typo(rng, view[0])
    elif kind in ("typo", "transposition"):
        which = 2 if rng.random() < 0.5 else 0
        fn = typo if kind == "typo" else transpose
        view[which] = fn(rng, view[which])
    elif kind == "hyphen_part":
        view[2] = pick(rng, [part for part in view[2].split("-") if part] or [view[2]])
    elif kind == "middle_swap":
        middles = view[1].split()
        view[0], view[1] = middles[0], " ".join([view[0], *middles[1:]])
    elif kind == "name_swap":
        view[0], view[2] = view[2], view[0]
    elif kind == "dob_day_month":
        view[3] = Date(view[3].year, view[3].day, view[3].month)
    elif kind == "dob_digit":
        view[3] = dob_digit(rng, view[3])
    elif kind == "dob_year":
        view[3] = dob_year(rng, view[3])
    elif kind == "old_address":
        view[4], view[5] = previous
