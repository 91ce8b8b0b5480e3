"""Running the risk model over the register and keeping each result with the rule version and
inputs that produced it (risk-model.md). Set-based: a few queries per 5,000 children."""

import dataclasses
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import transaction

from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.risk import engine
from notinschool.risk.facts_loader import child_facts_for
from notinschool.risk.models import Assessment, RequiredAction, RuleSetting, TierOverride

_CHUNK = 5000


def rule_table_current() -> engine.RuleTable:
    """The default table with the thresholds managers have changed."""
    fields = {f.name: f for f in dataclasses.fields(engine.RuleSettings)}
    changes: dict[str, Any] = {}
    for name, value in RuleSetting.objects.values_list("name", "value"):
        if name in fields:
            changes[name] = value.lower() in ("1", "true", "yes") if fields[name].type == "bool" \
                else int(value)
    return engine.DEFAULT.with_settings(**changes) if changes else engine.DEFAULT


def risk_assessment_run(*, actor: Any, child_ids: Iterable[UUID] | None) -> int:
    """Assess these children (every open record when None) as of today; returns how many."""
    as_of = clock.today()
    table = rule_table_current()
    children = Child.objects.filter(status__in=OPEN_STATUSES).order_by("pk")
    total = 0
    for chunk in _chunks(children, None if child_ids is None else list(child_ids)):
        total += _assess_chunk(chunk, as_of, table)
    audit_record(actor=actor, action="update", object_type="assessment",
                 detail={"children": total, "rules": table.version, "as_of": as_of.isoformat()})
    return total


def _chunks(children: Any, ids: list[UUID] | None) -> Iterable[list[Child]]:
    if ids is not None:
        for start in range(0, len(ids), _CHUNK):
            yield list(children.filter(pk__in=ids[start:start + _CHUNK]))
        return
    last = None
    while True:
        page = children.filter(pk__gt=last) if last else children
        chunk = list(page[:_CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _assess_chunk(children: list[Child], as_of: Any, table: engine.RuleTable) -> int:
    facts = child_facts_for(children)
    overrides = {o.child_id: o for o in TierOverride.objects.filter(
        child__in=children, expires_on__gt=as_of).order_by("created_at")}
    rows = []
    for child in children:
        result = engine.assess(facts[child.pk], as_of=as_of, rules=table)
        if child.pk in overrides:
            o = overrides[child.pk]
            result = engine.apply_override(result, tier=o.tier, rationale=o.rationale,
                                           expires=o.expires_on, rules=table)
        rows.append(_assessment(child, result, facts[child.pk]))
    with transaction.atomic():
        Assessment.objects.filter(child__in=children, is_latest=True).update(is_latest=False)
        Assessment.objects.bulk_create(rows, batch_size=_CHUNK)
        _sync_actions(children, rows, as_of)
    return len(rows)


def _assessment(child: Child, result: engine.Assessment, facts: engine.ChildFacts) -> Assessment:
    return Assessment(
        child=child, as_of=result.as_of, rule_version=result.rules_version, is_latest=True,
        tier=result.tier, computed_tier=result.computed_tier,
        review_interval_months=result.review_interval_months,
        next_contact_due=result.next_contact_due, flags=list(result.flags),
        required_actions=list(result.required_actions), reasons=list(result.reasons),
        deadlines={k: v.isoformat() for k, v in result.deadlines.items()},
        fired_rules=[{"rule": f.rule, "reason": f.reason, "evidence": list(f.evidence)}
                     for f in result.fired],
        inputs={"agency_facts": len(facts.agency_facts), "contacts": len(facts.contacts),
                "deletions": len(facts.deletions), "override": bool(result.override)},
    )


def _sync_actions(children: list[Child], rows: list[Assessment], as_of: Any) -> None:
    """Open a tracked action for each required action not already open; close the ones the
    latest assessment no longer asks for."""
    open_actions = RequiredAction.objects.filter(
        child__in=children, state__in=(RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED))
    have = {(a.child_id, a.code): a for a in open_actions}
    wanted = {(a.child_id, code): a for a in rows for code in a.required_actions}
    new = [RequiredAction(child_id=child, code=code, raised_on=as_of,
                          due_date=assessment.deadlines.get(code))
           for (child, code), assessment in wanted.items() if (child, code) not in have]
    RequiredAction.objects.bulk_create(new, batch_size=_CHUNK)
    gone = [a.pk for key, a in have.items() if key not in wanted]
    RequiredAction.objects.filter(pk__in=gone).update(state=RequiredAction.State.DONE)
