"""What the register should conclude about each child, worked out from the planted facts.

`assess` applies the floors of docs/risk-model.md to the facts the generator wrote (the child's own
agency facts, the household rows, the intake and contacts) as at `as_of`. `TruthJson` streams
the children into truth.json and ends it with twins, sibling groups, look-alikes and counts.
"""

from __future__ import annotations

import datetime as dt
import json
import pathlib
import re
from collections import Counter
from typing import IO, Any

from .agency import HouseholdFact
from .dates import add_months, add_years, iso
from .intake import NOT_REGISTERED_REASON, Intake
from .patterns import ORDINARY_COMPATIBLE
from .people import Fact, Person
from .rows import Recorded

OPEN = ("ehe", "cme", "not_in_school_other")
TIER1 = ("alert_social_care", "see_child_within_10_days")
# factor -> (floor tier, required actions)
FLOORS: dict[str, tuple[int, tuple[str, ...]]] = {
    "current_cp_s47_or_looked_after": (1, TIER1),
    "current_child_in_need": (2, ("alert_social_care",)),
    "cp_plan_ended_within_5_years": (2, ("alert_social_care",)),
    "exploitation_or_missing_within_12_months": (1, TIER1),
    "domestic_abuse_within_12_months": (2, ("see_child_within_10_days",)),
    "household_plan": (2, ("alert_social_care",)),
    "missed_health_or_no_gp": (2, ("share_with_health",)),
    "health_concern": (3, ("share_with_health",)),
    "ehcp": (3, ()),
    "never_on_school_roll": (3, ()),
    "declined_or_no_reply": (2, ("professionals_meeting",)),
}
# two or more different factors whose floor is tier 2 -> (tier, actions)
SEVERAL_CONCERNS: tuple[int, tuple[str, ...]] = (1, ("professionals_meeting",))
SEVERAL_CONCERNS_MIN = 2
# not seen for 12 months: one tier more serious, and this action
NOT_SEEN_ACTIONS: tuple[str, ...] = ("arrange_visit",)
# actions with a statutory basis, raised whatever the tier (`_statutory`)
STATUTORY_ACTIONS = ("consent_required", "cme_enquiries", "request_information")
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
_NORM = re.compile(r"[^0-9a-z]+")


def norm(text: str) -> str:
    return _NORM.sub("", text.lower())


def current(f: Fact, day: int) -> bool:
    return f.start <= day and (f.end is None or f.end >= day)


class Clock:
    """The as-of date and the look-back lines the rules use."""

    def __init__(self, as_of: dt.date) -> None:
        self.day = as_of.toordinal()
        self.year_ago = add_months(as_of, -12).toordinal()
        self.five_years_ago = add_years(as_of, -5).toordinal()


def _agency_factors(facts: list[Fact], c: Clock) -> tuple[set[str], set[str]]:
    """Factors and flags from the child's own agency facts."""
    factors: set[str] = set()
    flags: set[str] = set()
    for f in facts:
        ind, now, recent = f.indicator, current(f, c.day), f.start >= c.year_ago
        if ind in ("child_protection_plan", "section_47_enquiry", "looked_after") and now:
            factors.add("current_cp_s47_or_looked_after")
            flags.add(ind)
        elif ind == "child_protection_plan" and f.end is not None and f.end >= c.five_years_ago:
            factors.add("cp_plan_ended_within_5_years")
            flags.add("child_protection_plan_ended")
        elif ind == "child_in_need" and now:
            factors.add("current_child_in_need")
            flags.add(ind)
        elif ind in ("exploitation_concern", "missing_episode") and (recent or now):
            factors.add("exploitation_or_missing_within_12_months")
            flags.add(ind)
        elif ind == "domestic_abuse_notification" and recent:
            factors.add("domestic_abuse_within_12_months")
            flags.add(ind)
        elif ind == "not_registered_with_gp" and now:
            factors.add("missed_health_or_no_gp")
            flags.add(ind)
        elif ind == "health_concern" and now:
            factors.add("health_concern")
            flags.add(ind)
        elif ind == "education_health_care_plan" and now:
            factors.add("ehcp")
            flags.add(ind)
    missed = sum(1 for f in facts if f.indicator == "was_not_brought" and f.start >= c.year_ago)
    if missed >= 2:
        factors.add("missed_health_or_no_gp")
        flags.add("was_not_brought")
    return factors, flags


