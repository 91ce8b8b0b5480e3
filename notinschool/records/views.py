"""The records pages. Subject access: the list of requests, a new request (from the child's
reference, without opening the record), the review of the held items one by one, the release,
and the family's files. Legal holds: the list, setting one and lifting one."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.records import holds, subject_access
from notinschool.records.forms import DecisionForm, HoldForm, LiftForm, RequestForm
from notinschool.records.models import LegalHold, SubjectAccessItem, SubjectAccessRequest
from notinschool.web.access import actor, requires


@requires(Cap.SUBJECT_ACCESS)
def request_list(request: HttpRequest) -> HttpResponse:
    requests = subject_access.requests_for(actor(request))
    return render(request, "records/request_list.html", {"requests": requests})


@requires(Cap.SUBJECT_ACCESS)
def request_new(request: HttpRequest) -> HttpResponse:
    form = RequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            child = subject_access.subject_find(actor=actor(request), child_ref=data["child_ref"])
        except DomainError as error:
            form.add_error("child_ref", str(error))
        else:
            try:
                made = subject_access.subject_access_create(
                    actor=actor(request), child=child,
                    parent_name=data["parent_name"] if data["subject"] == "parent" else "",
                    requester_name=data["requester_name"], purpose=data["purpose"],
                    received_date=data["received_date"])
            except DomainError as error:
                form.add_error("parent_name" if "parent" in str(error) else None, str(error))
            else:
                held = made.items.exclude(held_because="").count()
                messages.success(request, f"The bundle is gathered: {made.items.count()} items, "
                                          f"{held} held for your decision.")
                return redirect("subject_access_review", request_id=made.pk)
    return render(request, "records/request_new.html", {"form": form, "today": clock.today()})


def _request(request_id: uuid.UUID) -> SubjectAccessRequest:
    return get_object_or_404(SubjectAccessRequest.objects.select_related("child"), pk=request_id)


@requires(Cap.SUBJECT_ACCESS)
def request_review(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    sar = _request(request_id)
    items = list(sar.items.all())
    held = [i for i in items if i.held]
    return render(request, "records/request_review.html", {
        "sar": sar, "held": held, "released_as_is": [i for i in items if not i.held],
        "undecided": sum(1 for i in held if not i.decision)})


@requires(Cap.SUBJECT_ACCESS)
def item_decision(request: HttpRequest, request_id: uuid.UUID, item_id: uuid.UUID) -> HttpResponse:
    sar = _request(request_id)
    item = get_object_or_404(SubjectAccessItem, pk=item_id, request=sar)
    if not item.held:
        raise Http404("this item is not held")
    initial = {"decision": item.decision, "reason": item.decision_reason}
    form = DecisionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            subject_access.item_decide(actor=actor(request), item=item,
                                       release=form.cleaned_data["decision"] == "release",
                                       reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Decision saved: {item.title}.")
            return redirect(reverse("subject_access_review", args=[sar.pk]) + "#held")
    return render(request, "records/item_decision.html", {"sar": sar, "item": item, "form": form})


@requires(Cap.SUBJECT_ACCESS)
def request_release(request: HttpRequest, request_id: uuid.UUID) -> HttpResponse:
    sar = _request(request_id)
    if request.method != "POST":
        return redirect("subject_access_review", request_id=sar.pk)
    try:
        subject_access.subject_access_release(actor=actor(request), request=sar)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The bundle is released: download the PDF for the family and "
                                  "the JSON file.")
    return redirect("subject_access_review", request_id=sar.pk)


@requires(Cap.SUBJECT_ACCESS)
def bundle_file(request: HttpRequest, request_id: uuid.UUID, kind: str) -> HttpResponse:
    if kind not in ("pdf", "json"):
        raise Http404("no such file")
    sar = _request(request_id)
    try:
        content = subject_access.bundle_download(actor=actor(request), request=sar, kind=kind)
    except DomainError as error:
        raise Http404(str(error)) from error
    response = HttpResponse(content, content_type="application/pdf" if kind == "pdf" else "application/json")
    response["Content-Disposition"] = f'attachment; filename="subject-access-{sar.child.child_ref}.{kind}"'
    return response


@requires(Cap.LEGAL_HOLD)
def hold_list(request: HttpRequest) -> HttpResponse:
    form = HoldForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            child = holds.hold_child_find(actor=actor(request), child_ref=form.cleaned_data["child_ref"])
            holds.legal_hold_set(actor=actor(request), child=child, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("child_ref", str(error))
        else:
            messages.success(request, f"Legal hold set on {child.child_ref}: the retention job keeps "
                                      "the record.")
            return redirect("legal_hold_list")
    return render(request, "records/hold_list.html", {
        "form": form, "holds": LegalHold.objects.select_related("child")[:500]})


@requires(Cap.LEGAL_HOLD)
def hold_lift(request: HttpRequest, hold_id: uuid.UUID) -> HttpResponse:
    hold = get_object_or_404(LegalHold.objects.select_related("child"), pk=hold_id, lifted_at=None)
    form = LiftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        holds.legal_hold_lift(actor=actor(request), hold=hold, reason=form.cleaned_data["reason"])
        messages.success(request, f"Legal hold on {hold.child.child_ref} lifted.")
        return redirect("legal_hold_list")
    return render(request, "records/hold_lift.html", {"hold": hold, "form": form})
