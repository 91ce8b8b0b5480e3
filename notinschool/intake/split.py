"""Splitting a wrong merge: some notifications on a child's record were about another child.

An officer picks the notifications that belong to someone else and gives a reason. The record
is then rebuilt from the notifications it keeps, and a new record is built from the ones that
move, by replaying them through the same appliers an import uses (so statuses, addresses,
parents and register content follow the same rules and the dates in the notifications). The
decision is kept (SplitDecision, audited) and the two records are never matched to each other
again by cross-referencing (PersonMatch pairs are per record, so nothing carries over).

Contacts stay with the original record: they are casework about the child the officer saw
(and still say when that child was last contacted and seen)."""

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.models import Notification, SplitDecision
from notinschool.intake.rebuild import rebuild, replay
from notinschool.people.models import Child


def child_split(*, actor: Actor, child: Child, notification_ids: Iterable[UUID], reason: str) -> Child:
    """Move the chosen notifications to a new child record and rebuild both. Returns the new
    child. Raises DomainError when the choice leaves either record without a notification,
    NotPermitted when the actor may not change the register."""
    if not actor.can(Cap.EDIT_REGISTER):
        raise NotPermitted("your role cannot change the register")
    chosen = {UUID(str(pk)) for pk in notification_ids}
    if not reason.strip():
        raise DomainError("give a reason for the split")
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=child.pk)
        notes = list(child.notifications.order_by("event_date", "created_at"))
        move = [n for n in notes if n.pk in chosen]
        keep = [n for n in notes if n.pk not in chosen]
        if not move or len(move) != len(chosen):
            raise DomainError("choose at least one of this record's notifications to move")
        if not keep:
            raise DomainError("leave at least one notification on this record")
        rebuild(actor, child, keep)
        new = replay(actor, None, move)
        Notification.objects.filter(pk__in=[n.pk for n in move]).update(child=new)
        SplitDecision.objects.create(child=child, new_child=new, reason=reason.strip(),
                                     notification_ids=[str(n.pk) for n in move],
                                     created_by=actor_user(actor))
        audit_record(actor=actor, action="decide", object_type="child_split",
                     object_ids=[child.pk, new.pk], child_ids=[child.pk, new.pk],
                     detail={"moved": len(move), "kept": len(keep)}, reason=reason.strip())
    return new

