"""The register list: one page of children, as rows of the GOV.UK table."""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse

from notinschool.accounts.selectors import officer_list
from notinschool.people.disclosure import address_visible
from notinschool.people.models import Child
from notinschool.people.selectors import ChildSearch, child_list, child_list_audit
from notinschool.risk.models import Assessment
from notinschool.web.forms import STATUS_LABELS, RegisterSearchForm
from notinschool.web.pagination import Page, paginate


@dataclass
class RegisterRow:
    child: Child
    href: str
    postcode: str
    status: str
    tier: int | None


def officer_choices() -> list[tuple[str, str]]:
    return [(str(u.pk), u.get_full_name() or u.get_username()) for u in officer_list()]


def search_form(request: HttpRequest) -> RegisterSearchForm:
    data = request.GET if any(k != "page" for k in request.GET) else None
    return RegisterSearchForm(data, officers=officer_choices())


_PLACEHOLDER = uuid.UUID(int=0)
# The columns a row shows (and `address_visible` needs): not the whole record.
ROW_FIELDS = ("id", "child_ref", "forename", "middle_names", "surname", "date_of_birth", "postcode",
              "status", "do_not_disclose_address")


def register_page(*, actor: Any, search: ChildSearch, request: HttpRequest) -> tuple[Page, list[RegisterRow]]:
    """One page of the actor's register, audited with exactly the children shown. The latest
    tier comes in the same query as the children (a subquery per row of the page)."""
    latest_tier = Assessment.objects.filter(child_id=OuterRef("pk"), is_latest=True).values("tier")[:1]
    children = child_list(actor=actor, search=search).only(*ROW_FIELDS) \
        .annotate(latest_tier=Subquery(latest_tier))
    page = paginate(children, params=request.GET)
    child_list_audit(actor=actor, search=search, shown=page.rows)
    # One reverse() for the page, not one a row: the link differs only by the child's id.
    pattern = reverse("child_detail", args=[_PLACEHOLDER])
    return page, [_row(actor, child, pattern.replace(str(_PLACEHOLDER), str(child.pk)))
                  for child in page.rows]


def _row(actor: Any, child: Child, href: str) -> RegisterRow:
    return RegisterRow(
        child=child,
        href=href,
        postcode=child.postcode if address_visible(actor, child) else "Withheld",
        status=STATUS_LABELS.get(child.status, child.status),
        tier=getattr(child, "latest_tier", None),
    )
