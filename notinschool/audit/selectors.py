"""Reading the audit trail."""

from uuid import UUID

from django.db.models import QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditEvent


def audit_events_for_child(*, actor: Actor, child_id: UUID, limit: int = 50) -> QuerySet[AuditEvent]:
    """Who has viewed or changed this child's record, newest first: for the panel on the child's
    page, which names other professionals only to some roles (`audit_viewers_for_child`)."""
    return AuditEvent.objects.filter(children__child_id=child_id).select_related("actor")[:limit]


ANOTHER_PROFESSIONAL = "Another professional"


def audit_names_shown(actor: Actor) -> bool:
    """Who may see other professionals' names in the 'who has viewed this record' panel: the
    roles that answer for them, team managers (the team's work) and the data protection officer
    (the audit). Everyone else sees their own name, the system's, and "Another professional"."""
    return actor.can(Cap.VIEW_TEAM_WORK) or actor.can(Cap.VIEW_AUDIT)


def audit_who(*, actor: Actor, event: AuditEvent, names_shown: bool) -> str:
    """How the panel names who did `event`, for `actor` (see `audit_names_shown`)."""
    if names_shown or event.actor_id is None or event.actor_id == actor.pk:
        return event.actor_label
    return ANOTHER_PROFESSIONAL


def audit_viewers_for_child(*, actor: Actor, child_id: UUID, limit: int = 50) -> list[dict[str, object]]:
    """The child's 'who has viewed this record' rows (when, who, what), named for `actor`."""
    shown = audit_names_shown(actor)
    return [{"at": e.at, "who": audit_who(actor=actor, event=e, names_shown=shown),
             "what": e.get_action_display()}
            for e in audit_events_for_child(actor=actor, child_id=child_id, limit=limit)]


def audit_events_list(*, actor: Actor, limit: int = 200) -> QuerySet[AuditEvent]:
    if not actor.can(Cap.VIEW_AUDIT):
        return AuditEvent.objects.none()
    return AuditEvent.objects.all()[:limit]
