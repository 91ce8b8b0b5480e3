"""Recognising the same child notified twice (a school's deletion and the parent's
registration, say), with the evidence for each decision.

A notification matches a child on the register when the forenames agree (exactly, as a
nickname or shortened form, or with one letter wrong), the surnames agree (exactly, one part
of a hyphenated name, or one letter wrong), and the dates of birth agree (exactly, or with day
and month swapped or one digit wrong where the names agree exactly or the postcode is the
same; or with the year one out where the names agree and the postcode is the same). A
unique pupil number that agrees settles it. Twins and siblings share a surname, a date of
birth and an address but not a forename, so a forename that disagrees never matches; and two
rows of one file only make one child when forename and date of birth agree exactly (a school
does not delete one pupil twice under two forenames: those are twins).
"""

import contextlib
import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from notinschool.people.names import edit_distance_at_most_one, fold, postcode_key, surname_parts
from notinschool.people.nicknames import same_forename

_YEAR_OUT = "year of birth one out"
_SWAPPED_TYPO = "forename and surname swapped, one with a letter wrong"


@dataclass(slots=True)
class Candidate:
    """What the matcher knows of a child: enough to compare, not the whole record."""

    key: Any                     # the child's id, or a placeholder for one made in this batch
    forename: str
    middle_names: str
    surname: str
    date_of_birth: dt.date | None
    postcode: str
    upn: str = ""
    fresh: bool = False          # made from an earlier row of the file being imported
    sex: str = ""                # F, M, U or empty
    # a probe's other postcodes: the previous address of a parent registration, the future one
    # of a roll deletion (a register child living at one of them is the same family moved)
    other_postcodes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Decision:
    key: Any
    score: int
    evidence: tuple[str, ...]


