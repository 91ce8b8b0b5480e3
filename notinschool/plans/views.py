"""The working-together pages: recording a plan, its progress and end; recording a
professionals-only meeting and reading its minutes; a person's actions from meetings; the
health team's list of home-educated children (on screen and as CSV) and recording what health
did; and what social care did about an alert. Each view checks access, calls one selector or
service, and renders or redirects."""

import csv
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap, Role
from notinschool.audit.services import audit_record
from notinschool.casework.models import Alert
from notinschool.casework.selectors import alert_get
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.disclosure import address_visible
from notinschool.people.pages import child_or_404
from notinschool.plans import selectors, services
from notinschool.plans.forms import (
    AlertOutcomeForm,
    HealthRecordForm,
    MeetingForm,
    PlanEndForm,
    PlanForm,
    ProgressForm,
)
from notinschool.plans.models import HealthShare, Plan
from notinschool.web.access import actor, refused, requires
from notinschool.workflow.assessment import child_reassess

PROFESSIONAL_ROLES = (Role.EHE_OFFICER, Role.TEAM_MANAGER, Role.SOCIAL_WORKER, Role.HEALTH_PRACTITIONER)


def _professionals() -> list[User]:
    """The people who can be members, attendees and owners: the roles that work with children."""
    return list(User.objects.filter(is_active=True, role__in=PROFESSIONAL_ROLES).select_related("agency")
                .order_by("first_name", "last_name", "username"))


def _may_record(request: HttpRequest, object_id: Any) -> None:
    if not selectors.works_together(actor(request)):
        raise refused(request, "Only the education team and social workers record plans and meetings",
                      object_id)


