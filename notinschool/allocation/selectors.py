"""Reading allocations, scoped to the person asking: the unallocated children (a manager's
queue), the children a bulk allocation would change, the district rules, the officers who may
hold children, and a child's history of officers.

Only people who allocate (team managers: `Cap.ALLOCATE_OFFICERS`) see the queue and the rules;
anyone who may open a child sees who holds the child and how that changed."""

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from django.db.models import Count, Q, QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap, Role
from notinschool.allocation.models import AllocationChange, AllocationRule
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.people.selectors import child_in_scope, child_queryset_for
from notinschool.risk.models import Assessment

HOLDER_ROLES = (Role.EHE_OFFICER, Role.TEAM_MANAGER)
_DISTRICT = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")


def district_of(postcode: str) -> str:
    """A postcode's district, its outward code: `WV10` of `WV10 4QD` (people keep postcodes
    upper case with one space)."""
    return postcode.split(" ", 1)[0] if " " in postcode else ""


def district_clean(district: str) -> str:
    """The district as the rules and filters keep it (`wv10 ` is `WV10`), or "" when it is not
    the shape of an outward code."""
    value = district.strip().upper()
    return value if _DISTRICT.match(value) else ""


def officer_may_hold(user: User) -> bool:
    """Only active EHE/CME officers and team managers hold children."""
    return bool(user.is_active and user.role in HOLDER_ROLES)


def officers_eligible() -> list[User]:
    """The people a child may be allocated to, by name."""
    return list(User.objects.filter(is_active=True, role__in=HOLDER_ROLES)
                .order_by("first_name", "last_name", "username"))


def _open_children(actor: Actor) -> QuerySet[Child]:
    if not actor.can(Cap.ALLOCATE_OFFICERS):
        return Child.objects.none()
    return child_queryset_for(actor).filter(status__in=OPEN_STATUSES)


def _unheld() -> Q:
    """No officer holds the child: nobody, or someone who may no longer hold children (left,
    or moved to a role that does not), whose queue nobody reads."""
    gone = User.objects.exclude(is_active=True, role__in=HOLDER_ROLES).values("pk")
    return Q(officer__isnull=True) | Q(officer__in=gone)


def unallocated_children(*, actor: Actor) -> QuerySet[Child]:
    """Open children no officer holds, longest on the register first. Not audited here: the
    page audits the rows it shows."""
    return (_open_children(actor).filter(_unheld()).select_related("officer")
            .order_by("joined_register_date", "child_ref"))


@dataclass(frozen=True)
class QueueCounts:
    """How many unallocated children, in each district, last school and tier (largest first)."""

    total: int
    districts: list[tuple[str, int]]
    schools: list[tuple[str, int]]
    tiers: list[tuple[int, int]]


def unallocated_counts(*, actor: Actor) -> QueueCounts:
    """Counts only, naming no child: not audited."""
    children = unallocated_children(actor=actor)
    rows = list(children.values_list("postcode", "last_school_urn"))
    districts = Counter(district_of(postcode) or "No postcode" for postcode, _ in rows)
    schools = Counter(urn or "No school known" for _, urn in rows)
    tiers = (Assessment.objects.filter(is_latest=True, child__in=children.order_by().values("pk"))
             .values_list("tier").annotate(n=Count("pk")).order_by("tier"))
    return QueueCounts(total=len(rows), districts=districts.most_common(),
                       schools=schools.most_common(), tiers=[(t, n) for t, n in tiers])


def children_matching(*, actor: Actor, officer: User | None, district: str = "",
                      school_urn: str = "", tier: int | None = None,
                      only_unallocated: bool = True) -> QuerySet[Child]:
    """Open children a bulk allocation to `officer` would change: in the postcode district, last
    at the school and in the tier asked for (all that are given), not already with `officer`,
    and, with `only_unallocated`, held by no officer (as `unallocated_children`)."""
    children = _open_children(actor)
    if district:
        children = children.filter(postcode__startswith=f"{district} ")
    if school_urn:
        children = children.filter(last_school_urn=school_urn)
    if tier is not None:
        children = children.filter(pk__in=Assessment.objects.filter(is_latest=True, tier=tier)
                                   .values("child_id"))
    if only_unallocated:
        children = children.filter(_unheld())
    if officer is not None:
        children = children.exclude(officer=officer)
    return children


def allocation_rules(*, actor: Actor) -> list[AllocationRule]:
    if not actor.can(Cap.ALLOCATE_OFFICERS):
        return []
    return list(AllocationRule.objects.select_related("officer", "created_by").order_by("district"))


def allocation_rule_get(*, actor: Actor, rule_id: UUID | str) -> AllocationRule | None:
    if not actor.can(Cap.ALLOCATE_OFFICERS):
        return None
    return AllocationRule.objects.filter(pk=rule_id).select_related("officer").first()


def allocation_history(*, actor: Actor, child: Child) -> list[AllocationChange]:
    """A child's changes of officer, newest first, for a child the actor has opened."""
    if not child_in_scope(actor, child.pk):
        return []
    return list(child.allocation_changes.select_related("officer_before", "officer_after")
                .order_by("-at"))


def officer_counts(*, actor: Actor, officers: Iterable[User]) -> list[tuple[User, int]]:
    """How many open children each officer holds (counts only, naming no child)."""
    held = dict(_open_children(actor).filter(officer__isnull=False)
                .values_list("officer").annotate(n=Count("pk")).order_by())
    return [(officer, held.get(officer.pk, 0)) for officer in officers]
