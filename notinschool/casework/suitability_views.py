"""The suitability pages: record a judgement from the child's page, a manager's approval of a
judgement awaiting it, and the list of those awaiting approval. A judgement that takes effect
assesses the child again at once (workflow.assessment.child_reassess), so a preliminary notice
to consider shows on the work queue."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.casework.models import SuitabilityJudgement
from notinschool.casework.suitability import APPROVE, suitability_approve, suitability_record
from notinschool.casework.suitability_forms import ApprovalForm, SuitabilityForm
from notinschool.casework.suitability_selectors import (
    evidence_contacts,
    suitability_awaiting,
    suitability_get,
)
from notinschool.core.errors import DomainError
from notinschool.people.models import Child
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, requires
from notinschool.workflow.assessment import child_reassess


def _posted(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _back(request: HttpRequest, child: Child, effective: bool) -> HttpResponse:
    if effective:
        child_reassess(actor=actor(request), child=child)
    return redirect(reverse("child_detail", kwargs={"child_id": child.pk}) + "#suitability")


@requires(Cap.RECORD_CASEWORK)
def suitability_new(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = SuitabilityForm(_posted(request), contacts=evidence_contacts(child=child))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            j = suitability_record(
                actor=actor(request), child=child, judgement=data["judgement"],
                reasons=data["reasons"], unable_why=data["unable_why"] or "",
                contacts=form.chosen_contacts(), documents=data["documents"],
                child_views=data["child_views"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            done = "is in force" if j.effective else "awaits a manager's approval"
            messages.success(request, f"Suitability judgement recorded for {child.full_name}: it {done}.")
            return _back(request, child, j.effective)
    return render(request, "casework/suitability/new.html", {"child": child, "form": form})


@requires(APPROVE)
def suitability_decide(request: HttpRequest, judgement_id: str) -> HttpResponse:
    found = suitability_get(actor=actor(request), judgement_id=judgement_id)
    if found is None:
        raise Http404("No such judgement")
    child = child_or_404(request, found.child_id)
    form = ApprovalForm(_posted(request))
    if request.method == "POST" and found.state == SuitabilityJudgement.State.AWAITING \
            and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            j = suitability_approve(actor=actor(request), judgement=found, approve=approve,
                                    comments=form.cleaned_data["comments"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            done = "approved: it is in force" if approve else "returned to the officer"
            messages.success(request, f"Suitability judgement for {child.full_name} {done}.")
            return _back(request, child, j.effective)
    return render(request, "casework/suitability/decide.html",
                  {"child": child, "judgement": found, "form": form})


@requires(APPROVE)
def suitability_awaiting_list(request: HttpRequest) -> HttpResponse:
    return render(request, "casework/suitability/awaiting.html",
                  {"judgements": suitability_awaiting(actor=actor(request))})
