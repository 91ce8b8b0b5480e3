"""The public pages: information for families and young people, a parent's online
registration, telling the authority of a change and a child's own views with a letter's code,
and the administrator's page for the pages' words.

Anyone may open them (`web.access.public`); nothing on them shows whether a child is known.
Each form is a GOV.UK question page; the registration keeps its answers in the session until
the check-your-answers page sends them through the same import as a file
(`workflow.doors.form_import`), so the child is matched, linked and assessed like any other."""

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any
from uuid import UUID

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, InvalidInput
from notinschool.intake.models import QueuedImport
from notinschool.public import forms as f
from notinschool.public import limits, services
from notinschool.public.markup import contact_values
from notinschool.public.markup import render as render_markup
from notinschool.public.models import PageText
from notinschool.web.access import actor, public, requires
from notinschool.web.forms import GovukForm
from notinschool.workflow.doors import form_import

POST_MAX_BYTES = 64 * 1024  # a page's answers are a few kilobytes; more is not a person typing
CODE_MINUTES = 30  # how long a code, once checked, is good for the next page
ANSWERS = "public_registration"
DONE = "public_done"
CODE = "public_code"
SEXES = {"F": "Female", "M": "Male", "U": "Prefer not to say"}


def _too_big(request: HttpRequest) -> HttpResponse | None:
    if request.method == "POST" and int(request.META.get("CONTENT_LENGTH") or 0) > POST_MAX_BYTES:
        return render(request, "public/too_big.html", {"page_title": "Your answers are too long"}, status=413)
    return None


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, template, {"contact": contact_values(), **context}, status=status)


# -- information pages ------------------------------------------------------------------------

@public
def index(request: HttpRequest) -> HttpResponse:
    return _page(request, "public/index.html", {"pages": services.page_texts()})


