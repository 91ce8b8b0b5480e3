"""Extra children a pattern needs: a brother or sister not on the register, a half-sibling
with another surname, and a look-alike who shares a common name but nothing else."""

from __future__ import annotations

import datetime as dt

from .people import Household, Person, World, adult, father_elsewhere, new_child, surname
from .rand import between, pick

Date = dt.date
YEAR = 365.25


def spaced_dob(world: World, hh: Household, lo: float, hi: float) -> Date:
    """A birth date `lo`..`hi` years before as_of, ten months or more from the other children."""
    rng = world.rng
    span = (hi - lo) * YEAR
    top = world.as_of - int(lo * YEAR)
    taken = [c.dob.toordinal() for c in hh.children]
    for _ in range(40):
        day = top - int(rng.random() * span)
        if not taken or all(abs(day - t) >= 300 for t in taken):
            break
    return Date.fromordinal(day)


def sibling(world: World, hh: Household) -> Person:
    """A brother or sister at the same address and surname, not on the register."""
    sib = new_child(world, hh, spaced_dob(world, hh, 0.5, 17.5))
    sib.noise = "household"
    return sib


def half_sibling(world: World, hh: Household, child: Person) -> Person:
    """A half-sibling: same mother and address, the mother's partner's surname."""
    rng = world.rng
    family = surname(rng, hh.group)
    while family == child.surname or set(family.split("-")) & set(child.surname.split("-")):
        family = surname(rng, hh.group) + ("s" if rng.random() < 0.2 else "")
    partner = adult(rng, hh.group, "M", family)
    if child.parent2 is not None and child.parent2.address is None:
        child.parent2 = father_elsewhere(world, hh.group, child.surname)
    sib = new_child(world, hh, spaced_dob(world, hh, 0.5, 17.5))
    sib.surname, sib.parent1, sib.parent2 = family, hh.mother, partner
    sib.noise = "household"
    return sib


def _far_dob(world: World, dob: Date) -> Date:
    """A date of birth two to five years away, with a different month and day."""
    rng = world.rng
    for _ in range(40):
        years = pick(rng, (-5, -4, -3, -2, 2, 3, 4, 5))
        month = pick(rng, [m for m in range(1, 13) if m != dob.month])
        day = pick(rng, [d for d in range(1, 29) if d != dob.day and abs(d - dob.day) > 2])
        cand = Date(dob.year + years, month, day)
        age_days = world.as_of - cand.toordinal()
        if 200 < age_days < 17 * YEAR:
            return cand
    return Date(dob.year - 2, (dob.month % 12) + 1, 28 if dob.day < 20 else 3)


def lookalike_household(world: World, child: Person) -> Household:
    """Another family with the child's surname and forename elsewhere, child on a plan."""
    from .people import Fact, new_household

    hh = new_household(world, child.group, child.surname)
    other = new_child(world, hh, _far_dob(world, child.dob), child.sex, child.forename)
    other.noise = "none"
    start = world.as_of - between(world.rng, 30, 500)
    other.facts.append(Fact("social_care", "section_47_enquiry", start - 20, start - 1))
    other.facts.append(Fact("social_care", "child_protection_plan", start, None, "Neglect"))
    other.patterns.append(f"lookalike_of:{child.pid}")
    return hh
