"""Writing audit events: one way in, called by every service and selector that reads or
changes children's data. Events hold ids and field names, not content."""

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from notinschool.audit.models import AuditedChild, AuditEvent


def actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    return f"{actor.get_username()} ({getattr(actor, 'role', '') or 'no role'})"


def audit_record(
    *,
    actor: Any,
    action: str,
    object_type: str,
    object_ids: Iterable[Any] = (),
    child_ids: Iterable[UUID] = (),
    detail: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Record that `actor` did `action`; `child_ids` are the children whose data it touched."""
    children = list(dict.fromkeys(child_ids))
    event = AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=actor_label(actor),
        action=action,
        object_type=object_type,
        object_ids=[str(o) for o in object_ids][:1000],
        child_count=len(children),
        detail=detail or {},
        reason=reason,
    )
    AuditedChild.objects.bulk_create(
        [AuditedChild(event=event, child_id=c) for c in children], batch_size=5000
    )
    return event
