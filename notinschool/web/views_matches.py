"""Reviewing the matches the linkage engine was not sure of (product.md, cross-referencing):
the queue of pending matches, and one match with its evidence, where a person accepts, rejects
or undoes it. Only roles that review matches (`REVIEW_MATCHES`) open these pages, and only for
children they may see."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.linkage.decisions import match_accept, match_reject, match_undo
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.selectors import (
    duplicate_count,
    match_get,
    match_queue,
    match_queue_audit,
    match_sources,
)
from notinschool.web.access import actor, requires
from notinschool.web.forms_matches import MatchDecisionForm, MatchFilterForm, MatchUndoForm
from notinschool.web.match_page import match_page, queue_row
from notinschool.web.pagination import paginate


@requires(Cap.REVIEW_MATCHES)
def matches(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    bound = any(k != "page" for k in request.GET)
    form = MatchFilterForm(request.GET if bound else None, sources=match_sources(actor=user))
    context: dict[str, object] = {"form": form, "duplicates": duplicate_count(actor=user)}
    if bound and not form.is_valid():
        return render(request, "matches/queue.html", context)
    search = form.search()
    page = paginate(match_queue(actor=user, search=search), params=request.GET)
    match_queue_audit(actor=user, search=search, shown=page.rows)
    context.update(page=page, rows=[queue_row(user, m) for m in page.rows], search=search)
    return render(request, "matches/queue.html", context)


def _match(request: HttpRequest, match_id: str) -> PersonMatch:
    try:
        return match_get(actor=actor(request), match_id=match_id)
    except NotPermitted:
        raise Http404("No such match for you to review") from None


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
    return render(request, "matches/match.html", {
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
