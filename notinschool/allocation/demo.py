"""The demo's allocation: the synthetic authority's postcode districts shared out as district
rules across the demo's officers (largest district first, each to whoever holds fewest
children so far; only the authority's own districts when NOTINSCHOOL_AREA_DISTRICTS names
them), the rules applied to the open children, and the few they leave (no postcode,
or one outside every district) shared out in turn, so every open child has an officer and
every officer's queue has children in it."""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.allocation.models import AllocationChange
from notinschool.allocation.selectors import (
    district_clean,
    district_of,
    officer_counts,
    officers_eligible,
    unallocated_children,
)
from notinschool.allocation.services import (
    allocation_rule_set,
    allocation_rules_apply,
    children_officer_set,
)


@dataclass(frozen=True)
class DemoAllocation:
    rules: dict[str, User]  # district -> officer
    by_rule: int
    shared: int


def demo_allocate(*, actor: Actor) -> DemoAllocation:
    """Allocate the register's open children to the demo's officers (every active EHE/CME
    officer and team manager); nothing to do without one."""
    officers = officers_eligible()
    if not officers:
        return DemoAllocation(rules={}, by_rule=0, shared=0)
    waiting = unallocated_children(actor=actor)
    districts = Counter(district_of(p) for p in waiting.values_list("postcode", flat=True))
    area = set(settings.NOTINSCHOOL_AREA_DISTRICTS)
    for district in list(districts):
        if not district_clean(district) or (area and district not in area):
            del districts[district]  # no rule outside the area: shared out below
    load = dict.fromkeys(officers, 0)
    rules: dict[str, User] = {}
    for district, count in districts.most_common():
        officer = min(officers, key=lambda o: (load[o], o.pk))
        rules[district] = officer
        load[officer] += count
    for district, officer in sorted(rules.items()):
        allocation_rule_set(actor=actor, district=district, officer=officer)
    by_rule = allocation_rules_apply(actor=actor, child_ids=None)
    leftover = list(unallocated_children(actor=actor).values_list("pk", flat=True))
    shared = sum(children_officer_set(actor=actor, child_ids=leftover[i::len(officers)],
                                      officer=officer, how=AllocationChange.How.DEMO)
                 for i, officer in enumerate(officers))
    return DemoAllocation(rules=rules, by_rule=by_rule, shared=shared)


def demo_officers_summary(*, actor: Actor) -> str:
    """Open children per officer, and how many no officer holds, for the command line."""
    lines = [f"  {o.get_full_name() or o.username} ({o.username}): {n} open children"
             for o, n in officer_counts(actor=actor, officers=officers_eligible())]
    waiting = unallocated_children(actor=actor).count()
    return "\n".join(["Children allocated to officers:", *lines, f"  not allocated: {waiting} open children"])
