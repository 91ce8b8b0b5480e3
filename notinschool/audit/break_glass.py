"""Reading break-glass grants: which children a person may open for now because they gave a
reason, for the scope check and the banner on every page. Granting and reviewing are the
governance app's (`governance/services.py`)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from notinschool.accounts.actor import Actor, actor_user
from notinschool.audit.models import BreakGlassGrant


def break_glass_active(actor: Actor) -> QuerySet[BreakGlassGrant]:
    """The actor's grants that have not expired, newest first (none for a system actor)."""
    user = actor_user(actor)
    if user is None or not user.is_authenticated:
        return BreakGlassGrant.objects.none()
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now())


def break_glass_child_ids(actor: Actor) -> QuerySet[BreakGlassGrant, Any]:
    """The ids of the children the actor's active grants open, as a subquery for the scope check
    (no query of its own)."""
    return break_glass_active(actor).values("child_id")
