"""Reviewing register records that may be the same child (product.md, intake: "the same child
notified twice is recognised, not duplicated"): the queue of pairs the linkage engine found,
and one pair side by side, where a person merges the two records or rules them different
children. Only roles that review matches open these pages; merging also needs the right to
change the register."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.linkage.duplicates import duplicate_different, duplicate_merge
from notinschool.linkage.selectors import duplicate_get, duplicate_queue, duplicate_queue_audit
from notinschool.people.models import Child
from notinschool.web.access import actor, requires
from notinschool.web.duplicate_page import duplicate_page
from notinschool.web.formatting import govuk_date
from notinschool.web.forms_matches import DuplicateDecisionForm
from notinschool.web.pagination import paginate


@requires(Cap.REVIEW_MATCHES)
def duplicates(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    page = paginate(duplicate_queue(actor=user), params=request.GET)
    duplicate_queue_audit(actor=user, shown=page.rows)
    return render(request, "matches/duplicates.html", {"page": page})


@requires(Cap.REVIEW_MATCHES)
def duplicate_detail(request: HttpRequest, pair_id: str) -> HttpResponse:
    user = actor(request)
    try:
        pair = duplicate_get(actor=user, pair_id=pair_id)
    except NotPermitted:
        raise Http404("No such pair of records for you to review") from None
    records = [(str(c.pk), _label(c)) for c in (pair.child_a, pair.child_b)]
    posted = request.method == "POST"
    form = DuplicateDecisionForm(request.POST if posted else None, records=records)
    if posted and form.is_valid():
        decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
        try:
            if decision == "different":
                duplicate_different(actor=user, pair=pair, reason=reason)
            else:
                kept = duplicate_merge(actor=user, pair=pair, keep_id=decision, reason=reason)
        except NotPermitted:
            form.add_error("decision", "Your role cannot merge records on the register")
        except DomainError as error:
            form.add_error("decision", str(error))
        else:
            if decision == "different":
                messages.success(request, "Recorded as different children. The two records will "
                                          "not be suggested as duplicates again.")
                return redirect("duplicate_detail", pair_id=pair.pk)
            other = pair.child_b if kept.pk == pair.child_a_id else pair.child_a
            messages.success(request, f"Records merged. {other.child_ref} is now part of "
                                      f"{kept.child_ref}, and the tier was reassessed.")
            return redirect("child_detail", child_id=kept.pk)
        pair.refresh_from_db()
    return render(request, "matches/duplicate.html", {
        "page": duplicate_page(actor=user, pair=pair), "form": form, "records": records,
        "may_merge": user.can(Cap.EDIT_REGISTER)})


def _label(child: Child) -> str:
    return f"Keep {child.child_ref}: {child.full_name}, born {govuk_date(child.date_of_birth)}"
