"""letters' part of the child's page (people.child_page): beside the record, the letters sent
and the way to send one (for those who record casework); on the timeline, every letter with
its PDF and who sent it (for those who see education casework)."""

from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.letters.models import Letter
from notinschool.letters.selectors import child_letters
from notinschool.people.child_page import SIDE, ChildPageSection, SectionContext, child_page_section_register
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _letters(actor: Actor, child: Child) -> SectionContext | None:
    letters = child_letters(actor=actor, child=child)
    if letters is None:
        return None
    return {"child": child, "count": len(letters), "latest": letters[0] if letters else None,
            "can_send": actor.can(Cap.RECORD_CASEWORK)}


def _entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    return [_entry(letter) for letter in child_letters(actor=actor, child=child) or []]


def _entry(letter: Letter) -> TimelineEntry:
    to = letter.addressed_to + ("" if letter.address_printed else " (no address printed: by hand)")
    return TimelineEntry(
        day=letter.sent_on, at=letter.created_at, kind="letter", title=f"Letter: {letter.subject}",
        detail=f"{letter.get_kind_display()} to {to}, {letter.pages} page{'s' if letter.pages != 1 else ''}.",
        who=letter.sender_name, link=reverse("letter_download", kwargs={"letter_id": letter.pk}),
        link_text="Download the letter (PDF)")


child_page_section_register(ChildPageSection("letters", SIDE + 40, "letters/child/letters.html", _letters))
timeline_source_register("letters.sent", _entries)
