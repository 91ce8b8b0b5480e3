"""The suitability section of the child's page (people.child_page: the judgement in force, one
awaiting approval, the history, and the links to record one or approve it) and its entries on
the child's timeline (people.timeline): each judgement recorded, approved or returned, with
who. Imported by `CaseworkConfig.ready()`."""

from collections.abc import Iterator

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.casework.approvals import ApprovalQueue, approval_queue_register
from notinschool.casework.models import SuitabilityJudgement
from notinschool.casework.suitability_selectors import child_suitability, suitability_awaiting_count
from notinschool.people.child_page import BELOW, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register

J = SuitabilityJudgement


def _section(actor: Actor, child: Child) -> SectionContext | None:
    suitability = child_suitability(actor=actor, child=child)
    return None if suitability is None else {"child": child, "suitability": suitability}


child_page_section_register(ChildPageSection("suitability", BELOW + 15,
                                             "casework/suitability/section.html", _section))


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _recorded_detail(j: SuitabilityJudgement) -> str:
    parts = [j.reasons]
    if j.unable_why:
        parts.insert(0, f"Why: {j.get_unable_why_display().lower()}.")
    parts.append("In force at once." if j.judgement == J.Judgement.SUITABLE
                 else "Awaits a manager's approval.")
    return "\n".join(parts)


def suitability_entries(actor: Actor, child: Child) -> Iterator[TimelineEntry]:
    """Each judgement recorded, and each approved or returned by a manager."""
    suitability = child_suitability(actor=actor, child=child)
    for j in suitability.history if suitability is not None else ():
        what = j.get_judgement_display().lower()
        yield TimelineEntry(day=j.decided_on, kind="suitability", at=j.decided_at,
                            title=f"Suitability judgement recorded: {what}",
                            detail=_recorded_detail(j), who=_name(j.decided_by),
                            link="#suitability", link_text="Suitability")
        if j.approved_on is not None and j.approved_at is not None:
            title = (f"Suitability judgement approved: {what}" if j.state == J.State.APPROVED
                     else f"Suitability judgement returned: {what}")
            yield TimelineEntry(day=j.approved_on, kind="suitability", at=j.approved_at,
                                title=title, detail=j.manager_comments,
                                who=_name(j.approved_by), link="#suitability",
                                link_text="Suitability")


timeline_source_register("casework.suitability", suitability_entries)
approval_queue_register(ApprovalQueue(
    key="casework.suitability", heading="Suitability judgements", one="judgement waits",
    many="judgements wait", url_name="suitability_awaiting",
    count=lambda actor: suitability_awaiting_count(actor=actor)))
