"""statutory's part of the child's page (people.child_page): the statutory path, with the open
case's steps, the next permitted step and the cases before; and on the timeline each step
proposed, taken or returned, with who (the letters themselves are on the timeline through
letters). Imported by `StatutoryConfig.ready()`."""

from collections.abc import Iterator

from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.casework.approvals import ApprovalQueue, approval_queue_register
from notinschool.people.child_page import BELOW, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register
from notinschool.statutory.models import StatutoryStep
from notinschool.statutory.selectors import child_statutory, steps_awaiting_count

S = StatutoryStep


def _section(actor: Actor, child: Child) -> SectionContext | None:
    statutory = child_statutory(actor=actor, child=child)
    return None if statutory is None else {"child": child, "statutory": statutory}


child_page_section_register(ChildPageSection("statutory", BELOW + 17, "statutory/section.html", _section))


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _detail(step: StatutoryStep) -> str:
    parts = []
    if step.outcome:
        parts.append(step.get_outcome_display() + ".")
    if step.schools:
        parts.append(f"School named: {step.schools}.")
    if step.deadline:
        parts.append(f"The parent's deadline: {step.deadline.day} {step.deadline:%B %Y}.")
    if step.late_days:
        parts.append(f"Taken {step.late_days} day{'s' if step.late_days != 1 else ''} after it was due.")
    return " ".join(parts)


def statutory_entries(actor: Actor, child: Child) -> Iterator[TimelineEntry]:
    statutory = child_statutory(actor=actor, child=child)
    for case in statutory.cases if statutory is not None else ():
        link = reverse("statutory_case", kwargs={"case_id": case.pk})
        for step in case.steps.all():
            label = step.get_kind_display()
            yield TimelineEntry(day=step.proposed_at.date(), at=step.proposed_at, kind="statutory",
                                title=(f"Statutory path: {label} proposed" if step.approved_at or
                                       step.state == S.State.PROPOSED else f"Statutory path: {label}"),
                                detail="" if step.approved_at or step.state == S.State.PROPOSED
                                else _detail(step), who=_name(step.proposed_by), link=link,
                                link_text="The statutory case")
            if step.approved_at is not None:
                title = (f"Statutory path: {label} approved and issued" if step.state == S.State.TAKEN
                         else f"Statutory path: {label} returned")
                yield TimelineEntry(day=step.approved_at.date(), at=step.approved_at, kind="statutory",
                                    title=title,
                                    detail=step.manager_comments if step.state == S.State.RETURNED
                                    else _detail(step), who=_name(step.approved_by), link=link,
                                    link_text="The statutory case")


timeline_source_register("statutory.steps", statutory_entries)


approval_queue_register(ApprovalQueue(
    key="statutory.steps", heading="Notices and orders", one="step waits", many="steps wait",
    url_name="statutory_awaiting", count=lambda actor: steps_awaiting_count(actor=actor)))
