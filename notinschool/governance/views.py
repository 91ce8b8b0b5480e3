"""The data protection officer's pages (the audit search, one person's access report, unusual
access flagged and its review) and break-glass (asking to open a child outside one's scope, and
the managers' and DPO's review queue). Each view checks access, calls one selector or service,
audits what it shows and renders."""

import csv
import datetime as dt
import json
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditEvent
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.governance import selectors, services
from notinschool.governance.forms import (
    BREAK_GLASS_OUTCOMES,
    FLAG_OUTCOMES,
    AuditSearchForm,
    BreakGlassForm,
    DatesForm,
    ReviewForm,
)
from notinschool.people.selectors import child_queryset_for
from notinschool.web.access import actor, refused, requires
from notinschool.web.pagination import paginate

# A person's access report covers the last 30 days unless a period is given.
REPORT_DAYS = 30


def _rows(events: list[AuditEvent]) -> list[dict[str, Any]]:
    children = selectors.event_children(events)
    return [{"event": e, "children": children.get(e.pk, []), "why": selectors.event_why(e)}
            for e in events]


@requires(Cap.VIEW_AUDIT)
def audit_search(request: HttpRequest) -> HttpResponse:
    """Who saw or changed what, and why: the DPO's start page. Every search is audited."""
    user = actor(request)
    form = AuditSearchForm(request.GET or None,
                           agencies=[(str(a.pk), a.name) for a in selectors.agencies()])
    context: dict[str, Any] = {
        "form": form, "flags_waiting": selectors.access_flags(actor=user, reviewed=False).count(),
        "break_glass_waiting": selectors.break_glass_to_review(actor=user).count()}
    if form.is_bound and not form.is_valid():
        return render(request, "governance/audit_search.html", context)
    search = form.search() if form.is_bound else selectors.AuditSearch()
    children = selectors.children_matching(search.child) if search.child else []
    page = paginate(selectors.audit_search(actor=user, search=search, children=children),
                    params=request.GET)
    if search.is_search:
        audit_record(actor=user, action="search", object_type="audit",
                     detail={"search": search.described(), "page": page.number})
    context.update(page=page, rows=_rows(page.rows), search=search,
                   too_many=len(children) > selectors.MAX_CHILDREN,
                   children=children[:selectors.MAX_CHILDREN])
    return render(request, "governance/audit_search.html", context)


def _period(form: DatesForm) -> tuple[dt.date, dt.date]:
    today = clock.today()
    end = form.cleaned_data.get("date_to") or today
    start = form.cleaned_data.get("date_from") or end - dt.timedelta(days=REPORT_DAYS - 1)
    return start, end


@requires(Cap.VIEW_AUDIT)
def user_access(request: HttpRequest, user_id: int) -> HttpResponse:
    """Everything one person did in a period, newest first, with a CSV of the same."""
    dpo, person = actor(request), get_object_or_404(User, pk=user_id)
    form = DatesForm(request.GET)  # no dates given: the last 30 days
    context: dict[str, Any] = {"form": form, "person": person}
    if not form.is_valid():
        return render(request, "governance/user_access.html", context)
    start, end = _period(form)
    page = paginate(selectors.user_access(actor=dpo, user=person, date_from=start, date_to=end),
                    params=request.GET)
    audit_record(actor=dpo, action="search", object_type="audit", object_ids=[person.pk],
                 detail={"search": {"user": person.username, "date_from": str(start),
                                    "date_to": str(end)}, "report": "user access"})
    context.update(page=page, rows=_rows(page.rows), start=start, end=end,
                   csv_query=f"from_day={start.day}&from_month={start.month}&from_year={start.year}"
                             f"&to_day={end.day}&to_month={end.month}&to_year={end.year}")
    return render(request, "governance/user_access.html", context)


CSV_HEADER = ["at", "action", "action_words", "object_type", "object_ids", "children",
              "child_count", "why", "detail"]


@requires(Cap.VIEW_AUDIT)
def user_access_csv(request: HttpRequest, user_id: int) -> HttpResponse:
    """The access report as a CSV (every event of the period, not a page of it); audited as an
    export."""
    dpo, person = actor(request), get_object_or_404(User, pk=user_id)
    form = DatesForm(request.GET)
    if not form.is_valid():
        raise Http404("Correct the period on the report page")
    start, end = _period(form)
    events = list(selectors.user_access(actor=dpo, user=person, date_from=start, date_to=end))
    audit_record(actor=dpo, action="export", object_type="audit", object_ids=[person.pk],
                 detail={"purpose": "user access report", "date_from": str(start),
                         "date_to": str(end), "rows": len(events)})
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="access-{person.username}-{start}-{end}.csv"')
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    children = selectors.event_children(events, shown=1000)
    for e in events:
        writer.writerow([e.at.isoformat(), e.action, e.get_action_display(), e.object_type,
                         " ".join(map(str, e.object_ids)), " ".join(children.get(e.pk, [])),
                         e.child_count, selectors.event_why(e), json.dumps(e.detail, sort_keys=True)])
    return response


