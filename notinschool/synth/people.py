"""People and households: children, their parents and where they live."""

from __future__ import annotations

import bisect
import datetime as dt
import random
from dataclasses import dataclass, field
from itertools import accumulate

from . import names
from .ids import RecordIds, make_upn, nhs_test_number
from .places import Address, AddressBook
from .rand import between, pick

Date = dt.date


@dataclass(slots=True)
class Parent:
    name: str
    phone: str
    email: str
    address: Address | None = None  # None: lives with the child


@dataclass(slots=True)
class Fact:
    source: str
    indicator: str
    start: int  # date ordinal
    end: int | None
    detail: str = ""


@dataclass(slots=True)
class Person:
    pid: str
    forename: str
    middle: str
    surname: str
    sex: str
    dob: Date
    group: str
    parent1: Parent
    parent2: Parent | None
    nhs: str = ""
    upn: str = ""
    register: bool = False
    twin_of: str = ""
    noise: str = "normal"  # "household": no surname or address noise; "none": no noise
    facts: list[Fact] = field(default_factory=list)
    patterns: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Household:
    fid: str
    address: Address
    previous: Address | None
    moved_in: int | None  # ordinal of the move, when the family moved
    surname: str
    group: str
    mother: Parent
    partner: Parent | None
    children: list[Person] = field(default_factory=list)
    ethnicity: str | None = None  # census code, chosen when a school first records it


class Weighted:
    """Fast weighted choice over a fixed table."""

    def __init__(self, table: tuple[tuple[str, int], ...]) -> None:
        self.items = [k for k, _ in table]
        self.cum = list(accumulate(w for _, w in table))

    def pick(self, rng: random.Random) -> str:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.cum[-1])]


GROUPS = Weighted(names.GROUP_WEIGHTS)


@dataclass(slots=True)
class World:
    """Everything the generator draws from and counts with."""

    rng: random.Random
    as_of: int
    addresses: AddressBook
    record_ids: RecordIds = field(default_factory=RecordIds)
    persons: int = 0
    families: int = 0
    nhs_next: int = 0
    upn_serials: dict[tuple[str, int], int] = field(default_factory=dict)
    route_pick: Weighted | None = None  # None: the usual mix of routes (intake.ROUTE_PICK)

    def pid(self) -> str:
        self.persons += 1
        return f"P{self.persons:07d}"

    def fid(self) -> str:
        self.families += 1
        return f"F{self.families:07d}"

    def nhs(self, person: Person) -> str:
        """The person's NHS number, given on first use; unique while the test range lasts."""
        while not person.nhs and self.nhs_next < 1_000_000:
            n = (self.nhs_next * 382_739 + 5417) % 1_000_000
            self.nhs_next += 1
            person.nhs = nhs_test_number(n) or ""
        return person.nhs

    def upn(self, person: Person, urn: str) -> str:
        """The pupil's UPN, given by the first school that needs it."""
        if not person.upn:
            entry = person.dob.year + (5 if person.dob.month >= 9 else 4)
            key = (urn, entry)
            serial = self.upn_serials.get(key, 0)
            self.upn_serials[key] = serial + 1
            person.upn = make_upn(serial, urn, entry)
        return person.upn


def _tables(group: str) -> tuple[str, str]:
    """(forename table group, surname table group) for a possibly mixed group."""
    if group in names.MIXED:
        a, b, _ = names.MIXED[group]
        return b, a
    return group, group


def forename(rng: random.Random, group: str, sex: str) -> str:
    if group in names.MIXED:
        a, b, _ = names.MIXED[group]
        group = a if rng.random() < 0.5 else b
    female, male, _, _ = names.GROUPS[group]
    return pick(rng, female if sex == "F" else male)


def surname(rng: random.Random, group: str) -> str:
    table = names.GROUPS[_tables(group)[1]][2]
    first = pick(rng, table)
    if rng.random() < 0.05:
        second = pick(rng, table)
        if second != first:
            return f"{first}-{second}"
    return first


