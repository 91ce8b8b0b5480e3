"""The contacts pages: record a contact, plan a visit, record a planned visit as done or missed.
Each checks `Cap.RECORD_CASEWORK`, opens the child (audited), calls one service of
casework.contacts and goes back to the child's page."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.casework.contact_forms import (
    ContactForm,
    ReplyForm,
    VisitDoneForm,
    VisitMissedForm,
    VisitPlanForm,
)
from notinschool.casework.contact_selectors import contact_get
from notinschool.casework.contacts import (
    WRITTEN,
    contact_record,
    contact_reply_record,
    visit_outcome_record,
    visit_plan,
)
from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.people.models import Child
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, refused, requires
from notinschool.workflow.assessment import child_reassess


def _posted(request: HttpRequest) -> dict | None:
    return request.POST if request.method == "POST" else None


def _back(child_id: object) -> HttpResponse:
    return redirect(reverse("child_detail", kwargs={"child_id": child_id}) + "#contacts")


def _reassessed(request: HttpRequest, child: Child) -> HttpResponse:
    """Back to the child's page once the child is assessed again with the contact (the tier,
    the next contact date and the work queue follow at once)."""
    child_reassess(actor=actor(request), child=child)
    return _back(child.pk)


@requires(Cap.RECORD_CASEWORK)
def contact_new(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = ContactForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contact_record(actor=actor(request), child=child, method=data["method"], on=data["on"],
                           result=form.result(), place=data["place"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Contact recorded for {child.full_name}.")
            return _reassessed(request, child)
    return render(request, "casework/contacts/new.html", {"child": child, "form": form})


@requires(Cap.RECORD_CASEWORK)
def visit_new(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    user = actor(request)
    form = VisitPlanForm(_posted(request), initial={"officer": str(user.pk), "method": "home_visit"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit_plan(actor=user, child=child, on=data["on"], place=data["place"],
                       officer=data["officer_user"], method=data["method"], notes=data["notes"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Visit planned for {child.full_name}.")
            return _back(child.pk)
    return render(request, "casework/contacts/plan.html", {"child": child, "form": form})


def _planned(request: HttpRequest, contact_id: str) -> Contact:
    contact = contact_get(actor=actor(request), contact_id=contact_id)
    if contact is None or not contact.is_visit:
        raise refused(request, "No such visit for you", contact_id)
    child_or_404(request, contact.child_id)  # the view of the child, audited
    return contact


@requires(Cap.RECORD_CASEWORK)
def visit_done(request: HttpRequest, contact_id: str) -> HttpResponse:
    contact = _planned(request, contact_id)
    day = contact.planned_for or clock.today()
    form = VisitDoneForm(_posted(request), initial={
        "on_day": day.day, "on_month": day.month, "on_year": day.year})
    if request.method == "POST" and form.is_valid():
        try:
            visit_outcome_record(actor=actor(request), contact=contact, done=True,
                                 on=form.cleaned_data["on"], result=form.result())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Visit recorded for {contact.child.full_name}.")
            return _reassessed(request, contact.child)
    return render(request, "casework/contacts/done.html", {"contact": contact, "child": contact.child,
                                                             "form": form})


@requires(Cap.RECORD_CASEWORK)
def visit_missed(request: HttpRequest, contact_id: str) -> HttpResponse:
    contact = _planned(request, contact_id)
    form = VisitMissedForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            visit_outcome_record(actor=actor(request), contact=contact, done=False,
                                 missed_reason=form.cleaned_data["reason"],
                                 notes=form.cleaned_data["notes"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Missed visit recorded for {contact.child.full_name}.")
            return _reassessed(request, contact.child)
    return render(request, "casework/contacts/missed.html", {"contact": contact, "child": contact.child,
                                                               "form": form})


@requires(Cap.RECORD_CASEWORK)
def contact_reply(request: HttpRequest, contact_id: str) -> HttpResponse:
    contact = contact_get(actor=actor(request), contact_id=contact_id)
    if contact is None or contact.method not in WRITTEN:
        raise refused(request, "No such letter or email for you", contact_id)
    child_or_404(request, contact.child_id)  # the view of the child, audited
    form = ReplyForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            contact_reply_record(actor=actor(request), contact=contact, result=form.result())
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Reply recorded for {contact.child.full_name}.")
            return _reassessed(request, contact.child)
    return render(request, "casework/contacts/reply.html", {"contact": contact, "child": contact.child,
                                                              "form": form})
