"""Reading letters and templates, scoped to who asks."""

import datetime as dt
import uuid

from django.db.models import Exists, OuterRef, Q, QuerySet

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.core import clock
from notinschool.core.errors import NotPermitted
from notinschool.core.memo import page_memo
from notinschool.letters.models import Letter, LetterKind, LetterTemplate
from notinschool.people.models import OPEN_STATUSES, Child
from notinschool.people.selectors import child_queryset_for
from notinschool.risk.models import Assessment


def letter_templates(*, actor: Actor) -> QuerySet[LetterTemplate]:
    """Every template: the editors' list, and the choice of letters to send."""
    if not (actor.can(Cap.EDIT_LETTER_TEMPLATES) or actor.can(Cap.RECORD_CASEWORK)):
        raise NotPermitted("your role cannot see letter templates")
    return LetterTemplate.objects.order_by("name")


@page_memo
def child_letters(*, actor: Actor, child: Child) -> list[Letter] | None:
    """The letters sent about a child the actor has opened, newest first (without their PDFs);
    None for a role that may not see education casework."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return list(child.letters.defer("pdf").select_related("template", "template_version",
                                                          "created_by"))


def letter_for_download(*, actor: Actor, letter_id: uuid.UUID) -> Letter:
    """A letter with its PDF, if the actor may see casework and the child; else NotPermitted."""
    if not actor.can(Cap.VIEW_CASEWORK):
        raise NotPermitted("your role cannot see letters")
    letter = Letter.objects.select_related("child").filter(
        pk=letter_id, child__in=child_queryset_for(actor)).first()
    if letter is None:
        raise NotPermitted("no such letter for you")
    return letter


def month_bounds(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    return first, clock.add_months(first, 1) - dt.timedelta(days=1)


def children_due_letters(*, actor: Actor, month: dt.date) -> QuerySet[Child]:
    """Open children whose next contact falls in `month` (the latest risk assessment's
    next_contact_due), less those already sent that month's letter; by name. With what the
    letter needs: addresses, parents, officer, and whether the child ever had a first letter."""
    first, last = month_bounds(month)
    due = Assessment.objects.filter(child=OuterRef("pk"), is_latest=True,
                                    next_contact_due__range=(first, last))
    sent = Letter.objects.filter(child=OuterRef("pk"), round_month=first)
    had_first = Letter.objects.filter(child=OuterRef("pk"), kind=LetterKind.FIRST_CONTACT)
    return (child_queryset_for(actor).filter(Q(status__in=OPEN_STATUSES), Exists(due))
            .exclude(Exists(sent)).annotate(had_first_letter=Exists(had_first))
            .select_related("officer").prefetch_related("addresses", "parent_links__parent")
            .order_by("surname", "forename", "child_ref"))
