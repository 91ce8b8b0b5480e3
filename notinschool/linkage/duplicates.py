"""Register records that may be the same child, found by the linkage engine, and people's
decisions on them.

The intake matcher recognises a child notified twice in all the usual ways; a few duplicates
still get through (two misspellings in one name, a date of birth with day and month swapped
and the year wrong). The engine compares each register record with the others (Splink's
dedupe mode) and every pair it scores at or above the review threshold waits for a person:
twins and siblings at one address score as high as a real duplicate, so a pair is never
merged without one. Records whose unique pupil numbers or NHS numbers differ are different
children (each number belongs to one person) and are not suggested, unless the two numbers are
one slip apart (one digit, or two neighbours exchanged, before the check character:
core.identifiers.numbers_near): a mistyped number can pass its check, so that difference is
evidence against (the engine's "one digit apart"), not proof, and a person decides.

- `notinschool link` and the monthly run compare the whole register; an import compares the
  records it touched with the records near them (same postcode, birth date or surname).
- A person decides: the same child (the records are merged, see workflow.merge) or different
  children (the pair is never suggested again, nor through a record either is merged into).
  Both decisions need a reason, are kept on the pair and audited.
"""

import datetime as dt
from typing import Any
from uuid import UUID

import pyarrow as pa
from django.db import transaction
from django.db.models import Q

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import actor_label, audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.core.identifiers import numbers_near
from notinschool.linkage.linking import linking_check, register_table
from notinschool.linkage.models import DuplicatePair
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.people.selectors import child_queryset_for

State = DuplicatePair.State

# an import touching more records than this compares the whole register in one pass
FULL_RUN_FROM = 2000


class ReasonMissing(DomainError):
    """A decision on a pair must say why."""


# -- finding ------------------------------------------------------------------------------
def duplicates_find(*, actor: Actor, child_ids: set[UUID] | None,
                    register: pa.Table | None = None) -> int:
    """Compare register records (the whole register, or ``child_ids`` with the records near
    them) and keep each new pair for review. Returns how many new pairs wait. Who may run it:
    `linking.linking_check`. ``register``: the whole register's `register_table(None)`, when
    the caller has read it already (`notinschool link`)."""
    from notinschool.linkage import engine

    linking_check(actor)
    if child_ids is not None and not child_ids:
        return 0
    if child_ids is None or len(child_ids) > FULL_RUN_FROM:
        if register is None or child_ids is not None:
            register = register_table(None)
        if register.num_rows < 2:
            return 0
        found = [(m.left_id, m.right_id, m) for m in engine.dedupe_people(register)]
        tables = [register]
    else:
        touched = register_table(child_ids)
        if touched.num_rows == 0:
            return 0
        near = register_table(_near(child_ids))
        population = Child.objects.filter(status__in=OPEN_STATUSES).count()
        found = [(m.left_id, m.right_id, m) for m in engine.link_people(
            touched, near, best_only=False, population=max(population, 2))
            if m.left_id != m.right_id]
        tables = [touched, near]
    identifiers = _identifiers(tables)
    found = [f for f in found if not _numbers_differ(identifiers[f[0]], identifiers[f[1]])]
    if not found:
        return 0
    with transaction.atomic():
        new = _store(found)
        if new:
            audit_record(actor=actor, action="create", object_type="duplicate_pair",
                         object_ids=[p.pk for p in new],
                         child_ids={c for p in new for c in (p.child_a_id, p.child_b_id)},
                         detail={"pairs": len(new), "scope": "all" if child_ids is None
                                 else "selected"})
    return len(new)


def _near(child_ids: set[UUID]) -> set[UUID]:
    """Open records that share a postcode, a birth date (also with day and month swapped, or
    a year either side) or a surname with any of ``child_ids``: where a duplicate can be."""
    postcodes, dates, surnames = set(), set(), set()
    for postcode, dob, surname in Child.objects.filter(pk__in=child_ids).values_list(
            "postcode", "date_of_birth", "surname_key"):
        if postcode:
            postcodes.add(postcode)
        if surname:
            surnames.add(surname)
        if dob:
            dates.update(_dates_near(dob))
    near = Q(postcode__in=postcodes) | Q(date_of_birth__in=dates) | Q(surname_key__in=surnames)
    return set(Child.objects.filter(near, status__in=OPEN_STATUSES).values_list("pk", flat=True))


def _dates_near(dob: dt.date) -> list[dt.date]:
    dates = [dob]
    for candidate in ((dob.year, dob.day, dob.month), (dob.year - 1, dob.month, dob.day),
                      (dob.year + 1, dob.month, dob.day)):
        try:
            dates.append(dt.date(*candidate))
        except ValueError:
            continue
    return dates


