"""Agency records: one row per fact, grouped into each agency's own record of a person.

A person's facts from one source share a record id and one set of (possibly noisy) names;
now and then an agency holds the same person twice under two ids. `population_household`
makes the general child population that the register is matched against.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from . import noise
from .dates import as_date, iso
from .people import Fact, Household, Person, World
from .places import PRIMARY, SECONDARY
from .rand import between, pick
from .writer import SOURCES, Outputs

# source -> (P(nhs number), P(upn), P(address), P(parent names))
FIELDS = {
    "social_care": (0.35, 0.4, 0.97, 0.85),
    "health": (0.9, 0.0, 0.97, 0.5),
    "police": (0.02, 0.0, 0.85, 0.4),
    "domestic_abuse": (0.05, 0.1, 0.97, 0.9),
    "exploitation": (0.05, 0.2, 0.9, 0.6),
    "housing": (0.0, 0.0, 1.0, 0.9),
}
DETAILS = {
    "was_not_brought": ("Missed paediatric appointment", "Missed dental check", "Missed 2-year review", ""),
    "immunisations_incomplete": ("MMR second dose outstanding", "Preschool booster not given", ""),
    "health_concern": ("Weight faltering", "Dental decay, untreated", "Asthma poorly controlled", ""),
    "child_in_need": ("CIN plan", "Disabled children's team", "Family support", ""),
    "child_protection_plan": ("Neglect", "Emotional abuse", "Physical abuse", ""),
    "domestic_abuse_notification": ("Operation Encompass notification", "Incident at home address", ""),
    "temporary_accommodation": ("Placed in temporary accommodation", "Homeless duty accepted", ""),
}  # fmt: skip
HOUSEHOLD_INDICATORS = frozenset({"child_protection_plan", "child_in_need"})
SAFE_KINDS = ["nickname", "dob_day_month", "dob_digit", "dob_year"]
RATES = (0.27, 0.11)  # P(one difference), P(two differences)


@dataclass(slots=True)
class HouseholdFact:
    """A written row that can make a household factor: who, what, when, and the row's names."""

    pid: str
    indicator: str
    start: int
    end: int | None
    surname: str
    line1: str
    postcode: str
    parents: frozenset[str]


def _noise_kinds(rng: random.Random, person: Person, view: list, hh: Household) -> list[str]:
    if person.noise == "none":
        return []
    n = noise.count(rng, RATES)
    if not n:
        return []
    if person.noise == "household":
        fits = noise.applicable(view, False, True)
        kinds = [k for k in SAFE_KINDS if k in fits]
    else:
        kinds = noise.applicable(view, hh.previous is not None, bool(person.twin_of))
    return noise.choose(rng, kinds, n)


def _base(world: World, person: Person, hh: Household, source: str) -> tuple[list[str], str]:
    """The record's identifying columns (record_id .. parent2_name) and its noise codes."""
    rng = world.rng
    p_nhs, p_upn, p_addr, p_par = FIELDS[source]
    exact = person.noise != "normal"
    a = hh.address
    view: list[Any] = [person.forename, person.middle, person.surname, person.dob, a.line1, a.postcode]
    kinds = _noise_kinds(rng, person, view, hh)
    if kinds:
        prev = (hh.previous.line1, hh.previous.postcode) if hh.previous else ("", "")
        noise.apply(rng, view, kinds, prev, as_date(world.as_of))
    keep_address = exact or rng.random() < p_addr
    parents = ("", "")
    if exact or rng.random() < p_par:
        parents = (person.parent1.name, person.parent2.name if person.parent2 else "")
    nhs = world.nhs(person) if rng.random() < p_nhs else ""
    upn = ""
    if p_upn and rng.random() < p_upn and (person.upn or person.dob.toordinal() < world.as_of - 1800):
        upn = person.upn or world.upn(
            person, pick(rng, SECONDARY if person.dob.toordinal() < world.as_of - 4000 else PRIMARY).urn
        )
    row = [
        world.record_ids.new(source),
        view[0],
        view[1] if rng.random() < 0.6 else "",
        view[2],
        person.sex if rng.random() < 0.95 else "",
        view[3].isoformat(),
        view[4] if keep_address else "",
        view[5] if keep_address else "",
        nhs,
        upn,
        *parents,
    ]
    return row, ";".join(kinds)


def _detail(rng: random.Random, fact: Fact) -> str:
    if fact.detail:
        return fact.detail
    options = DETAILS.get(fact.indicator)
    return pick(rng, options) if options else ""


def emit_person(world: World, out: Outputs, person: Person, hh: Household) -> list[HouseholdFact]:
    """Write the person's facts, source by source; return the rows a household rule reads."""
    rng = world.rng
    found: list[HouseholdFact] = []
    by_source: dict[str, list[Fact]] = {}
    seen: set[tuple[str, str, int]] = set()
    for f in person.facts:
        ident = (f.source, f.indicator, f.start)
        if ident not in seen:  # one fact per (source, indicator, start): the importer's key
            seen.add(ident)
            by_source.setdefault(f.source, []).append(f)
    for source in SOURCES:
        facts = by_source.get(source)
        if not facts:
            continue
        chunks = [facts]
        if len(facts) > 1 and person.noise == "normal" and rng.random() < 0.04:
            chunks = [facts[: len(facts) // 2], facts[len(facts) // 2 :]]
        key = f"agency-{source}"
        for chunk in chunks:
            base, kinds = _base(world, person, hh, source)
            for fact in chunk:
                end = iso(fact.end) if fact.end is not None else ""
                row = [*base, fact.indicator, iso(fact.start), end, _detail(rng, fact)]
                out.write(key, row, person.pid, kinds)
                out.agency_rows += 1
                if fact.indicator in HOUSEHOLD_INDICATORS:
                    parents = frozenset(p for p in base[10:12] if p)
                    found.append(
                        HouseholdFact(person.pid, fact.indicator, fact.start, fact.end,
                                      base[3], base[6], base[7], parents)
                    )  # fmt: skip
    return found


def _since(world: World, person: Person, lo: int, hi: int) -> int:
    """A day `lo`..`hi` days ago, but after the person's birth."""
    born = person.dob.toordinal()
    return max(born + 20, world.as_of - between(world.rng, lo, max(lo, hi)))


def benign_facts(world: World, child: Person, rate: float = 1.0) -> None:
    """What an ordinary child may have: nothing that meets a floor."""
    rng = world.rng
    r = rng.random() / rate
    if r < 0.10:
        child.facts.append(Fact("health", "immunisations_incomplete", _since(world, child, 100, 2000), None))
    elif r < 0.20:
        day = world.as_of - between(rng, 14, 330)
        if not 340 <= world.as_of - day <= 390:
            child.facts.append(Fact("health", "was_not_brought", day, day))
    elif r < 0.28:
        for _ in range(between(rng, 1, 3)):
            day = _since(world, child, 400, 1500)
            child.facts.append(Fact("health", "was_not_brought", day, day))
    elif r < 0.33:
        child.facts.append(Fact("social_care", "sen_support", _since(world, child, 200, 2000), None))
    elif r < 0.35:
        end = world.as_of - between(rng, 800, 2500)
        start = max(child.dob.toordinal() + 30, end - between(rng, 150, 600))
        if start < end:
            child.facts.append(Fact("social_care", "child_in_need", start, end, "Case closed"))
