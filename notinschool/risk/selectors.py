"""Reads of the rule table, its history, assessment runs and overrides. The rule table holds no
child's data; the override of a child is read only after the actor has opened the child
(`people.selectors.child_get`)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from notinschool.core import clock
from notinschool.core.memo import page_memo
from notinschool.people.models import Child
from notinschool.risk import engine
from notinschool.risk.models import Assessment, AssessmentRun, RuleSetting, TierOverride
from notinschool.risk.services import overrides_in_force, rule_table_current
from notinschool.risk.thresholds import THRESHOLDS, Threshold, threshold_for

_DAY_KINDS = {"working": "working", "school": "school"}
_FIXED_LABELS = {  # settings that are not changed on screen (thresholds.py says why)
    "several_concerns_min": ("Different concerns at floor 2 that make tier 1", "concerns"),
    "consent_duty_enabled": ("Consent to withdraw a child on a plan (section 434A)", ""),
    "register_duty_enabled": ("Register content and home visits (sections 436C to 436D)", ""),
    "online_contact_counts_as_seen": ("A child seen online counts as seen", ""),
}


@dataclass(frozen=True)
class SettingValue:
    name: str
    label: str
    value: Any
    unit: str
    changeable: bool


@dataclass(frozen=True)
class RuleRow:
    title: str
    factor: str
    tier: str
    actions: list[str]
    source: str
    settings: list[SettingValue]


@dataclass(frozen=True)
class ActionRow:
    code: str
    description: str
    deadline: str
    source: str


@dataclass(frozen=True)
class ThresholdRow:
    threshold: Threshold
    value: int
    last_change: RuleSetting | None


@dataclass(frozen=True)
class SettingChange:
    when: Any
    who: str
    label: str
    change: str
    reason: str
    versions: str


@dataclass
class RuleTablePage:
    version: str
    rules: list[RuleRow]
    actions: list[ActionRow]
    tiers: list[engine.TierSpec]
    thresholds: list[ThresholdRow]
    switches: list[SettingValue]
    history: list[SettingChange] = field(default_factory=list)
    last_run: AssessmentRun | None = None


def rule_table_page() -> RuleTablePage:
    """The rule table in force, in words (the engine's `describe()`, with its sources), its
    changeable thresholds, their history and the last run over the whole register."""
    table = rule_table_current()
    values = dataclasses.asdict(table.settings)
    described = {row["code"]: row for row in table.describe()}
    actions = {a.code: a for a in table.actions}
    current = {s.name: s for s in RuleSetting.objects.filter(is_current=True)
               .select_related("created_by")}
    return RuleTablePage(
        version=table.version,
        rules=[RuleRow(title=d["title"], factor=d["factor"], tier=d["tier"],
                       actions=[actions[a].description for a in rule.actions],
                       source=d["source"],
                       settings=[_setting(name, values[name]) for name in rule.lookback])
               for rule in table.rules for d in (described[rule.code],)],
        actions=[ActionRow(a.code, a.description, _deadline(a), a.source) for a in table.actions],
        tiers=list(table.tiers),
        thresholds=[ThresholdRow(t, values[t.name], current.get(t.name)) for t in THRESHOLDS],
        switches=[_setting(f.name, values[f.name]) for f in dataclasses.fields(table.settings)
                  if f.type == "bool"],
        history=_changes(RuleSetting.objects.all(), limit=50),
        last_run=last_full_run(),
    )


def _setting(name: str, value: Any) -> SettingValue:
    threshold = threshold_for(name)
    if threshold is None:
        label, unit = _FIXED_LABELS.get(name, (name.replace("_", " ").capitalize(), ""))
        return SettingValue(name, label, value, unit, False)
    return SettingValue(name, threshold.label, value, threshold.unit, True)


def _deadline(action: engine.ActionSpec) -> str:
    if action.deadline_days is None:
        return "No deadline"
    if action.day_kind == "same_day" or action.deadline_days == 0:
        return f"The same day as {action.counted_from}"
    kind = _DAY_KINDS.get(action.day_kind or "", "")
    days = "day" if action.deadline_days == 1 else "days"
    return f"{action.deadline_days} {kind} {days} from {action.counted_from}".replace("  ", " ")


def last_full_run() -> AssessmentRun | None:
    """The latest run over every open record (runs for the children one import touched are
    not a comparison of the whole register)."""
    return AssessmentRun.objects.filter(scope="all").order_by("-created_at").first()


def rule_setting_history(*, name: str) -> list[SettingChange]:
    """Every change of one setting, newest first, with who made it, when and why."""
    return _changes(RuleSetting.objects.filter(name=name))


def _changes(changes: Any, limit: int | None = None) -> list[SettingChange]:
    rows = []
    for c in changes.select_related("created_by").order_by("-created_at")[:limit]:
        t = threshold_for(c.name)
        unit = f" {t.unit}" if t else ""
        rows.append(SettingChange(
            when=c.created_at, who=c.created_by.get_username() if c.created_by else "System",
            label=t.label if t else c.name, change=f"{c.previous_value} to {c.value}{unit}",
            reason=c.reason, versions=f"{c.rule_version_before} to {c.rule_version_after}"))
    return rows


@page_memo
def tier_override_in_force(*, child: Child) -> TierOverride | None:
    """The override that applies to the child today, if any (the latest, should there be two)."""
    return (overrides_in_force([child], clock.today()).select_related("created_by")
            .order_by("-created_at").first())


@page_memo
def tier_overrides(*, child: Child) -> list[TierOverride]:
    """Every override of the child's tier, in force or not, newest first, with who set it and
    who ended it."""
    return list(TierOverride.objects.filter(child=child).select_related("created_by", "ended_by")
                .order_by("-created_at"))


def tier_override_history(*, child: Child) -> list[TierOverride]:
    """Every override of the child's tier that is no longer in force (expired, ended early or
    replaced), newest first: who set it and why, and who ended it."""
    in_force = tier_override_in_force(child=child)
    return [o for o in tier_overrides(child=child) if in_force is None or o.pk != in_force.pk]


@page_memo
def assessment_latest(*, child: Child) -> Assessment | None:
    """The child's latest assessment (None before the first), for a child the actor has opened
    (`people.selectors.child_get`, which audits the view)."""
    return child.assessments.filter(is_latest=True).first()
