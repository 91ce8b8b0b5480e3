"""A household with children on the register: who they are and how they reached it."""

from __future__ import annotations

import copy
import datetime as dt

from . import names
from .dates import is_compulsory_school_age, year_group
from .intake import ROUTE_PICK, Contact, Intake, days_ago, plan, school_for
from .patterns import PATTERNS, Spec
from .people import Household, Person, World, father_elsewhere, new_child, new_household, surname
from .places import OTHER_TYPES, SPECIAL
from .rand import between, pick

Date = dt.date
YEAR = 365.25
SEN = (("N", 78), ("K", 12), ("", 10))


def household_for(world: World, slots: list[str | None]) -> tuple[Household, tuple | None]:
    """A family for the slots; a look-alike pattern gives it a common name."""
    if "lookalike_on_plan" in slots:
        common = pick(world.rng, names.COMMON_NAMES)
        return new_household(world, common[3], common[2]), common
    return new_household(world), None


def _spaced(dob: int, taken: list[int]) -> bool:
    return all(abs(dob - t) >= 300 for t in taken)


def register_dob(world: World, hh: Household, it: Intake, spec: Spec | None) -> Date:
    """A birth date that fits the route: of compulsory school age from joining to as_of."""
    rng = world.rng
    taken = [c.dob.toordinal() for c in hh.children]
    if it.route == "not_compulsory_age":
        assert it.deletion is not None
        day = it.deletion.date
        for _ in range(50):
            age = rng.uniform(4.05, 4.85) if rng.random() < 0.6 else rng.uniform(16.9, 17.6)
            dob = Date.fromordinal(day - int(age * YEAR))
            if not is_compulsory_school_age(dob, Date.fromordinal(day)):
                return dob
        return dob
    # Aged 5.55 or more on joining and 15.7 or less at as_of: compulsory school age throughout
    # (it starts by 5 years 5 months and ends at 15 years 10 months at the earliest).
    lo, hi = spec.ages if spec else (5.55, 15.7)
    lo = min(hi - 0.05, max(lo, 5.55 + (world.as_of - it.join()) / YEAR))
    for _ in range(60):
        born = world.as_of - int(rng.uniform(lo, hi) * YEAR)
        if _spaced(born, taken):
            break
    return Date.fromordinal(born)


def register_child(world: World, hh: Household, pattern: str | None, common: tuple | None):  # type: ignore[no-untyped-def]
    """A child on (or notified to) the register, with the plan of how they got there."""
    rng = world.rng
    spec = PATTERNS.get(pattern) if pattern else None
    route = pick(rng, spec.routes) if spec else (world.route_pick or ROUTE_PICK).pick(rng)
    it = plan(rng, world.as_of, route, spec.window if spec else (5, 700))
    dob = register_dob(world, hh, it, spec)
    sex, first = (common[1], common[0]) if pattern == "lookalike_on_plan" and common else (None, None)
    child = new_child(world, hh, dob, sex, first)
    child.register = True
    if pattern:
        child.patterns.append(pattern)
    return child, it


def twin_of(world: World, hh: Household, first: Person, it: Intake) -> tuple[Person, Intake]:
    """A twin: same birth date, surname, school and dates; a different forename."""
    rng = world.rng
    sex = "F" if rng.random() < 0.5 else "M"
    from .people import forename

    name = forename(rng, hh.group, sex)
    for _ in range(30):
        if name[:2] != first.forename[:2]:
            break
        name = forename(rng, hh.group, sex)
    twin = new_child(world, hh, first.dob, sex, name)
    twin.register, twin.twin_of, first.twin_of = True, first.pid, twin.pid
    twin_it = Intake(it.route, copy.copy(it.deletion), copy.copy(it.registration),
                     it.admission, list(it.referrals))  # fmt: skip
    return twin, twin_it


def half_sibling_surname(world: World, hh: Household, child: Person) -> None:
    """Make the child a step-sibling of the others: their father's surname, father elsewhere."""
    family = surname(world.rng, hh.group)
    if family == hh.surname:
        return
    child.surname = family
    child.parent2 = father_elsewhere(world, hh.group, family)


def finish_intake(world: World, child: Person, it: Intake) -> None:
    """Schools, UPN, special needs and addresses, once the child and patterns are known."""
    rng = world.rng
    d = it.deletion
    if d is not None:
        yg = year_group(child.dob, Date.fromordinal(d.date))
        if d.placement == "Y":
            d.school = pick(rng, SPECIAL)
        elif rng.random() < 0.03 and d.sen != "E":
            d.school = pick(rng, OTHER_TYPES)
        else:
            d.school = school_for(rng, yg)
        if not d.sen:
            r = rng.random()
            d.sen = "N" if r < 0.78 else "K" if r < 0.9 else ""
        if not d.placement and rng.random() < 0.1:
            d.placement = "N"
        if d.school.school_type != "independent" or rng.random() < 0.1:
            world.upn(child, d.school.urn)
        if d.ground == "moved_away" and rng.random() < (0.8 if d.destination else 0.5):
            d.future = world.addresses.outside()
    reg = it.registration
    if reg is not None and it.route != "registration_never_at_school":
        if d is not None and d.school is not None:
            reg.last_school_urn = d.school.urn if rng.random() < 0.9 else ""
        else:
            school = school_for(rng, max(0, year_group(child.dob, Date.fromordinal(reg.date)) - 1))
            reg.last_school_urn = school.urn
            world.upn(child, school.urn)
    if it.admission is not None:
        world.upn(child, it.admission[0].urn)


def routine_contacts(world: World, child: Person, it: Intake) -> None:
    """An ordinary family's contacts: the child seen within the last eleven months."""
    if it.contacts_fixed or it.status not in ("ehe", "not_in_school_other"):
        return
    rng = world.rng
    join, a = it.join(), world.as_of
    seen = max([it.deletion.date] if it.deletion else [join])
    if a - join > 60 and rng.random() < 0.5:
        it.contacts.append(Contact(min(a - 2, join + between(rng, 10, 40)), "letter", "N", "N", "engaged"))
    if seen < a - 330 or (a - join > 45 and rng.random() < 0.4):
        lo = max(join + 14, a - 330)
        day = days_ago(rng, a, 7, max(8, a - lo))
        if rng.random() < 0.08 and day - 30 > join:
            it.contacts.append(Contact(day - between(rng, 15, 30), "letter", "N", "N", "no_reply"))
        method = "home_visit" if rng.random() < 0.65 else "other_visit"
        alone = "Y" if rng.random() < 0.35 else "N"
        it.contacts.append(Contact(day, method, "Y", alone, "engaged"))
