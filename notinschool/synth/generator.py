"""The generation loop: register households interleaved with the general population."""

from __future__ import annotations

import datetime as dt
import pathlib
import random
from collections.abc import Callable
from typing import Any

from .agency import HOUSEHOLD_INDICATORS, HouseholdFact, benign_facts, emit_person
from .intake import Intake, route_pick_for
from .patterns import PATTERNS, allocate
from .people import Household, Person, World
from .places import AddressBook
from .population import emit_household, population_household
from .rand import between
from .register import (
    finish_intake,
    half_sibling_surname,
    household_for,
    register_child,
    routine_contacts,
    twin_of,
)
from .rows import emit_intake
from .siblings import sibling
from .truth import Clock, TruthJson, assess
from .writer import Outputs

VERSION = "1"


def _sizes(rng: random.Random, left: int) -> int:
    r = rng.random()
    n = 1 if r < 0.72 else 2 if r < 0.92 else 3 if r < 0.98 else 4
    return min(n, left)


def _children(world: World, slots: list[str | None]) -> tuple[Household, list[tuple[Person, Intake]]]:
    rng = world.rng
    hh, common = household_for(world, slots)
    made: list[tuple[Person, Intake]] = []
    twins = len(slots) >= 2 and slots[1] is None and rng.random() < 0.15
    for i, pattern in enumerate(slots):
        if twins and i == 1:
            made.append(twin_of(world, hh, *made[0]))
        else:
            made.append(register_child(world, hh, pattern, common))
    for _ in range(int(rng.random() < 0.3) + int(rng.random() < 0.1)):
        sibling(world, hh).noise = "normal"
    if len(made) >= 2 and rng.random() < 0.12:
        child = made[-1][0]
        if not child.patterns and not child.twin_of:
            half_sibling_surname(world, hh, child)
    return hh, made


def _plant(world: World, hh: Household, made: list[tuple[Person, Intake]]) -> list[Household]:
    extra: list[Household] = []
    for child, it in made:
        for pattern in list(child.patterns):
            extra += PATTERNS[pattern].planter(world, child, hh, it)
        finish_intake(world, child, it)
    for person in hh.children:
        if not person.patterns:
            benign_facts(world, person)
        plans = any(f.indicator in HOUSEHOLD_INDICATORS for f in person.facts)
        if plans and person.noise == "normal":
            person.noise = "household"
    return extra


def _known_referral(world: World, it: Intake) -> None:
    """Now and then someone refers a child the register already has."""
    rng = world.rng
    if it.status in ("ehe", "cme") and rng.random() < 0.03 and world.as_of - it.join() > 20:
        it.referrals.append((between(rng, it.join() + 10, world.as_of - 2), False))


def register_household(
    world: World, out: Outputs, truth: TruthJson, slots: list[str | None], clock: Clock
) -> None:
    hh, made = _children(world, slots)
    extra = _plant(world, hh, made)
    for child, it in made:
        routine_contacts(world, child, it)
        if it.route != "cme_referral":
            _known_referral(world, it)
    rows: list[HouseholdFact] = []
    for person in hh.children:
        rows += emit_person(world, out, person, hh)
    for other in extra:
        emit_household(world, out, other)
        for person in other.children:
            marks = [p.split(":", 1)[1] for p in person.patterns if p.startswith("lookalike_of:")]
            truth.lookalikes += [[pid, person.pid] for pid in marks]
    register_ids = [c.pid for c, _ in made]
    for child, it in made:
        rec = emit_intake(world, out, child, hh, it)
        entry = _identity(child, hh) | assess(child, it, rec, rows, clock)
        entry["twin_of"] = child.twin_of or None
        entry["siblings_on_register"] = [p for p in register_ids if p != child.pid]
        entry["household"] = [p.pid for p in hh.children if p.pid != child.pid]
        truth.child(entry)
    if made[0][0].twin_of:
        truth.twins.append([made[0][0].pid, made[1][0].pid])
    if len(made) > 1:
        truth.sibling_groups.append(register_ids)


def _identity(child: Person, hh: Household) -> dict[str, Any]:
    return {
        "person_id": child.pid,
        "family_id": hh.fid,
        "forename": child.forename,
        "middle_names": child.middle,
        "surname": child.surname,
        "sex": child.sex,
        "date_of_birth": child.dob.isoformat(),
        "address_line_1": hh.address.line1,
        "postcode": hh.address.postcode,
    }


def generate(
    children: int,
    seed: int,
    out: pathlib.Path,
    as_of: dt.date,
    progress: Callable[[int], None] | None,
    agency_ratio: float,
    route_weights: dict[str, int] | None = None,
) -> dict[str, Any]:
    rng = random.Random(f"notinschool-synth/{VERSION}/{seed}")
    target = agency_ratio * children
    expected = int(1.6 * (children + target / 2.5)) + 1000
    world = World(rng, as_of.toordinal(), AddressBook(expected, rng.randrange(1 << 30)))
    if route_weights:
        world.route_pick = route_pick_for(route_weights)
    clock = Clock(as_of)
    plan = allocate(world, children) if children else {}
    meta = {"children": children, "seed": seed, "as_of": as_of.isoformat(),
            "agency_ratio": agency_ratio, "version": VERSION}  # fmt: skip
    if route_weights:
        meta["route_weights"] = dict(route_weights)
    with Outputs(out) as outs:
        truth = TruthJson(out / "truth.json", meta)
        made, report = 0, 1000
        while made < children:
            k = _sizes(rng, children - made)
            register_household(world, outs, truth, [plan.get(made + i) for i in range(k)], clock)
            made += k
            while outs.agency_rows < target * made / children:
                population_household(world, outs)
            if progress and made >= report:
                progress(made)
                report += 1000
        counts = outs.counts()
        counts["truth.csv"] = outs.truth_rows
        summary = {"files": counts, "persons": world.persons, "register_children": children}
        truth.finish({"files": counts, "persons": world.persons})
    if progress:
        progress(children)
    return summary | {"patterns": dict(sorted(truth.patterns.items())),
                      "statuses": dict(sorted(truth.statuses.items()))}  # fmt: skip
