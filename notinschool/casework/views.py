"""Casework pages: the work queue, acknowledging alerts, and consent decisions. Each view
checks access, calls one selector or service, and renders or redirects."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notinschool.accounts.roles import Cap, Role
from notinschool.casework import selectors
from notinschool.casework.forms import ConsentDecisionForm
from notinschool.casework.services import alert_acknowledge, consent_request_decide
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.people.models import Child
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, requires


@requires(Cap.VIEW_REGISTER)
def work_queue(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    can_team = user.can(Cap.VIEW_TEAM_WORK)
    team = can_team and request.GET.get("view", "team") != "mine"
    queue = selectors.work_queue(actor=user, team=team)
    return render(request, "casework/work_queue.html", {
        "queue": queue, "can_team": can_team, "today": clock.today(),
        "acknowledges": user.role == Role.SOCIAL_WORKER})


@require_POST
@requires(Cap.VIEW_REGISTER)
def alert_acknowledge_view(request: HttpRequest, alert_id: str) -> HttpResponse:
    alert = selectors.alert_get(actor=actor(request), alert_id=alert_id)
    if alert is None:
        raise Http404("No such alert for you")
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
