"""Reads of the emails kept about a child. The child is one the actor has opened
(`people.pages.child_or_404`, which audits the view); what an email said (its body and
addresses) is education casework (`people.disclosure.casework_visible`)."""

from notinschool.accounts.actor import Actor
from notinschool.core.memo import page_memo
from notinschool.mail.models import SentEmail
from notinschool.people.models import Child


@page_memo
def child_emails(*, actor: Actor, child: Child) -> list[SentEmail]:
    """Every email about the child, newest first."""
    return list(SentEmail.objects.filter(child=child).select_related("sent_by").order_by("-sent_at"))


def child_parent_addresses(*, actor: Actor, child: Child) -> list[tuple[str, str]]:
    """The child's parents' email addresses, each as (address, "Name (address)"), the parent
    the child lives with first."""
    links = child.parent_links.select_related("parent").exclude(parent__email="") \
        .order_by("-lives_with_child", "parent__name")
    seen: dict[str, str] = {}
    for link in links:
        address = link.parent.email.strip()
        if address and address not in seen:
            seen[address] = f"{link.parent.name} ({address})"
    return list(seen.items())
