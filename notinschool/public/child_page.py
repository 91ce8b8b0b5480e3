"""public's part of the child's page (people.child_page): what the family and the child sent
online with a letter's code, the child's own words apart from the parent's, each with its
reference and date; and the same on the timeline. For roles that see education casework."""

from django.utils import timezone

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.core.memo import page_memo
from notinschool.people.child_page import MAIN, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register
from notinschool.public.forms import CHANGE_CHOICES
from notinschool.public.models import Submission

TOPICS = dict(CHANGE_CHOICES)


@page_memo
def _submissions(*, actor: Actor, child: Child) -> list[Submission] | None:
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return list(Submission.objects.filter(child=child, kind__in=(Submission.Kind.CHANGE,
                                                                 Submission.Kind.CHILD_VIEWS)))


def _section(actor: Actor, child: Child) -> SectionContext | None:
    sent = _submissions(actor=actor, child=child)
    if not sent:
        return None
    return {"views": [s for s in sent if s.kind == Submission.Kind.CHILD_VIEWS],
            "changes": [s for s in sent if s.kind == Submission.Kind.CHANGE], "topics": TOPICS}


def _entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    entries = []
    for item in _submissions(actor=actor, child=child) or []:
        day = timezone.localtime(item.created_at).date()
        if item.kind == Submission.Kind.CHILD_VIEWS:
            entries.append(TimelineEntry(
                day=day, at=item.created_at, kind="child_views",
                title="The child sent their views online" + (": may be worrying" if item.worrying else ""),
                detail=f"In their own words: “{item.words[:300]}”",
                who=f"{child.forename}, reference {item.reference}",
                link="#public-messages", link_text="Read it in full"))
        else:
            what = ", ".join(TOPICS.get(t, t).lower() for t in item.topics)
            entries.append(TimelineEntry(
                day=day, at=item.created_at, kind="public_change",
                title=f"A parent reported a change online: {what}",
                who=f"{item.details.get('your_name', '')}, reference {item.reference}",
                link="#public-messages", link_text="Read it in full"))
    return entries


child_page_section_register(ChildPageSection("public_messages", MAIN + 80, "public/child/messages.html",
                                             _section))
timeline_source_register("public.messages", _entries)
