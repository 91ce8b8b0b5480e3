"""Allocating children to officers (docs/product.md, "Work queues"): one child, in bulk by
postcode district, last school or tier, and by the district rules a manager sets, which
allocate new children as they arrive. An officer's work queue and daily summary are the
children allocated to them (`people.Child.officer`). Every change is kept
(`AllocationChange`) and audited in the same transaction."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import batched
from uuid import UUID

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.allocation.models import AllocationChange, AllocationRule
from notinschool.allocation.selectors import (
    children_matching,
    district_clean,
    district_of,
    officer_may_hold,
)
from notinschool.audit.services import actor_label, audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.models import OPEN_STATUSES, Child

How = AllocationChange.How
_BATCH = 500
# `officer_was` not given: whoever holds the child now is replaced
ANYONE = object()


def _check(actor: Actor) -> None:
    if not actor.can(Cap.ALLOCATE_OFFICERS):
        raise NotPermitted("only a team manager can allocate children to officers")


def _check_officer(officer: User | None) -> None:
    if officer is not None and not officer_may_hold(officer):
        raise DomainError("Choose an active EHE/CME officer or team manager")


def child_officer_allocate(*, actor: Actor, child: Child, officer: User | None,
                           officer_was: object = ANYONE) -> bool:
    """Allocate one child to `officer` (None: to nobody). With `officer_was` (the officer's id,
    or None, as the page showed it), someone else's change since then is refused, so the
    second of two people allocating at once is told. False when nothing changed."""
    _check(actor)
    _check_officer(officer)
    with transaction.atomic():
        before = Child.objects.select_for_update().filter(pk=child.pk).values_list(
            "officer_id", flat=True).get()
        if officer_was is not ANYONE and before != officer_was:
            raise DomainError("Someone else changed this child's officer while you were choosing. "
                              "Check the officer now allocated and choose again.")
        if before == (officer.pk if officer else None):
            return False
        _allocate(actor=actor, rows=[(child.pk, before)], officer=officer, how=How.ONE)
    child.officer = officer
    return True


def children_officer_allocate(*, actor: Actor, officer: User, district: str | None = None,
                              school_urn: str | None = None, tier: int | None = None,
                              only_unallocated: bool = True) -> int:
    """Allocate to `officer` every open child in the postcode district (the outward code of
    the child's postcode), last at the school (its URN) and in the tier (the latest
    assessment's) given; at least one of the three. Only children no officer holds, unless
    `only_unallocated` is False. Returns how many changed."""
    _check(actor)
    _check_officer(officer)
    district = district_clean(district) if district else ""
    if not (district or school_urn or tier):
        raise DomainError("Choose a postcode district, a school or a tier")
    with transaction.atomic():
        rows = list(children_matching(
            actor=actor, officer=officer, district=district, school_urn=school_urn or "",
            tier=tier, only_unallocated=only_unallocated,
        ).select_for_update().values_list("pk", "officer_id"))
        _allocate(actor=actor, rows=rows, officer=officer, how=How.BULK,
                  detail={"district": district, "school_urn": school_urn or "", "tier": tier,
                          "only_unallocated": only_unallocated})
    return len(rows)


def children_officer_set(*, actor: Actor, child_ids: Iterable[UUID], officer: User,
                         how: str = How.BULK) -> int:
    """Allocate the given open children that no officer holds to `officer` (the demo shares
    out what the rules left). Returns how many changed."""
    _check(actor)
    _check_officer(officer)
    with transaction.atomic():
        rows = [row for ids in batched(child_ids, _BATCH) for row in Child.objects.filter(
            pk__in=ids, officer__isnull=True, status__in=OPEN_STATUSES,
        ).select_for_update().values_list("pk", "officer_id")]
        _allocate(actor=actor, rows=rows, officer=officer, how=how)
    return len(rows)


def allocation_rule_set(*, actor: Actor, district: str, officer: User) -> AllocationRule:
    """New children in `district` go to `officer` as they arrive (one rule a district: setting
    it again changes its officer). Children already on the register are not moved: allocate
    them in bulk."""
    _check(actor)
    _check_officer(officer)
    clean = district_clean(district)
    if not clean:
        raise DomainError("Enter a postcode district, like WV10")
    with transaction.atomic():
        rule, created = AllocationRule.objects.update_or_create(
            district=clean, defaults={"officer": officer, "modified_by": actor_user(actor)},
            create_defaults={"officer": officer, "created_by": actor_user(actor),
                             "modified_by": actor_user(actor)})
        audit_record(actor=actor, action="create" if created else "update",
                     object_type="allocation_rule", object_ids=[rule.pk],
                     detail={"district": clean, "officer": officer.pk})
    return rule


def allocation_rule_delete(*, actor: Actor, rule: AllocationRule) -> None:
    """Remove a rule: new children in its district wait in the unallocated queue."""
    _check(actor)
    with transaction.atomic():
        deleted, _ = AllocationRule.objects.filter(pk=rule.pk).delete()
        if deleted:
            audit_record(actor=actor, action="delete", object_type="allocation_rule",
                         object_ids=[rule.pk],
                         detail={"district": rule.district, "officer": rule.officer_id})


def allocation_rules_apply(*, actor: Actor, child_ids: Iterable[UUID] | None) -> int:
    """Give each open child no officer holds the officer of its district's rule (None: every
    such child). Run after every import, whoever sent it (a school's deletion as much as an
    officer's upload): the rule is the manager's decision, so applying it needs no capability
    of the sender. A rule whose officer may no longer hold children is skipped. Returns how
    many were allocated."""
    rules = {r.district: r.officer for r in AllocationRule.objects.select_related("officer")
             if officer_may_hold(r.officer)}
    if not rules:
        return 0
    waiting = Child.objects.filter(officer__isnull=True, status__in=OPEN_STATUSES).exclude(postcode="")
    batches = [waiting] if child_ids is None else [
        waiting.filter(pk__in=ids) for ids in batched(child_ids, _BATCH)]
    by_district: dict[str, list[UUID]] = defaultdict(list)
    for children in batches:
        for pk, postcode in children.values_list("pk", "postcode"):
            if district_of(postcode) in rules:
                by_district[district_of(postcode)].append(pk)
    allocated = 0
    for district, ids in sorted(by_district.items()):
        with transaction.atomic():
            rows = [row for chunk in batched(ids, _BATCH) for row in Child.objects.filter(
                pk__in=chunk, officer__isnull=True).select_for_update().values_list("pk", "officer_id")]
            _allocate(actor=actor, rows=rows, officer=rules[district], how=How.RULE,
                      district=district, detail={"district": district})
        allocated += len(rows)
    return allocated


def _allocate(*, actor: Actor, rows: Sequence[tuple[UUID, int | None]], officer: User | None,
              how: str, district: str = "", detail: dict[str, object] | None = None) -> None:
    """Set the officer of the children in `rows` (child id, officer before) and record each
    change and the audit event; inside the caller's transaction."""
    if not rows:
        return
    now, by = clock.now(), actor_user(actor)
    for chunk in batched(rows, _BATCH):
        Child.objects.filter(pk__in=[pk for pk, _ in chunk]).update(
            officer=officer, modified_at=now, modified_by=by)
    changes = AllocationChange.objects.bulk_create(
        AllocationChange(child_id=pk, officer_before_id=before, officer_after=officer, by=by,
                         by_label=_who(actor), at=now, how=how, district=district,
                         created_by=by, modified_by=by)
        for pk, before in rows)
    audit_record(actor=actor, action="allocate", object_type="child_officer",
                 object_ids=[c.pk for c in changes], child_ids=[pk for pk, _ in rows],
                 detail={"officer": officer.pk if officer else None, "how": how, **(detail or {})})


def _who(actor: Actor) -> str:
    if isinstance(actor, User):
        return actor.get_full_name() or actor.get_username()
    return actor_label(actor)
