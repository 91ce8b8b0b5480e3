"""allocation's part of the child's page (people.child_page): the officer who holds the child,
beside the record, with a link for managers to allocate or change; and each change of officer
on the child's timeline, with who made it."""

from django.urls import reverse
from django.utils import timezone

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.allocation.models import AllocationChange
from notinschool.allocation.selectors import allocation_history, officer_may_hold
from notinschool.people.child_page import SIDE, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _officer(actor: Actor, child: Child) -> SectionContext | None:
    if not actor.can(Cap.VIEW_CASEWORK) and not actor.can(Cap.ALLOCATE_OFFICERS):
        return None
    may_allocate = actor.can(Cap.ALLOCATE_OFFICERS)
    return {"officer": child.officer, "may_allocate": may_allocate,
            "officer_holds": child.officer is not None and officer_may_hold(child.officer),
            "allocate_url": reverse("child_officer", kwargs={"child_id": child.pk}) if may_allocate else ""}


def _name(user: object) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


def _title(change: AllocationChange) -> str:
    if change.officer_after_id is None:
        return f"Officer removed: {_name(change.officer_before)} no longer holds the child"
    return f"Allocated to {_name(change.officer_after)}"


def _detail(change: AllocationChange) -> str:
    how = (f"By the rule for postcode district {change.district}" if change.how == AllocationChange.How.RULE
           else change.get_how_display())
    before = f"; held before by {_name(change.officer_before)}" if change.officer_before_id else ""
    return f"{how}{before}."


def _entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    return [TimelineEntry(day=timezone.localdate(change.at), at=change.at, kind="allocation",
                          title=_title(change), detail=_detail(change), who=change.by_label)
            for change in allocation_history(actor=actor, child=child)]


child_page_section_register(ChildPageSection("officer", SIDE + 5, "allocation/child/officer.html", _officer))
timeline_source_register("allocation.changes", _entries)
