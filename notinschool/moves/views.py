"""The moves pages: record a move out from the child's page (the handover produced), the
handover's page (its PDF and JSON file, how it was sent, the acknowledgement), and the two
forms that record those. A move in comes through the upload page like any file (kind
`handover`)."""

import json
import uuid

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError
from notinschool.moves.forms import AcknowledgedForm, HandoverForm, SentForm, today_parts
from notinschool.moves.models import Handover
from notinschool.moves.pdf import handover_pdf
from notinschool.moves.selectors import handover_get
from notinschool.moves.services import (
    HandoverProblem,
    chase_working_days,
    handover_acknowledge,
    handover_create,
    handover_sent_record,
)
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, refused, requires
from notinschool.web.forms import GovukForm
from notinschool.workflow.assessment import child_reassess


def _problem(form: GovukForm, error: DomainError) -> None:
    field = error.field if isinstance(error, HandoverProblem) and error.field in form.fields else None
    form.add_error(field, str(error))


def _handover(request: HttpRequest, handover_id: uuid.UUID) -> Handover:
    found = handover_get(actor=actor(request), handover_id=handover_id)
    if found is None:
        raise refused(request, "No such handover", handover_id)
    child_or_404(request, found.child_id)  # the child's own scope check and audit
    return found


@requires(Cap.RECORD_CASEWORK)
def handover_new(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = HandoverForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = handover_create(
                actor=actor(request), child=child, to_authority=data["to_authority"],
                to_la_code=data["to_la_code"], moved_on=data["moved_on"],
                new_line_1=data["new_line_1"], new_line_2=data["new_line_2"],
                new_town=data["new_town"], new_postcode=data["new_postcode"])
        except DomainError as error:
            _problem(form, error)
        else:
            messages.success(request, f"Handover to {handover.to_authority} produced. Download "
                                      f"it, send it, then record how it was sent.")
            return redirect("handover_detail", handover_id=handover.pk)
    return render(request, "moves/handover_new.html", {"child": child, "form": form})


@requires(Cap.VIEW_CASEWORK)
def handover_detail(request: HttpRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = _handover(request, handover_id)
    return render(request, "moves/handover_detail.html", {
        "child": handover.child, "handover": handover, "doc": handover.document,
        "chase_days": chase_working_days(),
        "can_record": actor(request).can(Cap.RECORD_CASEWORK)})


def _download(request: HttpRequest, handover: Handover, what: str) -> None:
    audit_record(actor=actor(request), action="download", object_type="handover",
                 object_ids=[handover.pk], child_ids=[handover.child_id], detail={"file": what})


def _file_name(handover: Handover, suffix: str) -> str:
    return f"handover-{handover.child.child_ref}-{handover.produced_on.isoformat()}.{suffix}"


@requires(Cap.VIEW_CASEWORK)
def handover_pdf_download(request: HttpRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = _handover(request, handover_id)
    officer = handover.created_by
    name = (officer.get_full_name() or officer.get_username()) if officer else ""
    content = handover_pdf(handover.document, officer_name=name)
    _download(request, handover, "pdf")
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(handover, "pdf")}"'
    return response


@requires(Cap.VIEW_CASEWORK)
def handover_json_download(request: HttpRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = _handover(request, handover_id)
    _download(request, handover, "json")
    content = json.dumps(handover.document, indent=2, ensure_ascii=False) + "\n"
    response = HttpResponse(content.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(handover, "json")}"'
    return response


@requires(Cap.RECORD_CASEWORK)
def handover_sent(request: HttpRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = _handover(request, handover_id)
    posted = request.method == "POST"
    form = SentForm(request.POST if posted else None,
                    initial=today_parts(clock.today(), "sent_on"))
    if posted and form.is_valid():
        try:
            handover_sent_record(actor=actor(request), handover=handover,
                                 method=form.cleaned_data["method"],
                                 sent_on=form.cleaned_data["sent_on"])
        except DomainError as error:
            _problem(form, error)
        else:
            messages.success(request, f"Recorded as sent to {handover.to_authority}. It is in the "
                                      f"work queue until they acknowledge receipt.")
            return redirect("handover_detail", handover_id=handover.pk)
    return render(request, "moves/handover_sent.html",
                  {"child": handover.child, "handover": handover, "form": form})


@requires(Cap.RECORD_CASEWORK)
def handover_acknowledged(request: HttpRequest, handover_id: uuid.UUID) -> HttpResponse:
    handover = _handover(request, handover_id)
    posted = request.method == "POST"
    form = AcknowledgedForm(request.POST if posted else None,
                            initial=today_parts(clock.today(), "acknowledged_on"))
    if posted and form.is_valid():
        try:
            handover_acknowledge(actor=actor(request), handover=handover,
                                 acknowledged_by=form.cleaned_data["acknowledged_by"],
                                 acknowledged_on=form.cleaned_data["acknowledged_on"])
        except DomainError as error:
            _problem(form, error)
        else:
            child = handover.child
            child_reassess(actor=actor(request), child=child)
            messages.success(request, f"Receipt acknowledged: {child.full_name}'s record is "
                                      f"closed as {child.get_status_display().lower()}.")
            return redirect(reverse("child_detail", kwargs={"child_id": child.pk}) + "#moves")
    return render(request, "moves/handover_acknowledged.html",
                  {"child": handover.child, "handover": handover, "form": form})
