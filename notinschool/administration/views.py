"""The administrator's pages. Each view checks the capability (MANAGE_USERS), calls one
selector or service, and renders or redirects; a refused change shows in the error summary."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from notinschool.accounts.models import Agency, User
from notinschool.accounts.roles import Cap, Role
from notinschool.accounts.sso import sso_configured, sso_links
from notinschool.administration import selectors, services
from notinschool.administration.forms import (
    ROLE_CHOICES,
    ActiveForm,
    AgencyForm,
    InviteForm,
    PersonForm,
    TwoFactorResetForm,
    UnlinkForm,
)
from notinschool.audit.services import audit_record
from notinschool.core.errors import DomainError
from notinschool.web.access import actor, requires
from notinschool.web.pagination import paginate


def _link(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


@requires(Cap.MANAGE_USERS)
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/overview.html", {
        "people": User.objects.filter(is_active=True).count(),
        "agencies": Agency.objects.count(),
        "templates_url": _link("letter_template_list"),
        "public_url": _link("public_page_text_list")})


@requires(Cap.MANAGE_USERS)
def people(request: HttpRequest) -> HttpResponse:
    role = request.GET.get("role", "")
    role = role if role in Role.__members__.values() else ""
    agency_text = request.GET.get("agency", "")
    agency = int(agency_text) if agency_text.isdigit() else None
    active = request.GET.get("active", "")
    page = paginate(selectors.users_list(role=role, agency=agency, active=active), params=request.GET)
    audit_record(actor=actor(request), action="list", object_type="user",
                 object_ids=[u.pk for u in page.rows])
    return render(request, "administration/people.html", {
        "page": page, "roles": ROLE_CHOICES, "agencies": Agency.objects.order_by("name"),
        "chosen": {"role": role, "agency": agency_text, "active": active}})


@requires(Cap.MANAGE_USERS)
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.user_invite(
                actor=actor(request), username=data["username"], first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], role=data["role"],
                agency=form.agency_chosen(), site=request.build_absolute_uri("/").rstrip("/"))
        except DomainError as error:
            form.add_error("username", str(error))
        else:
            messages.success(request, f"{invitation.user.get_full_name()} has been invited: an email with "
                                      f"a link to choose a password went to {invitation.user.email}.")
            return redirect("administration_person", user_id=invitation.user.pk)
    return render(request, "administration/invite.html", {"form": form})


def _person(user_id: int) -> User:
    try:
        return User.objects.select_related("agency").get(pk=user_id)
    except User.DoesNotExist:
        raise Http404("No such person") from None


@requires(Cap.MANAGE_USERS)
def person(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person(user_id)
    initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email,
               "role": user.role, "agency": str(user.agency_id or "")}
    form = PersonForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = services.user_update(
                actor=actor(request), user=user, first_name=data["first_name"],
                last_name=data["last_name"], email=data["email"], role=data["role"],
                agency=form.agency_chosen())
        except DomainError as error:
            form.add_error("role", str(error))
        else:
            messages.success(request, "Saved." if changed else "Nothing was changed.")
            return redirect("administration_person", user_id=user.pk)
    return _person_page(request, user, form=form)


def _person_page(request: HttpRequest, user: User, **forms: object) -> HttpResponse:
    context = {"person": user,
               "has_two_factor": selectors.has_two_factors(user),
               "sso": {"on": sso_configured(), "name": settings.NOTINSCHOOL_OIDC_NAME,
                       "links": sso_links(user), "two_factor": settings.NOTINSCHOOL_OIDC_REQUIRE_TWO_FACTOR},
               "form": PersonForm(initial={"first_name": user.first_name, "last_name": user.last_name,
                                           "email": user.email, "role": user.role,
                                           "agency": str(user.agency_id or "")}),
               "active_form": ActiveForm(), "reset_form": TwoFactorResetForm(),
               "unlink_form": UnlinkForm()} | forms
    audit_record(actor=actor(request), action="view", object_type="user", object_ids=[user.pk])
    errors = [e for f in ("form", "active_form", "reset_form", "unlink_form")
              for e in context[f].error_list()]  # type: ignore[attr-defined]
    return render(request, "administration/person.html", context | {"errors": errors})


@require_POST
@requires(Cap.MANAGE_USERS)
def person_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person(user_id)
    form = ActiveForm(request.POST)
    active = request.POST.get("active") == "yes"
    if form.is_valid():
        try:
            services.user_active_set(actor=actor(request), user=user, active=active,
                                     reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", str(error))
        else:
            name = user.get_full_name() or user.username
            messages.success(request, f"{name} can sign in again." if active
                             else f"{name} can no longer sign in.")
            return redirect("administration_person", user_id=user.pk)
    return _person_page(request, user, active_form=form)


@require_POST
@requires(Cap.MANAGE_USERS)
def person_two_factor_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person(user_id)
    form = TwoFactorResetForm(request.POST)
    if form.is_valid():
        try:
            services.user_two_factor_reset(actor=actor(request), user=user,
                                           password=form.cleaned_data["password"],
                                           reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("password", str(error))
        else:
            messages.success(request, f"{user.get_full_name() or user.username}'s two factors were reset: "
                                      f"they will set up an authenticator app when they next sign in.")
            return redirect("administration_person", user_id=user.pk)
    return _person_page(request, user, reset_form=form)


@require_POST
@requires(Cap.MANAGE_USERS)
def person_sso_unlink(request: HttpRequest, user_id: int) -> HttpResponse:
    user = _person(user_id)
    form = UnlinkForm(request.POST)
    if form.is_valid():
        try:
            services.user_sso_unlink(actor=actor(request), user=user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", str(error))
        else:
            messages.success(request, f"{user.get_full_name() or user.username} is no longer linked to "
                                      f"{settings.NOTINSCHOOL_OIDC_NAME}: their next sign-in with it "
                                      f"links again.")
            return redirect("administration_person", user_id=user.pk)
    return _person_page(request, user, unlink_form=form)


@requires(Cap.MANAGE_USERS)
def agencies(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/agencies.html", {"agencies": selectors.agencies_list()})


@requires(Cap.MANAGE_USERS)
def agency_edit(request: HttpRequest, agency_id: int | None = None) -> HttpResponse:
    agency = None
    if agency_id is not None:
        agency = Agency.objects.filter(pk=agency_id).first()
        if agency is None:
            raise Http404("No such agency")
    initial = ({"name": agency.name, "kind": agency.kind, "school_urn": agency.school_urn,
                "districts": agency.postcode_districts} if agency else {})
    form = AgencyForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.agency_save(actor=actor(request), agency=agency, name=data["name"],
                                         kind=data["kind"], school_urn=data["school_urn"],
                                         districts=data["districts"])
        except DomainError as error:
            field = "districts" if "district" in str(error) else "name"
            form.add_error(field, str(error))
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("administration_agencies")
    return render(request, "administration/agency.html", {"form": form, "agency": agency})


@requires(Cap.MANAGE_USERS)
def roles(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/roles.html", {"roles": selectors.roles_described()})


@requires(Cap.MANAGE_USERS)
def settings_page(request: HttpRequest) -> HttpResponse:
    return render(request, "administration/settings.html", {"settings_shown": selectors.settings_shown()})
