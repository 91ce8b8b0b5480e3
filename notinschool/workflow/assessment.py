"""Running the risk rules over the register: the facts come from every domain (notifications,
agency records, contacts, the register itself: `risk_facts`), the rules and the store are
risk's, and what follows is casework's (a consent request answered or barred is not opened
again; children's social care is told of an alert action). Set-based: a few queries per 10,000
children, each by key range. Each run is kept with the rule version and settings it used
(docs/risk-model.md: a past decision can be explained later).

Also the manager's tier override, which re-assesses the child at once."""

import dataclasses
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Exists, OuterRef

from notinschool.accounts.actor import Actor, actor_user
from notinschool.audit.services import actor_label, audit_record
from notinschool.casework.consent import consent_requests_to_open
from notinschool.casework.services import alerts_raise
from notinschool.core import clock
from notinschool.core.collector import collector_paused
from notinschool.core.locks import LockBusy, advisory_lock
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.risk import engine, storing
from notinschool.risk.models import Assessment, AssessmentRun, TierOverride
from notinschool.risk.scope import Scope
from notinschool.risk.services import (
    OverrideChoices,
    override_in_force,
    rule_table_current,
    tier_override_choices_from,
    tier_override_close,
    tier_override_record,
)
from notinschool.workflow.risk_facts import CHILD_FIELDS, ChildRow, child_facts_for, child_facts_for_rows

_CHUNK = 10_000


def risk_assessment_run(*, actor: Actor, child_ids: Iterable[UUID] | None) -> int:
    """Assess these children (every open record when None) as of today; returns how many."""
    return risk_assessment_run_recorded(actor=actor, child_ids=child_ids).children


def child_reassess(*, actor: Actor, child: Child, wait_seconds: float = 10) -> bool:
    """Assess one child again straight after a person changed what the rules read (a contact
    recorded, a visit done or missed, a reply, a letter, an edit of the record), so the tier,
    the next contact date and the work queue follow at once. If a run of the whole register
    is under way for longer than `wait_seconds`, the child is left to it (it reads the register
    as it is when it reaches the child) and False is returned."""
    try:
        with advisory_lock("assessment", wait_seconds=wait_seconds):
            _run(actor, [child.pk])
    except LockBusy:
        return False
    return True


def risk_assessment_run_recorded(*, actor: Actor, child_ids: Iterable[UUID] | None,
                                 on_wait: Callable[[], None] | None = None) -> AssessmentRun:
    """As `risk_assessment_run`, returning the stored run: the rule version and settings it
    used and what changed against each child's previous assessment (`AssessmentRun.summary`).

    One run at a time, whether of the whole register or of a few children: a run waits for
    the one under way to finish (`on_wait` is called first, if it has to), then reads the
    rules in force and the register as they are then. The lock is held for the whole run, over
    the commit of each chunk."""
    with advisory_lock("assessment", on_wait=on_wait):
        return _run(actor, None if child_ids is None else list(child_ids))


def _run(actor: Actor, child_ids: list[UUID] | None) -> AssessmentRun:
    # a run makes a few objects per fact and keeps a chunk's until the next, and makes no
    # reference cycles: without the cyclic collector, whose full collections walked them all
    # again and again (87,989 children: 8.9 s of CPU with the process's older objects frozen,
    # 5.2 s without the collector; 48,498 listed children: 7.9 s, 3.7 s)
    with collector_paused():
        return _run_uncollected(actor, child_ids)


