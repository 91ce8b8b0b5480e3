"""Running the risk model over the register and keeping each result with the rule version and
inputs that produced it (risk-model.md). Set-based: a few queries per 10,000 children, each by key range.

Also the two ways a manager changes what the rules give: a threshold of the rule table
(`rule_setting_change`) and one child's tier (`tier_override_create`, `tier_override_end`)."""

import contextlib
import dataclasses
import gc
import json
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from notinschool.audit.services import actor_label, audit_record
from notinschool.casework.services import alerts_raise
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.risk import engine, storing
from notinschool.risk.facts_loader import (
    CHILD_FIELDS,
    ChildRow,
    Scope,
    child_facts_for,
    child_facts_for_rows,
)
from notinschool.risk.models import (
    AssessmentRun,
    RuleSetting,
    TierOverride,
)
from notinschool.risk.thresholds import threshold_for

_CHUNK = 10_000
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


def rule_setting_change(*, actor: Any, name: str, value: int, reason: str) -> RuleSetting:
    """Change one threshold of the rule table, within the bounds of `thresholds.py` (a floor of
    risk-model.md can reach further, never less far), with the manager's reason. The old value
    stays as history; the rule version changes, so later assessments show the new table.
    Assessments already stored keep the version that made them until the rules are re-run."""
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
        user = actor if getattr(actor, "pk", None) else None
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


def risk_assessment_run(*, actor: Any, child_ids: Iterable[UUID] | None) -> int:
    """Assess these children (every open record when None) as of today; returns how many."""
    return risk_assessment_run_recorded(actor=actor, child_ids=child_ids).children


def risk_assessment_run_recorded(*, actor: Any, child_ids: Iterable[UUID] | None) -> AssessmentRun:
    """As `risk_assessment_run`, returning the stored run: the rule version and settings it
    used and what changed against each child's previous assessment (`AssessmentRun.summary`)."""
    started = time.perf_counter()
    as_of = clock.today()
    table = rule_table_current()
    user = actor if getattr(actor, "pk", None) else None
    run = AssessmentRun.objects.create(
        as_of=as_of, rule_version=table.version, settings=dataclasses.asdict(table.settings),
        scope="all" if child_ids is None else "selected", actor_label=actor_label(actor),
        created_by=user, modified_by=user)
    summary: Counter[str] = Counter()
    actions: dict[str, Counter[str]] = {}
    store = storing.Store(run)
    with _collect_young_objects_only(child_ids is None):
        for chunk, scope in _chunks(None if child_ids is None else list(child_ids)):
            _assess_chunk(chunk, scope, as_of, table, store, summary, actions)
    run.children = summary.pop("children", 0)
    run.summary = {**dict(summary), "actions": {code: dict(c) for code, c in sorted(actions.items())}}
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["children", "summary", "seconds", "modified_at"])
    audit_record(actor=actor, action="update", object_type="assessment", object_ids=[run.pk],
                 detail={"children": run.children, "rules": table.version,
                         "as_of": as_of.isoformat()})
    alerts_raise(actor=actor)  # tell children's social care (casework), once per action
    return run


@contextlib.contextmanager
def _collect_young_objects_only(whole_register: bool) -> Iterator[None]:
    """A whole-register run makes millions of small objects, and each full garbage collection
    would walk every object the process already had (Django, the modules): set those aside
    for the run (`gc.freeze`). Not where something else froze them (a server before forking)."""
    if not whole_register or gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _chunks(ids: list[UUID] | None) -> Iterable[tuple[list[ChildRow], Scope]]:
    """The open records in key order, a chunk at a time, each with the key range it spans (or
    the ids asked for), so the chunk's facts are read by range, not by a list of ids."""
    children = Child.objects.filter(status__in=OPEN_STATUSES).order_by("pk")
    if ids is not None:
        for start in range(0, len(ids), _CHUNK):
            asked = ids[start:start + _CHUNK]
            rows = [ChildRow(*r) for r in children.filter(pk__in=asked).values_list(*CHILD_FIELDS)]
            if rows:
                yield rows, Scope(ids=tuple(r.pk for r in rows))
        return
    last = None
    while True:
        page = children.filter(pk__gt=last) if last else children
        rows = [ChildRow(*r) for r in page.values_list(*CHILD_FIELDS)[:_CHUNK]]
        if not rows:
            return
        yield rows, Scope(low=rows[0].pk, high=rows[-1].pk)
        last = rows[-1].pk


def _assess_chunk(children: list[ChildRow], scope: Scope, as_of: Any, table: engine.RuleTable,
                  store: "storing.Store", summary: Counter[str],
                  actions: dict[str, Counter[str]]) -> None:
    facts = child_facts_for_rows(children, scope)
    overrides = {o.child_id.int: o for o in TierOverride.objects.filter(
        _in_force(as_of), scope.q("child_id")).order_by("created_at")}
    results = []
    for child, child_facts in zip(children, facts, strict=True):
        result = engine.assess(child_facts, as_of=as_of, rules=table)
        o = overrides.get(child.pk.int) if overrides else None
        if o is not None and o.tier < result.computed_tier:  # the floors always hold
            result = engine.apply_override(result, tier=o.tier, rationale=o.rationale,
                                           expires=o.expires_on, rules=table)
        results.append((child.pk, result, child_facts))
    with transaction.atomic():
        previous = store.assessments(results, scope)
        store.actions(results, scope, as_of)
    _count_changes(results, previous, store, summary, actions)


