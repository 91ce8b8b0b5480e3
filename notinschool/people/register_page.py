"""The register list: one page of children, as rows of the GOV.UK table."""

import uuid
from dataclasses import dataclass

from django.db.models import Model, OuterRef, Subquery
from django.http import HttpRequest
from django.urls import reverse

from notinschool.accounts.actor import Actor
from notinschool.accounts.selectors import officer_list
from notinschool.people.disclosure import address_visible
from notinschool.people.forms import STATUS_LABELS, RegisterSearchForm
from notinschool.people.models import Child
from notinschool.people.selectors import ChildSearch, child_list, child_list_audit
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


def _latest_tier() -> Subquery:
    """The tier of the child's latest assessment, for each row. Assessments are risk's, and
    risk is above people: the model is reached through the child's reverse relation
    (`assessments`), not imported. The same subquery as `Assessment.objects.filter(...)`."""
    assessment = Child._meta.get_field("assessments").related_model
    assert isinstance(assessment, type) and issubclass(assessment, Model)
    return Subquery(assessment._default_manager.filter(child_id=OuterRef("pk"), is_latest=True)
                    .values("tier")[:1])


def register_page(*, actor: Actor, search: ChildSearch, request: HttpRequest
                  ) -> tuple[Page, list[RegisterRow]]:
    """One page of the actor's register, audited with exactly the children shown. The latest
    tier comes in the same query as the children (a subquery per row of the page)."""
    children = child_list(actor=actor, search=search).only(*ROW_FIELDS) \
        .annotate(latest_tier=_latest_tier())
    page = paginate(children, params=request.GET)
    child_list_audit(actor=actor, search=search, shown=page.rows)
    # One reverse() for the page, not one a row: the link differs only by the child's id.
    pattern = reverse("child_detail", args=[_PLACEHOLDER])
    return page, [_row(actor, child, pattern.replace(str(_PLACEHOLDER), str(child.pk)))
                  for child in page.rows]


def _row(actor: Actor, child: Child, href: str) -> RegisterRow:
    return RegisterRow(
        child=child,
        href=href,
        postcode=child.postcode if address_visible(actor, child) else "Withheld",
        status=STATUS_LABELS.get(child.status, child.status),
        tier=getattr(child, "latest_tier", None),
    )
