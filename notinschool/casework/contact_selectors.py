"""Reads of contacts with a family, scoped to the actor. Contacts are education casework: the
roles with `Cap.VIEW_CASEWORK` read them, for children they may open (the child's views are
casework too). Read after the actor opened the child (`people.pages.child_or_404`, which
audits the view), so these write no audit event of their own."""

from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.casework.models import Contact
from notinschool.core.memo import page_memo
from notinschool.people.models import Child
from notinschool.people.selectors import child_in_scope


def _sees(actor: Actor, child_id: UUID) -> bool:
    return actor.can(Cap.VIEW_CASEWORK) and child_in_scope(actor, child_id)


@page_memo
def child_contacts(*, actor: Actor, child: Child) -> list[Contact] | None:
    """Every contact with the child's family, imported or recorded: planned visits first,
    soonest first, then the rest latest first; None when the actor may not see them."""
    if not _sees(actor, child.pk):
        return None
    contacts = list(Contact.objects.filter(child=child)
                    .select_related("officer", "recorded_by", "created_by")
                    .order_by("-contact_date", "-created_at"))
    planned = sorted((c for c in contacts if c.state == Contact.State.PLANNED),
                     key=lambda c: c.contact_date)
    return planned + [c for c in contacts if c.state != Contact.State.PLANNED]


def contact_get(*, actor: Actor, contact_id: UUID | str) -> Contact | None:
    """One contact, when the actor may see it."""
    contact = Contact.objects.filter(pk=contact_id).select_related(
        "child", "officer", "recorded_by").first()
    if contact is None or not _sees(actor, contact.child_id):
        return None
    return contact
