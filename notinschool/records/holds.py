"""Legal holds: a manager or the data protection officer stops the retention job deleting a
child's record (a claim, a complaint, an inquiry, a serious case review), with a reason; the
hold is lifted, with a reason, when the matter ends. Both are audited (`legal_hold`)."""

from django.db import transaction
from django.utils import timezone

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import actor_label, audit_record
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.models import Child
from notinschool.records.models import LegalHold


def _check(actor: Actor, reason: str) -> str:
    if not actor.can(Cap.LEGAL_HOLD):
        raise NotPermitted("your role cannot set or lift a legal hold")
    if not reason.strip():
        raise DomainError("Enter the reason")
    return reason.strip()


def legal_hold_set(*, actor: Actor, child: Child, reason: str) -> LegalHold:
    reason = _check(actor, reason)
    with transaction.atomic():
        hold = LegalHold.objects.create(child=child, reason=reason, set_by_label=actor_label(actor),
                                        created_by=actor_user(actor))
        audit_record(actor=actor, action="legal_hold", object_type="legal_hold", object_ids=[hold.pk],
                     child_ids=[child.pk], detail={"set": True}, reason=reason)
    return hold


def legal_hold_lift(*, actor: Actor, hold: LegalHold, reason: str) -> LegalHold:
    reason = _check(actor, reason)
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.lifted_at is not None:
            raise DomainError("This hold was already lifted")
        hold.lifted_at, hold.lifted_by_label, hold.lift_reason = timezone.now(), actor_label(actor), reason
        hold.save(update_fields=["lifted_at", "lifted_by_label", "lift_reason", "modified_at"])
        audit_record(actor=actor, action="legal_hold", object_type="legal_hold", object_ids=[hold.pk],
                     child_ids=[hold.child_id], detail={"set": False}, reason=reason)
    return hold


def hold_child_find(*, actor: Actor, child_ref: str) -> Child:
    if not actor.can(Cap.LEGAL_HOLD):
        raise NotPermitted("your role cannot set a legal hold")
    child = Child.objects.filter(child_ref=child_ref.strip().upper()).first()
    if child is None:
        raise DomainError("No child on the register has that reference")
    return child
