"""Reading the audit trail."""

from uuid import UUID

from django.db.models import QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditEvent


def audit_events_for_child(*, actor: Actor, child_id: UUID, limit: int = 50) -> QuerySet[AuditEvent]:
    """Who has viewed or changed this child's record, newest first. Anyone allowed to open the
    child's record may see who else has (the product's 'audit of who viewed it')."""
    return AuditEvent.objects.filter(children__child_id=child_id).select_related("actor")[:limit]


def audit_events_list(*, actor: Actor, limit: int = 200) -> QuerySet[AuditEvent]:
    if not actor.can(Cap.VIEW_AUDIT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()[:limit]
