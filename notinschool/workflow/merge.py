"""Merging two register records found to be the same child: the reverse of a split.

A person decided that two records are one child (`duplicate_merge`, on a pair that
linkage.duplicates found). The record kept carries
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
  not suggested again through the record kept;
- the emails and letters sent about it, the history of its officers, and the history of its
  hand changes (people.editing), numbered after the kept record's.

What people changed by hand on either record (details, addresses, parents, providers) is put
back on the rebuilt record, in the order it was made (intake.rebuild, intake.hand_edits); a
hand edit that cannot be put back is said so in the history and counted in the audit event.

The other record is not deleted: it keeps its identity and its past assessments, with status
`merged` and a pointer to the record kept, so that a later notification in its spelling
lands on the record kept, and its address opens the record kept. It leaves its household.
"""

from typing import Any

from django.db import transaction

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.allocation.merging import child_records_move as allocation_records_move
from notinschool.audit.services import audit_record
from notinschool.casework.services import child_contacts_reapply
from notinschool.casework.services import child_records_move as casework_records_move
from notinschool.cme.merging import child_records_move as cme_records_move
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.hand_edits import hand_edits_capture
from notinschool.intake.models import Notification
from notinschool.intake.rebuild import rebuild
from notinschool.letters.merging import child_records_move as letters_records_move
from notinschool.linkage.duplicates import duplicate_merge_decide
from notinschool.linkage.models import DuplicatePair
from notinschool.linkage.services import child_records_move as linkage_records_move
from notinschool.mail.services import child_records_move as mail_records_move
from notinschool.people.merging import child_records_move as people_records_move
from notinschool.people.models import Child, Status, StatusChange
from notinschool.public.merging import child_records_move as public_records_move
from notinschool.risk.services import child_records_move as risk_records_move
from notinschool.workflow.imports import after_import

_IDENTITY = ("forename", "middle_names", "surname", "surname_key", "sex", "date_of_birth", "upn",
             "nhs_number")


def duplicate_merge(*, actor: Actor, pair: DuplicatePair, keep_id: Any, reason: str) -> Child:
    """A person decided that the two records of a possible-duplicate pair are the same child:
    the decision is recorded on the pair and the records merged, keeping ``keep_id`` (one of the
    two), in one transaction. Returns the record kept."""
    with transaction.atomic():
        keep, other = duplicate_merge_decide(actor=actor, pair=pair, keep_id=keep_id, reason=reason)
        kept = child_merge(actor=actor, keep=keep, other=other, reason=reason)
    pair.refresh_from_db()
    return kept


def child_merge(*, actor: Actor, keep: Child, other: Child, reason: str) -> Child:
    """Merge ``other`` into ``keep`` (both open records of the register). Returns the record
    kept, rebuilt. Runs linking and assessment for it afterwards, as an import would."""
    if not actor.can(Cap.EDIT_REGISTER):
        raise NotPermitted("you cannot change the register")
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
        edits = hand_edits_capture([keep, other])
        moved = {"notifications": Notification.objects.filter(child=other).update(child=keep),
                 **casework_records_move(keep=keep, other=other),
                 **risk_records_move(keep=keep, other=other),
                 **linkage_records_move(keep=keep, other=other),
                 **mail_records_move(keep=keep, other=other),
                 **letters_records_move(keep=keep, other=other),
                 **allocation_records_move(keep=keep, other=other),
                 **cme_records_move(keep=keep, other=other),
                 **public_records_move(keep=keep, other=other),
                 **people_records_move(keep=keep, other=other)}
        _carry_markers(keep, other)
        identity = {f: getattr(keep, f) for f in _IDENTITY}
        rebuild(actor, keep, notes, edits=edits, why=f"merge with {other.child_ref}")
        child_contacts_reapply(child=keep)
        _identity_restore(keep, identity)
        _retire(other, keep)
        audit_record(actor=actor, action="decide", object_type="child_merge",
                     object_ids=[keep.pk, other.pk], child_ids=[keep.pk, other.pk],
                     detail={"kept": keep.child_ref, "merged": other.child_ref,
                             "notifications": len(notes), **moved,
                             "hand_edits_reapplied": edits.reapplied,
                             "hand_edits_not_reapplied": len(edits.notes)}, reason=reason)
        after_import(actor=actor, children={keep.pk})
    keep.refresh_from_db()
    return keep


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