@public
def info_page(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = services.page_text_get(slug)
    except PageText.DoesNotExist:
        raise Http404("No such page") from None
    others = [p for p in services.page_texts() if p.slug != slug]
    return _page(request, "public/info_page.html", {"page": page, "body": render_markup(page.body),
                                                     "others": others})


def page_url(slug: str) -> str:
    return reverse("public_page_" + slug.replace("-", "_"))


# -- the administrator's page for the words ---------------------------------------------------

@requires(Cap.EDIT_PUBLIC_PAGES)
def page_list(request: HttpRequest) -> HttpResponse:
    pages = [(p, page_url(p.slug)) for p in services.page_texts()]
    return render(request, "public/admin/page_list.html", {"pages": pages})


@requires(Cap.EDIT_PUBLIC_PAGES)
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    try:
        page = services.page_text_get(slug)
    except PageText.DoesNotExist:
        raise Http404("No such page") from None
    form = PageTextForm(request.POST or None, initial={"title": page.title, "summary": page.summary,
                                                      "body": page.body, "version": page.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.page_text_save(actor=actor(request), slug=slug, title=data["title"],
                                    summary=data["summary"], body=data["body"], version=data["version"])
        except DomainError as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, f"‘{data['title']}’ saved. The page shows the new words now.")
            return redirect("public_page_list")
    versions = page.versions.select_related("created_by")[:10] if page.pk and not page._state.adding else []
    return render(request, "public/admin/page_edit.html", {
        "page": page, "form": form, "versions": versions, "view_url": page_url(slug),
        "preview": render_markup(form["body"].value() or page.body)})


class PageTextForm(GovukForm):
    title = forms.CharField(max_length=120, error_messages={"required": "Enter the page's title"})
    summary = forms.CharField(max_length=300, required=False)
    body = forms.CharField(max_length=50_000, error_messages={"required": "Enter the page's words"})
    version = forms.IntegerField(widget=forms.HiddenInput)


# -- a parent's registration ------------------------------------------------------------------

STEPS: list[tuple[str, type[f.PublicForm], str]] = [
    ("child", f.ChildForm, "About your child"),
    ("address", f.AddressForm, "Where your child lives"),
    ("parents", f.ParentsForm, "Your child's parents"),
    ("education", f.EducationForm, "Your child's education"),
]


def _answers(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(ANSWERS) or {})


def _next_missing(answers: dict[str, Any]) -> str | None:
    return next((step for step, _, _ in STEPS if step not in answers), None)


@public
def register_start(request: HttpRequest) -> HttpResponse:
    return _page(request, "public/register/start.html", {})


def _step(step: str) -> Callable[[HttpRequest], HttpResponse]:
    index = [s for s, _, _ in STEPS].index(step)
    form_class, heading = STEPS[index][1], STEPS[index][2]

    @public
    def view(request: HttpRequest) -> HttpResponse:
        if (refused := _too_big(request)) is not None:
            return refused
        answers = _answers(request)
        missing = _next_missing(answers)
        if missing is not None and [s for s, _, _ in STEPS].index(missing) < index:
            return redirect(f"public_register_{missing}")
        stored = answers.get(step, {})
        form = form_class(request.POST if request.method == "POST" else None, initial=stored.get("raw", {}))
        if request.method == "POST" and form.is_valid():
            raw = {k: v for k, v in request.POST.items() if k not in ("csrfmiddlewaretoken", "website")}
            answers[step] = {"raw": raw, "clean": _storable(form.cleaned_data)}
            request.session[ANSWERS] = answers
            following = _next_missing(answers)
            if request.GET.get("change") or following is None:
                return redirect("public_register_check")
            return redirect(f"public_register_{following}")
        back = reverse(f"public_register_{STEPS[index - 1][0]}" if index else "public_register_start")
        return _page(request, f"public/register/{step}.html", {
            "form": form, "page_title": heading, "back": back, "step": index + 1, "steps": len(STEPS),
            "reasons": f.REASONS, "provider_rows": range(1, f.PROVIDER_ROWS + 1)})

    view.__name__ = f"register_{step}"
    return view


def _storable(cleaned: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in cleaned.items()
            if k != "website" and not k.endswith(("_day", "_month", "_year"))}


register_child = _step("child")
register_address = _step("address")
register_parents = _step("parents")
register_education = _step("education")


def registration_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The steps' answers as one registration (`services.registration_cells` reads it)."""
    merged: dict[str, Any] = {}
    for step, _, _ in STEPS:
        merged |= answers[step]["clean"]
    parents = merged.get("parents", [])
    merged["confirmation_email"] = merged.get("confirmation_email") or next(
        (p["email"] for p in parents if p.get("email")), "")
    return merged


@public
def register_check(request: HttpRequest) -> HttpResponse:
    if (refused := _too_big(request)) is not None:
        return refused
    stored = _answers(request)
    missing = _next_missing(stored)
    if missing is not None:
        if request.method == "POST" and request.session.get(DONE):
            return redirect("public_register_done")  # sent twice (a double click): the first one stands
        return redirect(f"public_register_{missing}")
    answers = registration_answers(stored)
    form = f.ConfirmForm(request.POST if request.method == "POST" else None)
    address = limits.client_address(request)
    if request.method == "POST" and form.is_valid():
        if form.is_robot:
            return _robot(request, "registration", address)
        if limits.limit_count("submit_per_address", address):
            _audit_refused("public_registration", "too many from this address", address)
            form.add_error(None, "You have sent a lot of registrations from this connection. Wait an "
                                 f"hour and try again, or phone us on {settings.NOTINSCHOOL_TEAM_PHONE}")
        else:
            reference = _register(answers, address, form)
            if reference:
                request.session.pop(ANSWERS, None)
                request.session[DONE] = {"reference": reference,
                                         "email": answers.get("confirmation_email", "")}
                return redirect("public_register_done")
    return _page(request, "public/register/check.html", {
        "form": form, "a": answers, "page_title": "Check your answers before sending",
        "born": _day(answers.get("date_of_birth")), "moved": _day(answers.get("moved_in_date")),
        "reason_label": dict(f.REASONS).get(answers.get("reason", ""), "Not given"),
        "sex_label": SEXES.get(answers.get("sex", ""), "Not given")})


def _day(iso: str | None) -> dt.date | None:
    return dt.date.fromisoformat(iso) if iso else None


def _register(answers: dict[str, Any], address: str, form: f.ConfirmForm) -> str:
    """Takes the registration in (or recognises it as sent before); its reference, or '' with
    the problem on the form."""
    print_ = services.fingerprint("registration", {k: v for k, v in answers.items()
                                                    if k != "confirmation_email"})
    earlier = services.duplicate_of("registration", print_)
    if earlier is not None:
        _audit_refused("public_registration", "the same answers were sent before", address,
                       reference=earlier.reference)
        return earlier.reference
    cells = services.registration_cells(answers, on=clock.today())
    try:
        result, child_id = form_import(actor=services.public_actor("registration"),
                                       kind="parent-registrations", values=cells)
    except InvalidInput as error:
        for problem in error.problems[:5]:
            form.add_error(None, f"We could not take in your answers ({problem.column.replace('_', ' ')}: "
                                 f"{problem.message}). Change the answer and send it again")
        return ""
    batch_id = None if isinstance(result, QueuedImport) else result.batch_id
    submission = services.registration_record(answers=answers, print_=print_, child_id=child_id,
                                              batch_id=batch_id, address=address)
    return submission.reference


def _audit_refused(object_type: str, why: str, address: str, **detail: Any) -> None:
    audit_record(actor=services.public_actor(object_type.removeprefix("public_")), action="refuse",
                 object_type=object_type, detail={"refused": why, "address": address, **detail})


def _robot(request: HttpRequest, what: str, address: str) -> HttpResponse:
    """A form with the hidden field filled: thrown away, answered as if taken (the robot learns
    nothing), and audited."""
    _audit_refused(f"public_{what}", "the hidden field was filled in (a robot)", address)
    request.session.pop(ANSWERS, None)
    request.session[DONE] = {"reference": "R" + "".join(secrets.choice(services.REFERENCE_ALPHABET)
                                                        for _ in range(7)), "email": ""}
    return redirect("public_register_done")


@public
def register_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get(DONE)
    if not done:
        return redirect("public_register_start")
    return _page(request, "public/register/done.html", {"page_title": "Registration sent", "done": done})


# -- a letter's code: a change, or a child's views ---------------------------------------------

PURPOSES = {
    "change": {"title": "Tell us about a change", "next": "public_change_details",
               "template": "public/code/change_code.html"},
    "child_views": {"title": "Tell us what you think", "next": "public_views_write",
                    "template": "public/code/views_code.html"},
}


def _code_page(request: HttpRequest, purpose: str) -> HttpResponse:
    if (refused := _too_big(request)) is not None:
        return refused
    form = f.CodeForm(request.POST if request.method == "POST" else None)
    address = limits.client_address(request)
    if request.method == "POST" and form.is_valid():
        if form.is_robot:
            _audit_refused("access_code", "the hidden field was filled in (a robot)", address)
            form.add_error("code", _wrong_code())
        else:
            try:
                accepted = services.code_check(typed=form.cleaned_data["code"],
                                               date_of_birth=form.cleaned_data["date_of_birth"],
                                               address=address, purpose=purpose)
            except services.CodeRefused as refusal:
                form.add_error("code", _too_many() if refusal.limited else _wrong_code())
            else:
                request.session[CODE] = {"purpose": purpose, "code_id": str(accepted.code_id),
                                         "child_id": str(accepted.child_id),
                                         "first_name": accepted.first_name, "at": clock.now().isoformat()}
                return redirect(PURPOSES[purpose]["next"])
    return _page(request, PURPOSES[purpose]["template"], {"form": form,
                                                          "page_title": PURPOSES[purpose]["title"]})


def _wrong_code() -> str:
    return ("The code or the date of birth is not right, or the code has been used or has expired. "
            f"Check the letter, or phone us on {settings.NOTINSCHOOL_TEAM_PHONE}")


def _too_many() -> str:
    return ("There have been too many tries. Wait an hour and try again, or phone us on "
            f"{settings.NOTINSCHOOL_TEAM_PHONE}")


def _accepted(request: HttpRequest, purpose: str) -> services.CodeAccepted | None:
    held = request.session.get(CODE)
    if not held or held.get("purpose") != purpose:
        return None
    if clock.now() - dt.datetime.fromisoformat(held["at"]) > dt.timedelta(minutes=CODE_MINUTES):
        return None
    return services.CodeAccepted(UUID(held["code_id"]), UUID(held["child_id"]), held["first_name"])


@public
def change_code(request: HttpRequest) -> HttpResponse:
    return _code_page(request, "change")


def _after_a_code(request: HttpRequest, purpose: str, *, form_class: type[forms.Form], audit_as: str,
                  save: Callable[[services.CodeAccepted, Any, str], tuple[str, object]],
                  template: str, title: str) -> HttpResponse:
    """A form behind a letter's code (`purpose`): back to the code page when no code is held
    or it has lapsed; a robot's post refused and audited; `save(accepted, cleaned_data,
    address)` records it and gives the session key and value of the thank-you page; a code
    refused meanwhile (withdrawn, used up) is said in the error summary. The code is used once."""
    if (refused := _too_big(request)) is not None:
        return refused
    code_page, done_page = f"public_{_ROUTES[purpose]}_code", f"public_{_ROUTES[purpose]}_done"
    accepted = _accepted(request, purpose)
    if accepted is None:
        return redirect(code_page)
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address = limits.client_address(request)
        if getattr(form, "is_robot", False):
            _audit_refused(audit_as, "the hidden field was filled in (a robot)", address)
            request.session.pop(CODE, None)
            return redirect(code_page)
        try:
            key, value = save(accepted, form.cleaned_data, address)
        except services.CodeRefused:
            request.session.pop(CODE, None)
            form.add_error(None, _wrong_code())
        else:
            request.session.pop(CODE, None)
            request.session[key] = value
            return redirect(done_page)
    return _page(request, template, {"form": form, "page_title": title.format(name=accepted.first_name)})


_ROUTES = {"change": "change", "child_views": "views"}


def _change_save(accepted: services.CodeAccepted, data: Any, address: str) -> tuple[str, object]:
    details = {k: (data.get(k) or "").strip() for k in (
        "new_address", "moved_on", "education", "providers", "your_name", "your_phone_or_email")}
    submission = services.change_record(accepted=accepted, topics=list(data["topics"]),
                                        details=details, address=address)
    return "public_change_done", submission.reference


@public
def change_details(request: HttpRequest) -> HttpResponse:
    return _after_a_code(request, "change", form_class=f.ChangeForm, audit_as="public_change",
                         save=_change_save, template="public/code/change_details.html",
                         title="What has changed for {name}?")


@public
def change_done(request: HttpRequest) -> HttpResponse:
    reference = request.session.get("public_change_done")
    if not reference:
        return redirect("public_change_code")
    return _page(request, "public/code/change_done.html", {"page_title": "Thank you: we have your message",
                                                           "reference": reference})


@public
def views_code(request: HttpRequest) -> HttpResponse:
    return _code_page(request, "child_views")


def _views_save(accepted: services.CodeAccepted, data: Any, address: str) -> tuple[str, object]:
    submission = services.child_views_record(accepted=accepted, words=data["words"].strip(),
                                             wants_to_talk="yes" in data["talk"], address=address)
    return "public_views_done", {"reference": submission.reference, "worrying": submission.worrying}


@public
def views_write(request: HttpRequest) -> HttpResponse:
    return _after_a_code(request, "child_views", form_class=f.ViewsForm, audit_as="public_child_views",
                         save=_views_save, template="public/code/views_write.html",
                         title="{name}, what do you want to tell us?")


@public
def views_done(request: HttpRequest) -> HttpResponse:
    done = request.session.get("public_views_done")
    if not done:
        return redirect("public_views_code")
    return _page(request, "public/code/views_done.html", {"page_title": "Thank you for telling us",
                                                          "done": done})