def middle_names(rng: random.Random, group: str, sex: str, first: str) -> str:
    r = rng.random()
    if r < 0.35:
        return ""
    one = forename(rng, group, sex)
    one = "" if one == first else one
    if r > 0.92:
        two = forename(rng, group, sex)
        if two not in (one, first):
            return f"{one} {two}" if one else two
    return one


def phone(rng: random.Random) -> str:
    if rng.random() < 0.8:
        return f"07700 900{rng.randrange(1000):03d}"
    return f"01632 960{rng.randrange(1000):03d}"


def email(rng: random.Random, name: str) -> str:
    ascii_name = name.encode("ascii", "ignore").decode().lower().replace("'", "")
    user = ".".join(ascii_name.split()) or "parent"
    return f"{user}{rng.randrange(100)}@example.{pick(rng, ('com', 'org', 'net'))}"


def adult(rng: random.Random, group: str, sex: str, family_name: str, light: bool = False) -> Parent:
    """A parent; `light` leaves out phone and email (agencies record only the name)."""
    table = names.ADULT_FEMALE if sex == "F" else names.ADULT_MALE
    first = pick(rng, table) if rng.random() < 0.6 else forename(rng, group, sex)
    name = f"{first} {family_name}"
    if light:
        return Parent(name, "", "")
    return Parent(name, phone(rng), email(rng, name) if rng.random() < 0.85 else "")


def new_household(
    world: World, group: str | None = None, family: str | None = None, light: bool = False
) -> Household:
    """A family at a fresh address: mother, maybe a partner or a father living elsewhere.

    A `light` household (the general population) has parents by name only."""
    rng = world.rng
    group = group or GROUPS.pick(rng)
    family = family or surname(rng, group)
    address = world.addresses.next()
    previous, moved_in = None, None
    if rng.random() < 0.2:
        previous = world.addresses.next()
        days = between(rng, 40, 330) if rng.random() < 0.45 else between(rng, 400, 3000)
        moved_in = world.as_of - days
    mother_name = family if rng.random() < 0.8 else surname(rng, group)
    mother = adult(rng, group, "F", mother_name, light)
    r = rng.random()
    partner = None
    if r < 0.55 or (light and r < 0.85):
        partner = adult(rng, group, "M", family, light)
    elif r < 0.85:
        partner = father_elsewhere(world, group, family)
    return Household(world.fid(), address, previous, moved_in, family, group, mother, partner)


def father_elsewhere(world: World, group: str, family: str) -> Parent:
    """A parent who does not live with the child."""
    dad = adult(world.rng, group, "M", family)
    dad.address = world.addresses.next()
    return dad


def new_child(
    world: World, hh: Household, dob: Date, sex: str | None = None, name: str | None = None
) -> Person:
    """A child of the household; `name` fixes the forename (twins, look-alikes)."""
    rng = world.rng
    sex = sex or ("F" if rng.random() < 0.49 else "M")
    first = name or forename(rng, hh.group, sex)
    child = Person(
        world.pid(),
        first,
        middle_names(rng, hh.group, sex, first),
        hh.surname,
        sex,
        dob,
        hh.group,
        hh.mother,
        hh.partner,
    )
    hh.children.append(child)
    return child


def ethnicity(rng: random.Random, hh: Household) -> str:
    """The family's census ethnicity code as schools record it (sometimes refused or blank)."""
    if hh.ethnicity is None:
        hh.ethnicity = _ethnicity(rng, hh.group)
    return hh.ethnicity if rng.random() > 0.04 else ""


def _ethnicity(rng: random.Random, group: str) -> str:
    r = rng.random()
    if r < 0.06:
        return ""
    if r < 0.08:
        return "REFU"
    if group in names.MIXED:
        return names.MIXED[group][2]
    return pick(rng, names.GROUPS[group][3])
