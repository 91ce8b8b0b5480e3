"""Merging two register records found to be the same child: the reverse of a split.

A person decided that two records are one child (linkage.duplicates). The record kept carries
on, with its name, sex, date of birth and numbers (filled in from the other where it had
none); it is rebuilt from both records' notifications, replayed in date order through the same
appliers an import uses, so status, addresses, parents and register content come out as if
every notification had landed on it in the first place. What people recorded about either
record moves to the one kept, from an allow-list (the Data Hub rule: a merge moves only what
it knows how to move):

- notifications, contacts, consent decisions, tier overrides and the alerts sent about it;
- links to agency records (where both records link the same agency record, the link a person
  decided on wins, a rejection first: a person said no);
- the social worker's allocation, where the record kept has none;
- the household, the allocated officer and the do-not-disclose-address marker (kept when
  either record has it: a family fleeing abuse stays protected);
- the 'different children' decisions taken about the other record, so a pair ruled out is
  not suggested again through the record kept.

The other record is not deleted: it keeps its identity and its past assessments, with status
`merged` and a pointer to the record kept, so that a later notification in its spelling
lands on the record kept, and its address opens the record kept. It leaves its household.
"""

from typing import Any

from django.db import transaction

from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.intake.models import Notification
from notinschool.intake.rebuild import rebuild
from notinschool.people.models import Child, Status, StatusChange

# precedence of a link's state when both records link the same agency record: a person's
# decision beats the engine's, and a person's "no" beats a "yes"
_IDENTITY = ("forename", "middle_names", "surname", "surname_key", "sex", "date_of_birth", "upn",
             "nhs_number")
_MATCH_PRECEDENCE = {"rejected": 3, "accepted": 2, "automatic": 1, "pending": 0}


def child_merge(*, actor: Any, keep: Child, other: Child, reason: str) -> Child:
    """Merge ``other`` into ``keep`` (both open records of the register). Returns the record
    kept, rebuilt. Runs linking and assessment for it afterwards, as an import would."""
    from notinschool.intake.services import after_import

    reason = reason.strip()
    if not reason:
        raise DomainError("give a reason for the merge")
    if keep.pk == other.pk:
        raise DomainError("a record cannot be merged into itself")
    with transaction.atomic():
        locked = {c.pk: c for c in Child.objects.select_for_update().filter(
            pk__in=[keep.pk, other.pk])}
        keep, other = locked[keep.pk], locked[other.pk]
        for child in (keep, other):
            if child.status == Status.MERGED:
                raise DomainError(f"{child.child_ref} was already merged into another record")
        notes = list(Notification.objects.filter(child__in=[keep, other])
                     .select_related("batch").order_by("event_date", "created_at", "pk"))
        if not notes:
            raise DomainError("neither record has a notification to rebuild the record from")
        moved = _move_records(keep, other)
        Notification.objects.filter(child=other).update(child=keep)
        _carry_markers(keep, other)
        identity = {f: getattr(keep, f) for f in _IDENTITY}
        rebuild(actor, keep, notes)
        _identity_restore(keep, identity)
        _retire(other, keep)
        audit_record(actor=actor, action="decide", object_type="child_merge",
                     object_ids=[keep.pk, other.pk], child_ids=[keep.pk, other.pk],
                     detail={"kept": keep.child_ref, "merged": other.child_ref,
                             "notifications": len(notes), **moved}, reason=reason)
        after_import(actor=actor, children={keep.pk})
    keep.refresh_from_db()
    return keep


def _move_records(keep: Child, other: Child) -> dict[str, int]:
    """Move the allow-listed records about ``other`` to ``keep``; how many of each moved."""
    from notinschool.casework.models import Alert, ConsentDecision, Contact, SocialWorkerAllocation
    from notinschool.risk.models import TierOverride

    moved = {"notifications": Notification.objects.filter(child=other).count()}
    for name, model in (("contacts", Contact), ("consent_decisions", ConsentDecision),
                        ("tier_overrides", TierOverride), ("alerts", Alert)):
        moved[name] = model.objects.filter(child=other).update(child=keep)  # type: ignore[attr-defined]
    if not SocialWorkerAllocation.objects.filter(child=keep).exists():
        moved["social_worker_allocation"] = SocialWorkerAllocation.objects.filter(
            child=other).update(child=keep)
    moved["agency_links"] = _move_matches(keep, other)
    moved["pairs_dropped"] = _move_pairs(other)
    return moved


def _move_matches(keep: Child, other: Child) -> int:
    from notinschool.linkage.models import MatchDecision, PersonMatch

    kept = {(m.person_id, m.kind): m for m in PersonMatch.objects.filter(child=keep)}
    moved = 0
    for match in PersonMatch.objects.filter(child=other):
        twin = kept.get((match.person_id, match.kind))
        if twin is None:
            match.child = keep
            match.save(update_fields=["child", "modified_at"])
            moved += 1
            continue
        winner, loser = ((match, twin) if _MATCH_PRECEDENCE[match.state] > _MATCH_PRECEDENCE[
            twin.state] else (twin, match))
        MatchDecision.objects.filter(match=loser).update(match=winner)  # the history stays
        loser.delete()
        if winner is match:
            match.child = keep
            match.save(update_fields=["child", "modified_at"])
            moved += 1
    return moved


def _move_pairs(other: Child) -> int:
    """Pairs with ``other`` that nobody decided are dropped (linking finds them again for the
    record kept, if they still score), the pair of the two records too (a merge decided
    through linkage.duplicates is recorded on the pair first); 'different children' decisions
    stay where they are and keep counting for the record kept (linkage.duplicates reads them
    through ``merged_into``)."""
    from django.db.models import Q

    from notinschool.linkage.models import DuplicatePair

    return DuplicatePair.objects.filter(Q(child_a=other) | Q(child_b=other),
                                        state=DuplicatePair.State.PENDING).delete()[0]


def _identity_restore(keep: Child, identity: dict[str, Any]) -> None:
    """The record kept keeps the name, sex, date of birth and numbers it had (the person chose
    it for them: of "Megan Bennett" and "Megan Bnenetr", the right spelling), taking only
    what it did not know from the rebuilt record."""
    for name, value in identity.items():
        if value not in ("", None):
            setattr(keep, name, value)
    keep.save(update_fields=[*_IDENTITY, "modified_at"])


def _carry_markers(keep: Child, other: Child) -> None:
    keep.do_not_disclose_address = keep.do_not_disclose_address or other.do_not_disclose_address
    keep.officer_id = keep.officer_id or other.officer_id
    keep.household_id = keep.household_id or other.household_id
    keep.save(update_fields=["do_not_disclose_address", "officer", "household", "modified_at"])


def _retire(other: Child, keep: Child) -> None:
    today = clock.today()
    other.status, other.status_date = Status.MERGED, today
    other.merged_into, other.household = keep, None
    other.save(update_fields=["status", "status_date", "merged_into", "household",
                              "modified_at"])
    StatusChange.objects.create(child=other, status=Status.MERGED, date=today,
                                reason=f"the same child as {keep.child_ref}: merged into it")
    # a record merged earlier into this one now points at the record kept
    Child.objects.filter(merged_into=other).update(merged_into=keep)