def _run_uncollected(actor: Actor, child_ids: list[UUID] | None) -> AssessmentRun:
    started = time.perf_counter()
    as_of = clock.today()
    table = rule_table_current()
    user = actor_user(actor)
    run = AssessmentRun.objects.create(
        as_of=as_of, rule_version=table.version, settings=dataclasses.asdict(table.settings),
        scope="all" if child_ids is None else "selected", actor_label=actor_label(actor),
        created_by=user, modified_by=user)
    summary: Counter[str] = Counter()
    actions: dict[str, Counter[str]] = {}
    store = storing.Store(run, actions_to_open=consent_requests_to_open)
    for chunk, scope in _chunks(child_ids):
        _assess_chunk(chunk, scope, as_of, table, store, summary, actions)
    run.children = summary.pop("children", 0)
    run.summary = {**dict(summary), "actions": {code: dict(c) for code, c in sorted(actions.items())}}
    run.seconds = round(time.perf_counter() - started, 3)
    run.save(update_fields=["children", "summary", "seconds", "modified_at"])
    audit_record(actor=actor, action="update", object_type="assessment", object_ids=[run.pk],
                 detail={"children": run.children, "rules": table.version,
                         "as_of": as_of.isoformat()})
    alerts_raise(actor=actor)  # tell children's social care, once per action
    return run


def _chunks(ids: list[UUID] | None) -> Iterable[tuple[list[ChildRow], Scope]]:
    """The open records in key order, a chunk at a time, each with the key range it spans (or
    the ids asked for), so the chunk's facts are read by range, not by a list of ids."""
    children = Child.objects.filter(status__in=OPEN_STATUSES).order_by("pk")
    if ids is not None:
        for start in range(0, len(ids), _CHUNK):
            asked = Scope(ids=tuple(ids[start:start + _CHUNK]))
            rows = [ChildRow(*r) for r in children.filter(asked.q("pk")).values_list(*CHILD_FIELDS)]
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


def not_assessed_today() -> set[UUID]:
    """The open records whose latest assessment is not as of today under the rules in force
    (or who have none): what a run of every open record would change even where nothing the
    rules read has changed since (the dates the rules count from, the rules themselves)."""
    current = Assessment.objects.filter(child_id=OuterRef("pk"), is_latest=True,
                                        as_of=clock.today(),
                                        rule_version=rule_table_current().version)
    return set(Child.objects.filter(status__in=OPEN_STATUSES).filter(~Exists(current))
               .values_list("pk", flat=True))


def _assess_chunk(children: list[ChildRow], scope: Scope, as_of: Any, table: engine.RuleTable,
                  store: "storing.Store", summary: Counter[str],
                  actions: dict[str, Counter[str]]) -> None:
    facts = child_facts_for_rows(children, scope)
    overrides = {o.child_id.int: o for o in TierOverride.objects.filter(
        override_in_force(as_of), scope.q("child_id")).order_by("created_at")}
    results = []
    for child, child_facts in zip(children, facts, strict=True):
        result = engine.assess(child_facts, as_of=as_of, rules=table)
        o = overrides.get(child.pk.int) if overrides else None
        if o is not None and o.tier < result.computed_tier:  # the floors always hold
            result = engine.apply_override(result, tier=o.tier, rationale=o.rationale,
                                           expires=o.expires_on, rules=table)
        results.append((child.pk, result, child_facts))
    with transaction.atomic():
        previous = store.assessments(results)
        store.actions(results, scope, as_of)
    _count_changes(results, previous, store, summary, actions)



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


def tier_override_choices(*, child: Child) -> OverrideChoices:
    """The tier the rules give the child today and why, and when an override to each tier
    would end."""
    table = rule_table_current()
    result = engine.assess(child_facts_for([child])[child.pk], as_of=clock.today(), rules=table)
    return tier_override_choices_from(result, table)


def tier_override_create(*, actor: Actor, child: Child, tier: int, rationale: str) -> TierOverride:
    """A manager's tier for one child (risk.services.tier_override_record), and the child
    re-assessed at once under it."""
    override = tier_override_record(actor=actor, child=child, tier=tier, rationale=rationale,
                                    choices=tier_override_choices(child=child))
    risk_assessment_run(actor=actor, child_ids=[child.pk])
    return override


def tier_override_end(*, actor: Actor, override: TierOverride, reason: str) -> TierOverride:
    """End an override early, and re-assess the child at once, so the computed tier stands."""
    tier_override_close(actor=actor, override=override, reason=reason)
    risk_assessment_run(actor=actor, child_ids=[override.child_id])
    return override