def _in_force(as_of: Any) -> Q:
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=as_of)) & (
        Q(ended_on__isnull=True) | Q(ended_on__gt=as_of)) & Q(expires_on__gt=as_of)


def overrides_in_force(children: Any, as_of: Any) -> Any:
    """Overrides that apply to an assessment as of `as_of`: started, not expired (the override
    ends at the next review: from `expires_on` the computed tier stands), not ended early."""
    return TierOverride.objects.filter(_in_force(as_of), child__in=children)


def _count_changes(results: list[tuple[UUID, engine.Assessment, Any]],
                   previous: dict[int, tuple[int, str]], store: "storing.Store",
                   summary: Counter[str], actions: dict[str, Counter[str]]) -> None:
    """Against each child's previous assessment: tier more or less serious, actions gained or
    lost (children, and per action). Actions are compared as stored JSON text first."""
    for child, result, _ in results:
        summary["children"] += 1
        summary[f"tier_{result.tier}"] += 1
        before = previous.get(child.int) if previous else None
        if before is None:
            summary["first_assessed"] += 1
            continue
        tier, old_text = before
        summary["tier_more_serious" if result.tier < tier else "tier_less_serious"
                if result.tier > tier else "tier_unchanged"] += 1
        if old_text == store.actions_text(result):
            summary["gained_actions"] += 0
            summary["lost_actions"] += 0
            continue
        old_actions, now = json.loads(old_text), result.required_actions
        gained, lost = set(now) - set(old_actions), set(old_actions) - set(now)
        summary["gained_actions"] += bool(gained)
        summary["lost_actions"] += bool(lost)
        for code in gained:
            actions.setdefault(code, Counter())["gained"] += 1
        for code in lost:
            actions.setdefault(code, Counter())["lost"] += 1


@dataclasses.dataclass(frozen=True)
class OverrideChoices:
    computed_tier: int
    reasons: tuple[str, ...]  # why the rules give that tier, in words
    ends: dict[int, Any]  # tier -> the day an override to it would end


def tier_override_choices(*, child: Child) -> OverrideChoices:
    """The tier the rules give the child today and why, and for each tier when an override to
    it would end: the next review under that tier (risk-model.md: the override "expires at the
    next review"), as the engine works it out (`apply_override`)."""
    table = rule_table_current()
    result = engine.assess(child_facts_for([child])[child.pk], as_of=clock.today(), rules=table)
    ends = {}
    for tier in (1, 2, 3, 4):
        override = engine.apply_override(result, tier=tier, rationale="-", rules=table).override
        assert override is not None
        ends[tier] = override.expires
    return OverrideChoices(result.computed_tier, result.reasons, ends)


def tier_override_create(*, actor: Any, child: Child, tier: int, rationale: str) -> TierOverride:
    """A manager's tier for one child, with a written rationale, until the next review under
    that tier. The floors of risk-model.md are the least the register must do, so an override
    can make the tier more serious but never less serious than the rules give, and it never
    removes a required action (ADR 0004). Replaces any override in force; audited; the child
    is re-assessed at once."""
    rationale = rationale.strip()
    if child.status not in OPEN_STATUSES:
        raise DomainError("Only children with an open record are assessed")
    if tier not in (1, 2, 3, 4):
        raise DomainError("Choose tier 1, 2, 3 or 4")
    if len(rationale) < RATIONALE_MIN_LENGTH:
        raise DomainError(f"Write the rationale in at least {RATIONALE_MIN_LENGTH} characters")
    choices = tier_override_choices(child=child)
    computed, expires = choices.computed_tier, choices.ends[tier]
    if tier >= computed:
        raise DomainError(f"The rules give tier {computed}. An override can only make the tier "
                          "more serious: the risk model's floors are the least the register "
                          "must do")
    today = clock.today()
    user = actor if getattr(actor, "pk", None) else None
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
    risk_assessment_run(actor=actor, child_ids=[child.pk])
    return override


def tier_override_end(*, actor: Any, override: TierOverride, reason: str) -> TierOverride:
    """End an override before its review date, with the reason; audited; the child is
    re-assessed at once, so the computed tier stands again."""
    if not reason.strip():
        raise DomainError("Enter the reason for ending the override")
    if override.ended_on is not None or override.expires_on <= clock.today():
        raise DomainError("This override has already ended")
    with transaction.atomic():
        _end(actor, override, reason.strip())
    risk_assessment_run(actor=actor, child_ids=[override.child_id])
    return override


def _end(actor: Any, override: TierOverride, reason: str) -> None:
    user = actor if getattr(actor, "pk", None) else None
    override.ended_on = clock.today()
    override.ended_by = user
    override.end_reason = reason
    override.modified_by = user
    override.save(update_fields=["ended_on", "ended_by", "end_reason", "modified_by", "modified_at"])
    audit_record(actor=actor, action="update", object_type="tier_override",
                 object_ids=[override.pk], child_ids=[override.child_id], reason=reason,
                 detail={"ended_on": override.ended_on.isoformat()})
