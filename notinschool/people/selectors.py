"""Reading children's records, always scoped to the person asking (docs/product.md, 'Who uses it').

- EHE/CME officers and team managers: every child the authority has recorded.
- Social workers: register children known to social care (an effective link to a social care
  record about the child), children social care was alerted about (to the worker or their
  team: a sibling's plan makes the child known through the household), children allocated
  to the worker, and, until the grant expires, a child they opened with break-glass.
- Health practitioners: home-educated children in their team's postcode districts.
- Everyone else: no identifiable child.
Every list, search and single view writes an audit event naming the children it returned.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap, Role
from notinschool.audit.break_glass import break_glass_child_ids
from notinschool.audit.services import audit_read_record, audit_record
from notinschool.core.bulk import any_of
from notinschool.core.errors import NotPermitted
from notinschool.people.disclosure import ADDRESS_ROLES
from notinschool.people.models import OPEN_STATUSES, Child, Status


def child_queryset_for(actor: Actor) -> QuerySet[Child]:
    """Every child this actor may see at all; the base of every read of children's data. A
    record merged into another (a duplicate of the same child) is not a child to see: the
    record it was merged into is."""
    if actor is None or not actor.is_authenticated or not actor.can(Cap.VIEW_REGISTER):
        return Child.objects.none()
    if actor.can(Cap.VIEW_ALL_CHILDREN):
        return Child.objects.exclude(status=Status.MERGED)
    if not isinstance(actor, User):  # a system actor sees all children or none
        return Child.objects.none()
    if actor.role == Role.SOCIAL_WORKER:
        known = Child.objects.filter(
            matches__person__source="social_care",
            matches__kind="same_person",
            matches__state__in=("automatic", "accepted"),
        ).values("pk")
        # children social care was told about (a sibling's plan, say: the child is then known
        # through the household), to this worker or their team, and children allocated to them
        told = Q(alerts__recipient=actor)
        if actor.agency_id:
            told |= Q(alerts__recipient_agency_id=actor.agency_id)
        alerted = Child.objects.filter(told).values("pk")
        allocated = Child.objects.filter(social_worker_allocation__worker=actor).values("pk")
        # and, for a while, a child outside all that they gave a reason to open (break-glass)
        return Child.objects.filter(Q(pk__in=known) | Q(pk__in=alerted) | Q(pk__in=allocated)
                                    | Q(pk__in=break_glass_child_ids(actor))
                                    ).exclude(status=Status.MERGED)
    if actor.role == Role.HEALTH_PRACTITIONER:
        districts = actor.agency.districts if actor.agency is not None else []
        if not districts:
            return Child.objects.none()
        area = Q()
        for district in districts:
            area |= Q(postcode__startswith=f"{district} ")
        return Child.objects.filter(area, status=Status.EHE)
    return Child.objects.none()


def child_in_scope(actor: Actor, child_id: Any) -> bool:
    """Whether the actor may see the child (`child_queryset_for`). A child's page asks this
    once for each of its sections: a yes is remembered on a signed-in person's object, which
    lives for one request, so the page asks the database once (it asked 11 times). A no is
    asked again each time; a system actor's answer is not kept (its process may run for days)."""
    if not isinstance(actor, User):
        return child_queryset_for(actor).filter(pk=child_id).exists()
    if str(child_id) in actor.__dict__.get(_IN_SCOPE, ()):
        return True
    if child_queryset_for(actor).filter(pk=child_id).exists():
        _remember_in_scope(actor, child_id)
        return True
    return False


_IN_SCOPE = "_children_in_scope"


def _remember_in_scope(actor: Actor, child_id: Any) -> None:
    if isinstance(actor, User):
        actor.__dict__.setdefault(_IN_SCOPE, set()).add(str(child_id))


def children_with_households(child_ids: Iterable[UUID]) -> set[UUID]:
    """These children and the others of their households on the register: a child's household
    facts are their brothers' and sisters' agency facts, so when one child's links change, the
    assessment of each of them can. Not scoped: for the flows that assess, not for display."""
    ids = list(set(child_ids))
    found = set(ids)
    for start in range(0, len(ids), _HOUSEHOLD_CHUNK):
        homes = Child.objects.filter(any_of("pk", ids[start:start + _HOUSEHOLD_CHUNK]),
                                     household_id__isnull=False).values("household_id")
        found.update(Child.objects.filter(household_id__in=homes).values_list("pk", flat=True))
    return found