@requires(Cap.VIEW_REGISTER)
def plan_new(request: HttpRequest, child_id: str) -> HttpResponse:
    _may_record(request, child_id)
    child = child_or_404(request, child_id)
    form = PlanForm(request.POST if request.method == "POST" else None, users=_professionals())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan = services.plan_create(
                actor=actor(request), child=child, kind=data["kind"], lead=data["lead_user"],
                lead_name=data["lead_name"], lead_agency=data["lead_agency"],
                start_date=data["start_date"], review_date=data["review_date"],
                member_users=data["member_users"], others=data["named"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{plan.get_kind_display()} recorded.")
            return redirect("plan_detail", plan_id=plan.pk)
    return render(request, "plans/plan_new.html", {"child": child, "form": form})


def _plan_or_404(request: HttpRequest, plan_id: str) -> Plan:
    plan = selectors.plan_get(actor=actor(request), plan_id=plan_id)
    if plan is None:
        raise refused(request, "No such plan for you", plan_id)
    audit_record(actor=actor(request), action="view", object_type="plan", object_ids=[plan.pk],
                 child_ids=[plan.child_id])
    return plan


@requires(Cap.VIEW_REGISTER)
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan = _plan_or_404(request, plan_id)
    user = actor(request)
    meetings = [m for m in selectors.child_meetings(actor=user, child=plan.child) if m.plan_id == plan.pk]
    return render(request, "plans/plan_detail.html", {
        "plan": plan, "child": plan.child, "members": list(plan.members.select_related("user")),
        "meetings": meetings, "may_record": selectors.works_together(user) and plan.is_open,
        "progress_form": ProgressForm(), "end_form": PlanEndForm()})


@require_POST
@requires(Cap.VIEW_REGISTER)
def plan_progress(request: HttpRequest, plan_id: str) -> HttpResponse:
    _may_record(request, plan_id)
    plan = _plan_or_404(request, plan_id)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.plan_progress_record(actor=actor(request), plan=plan, note=form.cleaned_data["note"])
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Progress recorded.")
    else:
        messages.error(request, "Enter what progress was made")
    return redirect("plan_detail", plan_id=plan.pk)


@requires(Cap.VIEW_REGISTER)
def plan_end(request: HttpRequest, plan_id: str) -> HttpResponse:
    _may_record(request, plan_id)
    plan = _plan_or_404(request, plan_id)
    form = PlanEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_end(actor=actor(request), plan=plan, on=form.cleaned_data["ended_on"],
                              reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{plan.get_kind_display()} ended.")
            return redirect("child_detail", child_id=plan.child_id)
    return render(request, "plans/plan_end.html", {"plan": plan, "child": plan.child, "form": form})


@requires(Cap.VIEW_REGISTER)
def meeting_new(request: HttpRequest, child_id: str) -> HttpResponse:
    """Record a professionals-only meeting, from the child's page, a plan (`?plan=`), or the
    `professionals_meeting` action in the work queue."""
    _may_record(request, child_id)
    child = child_or_404(request, child_id)
    plan_id = request.GET.get("plan") or request.POST.get("plan") or ""
    plan = selectors.plan_get(actor=actor(request), plan_id=plan_id) if plan_id else None
    if plan is not None and plan.child_id != child.pk:
        plan = None
    form = MeetingForm(request.POST if request.method == "POST" else None, users=_professionals())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_hold(
                actor=actor(request), child=child, plan=plan, held_on=data["held_on"],
                question=data["question"], contributions=data["contributions"],
                decisions=data["decisions"], attendee_users=data["attendee_users"],
                others=data["named"],
                actions=[services.ActionIn(w, o, d) for w, o, d in data["actions"]])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Meeting recorded with {meeting.actions.count()} actions.")
            return redirect("meeting_detail", meeting_id=meeting.pk)
    return render(request, "plans/meeting_new.html", {"child": child, "form": form, "plan": plan})


@requires(Cap.VIEW_REGISTER)
def meeting_detail(request: HttpRequest, meeting_id: str) -> HttpResponse:
    user = actor(request)
    meeting = selectors.meeting_get(actor=user, meeting_id=meeting_id)
    if meeting is None:
        raise refused(request, "No such meeting for you", meeting_id)
    audit_record(actor=user, action="view", object_type="professionals_meeting",
                 object_ids=[meeting.pk], child_ids=[meeting.child_id])
    return render(request, "plans/meeting_detail.html", {
        "meeting": meeting, "child": meeting.child, "attendees": list(meeting.attendees.all()),
        "actions": list(meeting.actions.all()), "user": user})


@require_POST
@requires(Cap.VIEW_REGISTER)
def meeting_action_done(request: HttpRequest, action_id: str) -> HttpResponse:
    user = actor(request)
    action = selectors.meeting_action_get(actor=user, action_id=action_id)
    if action is None:
        raise refused(request, "No such action for you", action_id)
    try:
        services.meeting_action_done(actor=user, action=action)
    except NotPermitted as error:
        raise refused(request, str(error), action_id) from None
    messages.success(request, f"Done: {action.what}.")
    return redirect(request.POST.get("next") or "plans_your_actions")


@requires(Cap.VIEW_REGISTER)
def your_actions(request: HttpRequest) -> HttpResponse:
    """A person's open actions from meetings and plans, whatever their role."""
    user = actor(request)
    items = list(selectors.your_work_items(actor=user))
    if items:
        audit_record(actor=user, action="list", object_type="work_item",
                     child_ids=sorted({i.child_id for i in items}, key=str), detail={"list": "plans"})
    return render(request, "plans/your_actions.html", {"items": items, "today": clock.today()})


# -- health ---------------------------------------------------------------------------------


def _health_rows(request: HttpRequest) -> list[HealthShare]:
    return list(selectors.health_children(actor=actor(request)))


@requires(Cap.VIEW_AGENCY_DETAIL_HEALTH)
def health_list(request: HttpRequest) -> HttpResponse:
    """The health team's home-educated children, newest shared first."""
    user = actor(request)
    team = selectors.health_team(user)
    if request.method == "POST" and team is not None:
        count = services.health_share_run(actor=user, how=HealthShare.How.ON_DEMAND, agency=team)
        messages.success(request, f"{count} newly home-educated {'child' if count == 1 else 'children'} "
                                  "added to your list.")
        return redirect("health_list")
    rows = _health_rows(request)
    if rows:
        audit_record(actor=user, action="list", object_type="child", child_ids=[r.child_id for r in rows],
                     detail={"list": "health"})
    return render(request, "plans/health_list.html", {"team": team, "rows": rows, "user": user})


HEALTH_CSV_FIELDS = ("Register reference", "Forename", "Surname", "Date of birth", "Sex",
                     "NHS number", "Postcode", "Shared on")


@requires(Cap.VIEW_AGENCY_DETAIL_HEALTH)
def health_csv(request: HttpRequest) -> HttpResponse:
    """What health needs for the health offer and nothing else: who the child is and where
    (the postcode only, and none for a family whose address is not to be disclosed)."""
    user = actor(request)
    rows = _health_rows(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="home-educated-children-for-health.csv"'
    writer = csv.writer(response)
    writer.writerow(HEALTH_CSV_FIELDS)
    for row in rows:
        c = row.child
        writer.writerow([c.child_ref, c.forename, c.surname, c.date_of_birth or "", c.sex, c.nhs_number,
                         c.postcode if address_visible(user, c) else "Withheld", row.shared_on])
    audit_record(actor=user, action="export", object_type="health_list",
                 child_ids=[r.child_id for r in rows], detail={"rows": len(rows), "format": "csv"})
    return response


@requires(Cap.VIEW_AGENCY_DETAIL_HEALTH)
def health_record_new(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = HealthRecordForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.health_record(
                actor=actor(request), child=child, service=data["service"], offer=data["offer"],
                gp=data["gp"], concern=data["concern"], request_to_ehe=data["request_to_ehe"])
        except NotPermitted as error:
            raise refused(request, str(error), child_id) from None
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            if record.concern or record.gp:
                child_reassess(actor=actor(request), child=child)
            messages.success(request, "Health contact recorded.")
            return redirect("child_detail", child_id=child.pk)
    return render(request, "plans/health_record_new.html", {"child": child, "form": form})


# -- alerts ---------------------------------------------------------------------------------


@requires(Cap.VIEW_REGISTER)
def alert_outcome(request: HttpRequest, alert_id: str) -> HttpResponse:
    """A social worker records what was done about an alert (and so acknowledges it)."""
    user = actor(request)
    alert: Alert | None = alert_get(actor=user, alert_id=alert_id)
    if alert is None:
        raise refused(request, "No such alert for you", alert_id)
    form = AlertOutcomeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_outcome_record(actor=user, alert=alert, outcome=form.cleaned_data["outcome"])
        except DomainError as error:
            form.add_error("outcome", str(error))
        else:
            messages.success(request, f"What was done about the alert for {alert.child.child_ref} "
                                      "is recorded.")
            return redirect("child_detail", child_id=alert.child_id)
    return render(request, "plans/alert_outcome.html", {"alert": alert, "child": alert.child, "form": form})
