"""How a manager changes what the rules give: a threshold of the rule table
(`rule_setting_change`) and one child's tier (`tier_override_record`, `tier_override_close`).
Running the rules over the register reads every domain's facts, so it is a flow:
`workflow.assessment`."""

import dataclasses
from typing import Any

from django.db import transaction
from django.db.models import Q

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.risk import engine
from notinschool.risk.models import RuleSetting, TierOverride
from notinschool.risk.thresholds import threshold_for

RATIONALE_MIN_LENGTH = 30


def rule_table_current() -> engine.RuleTable:
    """The default table with the thresholds managers have changed."""
    changes = _setting_values(dict(RuleSetting.objects.filter(is_current=True)
                                   .values_list("name", "value")))
    return engine.DEFAULT.with_settings(**changes) if changes else engine.DEFAULT


def _setting_values(stored: dict[str, str]) -> dict[str, Any]:
    fields = {f.name: f for f in dataclasses.fields(engine.RuleSettings)}
    return {name: value.lower() in ("1", "true", "yes") if fields[name].type == "bool"
            else int(value) for name, value in stored.items() if name in fields}


def rule_setting_change(*, actor: Actor, name: str, value: int, reason: str) -> RuleSetting:
    """Change one threshold of the rule table, within the bounds of `thresholds.py` (a floor of
    docs/risk-model.md can reach further, never less far), with the manager's reason. The old value
    stays as history; the rule version changes, so later assessments show the new table.
    Assessments already stored keep the version that made them until the rules are re-run."""
    if not actor.can(Cap.CHANGE_RULES):
        raise NotPermitted("your role cannot change the rules")
    threshold = threshold_for(name)
    if threshold is None:
        raise DomainError(f"{name} is not a setting a manager can change")
    if not threshold.minimum <= value <= threshold.maximum:
        raise DomainError(f"Enter a number from {threshold.minimum} to {threshold.maximum}")
    if not reason.strip():
        raise DomainError("Enter the reason for the change")
    with transaction.atomic():
        before = rule_table_current()
        previous = getattr(before.settings, name)
        if previous == value:
            raise DomainError(f"The setting is already {value} {threshold.unit}")
        after = before.with_settings(**{name: value})
        RuleSetting.objects.filter(name=name, is_current=True).update(is_current=False)
        user = actor_user(actor)
        change = RuleSetting.objects.create(
            name=name, value=str(value), previous_value=str(previous), reason=reason.strip(),
            rule_version_before=before.version, rule_version_after=after.version,
            created_by=user, modified_by=user)
        audit_record(actor=actor, action="update", object_type="rule_setting",
                     object_ids=[change.pk], reason=reason.strip(),
                     detail={"name": name, "previous": previous, "value": value,
                             "rule_version_before": before.version,
                             "rule_version_after": after.version})
    return change


def override_in_force(as_of: Any) -> Q:
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=as_of)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)) & Q(expires_on__gt=as_of)


def overrides_in_force(children: Any, as_of: Any) -> Any:
    """Overrides that apply to an assessment as of `as_of`: started, not expired (the override
    ends at the next review: from `expires_on` the computed tier stands), not ended early."""
    return TierOverride.objects.filter(override_in_force(as_of), child__in=children)


@dataclasses.dataclass(frozen=True)
class OverrideChoices:
    computed_tier: int
    reasons: tuple[str, ...]  # why the rules give that tier, in words
    ends: dict[int, Any]  # tier -> the day an override to it would end


def tier_override_choices_from(result: engine.Assessment, table: engine.RuleTable) -> OverrideChoices:
    """From the rules' assessment of a child today: the tier they give and why, and for each
    tier when an override to it would end: the next review under that tier (docs/risk-model.md:
    the override "expires at the next review"), as the engine works it out (`apply_override`)."""
    ends = {}
    for tier in (1, 2, 3, 4):
        override = engine.apply_override(result, tier=tier, rationale="-", rules=table).override
        assert override is not None
        ends[tier] = override.expires
    return OverrideChoices(result.computed_tier, result.reasons, ends)


def tier_override_record(*, actor: Actor, child: Child, tier: int, rationale: str,
                         choices: OverrideChoices) -> TierOverride:
    """A manager's tier for one child, with a written rationale, until the next review under
    that tier (`choices`: what the rules give the child today). The floors of
    docs/risk-model.md are the least the register must do, so an override can make the tier
    more serious but never less serious than the rules give, and it never removes a required
    action (ADR 0004). Replaces any override in force; audited. The child's re-assessment is
    the caller's (workflow.assessment.tier_override_create)."""
    if not actor.can(Cap.OVERRIDE_TIER):
        raise NotPermitted("your role cannot override a tier")
    rationale = rationale.strip()
    if child.status not in OPEN_STATUSES:
        raise DomainError("Only children with an open record are assessed")
    if tier not in (1, 2, 3, 4):
        raise DomainError("Choose tier 1, 2, 3 or 4")
    if len(rationale) < RATIONALE_MIN_LENGTH:
        raise DomainError(f"Write the rationale in at least {RATIONALE_MIN_LENGTH} characters")
    computed, expires = choices.computed_tier, choices.ends[tier]
    if tier >= computed:
        raise DomainError(f"The rules give tier {computed}. An override can only make the tier "
                          "more serious: the risk model's floors are the least the register "
                          "must do")
    today = clock.today()
    user = actor_user(actor)
    with transaction.atomic():
        for old in overrides_in_force([child], today):
            _end(actor, old, "Replaced by a new override")
        override = TierOverride.objects.create(
            child=child, tier=tier, computed_tier=computed, rationale=rationale, starts_on=today,
            expires_on=expires, created_by=user, modified_by=user)
        audit_record(actor=actor, action="create", object_type="tier_override",
                     object_ids=[override.pk], child_ids=[child.pk],
                     detail={"tier": tier, "computed_tier": computed,
                             "expires_on": expires.isoformat()})
    return override


def tier_override_close(*, actor: Actor, override: TierOverride, reason: str) -> TierOverride:
    """End an override before its review date, with the reason; audited. The child's
    re-assessment is the caller's (workflow.assessment.tier_override_end)."""
    if not actor.can(Cap.OVERRIDE_TIER):
        raise NotPermitted("your role cannot end an override")
    if not reason.strip():
        raise DomainError("Enter the reason for ending the override")
    if override.ended_on is not None or override.expires_on <= clock.today():
        raise DomainError("This override has already ended")
    with transaction.atomic():
        _end(actor, override, reason.strip())
    return override


def _end(actor: Actor, override: TierOverride, reason: str) -> None:
    user = actor_user(actor)
    override.ended_on = clock.today()
    override.ended_by = user
    override.end_reason = reason
    override.modified_by = user
    override.save(update_fields=["ended_on", "ended_by", "end_reason", "modified_by", "modified_at"])
    audit_record(actor=actor, action="update", object_type="tier_override",
                 object_ids=[override.pk], child_ids=[override.child_id], reason=reason,
                 detail={"ended_on": override.ended_on.isoformat()})


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """A merge of ``other`` into ``keep`` (workflow.merge, which audits it): the tier overrides
    made for ``other`` move to ``keep``. Its past assessments stay with it."""
    return {"tier_overrides": TierOverride.objects.filter(child=other).update(child=keep)}
