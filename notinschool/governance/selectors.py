"""Reading the audit trail for the data protection officer: the search (by child, person,
agency, date and action), one person's access report, break-glass uses waiting for review and
the unusual access flagged. Only roles with `view_audit` (or, for break-glass, the reviewers)
get anything; the views audit each search."""

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditedChild, AuditEvent, BreakGlassGrant
from notinschool.core.clock import LONDON
from notinschool.governance.models import AccessFlag
from notinschool.people.models import Child

_REF = re.compile(r"^[A-Z]{0,3}\d{3,}$")
# A name search naming more children than this is too loose to be a child: say so.
MAX_CHILDREN = 50


@dataclass(frozen=True)
class AuditSearch:
    child: str = ""
    user: str = ""
    agency_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""

    @property
    def is_search(self) -> bool:
        return any(asdict(self).values())

    def described(self) -> dict[str, str]:
        """The search as the audit records it (what the DPO asked, never what they saw)."""
        return {k: str(v) for k, v in asdict(self).items() if v not in ("", None)}


def children_matching(text: str) -> list[Child]:
    """The children a search's 'child' names: a reference (exactly), or a name (each word the
    start of a forename, middle name or surname), merged records included: their history is
    the child's too."""
    text = text.strip()
    if not text:
        return []
    if _REF.match(text.upper()):
        return list(Child.objects.filter(child_ref=text.upper()))
    qs = Child.objects.all()
    for word in text.split():
        qs = qs.filter(Q(forename__istartswith=word) | Q(surname__istartswith=word)
                       | Q(middle_names__istartswith=word))
    return list(qs.order_by("child_ref")[:MAX_CHILDREN + 1])


def users_matching(text: str) -> QuerySet[User]:
    """The people a search's 'user' names: a username exactly, or a name."""
    text = text.strip()
    qs = User.objects.filter(username__iexact=text)
    if qs.exists():
        return qs
    words = text.split()
    people = User.objects.all()
    for word in words:
        people = people.filter(Q(first_name__istartswith=word) | Q(last_name__istartswith=word))
    return people if words else User.objects.none()


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), LONDON)


def audit_search(*, actor: Actor, search: AuditSearch,
                 children: list[Child] | None = None) -> QuerySet[AuditEvent]:
    """The audit events the search asks for, newest first. A child's events are those that
    touched their data and the refusals naming them (someone tried to open their record)."""
    if not actor.can(Cap.VIEW_AUDIT):
        return AuditEvent.objects.none()
    qs = AuditEvent.objects.select_related("actor", "actor__agency")
    if search.child:
        found = children if children is not None else children_matching(search.child)
        ids = [c.pk for c in found[:MAX_CHILDREN]]
        named = Q()
        for child_id in ids:
            named |= Q(object_ids__icontains=str(child_id))
        touched = Q(pk__in=AuditedChild.objects.filter(child_id__in=ids).values("event_id"))
        qs = qs.filter(touched | (Q(action="refuse") & named)) if ids else qs.none()
    if search.user:
        qs = qs.filter(actor__in=users_matching(search.user))
    if search.agency_id:
        qs = qs.filter(actor__agency_id=search.agency_id)
    if search.date_from:
        qs = qs.filter(at__gte=day_start(search.date_from))
    if search.date_to:
        qs = qs.filter(at__lt=day_start(search.date_to + dt.timedelta(days=1)))
    if search.action:
        qs = qs.filter(action=search.action)
    return qs.order_by("-at", "-pk")


def user_access(*, actor: Actor, user: User, date_from: dt.date,
                date_to: dt.date) -> QuerySet[AuditEvent]:
    """Everything `user` did from `date_from` to `date_to` (both days included), newest first."""
    return audit_search(actor=actor, search=AuditSearch(user=user.username, date_from=date_from,
                                                         date_to=date_to))


def event_children(events: Iterable[AuditEvent], *, shown: int = 5) -> dict[int, list[str]]:
    """The references of (the first few) children each event touched, for the rows shown: one
    query for the links and one for the references."""
    ids = [e.pk for e in events]
    by_event: dict[int, list[UUID]] = defaultdict(list)
    for event_id, child_id in AuditedChild.objects.filter(event_id__in=ids).values_list(
            "event_id", "child_id").order_by("pk"):
        if len(by_event[event_id]) < shown:
            by_event[event_id].append(child_id)
    for event in events:  # a refusal names the child among its objects, not as data seen
        if event.action == "refuse" and event.pk not in by_event:
            by_event[event.pk] = [UUID(o) for o in event.object_ids[:shown] if _is_uuid(o)]
    wanted = {c for cs in by_event.values() for c in cs}
    refs = dict(Child.objects.filter(pk__in=wanted).values_list("pk", "child_ref"))
    return {e: [refs.get(c, str(c)) for c in cs] for e, cs in by_event.items()}


def _is_uuid(text: str) -> bool:
    try:
        UUID(str(text))
    except ValueError:
        return False
    return True


def event_why(event: AuditEvent) -> str:
    """Why, in words: the reason given (break-glass, an export's purpose), or what the detail
    says (the page refused and why, the list or search made)."""
    detail: dict[str, Any] = event.detail if isinstance(event.detail, dict) else {}
    parts = [event.reason] if event.reason else []
    for key, label in (("purpose", "Purpose"), ("refused", "Refused"), ("path", "Page"),
                       ("list", "List"), ("search", "Search"), ("outcome", "Outcome")):
        value = detail.get(key)
        if value:
            parts.append(f"{label}: {value}" if not isinstance(value, dict)
                         else f"{label}: " + ", ".join(f"{k} {v}" for k, v in value.items()))
    return "; ".join(parts)


def agencies() -> list[Agency]:
    return list(Agency.objects.order_by("name"))


def break_glass_to_review(*, actor: Actor) -> QuerySet[BreakGlassGrant]:
    """Break-glass uses no one has judged yet, oldest first."""
    if not actor.can(Cap.REVIEW_BREAK_GLASS):
        return BreakGlassGrant.objects.none()
    return (BreakGlassGrant.objects.filter(reviewed_at__isnull=True)
            .select_related("user", "user__agency").order_by("granted_at"))


def break_glass_reviewed(*, actor: Actor, limit: int = 20) -> QuerySet[BreakGlassGrant]:
    if not actor.can(Cap.REVIEW_BREAK_GLASS):
        return BreakGlassGrant.objects.none()
    return (BreakGlassGrant.objects.filter(reviewed_at__isnull=False)
            .select_related("user", "reviewed_by").order_by("-reviewed_at")[:limit])


def access_flags(*, actor: Actor, reviewed: bool) -> QuerySet[AccessFlag]:
    """Unusual access flags waiting for review (oldest day first), or those reviewed (newest)."""
    if not actor.can(Cap.VIEW_AUDIT):
        return AccessFlag.objects.none()
    qs = AccessFlag.objects.filter(reviewed_at__isnull=not reviewed).select_related(
        "user", "user__agency", "reviewed_by")
    return qs.order_by("-reviewed_at") if reviewed else qs.order_by("day", "user__username")


def children_refs(child_ids: Iterable[Any]) -> list[str]:
    """The references of these children, in the order given (an id no longer on the register
    is shown as it is)."""
    ids = [str(c) for c in child_ids]
    refs = {str(pk): ref for pk, ref in Child.objects.filter(pk__in=ids).values_list("pk", "child_ref")}
    return [refs.get(c, c) for c in ids]
