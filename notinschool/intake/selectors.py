"""Reading import batches (what was sent, by whom, with what counts), scoped to who asks.

The authority's officers (who record notifications) see every batch; anyone else who sends
files (a school's safeguarding lead, an agency's API key) sees only their own agency's."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.core.errors import NotPermitted
from notinschool.intake.models import ImportBatch


def import_batch_queryset_for(actor: Actor) -> QuerySet[ImportBatch]:
    if actor is None or not actor.is_authenticated or not actor.can(Cap.IMPORT_FILES):
        return ImportBatch.objects.none()
    if actor.can(Cap.EDIT_REGISTER):
        return ImportBatch.objects.all()
    if not actor.agency_id:
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(agency_id=actor.agency_id)


def import_batch_list(*, actor: Actor, limit: int = 100) -> list[ImportBatch]:
    """The latest batches this actor may see, newest first."""
    qs = import_batch_queryset_for(actor).select_related("agency", "created_by")
    return list(qs.order_by("-created_at")[:limit])


def import_batch_get(*, actor: Actor, batch_id: UUID | str) -> ImportBatch:
    """One batch, or NotPermitted when it does not exist for this actor (no hint which)."""
    try:
        return import_batch_queryset_for(actor).get(pk=batch_id)
    except (ImportBatch.DoesNotExist, ValueError, ValidationError):
        raise NotPermitted("no such import") from None
