"""The letters pages: the authority's templates (list, edit with a preview), sending a letter
from a child's page (choose, preview, send, download) and downloading a letter's PDF."""

import uuid

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.letters.compose import addressed_to, sample_letter, team
from notinschool.letters.forms import ChooseLetterForm, TemplateForm
from notinschool.letters.models import LETTER_KINDS, LetterTemplate
from notinschool.letters.placeholders import placeholder_problems, placeholders_for
from notinschool.letters.rendering import letter_pdf
from notinschool.letters.selectors import letter_for_download, letter_templates
from notinschool.letters.services import TemplateProblems, letter_preview, letter_send, letter_template_save
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, refused, requires
from notinschool.workflow.assessment import child_reassess


def _pdf(content: bytes, name: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


@requires(Cap.EDIT_LETTER_TEMPLATES)
def template_list(request: HttpRequest) -> HttpResponse:
    templates = letter_templates(actor=actor(request)).select_related("modified_by")
    return render(request, "letters/template_list.html", {"templates": templates})


@requires(Cap.EDIT_LETTER_TEMPLATES)
def template_edit(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    template = get_object_or_404(LetterTemplate, pk=template_id)
    initial = {"name": template.name, "subject": template.subject, "body": template.body,
               "version": template.version}
    form = TemplateForm(request.POST if request.method == "POST" else None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if request.POST.get("action") == "preview":
            preview = _preview_or_errors(request, form, template)
        else:
            try:
                letter_template_save(actor=actor(request), template=template, name=data["name"],
                                     subject=data["subject"], body=data["body"], version=data["version"])
            except TemplateProblems as error:
                for key, problems in error.problems.items():
                    for problem in problems:
                        form.add_error(key, problem)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"{data['name']} saved.")
                return redirect("letter_template_list")
    versions = template.versions.select_related("created_by")[:20]
    return render(request, "letters/template_edit.html", {
        "template": template, "form": form, "preview": preview, "versions": versions,
        "placeholders": placeholders_for(template.kind)})


def _preview_or_errors(request: HttpRequest, form: TemplateForm, template: LetterTemplate) -> object:
    data = form.cleaned_data
    problems = {key: found for key in ("subject", "body")
                if (found := placeholder_problems(data[key], template.kind))}
    for key, found in problems.items():
        for problem in found:
            form.add_error(key, problem)
    if problems:
        return None
    return sample_letter(actor=actor(request), on=clock.today(), subject=data["subject"],
                         body=data["body"], kind=template.kind, team=team())


@requires(Cap.EDIT_LETTER_TEMPLATES)
def template_preview_pdf(request: HttpRequest, template_id: uuid.UUID) -> HttpResponse:
    template = get_object_or_404(LetterTemplate, pk=template_id)
    letter = sample_letter(actor=actor(request), on=clock.today(), subject=template.subject,
                           body=template.body, kind=template.kind, team=team())
    return _pdf(letter_pdf(letter, team()), "letter-template-preview.pdf", attachment=False)


@requires(Cap.RECORD_CASEWORK)
def letter_new(request: HttpRequest, child_id: uuid.UUID) -> HttpResponse:
    child = child_or_404(request, child_id)
    templates = letter_templates(actor=actor(request)).filter(kind__in=LETTER_KINDS)
    form = ChooseLetterForm(request.POST if request.method == "POST" else None, templates=templates)
    chosen = None
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["template"]
        if request.POST.get("action") == "send":
            try:
                letter = letter_send(actor=actor(request), child=child, template=chosen)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                child_reassess(actor=actor(request), child=child)  # the next contact follows the letter
                return redirect("letter_sent", child_id=child.pk, letter_id=letter.pk)
    return render(request, "letters/letter_new.html", {"child": child, "form": form, "chosen": chosen,
                                                       "addressed_to": addressed_to(child)})


@requires(Cap.RECORD_CASEWORK)
def letter_preview_pdf(request: HttpRequest, child_id: uuid.UUID, template_id: uuid.UUID) -> HttpResponse:
    child = child_or_404(request, child_id)
    template = get_object_or_404(LetterTemplate, pk=template_id, kind__in=LETTER_KINDS)
    pdf = letter_preview(actor=actor(request), child=child, template=template)
    return _pdf(pdf, f"preview-{child.child_ref}.pdf", attachment=False)


@requires(Cap.RECORD_CASEWORK)
def letter_sent(request: HttpRequest, child_id: uuid.UUID, letter_id: uuid.UUID) -> HttpResponse:
    child = child_or_404(request, child_id)
    letter = child.letters.defer("pdf").filter(pk=letter_id).first()
    if letter is None:
        raise Http404("No such letter")
    return render(request, "letters/letter_sent.html", {"child": child, "letter": letter})


@requires(Cap.VIEW_CASEWORK)
def letter_download(request: HttpRequest, letter_id: uuid.UUID) -> HttpResponse:
    try:
        letter = letter_for_download(actor=actor(request), letter_id=letter_id)
    except NotPermitted:
        raise refused(request, "No such letter", letter_id) from None
    audit_record(actor=actor(request), action="download", object_type="letter", object_ids=[letter.pk],
                 child_ids=[letter.child_id])
    return _pdf(bytes(letter.pdf), f"letter-{letter.child.child_ref}-{letter.sent_on}.pdf", attachment=True)