def other_flags(facts: list[Fact], c: Clock, flags: set[str]) -> list[str]:
    """Indicators a register may show that meet no floor: current, or started in 12 months."""
    out = set()
    for f in facts:
        now = current(f, c.day)
        if not (now or f.start >= c.year_ago):
            continue
        name = f.indicator
        if name == "child_protection_plan" and not now:
            name = "child_protection_plan_ended"
        if name not in flags:
            out.add(name)
    return sorted(out)


def household_factors(child: Person, rec: Recorded, rows: list[HouseholdFact], c: Clock) -> set[str]:
    flags: set[str] = set()
    rows = [r for r in rows if r.pid != child.pid]
    if not rows:
        return flags
    line1, postcode, surname = norm(rec.line1), norm(rec.postcode), norm(rec.surname)
    parents = {norm(p) for p in rec.parents}
    for r in rows:
        if not (r.start <= c.day and (r.end is None or r.end >= c.day)):
            continue
        if norm(r.line1) != line1 or norm(r.postcode) != postcode:
            continue
        if norm(r.surname) == surname or parents & {norm(p) for p in r.parents}:
            flags.add(f"household_{r.indicator}")
    return flags


def last_seen(it: Intake) -> int:
    days = [c.date for c in it.contacts if c.seen == "Y"]
    if it.deletion is not None:
        days.append(it.deletion.date)
    if it.admission is not None:
        days.append(it.admission[1])
    return max(days) if days else it.join()


def _contact_factor(it: Intake) -> bool:
    ordered = sorted(it.contacts, key=lambda x: x.date)
    declined = any(x.outcome == "declined" for x in ordered)
    return declined or (len(ordered) >= 2 and all(x.outcome == "no_reply" for x in ordered[-2:]))


def consent_required(child: Person, it: Intake) -> bool:
    d = it.deletion
    if d is None or d.ground != "elective_home_education":
        return False
    if d.placement == "Y":
        return True
    line = add_years(dt.date.fromordinal(d.date), -5).toordinal()
    for f in child.facts:
        if f.indicator in ("child_protection_plan", "section_47_enquiry") and current(f, d.date):
            return True
        if f.indicator == "child_protection_plan" and f.end is not None and line <= f.end < d.date:
            return True
    return False


def _tier(factors: set[str], not_seen: bool) -> tuple[int, set[str]]:
    tier, actions = 4, set[str]()
    for name in factors:
        floor, acts = FLOORS[name]
        tier = min(tier, floor)
        actions.update(acts)
    if sum(1 for name in factors if FLOORS[name][0] == 2) >= SEVERAL_CONCERNS_MIN:
        tier = min(tier, SEVERAL_CONCERNS[0])
        actions.update(SEVERAL_CONCERNS[1])
    if not_seen:
        tier = max(1, tier - 1)
        actions.update(NOT_SEEN_ACTIONS)
    return tier, actions


def _intake_factors(it: Intake) -> tuple[set[str], set[str]]:
    factors, flags = set(), set()
    d, r = it.deletion, it.registration
    if d is not None and d.sen == "E":
        factors.add("ehcp")
    if r is not None and r.reason == "physical_health":
        factors.add("health_concern")
    if d is None and it.admission is None and (r is None or not r.last_school_urn):
        factors.add("never_on_school_roll")
        flags.add("never_on_school_roll")
    if _contact_factor(it):
        factors.add("declined_or_no_reply")
        flags.add("no_contact_response")
    return factors, flags


