"""The intake pages. Sending files (/imports/) and recording a notification by hand
(/notifications/new/): both go through the one import door (`workflow.doors`), as the command
line and the API do. Splitting a wrong merge from the child's page (/children/<id>/split/): an
officer moves the notifications that were about another child to a new record
(`workflow.split`: `intake.split`, then both records rebuilt, linked and assessed)."""

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError, InputProblem, InvalidInput, NotPermitted
from notinschool.intake.forms import (
    NotificationForm,
    SplitForm,
    UploadForm,
    form_kinds,
    kind_labels,
    label_for,
)
from notinschool.intake.kinds import import_kinds_for
from notinschool.intake.models import Notification, QueuedImport
from notinschool.intake.selectors import import_batch_get, import_batch_list
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, refused, requires
from notinschool.workflow.doors import (
    SnapshotRefused,
    form_import,
    upload_import,
    upload_limit_bytes,
)
from notinschool.workflow.imports import ImportsBusy
from notinschool.workflow.queue import queued_import_get, queued_position
from notinschool.workflow.split import child_split

MAX_SHOWN = 50


@requires(Cap.IMPORT_FILES)
def imports(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    kinds = import_kinds_for(actor=user, agency=user.agency)
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None,
                      kinds=kinds, max_bytes=upload_limit_bytes())
    problems: list[InputProblem] = []
    confirm_large_end: SnapshotRefused | None = None  # a snapshot the officer may confirm
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = upload_import(actor=user, agency=user.agency, kind=data["kind"], upload=data["file"],
                                   channel="upload", source=data["source"], snapshot=data["snapshot"],
                                   allow_large_end=data["allow_large_end"])
        except InvalidInput as error:
            problems = error.problems
            if isinstance(error, SnapshotRefused) and error.confirmable:
                confirm_large_end = error
        except NotPermitted as error:
            form.add_error("kind", str(error))
        except ImportsBusy as error:
            form.add_error("file", str(error))
        except IntegrityError:  # imports are serialised; should one still clash, say so
            form.add_error("file", "Another import changed the same records at the same time: "
                                   "nothing was imported. Select the file and send it again")
        else:
            if isinstance(result, QueuedImport):
                return redirect("import_queued", queued_id=result.pk)
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect(reverse("import_detail", kwargs={"batch_id": result.batch_id}) + "?sent=1")
    return render(request, "intake/imports.html", {
        "form": form, "problems": problems[:MAX_SHOWN], "problem_count": len(problems),
        "confirm_large_end": confirm_large_end,
        "batches": import_batch_list(actor=user), "kind_labels": kind_labels(),
        "max_mb": upload_limit_bytes() // 2**20, "can_record": user.can(Cap.EDIT_REGISTER)})


@requires(Cap.IMPORT_FILES)
def import_detail(request: HttpRequest, batch_id: str) -> HttpResponse:
    try:
        batch = import_batch_get(actor=actor(request), batch_id=batch_id)
    except NotPermitted:
        raise refused(request, "No such import for you", batch_id) from None
    return render(request, "intake/import.html", {"batch": batch, "kind_labels": kind_labels()})


@requires(Cap.IMPORT_FILES)
def import_queued(request: HttpRequest, queued_id: str) -> HttpResponse:
    """A file that waited for another import: its place in the queue (the page looks again
    every few seconds), then where it went in, or why it could not."""
    try:
        item = queued_import_get(actor=actor(request), queued_id=queued_id)
    except NotPermitted:
        raise refused(request, "No such queued file for you", queued_id) from None
    if item.state == QueuedImport.State.DONE and item.batch_id is not None:
        if item.message:
            messages.warning(request, item.message)
        return redirect(reverse("import_detail", kwargs={"batch_id": item.batch_id}) + "?sent=1")
    problems = [InputProblem(**p) for p in item.problems]
    return render(request, "intake/import_queued.html", {
        "item": item, "position": queued_position(item), "problems": problems[:MAX_SHOWN],
        "problem_count": len(problems), "kind_labels": kind_labels()})


@requires(Cap.EDIT_REGISTER)
def notification_kinds(request: HttpRequest) -> HttpResponse:
    return render(request, "intake/notification_kinds.html", {"kinds": form_kinds()})


@requires(Cap.EDIT_REGISTER)
def notification_new(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in form_kinds():
        raise Http404("No such kind of notification")
    import_kind, heading = form_kinds()[kind]
    form = NotificationForm(request.POST if request.method == "POST" else None, kind=import_kind)
    if request.method == "POST" and form.is_valid():
        try:
            result, child_id = form_import(actor=actor(request), kind=import_kind, values=form.cells())
        except InvalidInput as error:
            for problem in error.problems:
                form.add_problem(problem.column, problem.message)
        except ImportsBusy as error:
            form.add_error(None, str(error))
        else:
            if isinstance(result, QueuedImport):
                return redirect("import_queued", queued_id=result.pk)
            if result.rows_new == 0:
                messages.info(request, "This notification had already been recorded: nothing changed.")
            else:
                messages.success(request, f"{heading.removeprefix('Record a ').capitalize()} recorded.")
            if child_id is not None:
                return redirect("child_detail", child_id=child_id)
            return redirect("register")
    return render(request, "intake/notification_new.html", {
        "form": form, "heading": heading, "kind": kind, "form_label": label_for})


# -- splitting a wrong merge ------------------------------------------------------------------

def _label(note: Notification) -> str:
    data = note.data
    who = " ".join(filter(None, (data.get("forename"), data.get("surname"))))
    return (f"{note.kind_label} of {note.event_date:%-d %B %Y}: {who}, "
            f"born {data.get('date_of_birth') or 'not known'}, {data.get('postcode') or 'no postcode'}")


@requires(Cap.EDIT_REGISTER)
def child_split_view(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    notes = list(child.notifications.select_related("batch").order_by("event_date", "created_at"))
    form = SplitForm(request.POST or None, choices=[(str(n.pk), _label(n)) for n in notes])
    if request.method == "POST" and form.is_valid():
        try:
            new = child_split(actor=actor(request), child=child,
                              notification_ids=form.cleaned_data["notifications"],
                              reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("notifications", str(error))
        else:
            messages.success(request, f"The record was split: {new.full_name} is now {new.child_ref}.")
            return redirect("child_detail", child_id=new.pk)
    chosen = set(form["notifications"].value() or []) if form.is_bound else set()
    items = [{"value": value, "text": text, "checked": value in chosen}
             for value, text in form.choices]
    return render(request, "intake/split.html", {"child": child, "form": form, "items": items})