def _identifiers(tables: list[pa.Table]) -> dict[str, tuple[str, str]]:
    known: dict[str, tuple[str, str]] = {}
    for table in tables:
        for pk, upn, nhs in zip(table["id"].to_pylist(), table["upn"].to_pylist(),
                                table["nhs_number"].to_pylist(), strict=True):
            known[pk] = (upn or "", nhs or "")
    return known


def _numbers_differ(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return any(x and y and x != y and not numbers_near(x, y) for x, y in zip(a, b, strict=True))


def _store(found: list[tuple[str, str, Any]]) -> list[DuplicatePair]:
    """Keep the pairs not already known. A pair is known when any pair stands between the two
    records or records merged into them: a pair waiting, or one decided (people decide once)."""
    ids = {UUID(i) for f in found for i in f[:2]}
    refs = dict(Child.objects.filter(pk__in=ids).values_list("pk", "child_ref"))
    kept = dict(Child.objects.filter(merged_into__isnull=False).values_list("pk", "merged_into"))
    known = {frozenset((kept.get(a, a), kept.get(b, b)))
             for a, b in DuplicatePair.objects.values_list("child_a_id", "child_b_id")}
    new: list[DuplicatePair] = []
    for left, right, match in found:
        pair = frozenset((UUID(left), UUID(right)))
        if pair in known:
            continue
        known.add(pair)
        a, b = sorted(pair, key=lambda pk: refs[pk])
        new.append(DuplicatePair(
            child_a_id=a, child_b_id=b, probability=match.probability, weight=match.weight,
            evidence=[{"field": e.field, "label": e.label, "weight": e.weight}
                      for e in match.evidence]))
    DuplicatePair.objects.bulk_create(new, batch_size=5000)
    return new


# -- deciding -----------------------------------------------------------------------------
def duplicate_merge_decide(*, actor: Actor, pair: DuplicatePair, keep_id: Any,
                           reason: str) -> tuple[Child, Child]:
    """The two records are the same child: the decision is recorded on the pair (who, when, why,
    which record is kept), audited. Returns (the record to keep, the other); the merge itself is
    the caller's, in the same transaction (workflow.merge.duplicate_merge)."""
    reason = _reason(reason)
    if not actor.can(Cap.EDIT_REGISTER):
        raise NotPermitted("you cannot change the register")
    current = _lock(actor, pair)
    if str(keep_id) not in (str(current.child_a_id), str(current.child_b_id)):
        raise DomainError("Select which record to keep")
    keep, other = ((current.child_a, current.child_b) if str(keep_id) == str(
        current.child_a_id) else (current.child_b, current.child_a))
    _decided(actor, current, State.MERGED, reason, kept=keep)
    return keep, other


def duplicate_different(*, actor: Actor, pair: DuplicatePair, reason: str) -> DuplicatePair:
    """The two records are different children: the pair is never suggested again."""
    reason = _reason(reason)
    with transaction.atomic():
        current = _lock(actor, pair)
        _decided(actor, current, State.DIFFERENT, reason, kept=None)
    pair.refresh_from_db()
    return pair


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonMissing("Enter the reason for your decision")
    return reason


def _lock(actor: Actor, pair: DuplicatePair) -> DuplicatePair:
    """The pair, locked, if the actor may decide on it: they review matches and see both
    records (or, once merged, the record kept, so that a second try is told it is decided)."""
    if not actor.can(Cap.REVIEW_MATCHES):
        raise NotPermitted("you cannot decide on this pair")
    current = DuplicatePair.objects.select_for_update().select_related(
        "child_a", "child_b").get(pk=pair.pk)
    visible = child_queryset_for(actor)
    if visible.filter(pk__in=[current.child_a_id, current.child_b_id]).count() != 2 and not (
            current.kept_id and visible.filter(pk=current.kept_id).exists()):
        raise NotPermitted("you cannot decide on this pair")
    if current.state != State.PENDING:
        raise DomainError(f"Only a pair waiting for review can be decided: this one is "
                          f"{current.get_state_display().lower()}")
    return current


def _decided(actor: Actor, pair: DuplicatePair, state: str, reason: str, *,
             kept: Child | None) -> None:
    user = actor_user(actor)
    pair.state, pair.kept, pair.decision_reason = state, kept, reason
    pair.decided_by, pair.decided_by_label, pair.decided_at = user, actor_label(actor), clock.now()
    pair.save(update_fields=["state", "kept", "decision_reason", "decided_by",
                             "decided_by_label", "decided_at", "modified_at"])
    audit_record(actor=actor, action="decide", object_type="duplicate_pair", object_ids=[pair.pk],
                 child_ids=[pair.child_a_id, pair.child_b_id],
                 detail={"decision": state, "kept": kept.child_ref if kept else None},
                 reason=reason)