def _statutory(child: Person, it: Intake, actions: set[str], derived: set[str]) -> None:
    """Actions with a statutory basis: consent, CME enquiries, missing register information."""
    if consent_required(child, it):
        actions.add("consent_required")
        derived.add("consent_required")
    if it.status == "cme":
        actions.add("cme_enquiries")
    if it.registration is not None and it.registration.omit_previous:
        actions.add("request_information")
        derived.add("previous_address_missing")


def _risk(child: Person, it: Intake, rec: Recorded, rows: list[HouseholdFact], c: Clock) -> dict[str, Any]:
    factors, flags = _agency_factors(child.facts, c)
    more, more_flags = _intake_factors(it)
    factors |= more
    flags |= more_flags
    household = household_factors(child, rec, rows, c)
    if household:
        factors.add("household_plan")
        flags |= household
    seen = last_seen(it)
    not_seen = seen < c.year_ago
    if not_seen:
        flags.add("not_seen_12_months")
    tier, actions = _tier(factors, not_seen)
    derived = {"not_seen_12_months"} if not_seen else set()
    if sum(1 for name in factors if FLOORS[name][0] == 2) >= SEVERAL_CONCERNS_MIN:
        derived.add("two_tier2_factors")
    _statutory(child, it, actions, derived)
    ordinary = (it.status == "ehe" and tier == 4 and not actions
                and all(p in ORDINARY_COMPATIBLE for p in child.patterns))  # fmt: skip
    return {
        "factors": sorted(factors | derived),
        "floor_tier": tier,
        "ordinary": ordinary,
        "flags": sorted(flags),
        "other_flags": other_flags(child.facts, c, flags),
        "required_actions": sorted(actions),
        "last_seen_date": iso(seen),
    }


def assess(child: Person, it: Intake, rec: Recorded, rows: list[HouseholdFact], c: Clock) -> dict[str, Any]:
    """The expectations for one child named in the intake files."""
    entry: dict[str, Any] = {
        "route": it.route,
        "expected_status": it.status,
        "not_registered_reason": NOT_REGISTERED_REASON.get(it.route),
        "patterns": sorted(child.patterns),
        "joined": iso(it.join()),
    }
    if it.status not in OPEN:
        return entry | {"factors": [], "floor_tier": None, "ordinary": False, "flags": [],
                        "other_flags": [], "required_actions": [], "last_seen_date": None}  # fmt: skip
    return entry | _risk(child, it, rec, rows, c)


class TruthJson:
    """truth.json, written as the children are made: one child per line inside an array."""

    def __init__(self, path: pathlib.Path, meta: dict[str, Any]) -> None:
        self.f: IO[str] = open(path, "w", encoding="utf-8")  # noqa: SIM115
        self.f.write('{"format": "notinschool-synth-truth/1",\n"generator": ')
        self.f.write(json.dumps(meta, ensure_ascii=False))
        self.f.write(',\n"children": [')
        self.first = True
        self.twins: list[list[str]] = []
        self.sibling_groups: list[list[str]] = []
        self.lookalikes: list[list[str]] = []
        self.patterns: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()

    def child(self, entry: dict[str, Any]) -> None:
        self.f.write("\n" if self.first else ",\n")
        self.first = False
        self.f.write(_ENCODER.encode(entry))
        self.patterns.update(entry["patterns"])
        self.statuses[entry["expected_status"] or "not_registered"] += 1

    def finish(self, tail: dict[str, Any]) -> None:
        self.f.write("\n],\n")
        body = {
            "twins": self.twins,
            "sibling_groups": self.sibling_groups,
            "lookalikes": self.lookalikes,
            "pattern_counts": dict(sorted(self.patterns.items())),
            "status_counts": dict(sorted(self.statuses.items())),
            **tail,
        }
        parts = [f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in body.items()]
        self.f.write(",\n".join(parts))
        self.f.write("\n}\n")
        self.f.close()
