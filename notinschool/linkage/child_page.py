"""linkage's sections of the child's page (people.child_page): the notice of a possible
duplicate record (for reviewers, above the record), what other agencies know through the
effective links, and the agency records linked to the child."""

from notinschool.accounts.actor import Actor
from notinschool.linkage.selectors import child_agency_flags, child_duplicates, child_matches
from notinschool.people.child_page import (
    ABOVE,
    BELOW,
    ChildPageSection,
    SectionContext,
    child_page_section_register,
)
from notinschool.people.models import Child


def _duplicates(actor: Actor, child: Child) -> SectionContext | None:
    pairs = child_duplicates(actor=actor, child=child)
    return {"pairs": pairs} if pairs else None


def _agency_flags(actor: Actor, child: Child) -> SectionContext:
    return {"flags": child_agency_flags(actor=actor, child=child)}


def _linked_records(actor: Actor, child: Child) -> SectionContext:
    return {"linked": child_matches(actor=actor, child=child)}


for _section in (
    ChildPageSection("duplicates", ABOVE + 20, "linkage/child/duplicates.html", _duplicates),
    ChildPageSection("agency_flags", BELOW + 10, "linkage/child/agency_flags.html", _agency_flags),
    ChildPageSection("linked_records", BELOW + 40, "linkage/child/linked_records.html", _linked_records),
):
    child_page_section_register(_section)
