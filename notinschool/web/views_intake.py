"""Sending files (/imports/) and recording a notification by hand (/notifications/new/): both
go through the one import service (`intake.doors`), as the command line and the API do."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.core.errors import InputProblem, InvalidInput, NotPermitted
from notinschool.intake.doors import form_import, import_kinds_for, upload_import, upload_limit_bytes
from notinschool.intake.selectors import import_batch_get, import_batch_list
from notinschool.web.access import actor, requires
from notinschool.web.forms_intake import FORM_KINDS, KIND_LABELS, NotificationForm, UploadForm, label_for

MAX_SHOWN = 50


@requires(Cap.IMPORT_FILES)
def imports(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    kinds = import_kinds_for(actor=user, agency=user.agency)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None,
                      kinds=kinds, max_bytes=upload_limit_bytes())
    problems: list[InputProblem] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = upload_import(actor=user, agency=user.agency, kind=data["kind"], upload=data["file"],
                                   channel="upload", source=data["source"], snapshot=data["snapshot"])
        except InvalidInput as error:
            problems = error.problems
        except NotPermitted as error:
            form.add_error("kind", str(error))
        else:
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(reverse("import_detail", kwargs={"batch_id": result.batch_id}) + "?sent=1")
    return render(request, "intake/imports.html", {
        "form": form, "problems": problems[:MAX_SHOWN], "problem_count": len(problems),
        "batches": import_batch_list(actor=user), "kind_labels": KIND_LABELS,
        "max_mb": upload_limit_bytes() // 2**20, "can_record": user.can(Cap.EDIT_REGISTER)})


@requires(Cap.IMPORT_FILES)
def import_detail(request: HttpRequest, batch_id: str) -> HttpResponse:
    try:
        batch = import_batch_get(actor=actor(request), batch_id=batch_id)
    except NotPermitted:
        raise Http404("No such import for you") from None
    return render(request, "intake/import.html", {"batch": batch, "kind_labels": KIND_LABELS})


@requires(Cap.EDIT_REGISTER)
def notification_kinds(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/notification_kinds.html", {"kinds": FORM_KINDS})


@requires(Cap.EDIT_REGISTER)
def notification_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in FORM_KINDS:
        raise Http404("No such kind of notification")
    import_kind, heading = FORM_KINDS[kind]
    form = NotificationForm(request.POST if request.method == "POST" else None, kind=import_kind)
    if request.method == "POST" and form.is_valid():
        try:
            result, child_id = form_import(actor=actor(request), kind=import_kind, values=form.cells())
        except InvalidInput as error:
            for problem in error.problems:
                form.add_problem(problem.column, problem.message)
        else:
            if result.rows_new == 0:
                messages.info(request, "This notification had already been recorded: nothing changed.")
            else:
                messages.success(request, f"{heading.removeprefix('Record a ').capitalize()} recorded.")
            if child_id is not None:
                return redirect("child_detail", child_id=child_id)
            return redirect("register")
    return render(request, "intake/notification_new.html", {
        "form": form, "heading": heading, "kind": kind, "form_label": label_for})
