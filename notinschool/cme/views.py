"""The missing education pages: open a case (from the child's page or the `cme_enquiries`
action), the case page with its checklist of enquiries, record an enquiry and its answer, change
the primary reason, escalate, and close. A case the person may not open answers 404 through
web.access.refused. Opening and closing change the child's status, so the child is assessed
again at once (workflow.assessment.child_reassess)."""

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.cme import services
from notinschool.cme.forms import (
    NOT_FOUND,
    AnswerForm,
    CaseOpenForm,
    CloseForm,
    EnquiryForm,
    EscalationForm,
    ReasonForm,
)
from notinschool.cme.models import CmeCase, CmeEnquiry
from notinschool.cme.reasons import REASONS, reason_label
from notinschool.cme.selectors import checklist, closure_evidence, cme_case_get, cme_enquiry_get
from notinschool.core.errors import DomainError
from notinschool.people.pages import child_or_404
from notinschool.risk.models import RequiredAction
from notinschool.web.access import actor, refused, requires
from notinschool.workflow.assessment import child_reassess

NOT_FOUND_REFUSAL = ("A child who cannot be found stays on the missing education list: carry on "
                     "the enquiries, and escalate to children's social care or the police if "
                     "the child may be at risk. " + services.REFUSED + ".")


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _case(request: HttpRequest, case_id: str, *, audit: bool = False) -> CmeCase:
    case = cme_case_get(actor=actor(request), case_id=case_id, audit=audit)
    if case is None:
        raise refused(request, "No such missing education case", case_id)
    return case


def _open_case(request: HttpRequest, case_id: str) -> CmeCase | HttpResponse:
    case = _case(request, case_id)
    if not case.is_open:
        messages.info(request, "This case is closed: nothing more can be recorded on it.")
        return redirect("cme_case", case_id=case.pk)
    return case


@requires(Cap.RECORD_CASEWORK)
def cme_case_new(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    existing = CmeCase.objects.filter(child=child, state=CmeCase.State.OPEN).first()
    if existing is not None:
        messages.info(request, "This child already has an open missing education case.")
        return redirect("cme_case", case_id=existing.pk)
    action = None
    action_id = request.GET.get("action") or request.POST.get("action") or ""
    if action_id:
        action = RequiredAction.objects.filter(pk=action_id, child=child).first() \
            if _uuid(action_id) else None
    form = CaseOpenForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            case = services.cme_case_open(
                actor=actor(request), child=child, primary_reason=form.cleaned_data["primary_reason"],
                missing_since=form.cleaned_data["on"], required_action=action)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            child_reassess(actor=actor(request), child=child)
            messages.success(request, f"Missing education case opened for {child.full_name}.")
            return redirect("cme_case", case_id=case.pk)
    return render(request, "cme/case_new.html", {"child": child, "form": form, "action": action})


def _uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


@requires(Cap.VIEW_CASEWORK)
def cme_case(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _case(request, case_id, audit=True)
    return render(request, "cme/case.html", {
        "child": case.child, "case": case, "checklist": checklist(case),
        "escalations": list(case.escalations.select_related("escalated_by")),
        "reason": reason_label(case.primary_reason), "closure_words": services.closure_words(case),
        "chase_days": services.chase_working_days()})


@requires(Cap.RECORD_CASEWORK)
def cme_reason_change(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _open_case(request, case_id)
    if isinstance(case, HttpResponse):
        return case
    form = ReasonForm(_posted(request) or None, initial={"primary_reason": case.primary_reason})
    if request.method == "POST" and form.is_valid():
        try:
            services.cme_case_reason_change(actor=actor(request), case=case,
                                            primary_reason=form.cleaned_data["primary_reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "Primary reason changed to "
                             f"'{REASONS[form.cleaned_data['primary_reason']]}'.")
            return redirect("cme_case", case_id=case.pk)
    return render(request, "cme/reason.html", {"child": case.child, "case": case, "form": form})


@requires(Cap.RECORD_CASEWORK)
def cme_enquiry_new(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _open_case(request, case_id)
    if isinstance(case, HttpResponse):
        return case
    kind = request.GET.get("kind", "")
    form = EnquiryForm(_posted(request) or None,
                       initial={"kind": kind} if kind in CmeEnquiry.Kind.values else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            enquiry = services.cme_enquiry_record(
                actor=actor(request), case=case, kind=data["kind"], asked_whom=data["asked_whom"],
                asked_on=data["on"], method=data["method"], other_authority=data["other_authority"],
                answer=data["answer"], answered_on=data["answered_on"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            chased = "" if enquiry.answered else (
                f" It is chased in the work queue if there is no answer in "
                f"{services.chase_working_days()} working days.")
            messages.success(request, f"Enquiry of {enquiry.asked_whom} recorded.{chased}")
            return redirect("cme_case", case_id=case.pk)
    return render(request, "cme/enquiry_new.html", {"child": case.child, "case": case, "form": form})


@requires(Cap.RECORD_CASEWORK)
def cme_enquiry_answer(request: HttpRequest, enquiry_id: str) -> HttpResponse:
    enquiry = cme_enquiry_get(actor=actor(request), enquiry_id=enquiry_id)
    if enquiry is None:
        raise refused(request, "No such enquiry", enquiry_id)
    case = _open_case(request, str(enquiry.case_id))
    if isinstance(case, HttpResponse):
        return case
    form = AnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.cme_enquiry_answer(actor=actor(request), enquiry=enquiry,
                                        answer=form.cleaned_data["answer"],
                                        answered_on=form.cleaned_data["on"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Answer from {enquiry.asked_whom} recorded.")
            return redirect("cme_case", case_id=case.pk)
    return render(request, "cme/answer.html",
                  {"child": case.child, "case": case, "enquiry": enquiry, "form": form})


@requires(Cap.RECORD_CASEWORK)
def cme_escalate(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _open_case(request, case_id)
    if isinstance(case, HttpResponse):
        return case
    form = EscalationForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            escalation = services.cme_escalate(actor=actor(request), case=case, to=data["to"],
                                               reason=data["reason"], on=data["on"],
                                               reference=data["reference"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Escalation to {escalation.get_to_display().lower()} recorded.")
            return redirect("cme_case", case_id=case.pk)
    return render(request, "cme/escalate.html", {"child": case.child, "case": case, "form": form})


@requires(Cap.RECORD_CASEWORK)
def cme_case_close(request: HttpRequest, case_id: str) -> HttpResponse:
    case = _open_case(request, case_id)
    if isinstance(case, HttpResponse):
        return case
    judgements, contacts = closure_evidence(case)
    form = CloseForm(_posted(request), judgements=judgements, contacts=contacts)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["closure"] == NOT_FOUND:
            form.add_error("closure", NOT_FOUND_REFUSAL)
        else:
            try:
                closed = services.cme_case_close(
                    actor=actor(request), case=case, closure=data["closure"],
                    school_urn=data["school_urn"], school_name=data["school_name"],
                    effective_on=data["on"], receiving_authority=data["receiving_authority"],
                    confirmed_by=data["confirmed_by"], country=data["country"],
                    evidence=data["evidence"], **form.chosen())
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                child_reassess(actor=actor(request), child=case.child)
                messages.success(request, "Missing education case closed: "
                                 f"{services.closure_words(closed)}.")
                return redirect("cme_case", case_id=case.pk)
    return render(request, "cme/close.html", {
        "child": case.child, "case": case, "form": form, "rules": services.CLOSURE_RULES,
        "has_evidence_records": bool(judgements or contacts)})