@requires(Cap.VIEW_AUDIT)
def access_flags(request: HttpRequest) -> HttpResponse:
    """Unusual access waiting for review, and what was found about the rest. Checking today
    runs the nightly job for today at once."""
    dpo = actor(request)
    if request.method == "POST":
        count = services.access_flags_compute(actor=dpo, day=clock.today())
        messages.success(request, f"Today's access checked: {count} "
                                  f"{'flag' if count == 1 else 'flags'} for today.")
        return redirect("governance_flags")
    waiting = list(selectors.access_flags(actor=dpo, reviewed=False))
    reviewed = list(selectors.access_flags(actor=dpo, reviewed=True)[:20])
    audit_record(actor=dpo, action="list", object_type="access_flag",
                 object_ids=[f.pk for f in waiting + reviewed])
    return render(request, "governance/flags.html", {"waiting": waiting, "reviewed": reviewed})


@requires(Cap.VIEW_AUDIT)
def access_flag_review(request: HttpRequest, flag_id: UUID) -> HttpResponse:
    dpo = actor(request)
    flag = selectors.access_flags(actor=dpo, reviewed=False).filter(pk=flag_id).first()
    if flag is None:
        raise refused(request, "No such flag waiting for review", flag_id)
    form = ReviewForm(request.POST if request.method == "POST" else None, outcomes=FLAG_OUTCOMES)
    if request.method == "POST" and form.is_valid():
        try:
            services.access_flag_review(actor=dpo, flag=flag, outcome=form.cleaned_data["outcome"],
                                        note=form.cleaned_data["note"])
        except DomainError as error:
            form.add_error("note" if "concern" in str(error) else "outcome", str(error))
        else:
            messages.success(request, f"Flag for {_name(flag.user)} on "
                                      f"{flag.day:%-d %B %Y} reviewed.")
            return redirect("governance_flags")
    refs = selectors.children_refs(flag.child_ids)
    return render(request, "governance/flag_review.html", {"flag": flag, "form": form, "refs": refs})


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.get_username()) if user else "nobody"


@requires(Cap.BREAK_GLASS)
def break_glass_open(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Ask to open a child outside one's scope: the reason, then the child's page, for a while.
    A child the person may open already (their own, or a grant still running) needs no reason."""
    if child_queryset_for(actor(request)).filter(pk=child_id).exists():
        return redirect("child_detail", child_id=child_id)
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_open(actor=actor(request), child_id=child_id,
                                      reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", str(error))
        else:
            return redirect("child_detail", child_id=child_id)
    return render(request, "governance/break_glass_open.html", {
        "form": form, "child_id": child_id, "minutes": settings.NOTINSCHOOL_BREAK_GLASS_MINUTES})


@requires(Cap.REVIEW_BREAK_GLASS)
def break_glass_queue(request: HttpRequest) -> HttpResponse:
    """Every use of break-glass waiting for a judgement, and the latest judged."""
    reviewer = actor(request)
    waiting = list(selectors.break_glass_to_review(actor=reviewer))
    reviewed = list(selectors.break_glass_reviewed(actor=reviewer))
    audit_record(actor=reviewer, action="list", object_type="break_glass",
                 object_ids=[g.pk for g in waiting + reviewed],
                 child_ids=[g.child_id for g in waiting + reviewed])
    return render(request, "governance/break_glass_queue.html",
                  {"waiting": waiting, "reviewed": reviewed})


@requires(Cap.REVIEW_BREAK_GLASS)
def break_glass_review(request: HttpRequest, grant_id: UUID) -> HttpResponse:
    reviewer = actor(request)
    grant = selectors.break_glass_to_review(actor=reviewer).filter(pk=grant_id).first()
    if grant is None:
        raise refused(request, "No such break-glass access waiting for review", grant_id)
    form = ReviewForm(request.POST if request.method == "POST" else None,
                      outcomes=BREAK_GLASS_OUTCOMES)
    if request.method == "POST" and form.is_valid():
        try:
            services.break_glass_review(actor=reviewer, grant=grant,
                                        outcome=form.cleaned_data["outcome"],
                                        note=form.cleaned_data["note"])
        except DomainError as error:
            form.add_error("note" if "not justified" in str(error) else "outcome", str(error))
        else:
            messages.success(request, f"Break-glass access by {_name(grant.user)} to "
                                      f"{grant.child_ref} reviewed.")
            return redirect("break_glass_queue")
    opened = AuditEvent.objects.filter(
        actor=grant.user, at__gte=grant.granted_at, at__lt=grant.expires_at,
        children__child_id=grant.child_id).order_by("at")
    return render(request, "governance/break_glass_review.html",
                  {"grant": grant, "form": form, "opened": list(opened[:100])})

