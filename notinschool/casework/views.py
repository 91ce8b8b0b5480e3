"""Casework pages: the work queue, marking a required action done, acknowledging alerts, and
consent decisions. Each view checks access, calls one selector or service, and renders or
redirects."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from notinschool.accounts.roles import Cap, Role
from notinschool.casework import selectors
from notinschool.casework.action_pages import action_page
from notinschool.casework.actions import already_done, required_action_done
from notinschool.casework.approvals import approvals_waiting
from notinschool.casework.forms import ActionDoneForm, ConsentDecisionForm, WorkQueueFilterForm
from notinschool.casework.queue import queue_officers
from notinschool.casework.services import alert_acknowledge, consent_request_decide
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.people.models import Child
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, refused, requires


@requires(Cap.VIEW_REGISTER)
def work_queue(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    can_team = user.can(Cap.VIEW_TEAM_WORK)
    team = can_team and request.GET.get("view", "team") != "mine"
    form = WorkQueueFilterForm(request.GET, officers=queue_officers() if team else [])
    queue = selectors.work_queue(actor=user, team=team, filters=form.filters(), params=request.GET)
    return render(request, "casework/work_queue.html", {
        "queue": queue, "can_team": can_team, "today": clock.today(), "form": form,
        "back": request.GET.urlencode(), "acknowledges": user.role == Role.SOCIAL_WORKER,
        "approvals": approvals_waiting(actor=user)})


@requires(Cap.RECORD_CASEWORK)
def action_done(request: HttpRequest, action_id: str) -> HttpResponse:
    user = actor(request)
    action = selectors.required_action_get(actor=user, action_id=action_id)
    if action is None:
        raise refused(request, "No such action for you", action_id)
    child = _child(request, str(action.child_id))
    page = action_page(action.code)
    if page is not None:  # e.g. enquiries for a child missing education: the case does it
        return redirect(page.url(action.child_id, action.pk))
    form = ActionDoneForm(request.POST if request.method == "POST" else None,
                          choices=selectors.evidence_choices(action=action))
    back = (request.POST if request.method == "POST" else request.GET).get("back", "")
    what = selectors.action_label(action.code)
    if request.method == "POST" and form.is_valid():
        kind, evidence_id = form.evidence_chosen()
        try:
            required_action_done(actor=user, action=action, evidence_kind=kind,
                                 evidence_id=evidence_id, note=form.cleaned_data["note"])
        except DomainError as error:
            form.add_error("note" if kind == ActionDoneForm.NOTE else "evidence", str(error))
        else:
            messages.success(request, f"\u201c{what}\u201d for {child.full_name} marked as done.")
            return redirect(reverse("work_queue") + (f"?{back}" if back else ""))
    return render(request, "casework/action_done.html", {
        "action": action, "child": child, "what": what, "form": form, "back": back,
        "done": already_done(action) if action.state == action.State.DONE else "",
        "today": clock.today()})


@require_POST
@requires(Cap.VIEW_REGISTER)
def alert_acknowledge_view(request: HttpRequest, alert_id: str) -> HttpResponse:
    alert = selectors.alert_get(actor=actor(request), alert_id=alert_id)
    if alert is None:
        raise refused(request, "No such alert for you", alert_id)
    alert_acknowledge(actor=actor(request), alert=alert)
    messages.success(request, f"Alert for {alert.child.child_ref} acknowledged.")
    return redirect("work_queue")


@requires(Cap.DECIDE_CONSENT)
def consent_list(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    return render(request, "casework/consent_list.html", {
        "waiting": selectors.consent_requests_waiting(actor=user),
        "barred": selectors.consent_bars_current(actor=user),
        "today": clock.today(),
    })


@requires(Cap.DECIDE_CONSENT)
def consent_decide(request: HttpRequest, child_id: str) -> HttpResponse:
    child = _child(request, child_id)
    form = ConsentDecisionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = consent_request_decide(
                actor=actor(request), child=child, decision=data["decision"], reasons=data["reasons"],
                parent_notified_on=data["parent_notified_on"], parent_notice_method=data["parent_method"],
                school_notified_on=data["school_notified_on"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{decision.get_decision_display()} for {child.full_name}.")
            return redirect("consent_list")
    request_ = selectors.consent_request_get(actor=actor(request), child=child)
    return render(request, "casework/consent_decide.html", {"form": form, "request_": request_})


def _child(request: HttpRequest, child_id: str) -> Child:
    return child_or_404(request, child_id)
