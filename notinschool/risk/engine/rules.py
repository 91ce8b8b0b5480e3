"""The rule table: the risk model of docs/risk-model.md as data a manager can read on screen.

Four small tables make up a `RuleTable`:

- `RULES`: one `Rule` per factor row of the model's floors table, plus the rows of its actions
  table that raise an action without changing the tier. `effect` says how a rule acts:
  `floor` (the tier is at most `tier`), `combination` (two or more different fired `floor`
  rules whose floor is 2 make tier 1), `one_more_serious` (applied last: 4 -> 3, 3 -> 2,
  2 -> 1) or `actions` (actions only). The code of each rule names its test in assess.py.
- `ACTIONS`: each required action, its deadline and its source.
- `TIERS`: review interval per tier.
- `INDICATORS`: how each agency indicator of the data contract is read in time (`state`: a
  fact with a duration, counted while current or while it overlaps a look-back window;
  `event`: something that happened on its start date, such as a missed appointment) and
  whether it is shown as a flag.

`RuleSettings` holds the look-backs, thresholds and the switches for the duties of the
Children's Wellbeing and Schools Act 2026 that are not yet commenced (on by default).
`RuleTable.version` is a short hash of all of it, stored with every assessment so that a tier
can be traced to the rules that produced it; any change to a row or a setting changes it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

Effect = Literal["floor", "combination", "one_more_serious", "actions"]
Timing = Literal["state", "event"]
FlagPolicy = Literal["in_window", "with_rule", "never"]
DayKind = Literal["same_day", "working", "school"]


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    factor: str  # plain words; {placeholders} are RuleSettings fields
    effect: Effect
    tier: int | None
    actions: tuple[str, ...]
    source: str
    lookback: tuple[str, ...] = ()  # the RuleSettings fields this rule reads


@dataclass(frozen=True)
class ActionSpec:
    code: str
    description: str
    deadline_days: int | None  # None: no deadline
    day_kind: DayKind | None
    counted_from: str
    source: str
    sets_contact_due: bool = False  # the deadline also brings next_contact_due forward


@dataclass(frozen=True)
class TierSpec:
    tier: int
    review_interval_months: int
    meaning: str


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    label: str
    timing: Timing
    lookback: str | None  # RuleSettings field (months); None: current only
    flag: FlagPolicy
    household_flag: bool


@dataclass(frozen=True)
class RuleSettings:
    cp_plan_ended_lookback_years: int = 5
    exploitation_lookback_months: int = 12
    domestic_abuse_lookback_months: int = 12
    was_not_brought_lookback_months: int = 12
    was_not_brought_min: int = 2
    not_seen_months: int = 12
    several_concerns_min: int = 2
    consent_lookback_years: int = 5
    request_information_after_days: int = 15
    consent_duty_enabled: bool = True  # CWSA 2026 s.37 (new EA 1996 s.434A)
    register_duty_enabled: bool = True  # CWSA 2026 s.38-39 (register, home visit)
    online_contact_counts_as_seen: bool = True

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.type == "int" and (not isinstance(value, int) or value < 0):
                raise ValueError(f"{f.name} must be a whole number, 0 or more")
        if self.was_not_brought_min < 1 or self.several_concerns_min < 2:
            raise ValueError("was_not_brought_min must be 1 or more, several_concerns_min 2")


_WT = "Working Together to Safeguard Children 2023"
_PANEL = "Child Safeguarding Practice Review Panel, home education briefing (May 2024)"
_EHE_G = "Elective home education guidance for local authorities (2019)"
_CME_G = "Children missing education statutory guidance (2024)"

RULES: tuple[Rule, ...] = (
    Rule("current_child_protection", "Child protection or looked after",
         "current child protection plan, section 47 enquiry, or looked after",
         "floor", 1, ("alert_social_care", "see_child_within_10_days"),
         f"Children Act 1989 s.47 and s.22; {_WT}; {_PANEL}"),
    Rule("current_child_in_need", "Child in need plan", "current child in need plan",
         "floor", 2, ("alert_social_care",), f"Children Act 1989 s.17; {_WT}"),
    Rule("child_protection_plan_ended", "Past child protection plan",
         "child protection plan ended within the last {cp_plan_ended_lookback_years} years",
         "floor", 2, ("alert_social_care",),
         f"{_PANEL}; the 5-year look-back of CWSA 2026 s.37 (new EA 1996 s.434A)",
         ("cp_plan_ended_lookback_years",)),
    Rule("exploitation_or_missing", "Exploitation or missing",
         "exploitation concern or missing episode within {exploitation_lookback_months} months",
         "floor", 1, ("alert_social_care", "see_child_within_10_days"), f"{_CME_G}; {_WT}",
         ("exploitation_lookback_months",)),
    Rule("domestic_abuse", "Domestic abuse",
         "domestic abuse notification within {domestic_abuse_lookback_months} months",
         "floor", 2, ("see_child_within_10_days",),
         f"Domestic Abuse Act 2021 (children as victims); Operation Encompass; {_WT}",
         ("domestic_abuse_lookback_months",)),
    Rule("household_social_care", "Household member on a plan",
         "household member (sibling, or another child at the same address with a parent in "
         "common or the same surname) with a current child protection plan or child in need "
         "plan",
         "floor", 2, ("alert_social_care",), f"{_WT} (the whole family); {_PANEL}"),
    Rule("health_not_brought", "Missed health appointments or no GP",
         "{was_not_brought_min} or more was-not-brought health appointments within "
         "{was_not_brought_lookback_months} months, or not registered with a GP",
         "floor", 2, ("share_with_health",), f"{_PANEL} (health often the only professionals)",
         ("was_not_brought_min", "was_not_brought_lookback_months")),
    Rule("health_concern", "Health concern",
         "a health concern recorded by health, or physical health given as the reason for "
         "home education", "floor", 3, ("share_with_health",), _PANEL),
    Rule("education_health_care_plan", "EHC plan", "education, health and care plan",
         "floor", 3, (), f"Children and Families Act 2014 (EHC plans); {_EHE_G}"),
    Rule("never_on_school_roll", "Never on a school roll",
         "never on the roll of any school known to the authority", "floor", 3, (),
         f"{_PANEL} (children never enrolled)"),
    Rule("not_seen", "Not seen",
         "not seen by a professional for over {not_seen_months} months", "one_more_serious",
         None, ("arrange_visit",), f"{_EHE_G} (contact at least yearly); {_PANEL}",
         ("not_seen_months",)),
    Rule("no_contact_response", "No response to contact",
         "parent declined contact, or no reply to two requests", "floor", 2,
         ("professionals_meeting",), f"{_EHE_G} (no information: EA 1996 s.437(1))"),
    Rule("several_concerns", "Several concerns",
         "{several_concerns_min} or more different factor rows above whose floor is 2",
         "combination", 1, ("professionals_meeting",), f"{_WT} (cumulative harm)",
         ("several_concerns_min",)),
    Rule("consent_required", "Consent to withdraw",
         "a deletion on the home-education ground where, on the deletion date, the child was "
         "under a child protection plan or section 47 enquiry, or a plan had ended within "
         "{consent_lookback_years} years, or the authority arranged the special school place",
         "actions", None, ("consent_required",),
         "Children's Wellbeing and Schools Act 2026 s.37 (new EA 1996 s.434A); not yet "
         "commenced: setting consent_duty_enabled", ("consent_lookback_years",)),
    Rule("cme_enquiries", "Missing education", "every children-missing-education case",
         "actions", None, ("cme_enquiries",), f"Education Act 1996 s.436A; {_CME_G}"),
    Rule("request_information", "Register information",
         "register information the law requires still missing "
         "{request_information_after_days} days after the child became eligible",
         "actions", None, ("request_information",),
         "CWSA 2026 s.38 (new EA 1996 s.436C-436D); not yet commenced: setting "
         "register_duty_enabled", ("request_information_after_days",)),
    Rule("consider_preliminary_notice", "Preliminary notice",
         "no information at all, suitability not shown, or a home visit refused under the "
         "new law", "actions", None, ("consider_preliminary_notice",),
         f"CWSA 2026 s.39 (preliminary notice); now EA 1996 s.437(1); {_EHE_G}"),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("alert_social_care", "Tell children's social care the child is not in school",
               1, "working", "the data arriving", _WT),
    ActionSpec("see_child_within_10_days", "See the child", 10, "working",
               "the data arriving", _PANEL, sets_contact_due=True),
    ActionSpec("share_with_health", "Share with health (GP, school nursing)", None, None, "",
               _PANEL),
    ActionSpec("arrange_visit", "Arrange to see the child", None, None, "", _EHE_G),
    ActionSpec("professionals_meeting", "Hold a professionals' meeting", None, None, "", _WT),
    ActionSpec("consent_required", "Decide consent to the withdrawal", 0, "same_day",
               "the deletion arriving", "CWSA 2026 s.37 (new EA 1996 s.434A)"),
    ActionSpec("cme_enquiries", "Start reasonable enquiries", 5, "school",
               "the case opening", _CME_G),
    ActionSpec("request_information", "Ask the parent for the missing information", None,
               None, "", "CWSA 2026 s.38 (new EA 1996 s.436D)"),
    ActionSpec("consider_preliminary_notice", "Consider a preliminary notice", None, None, "",
               "CWSA 2026 s.39; EA 1996 s.437(1)"),
)

TIERS: tuple[TierSpec, ...] = (
    TierSpec(1, 3, "known current safeguarding involvement or acute risk"),
    TierSpec(2, 6, "significant history or several concerns together"),
    TierSpec(3, 9, "some vulnerability"),
    TierSpec(4, 12, "no known concern"),
)

_EXPL = "exploitation_lookback_months"
INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("child_protection_plan", "child protection plan", "state", None,
                  "in_window", True),
    IndicatorSpec("section_47_enquiry", "section 47 enquiry", "state", None, "in_window", False),
    IndicatorSpec("child_in_need", "child in need plan", "state", None, "in_window", True),
    IndicatorSpec("looked_after", "looked-after status", "state", None, "in_window", False),
    IndicatorSpec("was_not_brought", "missed health appointment", "event",
                  "was_not_brought_lookback_months", "with_rule", False),
    IndicatorSpec("not_registered_with_gp", "not registered with a GP", "state", None,
                  "in_window", False),
    IndicatorSpec("immunisations_incomplete", "immunisations incomplete", "state", None,
                  "never", False),
    IndicatorSpec("health_concern", "health concern", "state", None, "in_window", False),
    IndicatorSpec("domestic_abuse_notification", "domestic abuse notification", "event",
                  "domestic_abuse_lookback_months", "in_window", False),
    IndicatorSpec("missing_episode", "missing episode", "state", _EXPL, "in_window", False),
    IndicatorSpec("exploitation_concern", "exploitation concern", "state", _EXPL,
                  "in_window", False),
    IndicatorSpec("police_concern", "police concern", "state", None, "in_window", False),
    IndicatorSpec("education_health_care_plan", "education, health and care plan", "state",
                  None, "in_window", False),
    IndicatorSpec("sen_support", "SEN support", "state", None, "never", False),
    IndicatorSpec("temporary_accommodation", "temporary accommodation", "state", None,
                  "in_window", False),
    IndicatorSpec("young_carer", "young carer", "state", None, "in_window", False),
    IndicatorSpec("parental_mental_health", "parental mental health", "state", None,
                  "in_window", False),
    IndicatorSpec("parental_substance_misuse", "parental substance misuse", "state", None,
                  "in_window", False),
)


@dataclass(frozen=True)
class RuleTable:
    rules: tuple[Rule, ...] = RULES
    actions: tuple[ActionSpec, ...] = ACTIONS
    tiers: tuple[TierSpec, ...] = TIERS
    indicators: tuple[IndicatorSpec, ...] = INDICATORS
    settings: RuleSettings = field(default_factory=RuleSettings)

    def __post_init__(self) -> None:
        if sorted(t.tier for t in self.tiers) != [1, 2, 3, 4]:
            raise ValueError("the table needs exactly tiers 1 to 4")
        known = {a.code for a in self.actions}
        for rule in self.rules:
            if unknown := set(rule.actions) - known:
                raise ValueError(f"rule {rule.code}: unknown actions {sorted(unknown)}")
            for name in rule.lookback:
                if not hasattr(self.settings, name):
                    raise ValueError(f"rule {rule.code}: unknown setting {name}")

    def with_settings(self, **changes: Any) -> RuleTable:
        return dataclasses.replace(self, settings=dataclasses.replace(self.settings, **changes))

    def as_dict(self) -> dict[str, Any]:
        """Everything in the table, JSON-ready, with the version."""
        body = _body(self)
        return {"version": self.version, **body}

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), sort_keys=True, indent=2)

    @cached_property
    def version(self) -> str:
        canonical = json.dumps(_body(self), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()[:12]

    def describe(self) -> list[dict[str, str]]:
        """One row per rule in plain words, settings filled in, for the page managers read."""
        values = dataclasses.asdict(self.settings)
        return [
            {
                "code": rule.code,
                "title": rule.title,
                "factor": rule.factor.format(**values),
                "tier": _tier_words(rule),
                "actions": ", ".join(rule.actions),
                "source": rule.source,
                "settings": ", ".join(f"{name} = {values[name]}" for name in rule.lookback),
            }
            for rule in self.rules
        ]

    def review_interval(self, tier: int) -> int:
        return next(t.review_interval_months for t in self.tiers if t.tier == tier)


def _body(table: RuleTable) -> dict[str, Any]:
    return {
        "rules": [dataclasses.asdict(r) for r in table.rules],
        "actions": [dataclasses.asdict(a) for a in table.actions],
        "tiers": [dataclasses.asdict(t) for t in table.tiers],
        "indicators": [dataclasses.asdict(i) for i in table.indicators],
        "settings": dataclasses.asdict(table.settings),
    }


def _tier_words(rule: Rule) -> str:
    if rule.effect == "one_more_serious":
        return "one tier more serious, applied last"
    if rule.effect == "actions":
        return "no change"
    return f"{rule.tier} at most"


DEFAULT = RuleTable()
