"""The missing education section of the child's page (people.child_page) and its entries on the
child's timeline (people.timeline): a case opened, each enquiry made and answered, each
escalation, and the closure, with who. Imported by `CmeConfig.ready()`."""

import uuid
from collections.abc import Iterator

from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import User
from notinschool.casework.action_pages import ActionPage, action_page_register
from notinschool.cme.models import CmeCase
from notinschool.cme.reasons import reason_label
from notinschool.cme.selectors import child_cme_cases
from notinschool.cme.services import closure_words, cme_open_action
from notinschool.people.child_page import BELOW, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child, Status
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _section(actor: Actor, child: Child) -> SectionContext | None:
    cases = child_cme_cases(actor=actor, child=child)
    if cases is None or (not cases and child.status != Status.CME):
        return None
    open_case = next((c for c in cases if c.is_open), None)
    enquiries = list(open_case.enquiries.all()) if open_case else []
    escalated = sorted({x.get_to_display().lower() for x in open_case.escalations.all()}) \
        if open_case else []
    return {"child": child, "cases": cases, "open_case": open_case,
            "asked": len(enquiries), "answered": sum(e.answered for e in enquiries),
            "escalated": " and ".join(escalated), "reason_label": reason_label,
            "words": closure_words, "action": cme_open_action(child) if open_case is None else None}


child_page_section_register(ChildPageSection("cme", BELOW + 12, "cme/child/section.html", _section))


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _link(case: CmeCase) -> str:
    return reverse("cme_case", kwargs={"case_id": case.pk})


def cme_entries(actor: Actor, child: Child) -> Iterator[TimelineEntry]:
    for case in child_cme_cases(actor=actor, child=child) or ():
        link, text = _link(case), "Missing education case"
        yield TimelineEntry(day=case.opened_on, kind="cme", at=case.created_at,
                            title="Missing education case opened",
                            detail=f"First known missing {case.missing_since.day} "
                                   f"{case.missing_since:%B %Y}; primary reason: "
                                   f"{reason_label(case.primary_reason).lower()}.",
                            who=_name(case.opened_by), link=link, link_text=text)
        for e in case.enquiries.all():
            who = e.other_authority or e.asked_whom
            yield TimelineEntry(day=e.asked_on, kind="cme", at=e.created_at,
                                title=f"Missing education enquiry: {e.get_kind_display().lower()}",
                                detail=f"{who}, {e.get_method_display().lower()}.",
                                who=_name(e.recorded_by), link=link, link_text=text)
            if e.answered_on is not None:
                yield TimelineEntry(day=e.answered_on, kind="cme", at=e.modified_at,
                                    title=f"Missing education enquiry answered: {who}",
                                    detail=e.answer, who=_name(e.answer_recorded_by), link=link,
                                    link_text=text)
        for x in case.escalations.all():
            yield TimelineEntry(day=x.escalated_on, kind="cme", at=x.created_at,
                                title=f"Missing education case escalated to {x.get_to_display().lower()}",
                                detail=x.reason, who=_name(x.escalated_by), link=link,
                                link_text=text)
        if case.closed_on is not None:
            yield TimelineEntry(day=case.closed_on, kind="cme", at=case.closed_at,
                                title="Missing education case closed",
                                detail=closure_words(case), who=_name(case.closed_by), link=link,
                                link_text=text)


timeline_source_register("cme", cme_entries)


def _case_for_action(child_id: uuid.UUID, action_id: uuid.UUID) -> str:
    """The form to open a case answering the action (or the child's open case, where it sends)."""
    return reverse("cme_case_new", kwargs={"child_id": child_id}) + f"?action={action_id}"


action_page_register(ActionPage(code="cme_enquiries", link_text="Open the missing education case",
                                url=_case_for_action))
