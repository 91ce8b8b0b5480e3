"""Planted risk patterns: what each one puts in the data (the truth is worked out later).

Every pattern names the intake routes it can arrive by, a window for the intake date (days
before as_of), the child's age range at as_of, how many per thousand children, and a planter
that adds agency facts or contacts. `truth.assess` then derives the floors from the facts
themselves, so a pattern's expected tier never drifts from what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .intake import EHE_ROUTES, WITH_REGISTRATION, Contact, Intake
from .people import Fact, Household, Person, World
from .rand import between
from .siblings import half_sibling, sibling

Planter = Callable[[World, Person, Household, Intake], list[Household]]


@dataclass(frozen=True, slots=True)
class Spec:
    routes: tuple[str, ...]
    per_thousand: float
    planter: Planter
    window: tuple[int, int] = (20, 700)
    ages: tuple[float, float] = (5.55, 15.7)


def _rand(world: World, lo: int, hi: int) -> int:
    return between(world.rng, lo, max(lo, hi))


def _ago(world: World, lo: int, hi: int) -> int:
    """A day `lo`..`hi` days before as_of, never within three weeks of the 12-month line."""
    for _ in range(50):
        ago = _rand(world, lo, hi)
        if not 340 <= ago <= 390:
            break
    return world.as_of - ago


def _deleted(intake: Intake) -> int:
    assert intake.deletion is not None
    return intake.deletion.date


def _add(child: Person, *facts: Fact) -> list[Household]:
    child.facts.extend(facts)
    return []


def cp_plan_after_leaving(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = _rand(world, _deleted(it) + 20, world.as_of - 10)
    s47 = Fact("social_care", "section_47_enquiry", start - 18, start - 1, "Strategy discussion")
    return _add(child, s47, Fact("social_care", "child_protection_plan", start, None, "Neglect"))


def section_47(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = _rand(world, max(_deleted(it) + 5, world.as_of - 60), world.as_of - 3)
    return _add(child, Fact("social_care", "section_47_enquiry", start, None, "Enquiry open"))


def looked_after(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = _rand(world, _deleted(it) + 10, world.as_of - 10)
    return _add(child, Fact("social_care", "looked_after", start, None, "Section 20"))


def child_in_need(world: World, child: Person, hh: Household, it: Intake) -> list:
    fact = Fact("social_care", "child_in_need", _ago(world, 15, 900), None, "CIN plan")
    return _add(child, fact)


def cp_ended_recently(world: World, child: Person, hh: Household, it: Intake) -> list:
    end = _ago(world, 60, 1600)
    start = max(child.dob.toordinal() + 60, end - _rand(world, 180, 700))
    return _add(child, Fact("social_care", "child_protection_plan", start, end, "Neglect"))


def cp_ended_long_ago(world: World, child: Person, hh: Household, it: Intake) -> list:
    end = _ago(world, 1900, 2900)
    start = max(child.dob.toordinal() + 60, end - _rand(world, 180, 700))
    return _add(child, Fact("social_care", "child_protection_plan", start, end, "Emotional harm"))


def exploitation(world: World, child: Person, hh: Household, it: Intake) -> list:
    fact = Fact("exploitation", "exploitation_concern", _ago(world, 20, 300), None, "CCE risk")
    return _add(child, fact)


def missing_recent(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = _ago(world, 20, 300)
    source = "police" if world.rng.random() < 0.5 else "exploitation"
    return _add(child, Fact(source, "missing_episode", start, start + _rand(world, 1, 3)))


def missing_long_ago(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = _ago(world, 420, 900)
    return _add(child, Fact("police", "missing_episode", start, start + 1, "Found next day"))


def domestic_abuse(world: World, child: Person, hh: Household, it: Intake) -> list:
    day = _ago(world, 10, 300)
    return _add(child, Fact("domestic_abuse", "domestic_abuse_notification", day, day))


def sibling_on_plan(world: World, child: Person, hh: Household, it: Intake) -> list:
    sib = sibling(world, hh)
    start = _ago(world, 20, 500)
    sib.facts.append(Fact("social_care", "section_47_enquiry", start - 15, start - 1))
    sib.facts.append(Fact("social_care", "child_protection_plan", start, None, "Neglect"))
    return []


def half_sibling_on_plan(world: World, child: Person, hh: Household, it: Intake) -> list:
    sib = half_sibling(world, hh, child)
    sib.facts.append(Fact("social_care", "child_protection_plan", _ago(world, 20, 500), None))
    return []


def sibling_in_need(world: World, child: Person, hh: Household, it: Intake) -> list:
    sib = sibling(world, hh)
    sib.facts.append(Fact("social_care", "child_in_need", _ago(world, 20, 700), None))
    return []


def _missed(world: World, n: int) -> list[Fact]:
    days = sorted({_ago(world, 14, 330) for _ in range(n)})
    return [Fact("health", "was_not_brought", d, d, "Missed appointment") for d in days]


def missed_twice(world: World, child: Person, hh: Household, it: Intake) -> list:
    facts = _missed(world, 3)
    while len(facts) < 2:
        facts = _missed(world, 3)
    return _add(child, *facts)


def no_gp(world: World, child: Person, hh: Household, it: Intake) -> list:
    fact = Fact("health", "not_registered_with_gp", _ago(world, 30, 600), None, "Deregistered")
    return _add(child, fact)


def health_concern(world: World, child: Person, hh: Household, it: Intake) -> list:
    fact = Fact("health", "health_concern", _ago(world, 20, 500), None, "Weight faltering")
    return _add(child, fact)


def physical_health(world: World, child: Person, hh: Household, it: Intake) -> list:
    assert it.registration is not None
    it.registration.reason = "physical_health"
    return []


def ehcp_at_school(world: World, child: Person, hh: Household, it: Intake) -> list:
    assert it.deletion is not None
    it.deletion.sen = "E"
    return []


def ehcp_agency(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = max(child.dob.toordinal() + 900, _ago(world, 100, 1500))
    return _add(child, Fact("social_care", "education_health_care_plan", start, None))


def nothing(world: World, child: Person, hh: Household, it: Intake) -> list:
    return []


def known_only_to_health(world: World, child: Person, hh: Household, it: Intake) -> list:
    missed_twice(world, child, hh, it)
    start = _ago(world, 400, 1200)
    return _add(child, Fact("health", "immunisations_incomplete", start, None))


def _fix(it: Intake, *contacts: Contact) -> list:
    it.contacts = list(contacts)
    it.contacts_fixed = True
    return []


def not_seen(world: World, child: Person, hh: Household, it: Intake) -> list:
    day = _deleted(it) + _rand(world, 15, 40)
    return _fix(it, Contact(day, "letter", "N", "N", "engaged"))


def declined(world: World, child: Person, hh: Household, it: Intake) -> list:
    first = _deleted(it) + _rand(world, 10, 25)
    visit = _rand(world, first + 10, world.as_of - 5)
    letter = Contact(first, "letter", "N", "N", "engaged")
    return _fix(it, letter, Contact(visit, "home_visit", "N", "N", "declined"))


def no_reply(world: World, child: Person, hh: Household, it: Intake) -> list:
    first = _deleted(it) + _rand(world, 10, 25)
    second = _rand(world, first + 20, world.as_of - 5)
    c1 = Contact(first, "letter", "N", "N", "no_reply")
    return _fix(it, c1, Contact(second, "letter", "N", "N", "no_reply"))


def online_only(world: World, child: Person, hh: Household, it: Intake) -> list:
    letter = Contact(_deleted(it) + _rand(world, 10, 30), "letter", "N", "N", "engaged")
    online = Contact(_ago(world, 30, 300), "online_meeting", "Y", "N", "engaged")
    return _fix(it, letter, online)


def two_factors(world: World, child: Person, hh: Household, it: Intake) -> list:
    child_in_need(world, child, hh, it)
    return domestic_abuse(world, child, hh, it)


def consent_plan(world: World, child: Person, hh: Household, it: Intake) -> list:
    start = _deleted(it) - _rand(world, 20, 400)
    start = max(start, child.dob.toordinal() + 400)
    return _add(child, Fact("social_care", "child_protection_plan", start, None, "Neglect"))


def consent_special(world: World, child: Person, hh: Household, it: Intake) -> list:
    assert it.deletion is not None
    it.deletion.sen, it.deletion.placement = "E", "Y"
    return []


def previous_missing(world: World, child: Person, hh: Household, it: Intake) -> list:
    assert it.registration is not None
    if hh.previous is None:
        hh.previous = world.addresses.next()
    hh.moved_in = it.registration.date - _rand(world, 7, 120)
    it.registration.omit_previous = True
    return []


def lookalike(world: World, child: Person, hh: Household, it: Intake) -> list:
    from .siblings import lookalike_household

    return [lookalike_household(world, child)]


def _indicator(source: str, indicator: str, lo: int, hi: int, ends: bool = False) -> Planter:
    def plant(world: World, child: Person, hh: Household, it: Intake) -> list:
        start = _ago(world, lo, hi)
        end = start + _rand(world, 0, 20) if ends else None
        return _add(child, Fact(source, indicator, start, end))

    return plant


ANY_ROUTE = (*EHE_ROUTES, "registration")
PATTERNS: dict[str, Spec] = {
    "child_protection_plan": Spec(EHE_ROUTES, 4, cp_plan_after_leaving, (90, 700)),
    "section_47_enquiry": Spec(EHE_ROUTES, 1.5, section_47, (90, 700)),
    "looked_after": Spec(EHE_ROUTES, 1, looked_after, (90, 700)),
    "child_in_need": Spec(EHE_ROUTES, 4, child_in_need),
    "cp_plan_ended_within_5_years": Spec(("registration",), 3, cp_ended_recently, ages=(7, 15.7)),
    "cp_plan_ended_over_5_years": Spec(("registration",), 1, cp_ended_long_ago, ages=(9, 15.7)),
    "exploitation_concern": Spec(EHE_ROUTES, 1.5, exploitation, ages=(11.5, 15.7)),
    "missing_episode": Spec(EHE_ROUTES, 1.5, missing_recent, ages=(11.5, 15.7)),
    "missing_episode_over_12_months": Spec(EHE_ROUTES, 1, missing_long_ago, ages=(12, 15.7)),
    "domestic_abuse_notification": Spec(EHE_ROUTES, 4, domestic_abuse),
    "sibling_child_protection_plan": Spec(EHE_ROUTES, 2.5, sibling_on_plan),
    "step_sibling_child_protection_plan": Spec(EHE_ROUTES, 1, half_sibling_on_plan),
    "sibling_child_in_need": Spec(EHE_ROUTES, 1.5, sibling_in_need),
    "was_not_brought_twice": Spec(ANY_ROUTE, 4, missed_twice),
    "not_registered_with_gp": Spec(ANY_ROUTE, 2, no_gp),
    "health_concern": Spec(ANY_ROUTE, 3, health_concern),
    "physical_health_reason": Spec(WITH_REGISTRATION, 3, physical_health),
    "ehcp_at_school": Spec(EHE_ROUTES, 5, ehcp_at_school),
    "ehcp_agency": Spec(ANY_ROUTE, 3, ehcp_agency),
    "never_on_school_roll": Spec(("registration_never_at_school",), 8, nothing, ages=(5.55, 12)),
    "known_only_to_health": Spec(
        ("registration_never_at_school",), 1.5, known_only_to_health, ages=(5.55, 12)
    ),
    "not_seen_12_months": Spec(("ehe_deletion",), 5, not_seen, (400, 700)),
    "declined_contact": Spec(("ehe_deletion",), 3, declined, (60, 300)),
    "no_reply_twice": Spec(("ehe_deletion",), 3, no_reply, (70, 300)),
    "two_tier2_factors": Spec(EHE_ROUTES, 2, two_factors),
    "consent_cp_plan": Spec(("ehe_deletion",), 1, consent_plan, (30, 600), (6.5, 15.7)),
    "consent_special_placement": Spec(("ehe_deletion",), 1.5, consent_special),
    "previous_address_missing": Spec(("registration",), 2, previous_missing, (20, 200)),
    "lookalike_on_plan": Spec(EHE_ROUTES, 3, lookalike),
    "parental_mental_health": Spec(
        ANY_ROUTE, 4, _indicator("social_care", "parental_mental_health", 60, 900)
    ),
    "parental_substance_misuse": Spec(
        ANY_ROUTE, 1, _indicator("social_care", "parental_substance_misuse", 60, 900)
    ),
    "police_concern": Spec(EHE_ROUTES, 2, _indicator("police", "police_concern", 20, 300, True)),
    "temporary_accommodation": Spec(ANY_ROUTE, 3, _indicator("housing", "temporary_accommodation", 30, 500)),
    "young_carer": Spec(ANY_ROUTE, 2, _indicator("social_care", "young_carer", 30, 900)),
    "online_only_contact": Spec(("ehe_deletion",), 3, online_only, (400, 700)),
}
# Patterns that meet no floor: the child stays at tier 4 but is not "ordinary" either,
# since a model may rightly look harder (parental mental health, online-only contact...).
BEYOND_FLOORS = frozenset(
    {
        "cp_plan_ended_over_5_years",
        "missing_episode_over_12_months",
        "lookalike_on_plan",
        "parental_mental_health",
        "parental_substance_misuse",
        "police_concern",
        "temporary_accommodation",
        "young_carer",
        "online_only_contact",
    }
)
# Patterns that must leave the child looking exactly like an ordinary family.
ORDINARY_COMPATIBLE = frozenset({"cp_plan_ended_over_5_years", "missing_episode_over_12_months",
                                 "lookalike_on_plan"})  # fmt: skip


def allocate(world: World, children: int) -> dict[int, str]:
    """Which child slots (0..children-1) get which pattern; at least one of each."""
    wanted: list[str] = []
    for name, spec in PATTERNS.items():
        wanted += [name] * max(1, round(spec.per_thousand * children / 1000))
    world.rng.shuffle(wanted)
    wanted = wanted[:children]
    slots = world.rng.sample(range(children), len(wanted))
    return dict(zip(slots, wanted, strict=True))
