"""The linkage pages (docs/product.md, cross-referencing; intake: "the same child notified twice is
recognised, not duplicated"): the queue of matches the linkage engine was not sure of and one
match with its evidence, where a person accepts, rejects or undoes it; and the queue of register
records that may be the same child and one pair side by side, where a person merges the two
records or rules them different children. Only roles that review matches (`REVIEW_MATCHES`) open
these pages, and only for children they may see; merging also needs the right to change the
register."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.linkage.duplicate_page import duplicate_page
from notinschool.linkage.duplicates import duplicate_different
from notinschool.linkage.forms import (
    DuplicateDecisionForm,
    MatchDecisionForm,
    MatchFilterForm,
    MatchUndoForm,
)
from notinschool.linkage.match_page import match_page, queue_row
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.selectors import (
    duplicate_count,
    duplicate_get,
    duplicate_queue,
    duplicate_queue_audit,
    match_get,
    match_queue,
    match_queue_audit,
    match_sources,
)
from notinschool.people.models import Child
from notinschool.web.access import actor, refused, requires
from notinschool.web.formatting import govuk_date
from notinschool.web.pagination import paginate
from notinschool.workflow.decisions import match_accept, match_reject, match_undo
from notinschool.workflow.merge import duplicate_merge

# Matches between a register child and an agency's record


@requires(Cap.REVIEW_MATCHES)
def matches(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    bound = any(k != "page" for k in request.GET)
    form = MatchFilterForm(request.GET if bound else None, sources=match_sources(actor=user))
    context: dict[str, object] = {"form": form, "duplicates": duplicate_count(actor=user)}
    if bound and not form.is_valid():
        return render(request, "linkage/queue.html", context)
    search = form.search()
    page = paginate(match_queue(actor=user, search=search), params=request.GET)
    match_queue_audit(actor=user, search=search, shown=page.rows)
    context.update(page=page, rows=[queue_row(user, m) for m in page.rows], search=search)
    return render(request, "linkage/queue.html", context)


def _match(request: HttpRequest, match_id: str) -> PersonMatch:
    try:
        return match_get(actor=actor(request), match_id=match_id)
    except NotPermitted:
        raise refused(request, "No such match for you to review", match_id) from None


@requires(Cap.REVIEW_MATCHES)
def match_detail(request: HttpRequest, match_id: str) -> HttpResponse:
    user = actor(request)
    match = _match(request, match_id)
    posted = request.POST.get("action") if request.method == "POST" else None
    decide = MatchDecisionForm(request.POST if posted == "decide" else None)
    undo = MatchUndoForm(request.POST if posted == "undo" else None)
    if posted == "decide" and decide.is_valid():
        accept = decide.cleaned_data["decision"] == "accept"
        service = match_accept if accept else match_reject
        try:
            service(actor=user, match=match, reason=decide.cleaned_data["reason"])
        except DomainError as error:
            decide.add_error("decision", str(error))
            match.refresh_from_db()
        else:
            messages.success(request, _done_message(match, "accepted" if accept else "rejected"))
            return redirect("match_detail", match_id=match.pk)
    if posted == "undo" and undo.is_valid():
        try:
            match_undo(actor=user, match=match, reason=undo.cleaned_data["reason"])
        except DomainError as error:
            undo.add_error("reason", str(error))
            match.refresh_from_db()
        else:
            messages.success(request, _done_message(match, "undone"))
            return redirect("match_detail", match_id=match.pk)
    return render(request, "linkage/match.html", {
        "page": match_page(actor=user, match=match), "decide": decide, "undo": undo,
        "has_errors": bool(decide.errors or undo.errors)})


def _done_message(match: PersonMatch, what: str) -> str:
    name = match.child.full_name
    if what == "accepted":
        return (f"Match accepted. The agency's records now show on {name}'s record "
                "and the tier was reassessed.")
    if what == "rejected":
        return f"Match rejected. It will not be suggested again for {name}."
    return (f"Match undone. The agency's records no longer show on {name}'s record "
            "and the tier was reassessed.")


# Register records that may be the same child


@requires(Cap.REVIEW_MATCHES)
def duplicates(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    page = paginate(duplicate_queue(actor=user), params=request.GET)
    duplicate_queue_audit(actor=user, shown=page.rows)
    return render(request, "linkage/duplicates.html", {"page": page})


@requires(Cap.REVIEW_MATCHES)
def duplicate_detail(request: HttpRequest, pair_id: str) -> HttpResponse:
    user = actor(request)
    try:
        pair = duplicate_get(actor=user, pair_id=pair_id)
    except NotPermitted:
        raise refused(request, "No such pair of records for you to review", pair_id) from None
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
    return render(request, "linkage/duplicate.html", {
        "page": duplicate_page(actor=user, pair=pair), "form": form, "records": records,
        "may_merge": user.can(Cap.EDIT_REGISTER)})


def _label(child: Child) -> str:
    return f"Keep {child.child_ref}: {child.full_name}, born {govuk_date(child.date_of_birth)}"