_HOUSEHOLD_CHUNK = 10_000


def merged_child_for(*, actor: Actor, child_id: Any) -> Child | None:
    """The record a merged record's address now leads to, when the actor may see it (None
    otherwise, or when ``child_id`` is not a merged record). Not audited: opening the record
    it leads to is."""
    kept = Child.objects.filter(pk=child_id, status=Status.MERGED).values_list(
        "merged_into_id", flat=True).first()
    if kept is None:
        return None
    return child_queryset_for(actor).filter(pk=kept).first()


@dataclass(frozen=True)
class ChildSearch:
    name: str = ""
    date_of_birth: dt.date | None = None
    postcode: str = ""
    status: str = ""
    tier: int | None = None
    officer_id: int | None = None
    open_only: bool = True

    @property
    def is_search(self) -> bool:
        return bool(self.name or self.date_of_birth or self.postcode)


def child_list(*, actor: Actor, search: ChildSearch) -> QuerySet[Child]:
    """Children matching the search, scoped to the actor, ordered by reference. Not audited here:
    the caller audits the page of rows it actually shows (`child_list_audit`)."""
    qs = child_queryset_for(actor)
    if search.open_only and not search.status:
        qs = qs.filter(status__in=OPEN_STATUSES)
    if search.status:
        qs = qs.filter(status=search.status)
    for word in search.name.split():
        qs = qs.filter(Q(forename__istartswith=word) | Q(surname__istartswith=word)
                       | Q(middle_names__istartswith=word))
    if search.date_of_birth:
        qs = qs.filter(date_of_birth=search.date_of_birth)
    if search.postcode:
        qs = qs.filter(postcode__startswith=search.postcode.upper().strip())
        if actor.role not in ADDRESS_ROLES:  # finding the child by postcode would disclose it
            qs = qs.exclude(do_not_disclose_address=True)
    if search.tier:
        qs = qs.filter(assessments__is_latest=True, assessments__tier=search.tier)
    if search.officer_id:
        qs = qs.filter(officer_id=search.officer_id)
    return qs.order_by(_by_reference(search))


def _by_reference(search: ChildSearch) -> Any:
    """Ordered by `child_ref`. For a name on PostgreSQL the order is written with the "C"
    collation (the same order for references, which are capitals and digits), which the
    reference index cannot serve: the database then finds the few children with that name by
    the name indexes and sorts them, instead of walking the reference index and filtering,
    which for a rare surname reads most of the register ('Maughan' over 200,000 children:
    62 ms, 4.5 ms this way)."""
    if search.name and connection.vendor == "postgresql":
        return Collate("child_ref", "C")
    return "child_ref"


def child_list_audit(*, actor: Actor, search: ChildSearch, shown: list[Child]) -> None:
    audit_read_record(
        actor=actor,
        action="search" if search.is_search else "list",
        object_type="child",
        child_ids=[c.pk for c in shown],
        detail={"fields": sorted(k for k, v in vars(search).items() if v not in ("", None))},
    )


def child_get(*, actor: Actor, child_id: Any) -> Child:
    """One child's record, if the actor may see it; the view is audited."""
    child = child_queryset_for(actor).select_related("officer").filter(pk=child_id).first()
    if child is None:
        raise NotPermitted("you cannot see this child's record")
    _remember_in_scope(actor, child.pk)  # the page's sections ask again (`child_in_scope`)
    audit_record(actor=actor, action="view", object_type="child", object_ids=[child.pk],
                 child_ids=[child.pk])
    return child


def child_siblings(*, actor: Actor, child: Child) -> list[Child]:
    """The other children of the household that the actor may see, youngest last; naming them
    is a read of their records, so it is audited."""
    if not child.household_id:
        return []
    siblings = list(child_queryset_for(actor).filter(household_id=child.household_id)
                    .exclude(pk=child.pk).order_by("date_of_birth"))
    if siblings:
        audit_record(actor=actor, action="list", object_type="household",
                     object_ids=[child.household_id], child_ids=[s.pk for s in siblings],
                     detail={"via_child": str(child.pk)})
    return siblings
