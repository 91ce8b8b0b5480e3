"""Splitting a wrong merge (intake.split), then what follows for both records: the one that
stays takes in its contacts again (when last contacted and seen: casework), and both are
linked, compared for duplicates and assessed as an import would. One transaction."""

from collections.abc import Iterable
from uuid import UUID

from django.db import transaction

from notinschool.accounts.actor import Actor
from notinschool.casework.services import child_contacts_reapply
from notinschool.intake import split
from notinschool.people.models import Child
from notinschool.workflow.imports import after_import


def child_split(*, actor: Actor, child: Child, notification_ids: Iterable[UUID], reason: str) -> Child:
    """Move the chosen notifications to a new record and rebuild both. Returns the new child."""
    with transaction.atomic():
        new = split.child_split(actor=actor, child=child, notification_ids=notification_ids,
                                reason=reason)
        child_contacts_reapply(child=Child.objects.get(pk=child.pk))
        after_import(actor=actor, children={child.pk, new.pk})
    return new
