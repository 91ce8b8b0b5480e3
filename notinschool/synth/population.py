"""The general child population known to agencies: families never on the register."""

from __future__ import annotations

from .agency import emit_person
from .people import Fact, Household, Person, Weighted, World, new_child, new_household
from .rand import between
from .siblings import spaced_dob
from .writer import Outputs

YEAR = 365.25
SOCIAL_CARE = Weighted(
    (
        ("child_in_need", 35),
        ("child_protection_plan", 15),
        ("sen_support", 14),
        ("education_health_care_plan", 10),
        ("section_47_enquiry", 8),
        ("looked_after", 6),
        ("young_carer", 5),
        ("parental_mental_health", 5),
        ("parental_substance_misuse", 2),
    )
)


def _day(world: World, kid: Person, lo: int, hi: int) -> int:
    born = kid.dob.toordinal()
    return max(born + 20, world.as_of - between(world.rng, lo, max(lo, hi)))


def _episode(world: World, kid: Person, lo: int, hi: int, current: float) -> tuple[int, int | None]:
    """Start and end of an episode; current (no end) with probability `current`."""
    rng = world.rng
    start = _day(world, kid, lo, hi)
    if rng.random() < current:
        return start, None
    end = start + between(rng, 30, 700)
    return (start, end) if end < world.as_of else (start, None)


def _health(world: World, kid: Person) -> None:
    rng = world.rng
    add = kid.facts.append
    if rng.random() < 0.45:
        add(Fact("health", "immunisations_incomplete", _day(world, kid, 60, 4000), None))
    if rng.random() < 0.6:
        for _ in range(between(rng, 1, 5)):
            day = _day(world, kid, 5, 1100)
            add(Fact("health", "was_not_brought", day, day))
    if rng.random() < 0.12:
        add(Fact("health", "health_concern", *_episode(world, kid, 20, 2000, 0.5)))
    if rng.random() < 0.04:
        add(Fact("health", "not_registered_with_gp", *_episode(world, kid, 20, 1500, 0.6)))


def _social_care(world: World, kid: Person) -> None:
    kind = SOCIAL_CARE.pick(world.rng)
    start, end = _episode(world, kid, 10, 3000, 0.4)
    if kind == "child_protection_plan":
        s47 = max(kid.dob.toordinal() + 1, start - 20)
        kid.facts.append(Fact("social_care", "section_47_enquiry", s47, start - 1))
    kid.facts.append(Fact("social_care", kind, start, end))


def _adolescent(world: World, kid: Person, age: float) -> None:
    rng = world.rng
    if age >= 10 and rng.random() < 0.06:
        start, end = _episode(world, kid, 5, 1000, 0.3)
        kid.facts.append(Fact("police", "police_concern", start, end))
    if age >= 11 and rng.random() < 0.04:
        kid.facts.append(Fact("exploitation", "exploitation_concern", *_episode(world, kid, 5, 900, 0.5)))
        for _ in range(between(rng, 1, 4)):
            day = _day(world, kid, 3, 900)
            source = "police" if rng.random() < 0.7 else "exploitation"
            kid.facts.append(Fact(source, "missing_episode", day, day + between(rng, 0, 3)))


def _family(world: World, hh: Household) -> None:
    """Facts about the whole family: abuse notifications, temporary accommodation."""
    rng = world.rng
    if rng.random() < 0.10:
        days = [world.as_of - between(rng, 5, 1400) for _ in range(between(rng, 1, 3))]
        for kid in hh.children:
            for d in days:
                if d > kid.dob.toordinal():
                    kid.facts.append(Fact("domestic_abuse", "domestic_abuse_notification", d, d))
    if rng.random() < 0.08:
        start = world.as_of - between(rng, 20, 1200)
        end = None if rng.random() < 0.5 else min(world.as_of - 1, start + between(rng, 60, 500))
        for kid in hh.children:
            if start > kid.dob.toordinal():
                kid.facts.append(Fact("housing", "temporary_accommodation", start, end))


def population_household(world: World, out: Outputs) -> None:
    """One family of one to three children, each known to at least one agency."""
    rng = world.rng
    hh = new_household(world, light=True)
    r = rng.random()
    for _ in range(1 + (r < 0.45) + (r < 0.15)):
        kid = new_child(world, hh, spaced_dob(world, hh, 0.1, 17.9))
        age = (world.as_of - kid.dob.toordinal()) / YEAR
        if rng.random() < 0.7:
            _health(world, kid)
        if rng.random() < 0.25:
            _social_care(world, kid)
        _adolescent(world, kid, age)
    _family(world, hh)
    for kid in hh.children:
        if not kid.facts:
            day = _day(world, kid, 30, 2000)
            kid.facts.append(Fact("health", "was_not_brought", day, day))
        emit_person(world, out, kid, hh)


def emit_household(world: World, out: Outputs, hh: Household) -> None:
    for person in hh.children:
        emit_person(world, out, person, hh)
