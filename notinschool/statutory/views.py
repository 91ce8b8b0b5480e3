"""The statutory path's pages: the case page (its steps and the next permitted step), a form
for each step, a manager's approval of a proposed step and the list awaiting approval. Reads
are audited; a case or step outside the person's scope is refused through web.access.refused."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError
from notinschool.people.pages import child_or_404
from notinschool.statutory.forms import NAMES_SCHOOL, SERVED, ApprovalForm, StepForm
from notinschool.statutory.models import StatutoryStep
from notinschool.statutory.selectors import case_get, child_statutory, step_get, steps_awaiting
from notinschool.statutory.services import (
    APPROVE,
    K,
    act_within_days,
    choice_days,
    enquiry_days,
    notice_days,
    step_decide,
    step_take,
)
from notinschool.web.access import actor, refused, requires

S = StatutoryStep


def _posted(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _settings() -> dict[str, int]:
    return {"notice_days": notice_days(), "choice_days": choice_days(), "enquiry_days": enquiry_days(),
            "act_within_days": act_within_days()}


@requires(Cap.VIEW_CASEWORK)
def statutory_case(request: HttpRequest, case_id: str) -> HttpResponse:
    case = case_get(actor=actor(request), case_id=case_id)
    if case is None:
        raise refused(request, "No such statutory case for you", case_id)
    child = child_or_404(request, case.child_id)
    audit_record(actor=actor(request), action="view", object_type="statutory_case", object_ids=[case.pk],
                 child_ids=[child.pk])
    statutory = child_statutory(actor=actor(request), child=child)
    return render(request, "statutory/case.html", {
        "child": child, "case": case, "steps": list(case.steps.select_related("letter", "proposed_by",
                                                                               "approved_by")),
        "statutory": statutory, "K": K, **_settings()})


@requires(Cap.RECORD_CASEWORK)
def statutory_step_new(request: HttpRequest, child_id: str, kind: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    if kind not in K.values:
        raise Http404("No such step")
    form = StepForm(_posted(request), kind=kind)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step = step_take(actor=actor(request), child=child, kind=kind, service=data["service"] or "",
                             outcome=data["outcome"] or "", schools=data["schools"],
                             parent_chose=data["parent_chose"], revoked_by=data["revoked_by"] or "",
                             application_on=data["application_on"], reasons=data["reasons"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            label = K(kind).label
            if step.state == S.State.PROPOSED:
                messages.success(request, f"{label} proposed for {child.full_name}: "
                                 "it awaits a manager's approval.")
            else:
                done = " Its letter is on the child's record." if step.letter_id else ""
                messages.success(request, f"{label} recorded for {child.full_name}.{done}")
            return redirect("statutory_case", case_id=step.case_id)
    return render(request, "statutory/step_new.html", {
        "child": child, "form": form, "kind": kind, "label": K(kind).label, "served": kind in SERVED,
        "names_school": kind in NAMES_SCHOOL, "K": K, "needs_approval": kind in (
            K.PRELIMINARY_NOTICE, K.NOTICE_OF_INTENTION, K.ORDER, K.REVOCATION), **_settings()})


@requires(APPROVE)
def statutory_step_decide(request: HttpRequest, step_id: str) -> HttpResponse:
    step = step_get(actor=actor(request), step_id=step_id)
    if step is None:
        raise refused(request, "No such statutory step for you", step_id)
    child = child_or_404(request, step.case.child_id)
    form = ApprovalForm(_posted(request))
    if request.method == "POST" and step.state == S.State.PROPOSED and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            step_decide(actor=actor(request), step=step, approve=approve,
                        comments=form.cleaned_data["comments"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            done = "approved: it is taken and its letter printed" if approve else "returned to the officer"
            messages.success(request, f"{step.get_kind_display()} for {child.full_name} {done}.")
            return redirect("statutory_case", case_id=step.case_id)
    return render(request, "statutory/decide.html", {"child": child, "step": step, "form": form})


@requires(APPROVE)
def statutory_awaiting(request: HttpRequest) -> HttpResponse:
    steps = steps_awaiting(actor=actor(request))
    audit_record(actor=actor(request), action="list", object_type="statutory_step",
                 object_ids=[s.pk for s in steps], child_ids=[s.case.child_id for s in steps])
    return render(request, "statutory/awaiting.html", {"steps": steps})