@dataclass
class ChildIndex:
    by_dob: dict[dt.date, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    by_name: dict[tuple[str, str], list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    by_upn: dict[str, Candidate] = field(default_factory=dict)
    by_postcode: dict[str, list[Candidate]] = field(default_factory=lambda: defaultdict(list))
    # the first child added under each (forename, surname, birth date, postcode): see find
    by_exact: dict[tuple[str, str, dt.date, str], Candidate] = field(default_factory=dict)
    # every surname and forename of the index: the names in the index `_surname_level` accepts
    # with it (see _fast_pools), and each name under the keys `_near_keys` gives it
    near: dict[str, set[str]] = field(default_factory=dict)
    names_near: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    # the last name not in the index find looked for, how many names the index had, and those
    # near it (a row no child matches becomes a child under that name: see _add_name)
    last_scan: tuple[str, int, set[str]] | None = None

    def add(self, candidate: Candidate) -> None:
        if candidate.date_of_birth:
            self.by_dob[candidate.date_of_birth].append(candidate)
        for name in (candidate.surname, candidate.forename):
            if name not in self.near:
                self._add_name(name)
        for part in surname_parts(candidate.surname):
            self.by_name[(fold(candidate.forename), part)].append(candidate)
        if candidate.upn:
            self.by_upn[candidate.upn] = candidate
        if candidate.postcode:
            self.by_postcode[postcode_key(candidate.postcode)].append(candidate)
        exact = _exact_key(candidate)
        if exact is not None:
            self.by_exact.setdefault(exact, candidate)

    def _add_name(self, name: str) -> None:
        last = self.last_scan  # find scanned for this surname just now: no name added since?
        if last is not None and last[0] == name and last[1] == len(self.near):
            near = set(last[2])
        else:
            near = self._scan_near(name)
        if fold(name):
            near.add(name)
        for other in near:  # `_surname_level` is symmetric
            if other != name:
                self.near[other].add(name)
        self.near[name] = near
        for key in _near_keys(name):
            self.names_near[key].append(name)

    def _scan_near(self, name: str) -> set[str]:
        """The names in the index that `_surname_level(name, ...)` accepts."""
        names_near = self.names_near
        names = {other for key in _near_keys(name) for other in names_near.get(key, ())}
        return {other for other in names if _surname_level(name, other) is not None}

    def extend(self, candidates: Iterable[Candidate]) -> None:
        for candidate in candidates:
            self.add(candidate)

    def find(self, probe: Candidate) -> Decision | None:
        """The best-matching child for `probe`, or None when no child matches."""
        if probe.upn and probe.upn in self.by_upn:
            return Decision(self.by_upn[probe.upn].key, 100, ("unique pupil number agrees",))
        exact = _exact_key(probe) if probe.postcode else None
        if exact is not None and exact in self.by_exact:
            # forenames, surnames, birth dates and postcodes all agreeing is the highest score
            # `compare` gives, and of the children scoring it the loop below would keep the
            # first it meets: the first added (they all share the first pool, the birth date)
            return compare(probe, self.by_exact[exact])
        return self._best(probe, self._fast_pools(probe))

    def find_by_scan(self, probe: Candidate) -> Decision | None:
        """`find` comparing every child of the birth-date pools whole (the reference `find`
        must agree with, child for child: the tests check it)."""
        if probe.upn and probe.upn in self.by_upn:
            return Decision(self.by_upn[probe.upn].key, 100, ("unique pupil number agrees",))
        return self._best(probe, self._pools(probe))

    @staticmethod
    def _best(probe: Candidate, pools: list[list[Candidate]]) -> Decision | None:
        """The first child, in the order of `pools`, of those `compare` scores highest."""
        best: Decision | None = None
        seen: set[int] = set()
        for pool in pools:
            for candidate in pool:
                if id(candidate) in seen:
                    continue
                seen.add(id(candidate))
                decision = compare(probe, candidate)
                if decision and (best is None or decision.score > best.score):
                    best = decision
        return best

    def _candidates(self, probe: Candidate) -> Iterable[Candidate]:
        seen: set[int] = set()
        for pool in self._pools(probe):
            for candidate in pool:
                if id(candidate) not in seen:
                    seen.add(id(candidate))
                    yield candidate

    def _fast_pools(self, probe: Candidate) -> list[list[Candidate]]:
        """`_pools` with each birth-date pool and the postcode pool cut to the children whose
        surname or forename the probe's surname is near (`_surname_level` not None), in the
        pool's order. A child with neither is one `_compare_names` turns down (its first test),
        so `compare` gives it None and leaving it out changes no decision."""
        pools: list[list[Candidate]] = []
        near = self.near.get(probe.surname)
        if near is None and (probe.date_of_birth or probe.postcode):
            near = self._scan_near(probe.surname)
            self.last_scan = (probe.surname, len(self.near), near)
        near = near or set()
        if probe.date_of_birth:
            for day in _dob_variants(probe.date_of_birth):
                pool = self.by_dob.get(day)
                if pool:
                    pools.append([c for c in pool if c.surname in near or c.forename in near])
        self._name_pools(probe, pools, postcode=False)
        if probe.postcode:
            pool = self.by_postcode.get(postcode_key(probe.postcode))
            if pool:
                pools.append([c for c in pool if c.surname in near or c.forename in near])
        return pools

    def _pools(self, probe: Candidate) -> list[list[Candidate]]:
        """Every child `compare` could accept: the same birth date (or day and month swapped);
        the same postcode; and, for a birth date further out or unknown, which `compare` accepts
        only with the same postcode or both names exactly agreeing, the same forename and surname
        (or the two swapped). Keying names by the whole forename, not its initial, keeps the
        pools small (a common surname has hundreds of children): 100,000 rows match in seconds.
        A rule in `compare` that accepts more must widen these pools."""
        pools: list[list[Candidate]] = []
        if probe.date_of_birth:
            pools += [self.by_dob.get(d, []) for d in _dob_variants(probe.date_of_birth)]
        self._name_pools(probe, pools)
        return pools

    def _name_pools(self, probe: Candidate, pools: list[list[Candidate]], *,
                    postcode: bool = True) -> None:
        for part in sorted(surname_parts(probe.surname)):  # sorted: the same order every run
            pools.append(self.by_name.get((fold(probe.forename), part), []))
        pools.append(self.by_name.get((fold(probe.surname), fold(probe.forename)), []))
        if postcode and probe.postcode:
            pools.append(self.by_postcode.get(postcode_key(probe.postcode), []))


@functools.lru_cache(maxsize=1 << 18)
def _near_keys(name: str) -> frozenset[str]:
    """Keys two names share whenever `_surname_level` accepts them: each part of the name (a
    part in common), the folded name and the folded name less any one letter (the same, or one
    letter changed, added or removed, or two neighbours swapped: deleting the changed letter,
    the added one, or one of the swapped pair, leaves the same text on both sides)."""
    folded = fold(name)
    if not folded:
        return frozenset()
    keys = set(surname_parts(name))
    keys.add(folded)
    keys.update(folded[:i] + folded[i + 1:] for i in range(len(folded)))
    return frozenset(keys)


def _exact_key(c: Candidate) -> tuple[str, str, dt.date, str] | None:
    forename, surname = fold(c.forename), fold(c.surname)
    if not (forename and surname and c.date_of_birth):
        return None
    return forename, surname, c.date_of_birth, postcode_key(c.postcode)


def _dob_variants(dob: dt.date) -> list[dt.date]:
    variants = [dob]
    if dob.day <= 12 and dob.day != dob.month:
        with contextlib.suppress(ValueError):
            variants.append(dt.date(dob.year, dob.day, dob.month))
    return variants


def compare(probe: Candidate, candidate: Candidate) -> Decision | None:
    if probe.upn and candidate.upn and probe.upn != candidate.upn:
        return None  # a unique pupil number is one pupil's: two of them are two children
    if probe.sex in _SEXES and candidate.sex in _SEXES and probe.sex != candidate.sex:
        return None  # Louis and Louise, Francis and Frances: twins, not a typo
    names = _compare_names(probe, candidate)
    if names is None:
        return None
    name_score, name_evidence = names
    dob = _compare_dob(probe.date_of_birth, candidate.date_of_birth)
    same_postcode = bool(probe.postcode) and postcode_key(probe.postcode) == postcode_key(
        candidate.postcode)
    if dob is None:
        return None
    dob_score, dob_evidence = dob
    if candidate.fresh and not (dob_score == 3 and fold(probe.forename) == fold(candidate.forename)):
        return None
    if dob_score < 3 and not (same_postcode or name_score >= 6):
        return None
    if (probe.date_of_birth is None or candidate.date_of_birth is None) and not same_postcode:
        return None  # a name alone, even an exact one, is not a child: Daisy Morgan is common
    if dob_evidence == _YEAR_OUT and not (same_postcode and name_score >= 5):
        return None
    if name_evidence[0] == _SWAPPED_TYPO and not (same_postcode and dob_score == 3):
        return None
    if not same_postcode and _districts_apart(probe, candidate):
        return None  # namesakes in another town: two children unless more joins them
    evidence = (*name_evidence, dob_evidence)
    if same_postcode:
        evidence += ("postcode agrees",)
    return Decision(candidate.key, name_score + dob_score + (1 if same_postcode else 0), evidence)


_SEXES = frozenset("FM")


def _districts_apart(probe: Candidate, candidate: Candidate) -> bool:
    """Both postcodes known, in different postcode districts (the outward code), not one
    character apart, the register's not among the probe's other postcodes, and no middle name
    in common: nothing but a name and a date of birth would join the two."""
    a, b = postcode_key(probe.postcode), postcode_key(candidate.postcode)
    if not a or not b or _district(a) == _district(b) or edit_distance_at_most_one(a, b):
        return False
    if b in {postcode_key(p) for p in probe.other_postcodes}:
        return False
    return not (_folded_words(probe.middle_names) & _folded_words(candidate.middle_names) - {""})


def _district(key: str) -> str:
    """The outward code of a postcode without spaces ('LS61AB' -> 'LS6'): all but the inward
    code's three characters; a part postcode is its own district."""
    return key[:-3] if len(key) >= 5 else key


def _compare_names(probe: Candidate, candidate: Candidate) -> tuple[int, tuple[str, ...]] | None:
    surname = _surname_level(probe.surname, candidate.surname)
    swapped_s = _surname_level(probe.surname, candidate.forename)
    if surname is None and swapped_s is None:
        return None  # every way of agreeing below needs one of the two: most candidates end here
    forename = _forename_level(probe.forename, candidate.forename)
    if forename and surname:
        return forename[0] + surname[0], (forename[1], surname[1])
    swapped_f = _forename_level(probe.forename, candidate.surname) if swapped_s else None
    if swapped_f and swapped_s and swapped_f[0] == 3 and swapped_s[0] == 3:
        return 4, ("forename and surname swapped",)
    if swapped_f and swapped_s and swapped_f[0] + swapped_s[0] >= 5:
        return 3, (_SWAPPED_TYPO,)
    if surname and fold(probe.forename) in _folded_words(candidate.middle_names):
        return surname[0] + 1, ("forename is a middle name on the register", surname[1])
    if surname and fold(candidate.forename) in _folded_words(probe.middle_names):
        return surname[0] + 1, ("middle name is the forename on the register", surname[1])
    return None


@functools.lru_cache(maxsize=1 << 16)
def _folded_words(names: str) -> frozenset[str]:
    return frozenset(fold(m) for m in names.split())


@functools.lru_cache(maxsize=1 << 19)  # pure, and names repeat: an import compares the same pairs often
def _forename_level(a: str, b: str) -> tuple[int, str] | None:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return None
    if fa == fb:
        return 3, "forename agrees"
    if same_forename(fa, fb):
        return 2, "forename is a known short form"
    if len(fa) >= 4 and len(fb) >= 4 and edit_distance_at_most_one(fa, fb):
        return 2, "forename differs by one letter"
    if len(fa) == len(fb) == 3 and sorted(fa) == sorted(fb) and edit_distance_at_most_one(fa, fb):
        return 2, "forename with two letters transposed"
    return None


@functools.lru_cache(maxsize=1 << 19)
def _surname_level(a: str, b: str) -> tuple[int, str] | None:
    fa, fb = fold(a), fold(b)
    if not fa or not fb:
        return None
    if fa == fb:
        return 3, "surname agrees"
    if surname_parts(a) & surname_parts(b):
        return 2, "surname shares a part"
    if max(len(fa), len(fb)) >= 4 and edit_distance_at_most_one(fa, fb):
        return 2, "surname differs by one letter"
    return None


@functools.lru_cache(maxsize=1 << 16)  # a few thousand birth dates, compared millions of times
def _digits(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _compare_dob(a: dt.date | None, b: dt.date | None) -> tuple[int, str] | None:
    if a is None or b is None:
        return 1, "date of birth not known on one side"
    if a == b:
        return 3, "date of birth agrees"
    if a.year == b.year and a.day == b.month and a.month == b.day:
        return 2, "date of birth with day and month swapped"
    if (a.year != b.year) + (a.month != b.month) + (a.day != b.day) > 1:
        return None  # one digit wrong, or the year one out, leaves two of the three agreeing
    if sum(x != y for x, y in zip(_digits(a), _digits(b), strict=True)) == 1:
        return 2, "date of birth differs by one digit"
    if abs(a.year - b.year) == 1 and (a.month, a.day) == (b.month, b.day):
        return 1, _YEAR_OUT
    return None


def could_be_same_child(a: Candidate, b: Candidate) -> bool:
    """Whether two records living at one home could be one child rather than two (twins,
    siblings): a unique pupil number in common, or no sex against it, a date of birth that
    agrees or is one mistake out (day and month swapped, one digit wrong) and forenames that
    agree as `compare` takes them (exactly, a short form, one letter wrong). Twins share the
    date of birth but not the forename, so they stay two."""
    if a.upn and b.upn:
        return a.upn == b.upn
    if a.sex in _SEXES and b.sex in _SEXES and a.sex != b.sex:
        return False
    dob = _compare_dob(a.date_of_birth, b.date_of_birth)
    if dob is None or dob[0] < 2:
        return False
    return (_forename_level(a.forename, b.forename) is not None
            or _forename_level(a.forename, b.middle_names.split()[0] if b.middle_names else "")
            is not None
            or _forename_level(b.forename, a.middle_names.split()[0] if a.middle_names else "")
            is not None)
