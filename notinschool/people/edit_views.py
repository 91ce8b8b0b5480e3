"""The pages that change a child's record, each opened by a "Change" link on the child's page,
and the record's history. Each form carries what its user saw (people.edit_save.Seen) in hidden
fields; when someone else changed the record meanwhile the page says who changed what, keeps
what the user typed, and takes their next save against the record as it now is."""

import json
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError
from notinschool.people import editing
from notinschool.people.edit_forms import (
    DETAIL_PARTS,
    AddressForm,
    DetailsForm,
    EditForm,
    ParentForm,
    ProviderForm,
    RemoveForm,
    yes_no,
)
from notinschool.people.edit_save import (
    ADDRESS_FIELDS,
    DETAIL_FIELDS,
    LINK_FIELDS,
    PARENT_FIELDS,
    PROVIDER_FIELDS,
    EditConflict,
    FieldProblem,
    Seen,
    address_seen,
    field_change_groups,
    snapshot,
)
from notinschool.people.models import Address, Child, ChildParent, Provider
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, requires

FORM_FIELD = {"moved_in_date": "moved_in_day", "moved_out_date": "moved_out_day"}


def _seen_posted(request: HttpRequest) -> Seen:
    try:
        version = int(request.POST.get("seen_version", ""))
    except ValueError:
        version = 0
    try:
        values = json.loads(request.POST.get("seen_values", "{}"))
    except ValueError:
        values = {}
    return Seen(version, {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {})


def _edit(request: HttpRequest, child: Child, form: EditForm, *, seen_now: Callable[[], Mapping[str, str]],
          save: Callable[[Seen], object], template: str, section: str, done: str,
          **context: Any) -> HttpResponse:
    """Show the form, or save it through `save` and go back to the child's page."""
    seen = Seen(child.version, seen_now())
    if request.method == "POST":
        seen = _seen_posted(request)
        if form.is_valid():
            try:
                save(seen)
            except EditConflict as conflict:
                form.add_error(None, str(conflict))
                version = Child.objects.values_list("version", flat=True).get(pk=child.pk)
                seen = Seen(version, seen_now())  # saving again means saving over what they did
            except FieldProblem as problem:
                name = FORM_FIELD.get(problem.field, problem.field)
                form.add_error(name if name in form.fields else None, str(problem))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, done)
                return redirect(reverse("child_detail", args=[child.pk]) + f"#{section}")
    return render(request, template, {
        "form": form, "child": child, "seen_version": seen.version,
        "seen_values": json.dumps(dict(seen.values), sort_keys=True),
        "back": reverse("child_detail", args=[child.pk]) + f"#{section}", **context})


def _reason(form: EditForm) -> str:
    return str(form.cleaned_data.get("reason", ""))


@requires(Cap.EDIT_REGISTER)
def details_edit(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    part = request.GET.get("part")
    part = part if part in DETAIL_PARTS else None
    initial = {f: getattr(child, f) for f in DETAIL_FIELDS}
    initial["do_not_disclose_address"] = yes_no(child.do_not_disclose_address)
    form = DetailsForm(request.POST or None, initial=initial, part=part, current_ethnicity=child.ethnicity)
    fields = [f for f in form.fields if f != "reason"]
    return _edit(request, child, form, template="people/edit/details.html", section="details",
                 seen_now=lambda: snapshot(Child.objects.get(pk=child.pk), fields),
                 save=lambda seen: editing.child_details_update(
                     actor=actor(request), child=child, seen=seen, changes=form.changes(),
                     reason=_reason(form)),
                 done="The child's details are saved.", part=part)


def _address_initial(address: Address) -> dict[str, Any]:
    initial: dict[str, Any] = {f: getattr(address, f) for f in ADDRESS_FIELDS[:4]}
    for prefix, day in (("moved_in", address.moved_in_date), ("moved_out", address.moved_out_date)):
        if day:
            initial.update({f"{prefix}_day": day.day, f"{prefix}_month": day.month,
                            f"{prefix}_year": day.year})
    return initial


@requires(Cap.EDIT_REGISTER)
def address_add(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = AddressForm(request.POST or None, moved_out=False)
    return _edit(request, child, form, template="people/edit/address.html", section="addresses",
                 seen_now=lambda: address_seen(child),
                 save=lambda seen: editing.child_address_add(
                     actor=actor(request), child=child, seen=seen, **_address_values(form)),
                 done="The new address is saved; the one before is kept as the previous address.",
                 address=None)


@requires(Cap.EDIT_REGISTER)
def address_edit(request: HttpRequest, child_id: str, address_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    address = get_object_or_404(Address, pk=address_id, child=child)
    form = AddressForm(request.POST or None, initial=_address_initial(address),
                       moved_out=not address.is_current)
    return _edit(request, child, form, template="people/edit/address.html", section="addresses",
                 seen_now=lambda: snapshot(Address.objects.get(pk=address.pk), ADDRESS_FIELDS),
                 save=lambda seen: editing.child_address_update(
                     actor=actor(request), child=child, address=address, seen=seen,
                     moved_out_date=form.cleaned_data["moved_out_date"], **_address_values(form)),
                 done="The address is saved.", address=address)


def _address_values(form: EditForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"line_1": data["line_1"], "line_2": data["line_2"], "town": data["town"],
            "postcode": data["postcode"], "moved_in_date": data["moved_in_date"], "reason": _reason(form)}


@requires(Cap.EDIT_REGISTER)
def parent_add(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = ParentForm(request.POST or None, initial={"lives_with_child": "yes"})
    return _edit(request, child, form, template="people/edit/parent.html", section="parents",
                 seen_now=dict, save=lambda seen: editing.child_parent_add(
                     actor=actor(request), child=child, seen=seen, **form.values()),
                 done="The parent is added.", link=None)


@requires(Cap.EDIT_REGISTER)
def parent_edit(request: HttpRequest, child_id: str, link_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    link = get_object_or_404(ChildParent.objects.select_related("parent"), pk=link_id, child=child)
    initial: dict[str, Any] = {f: getattr(link.parent, f) for f in PARENT_FIELDS}
    initial.update(lives_with_child=yes_no(link.lives_with_child), educates=yes_no(link.educates))

    def seen_now() -> dict[str, str]:
        fresh = ChildParent.objects.select_related("parent").get(pk=link.pk)
        return {**snapshot(fresh.parent, PARENT_FIELDS), **snapshot(fresh, LINK_FIELDS)}

    form = ParentForm(request.POST or None, initial=initial)
    return _edit(request, child, form, template="people/edit/parent.html", section="parents",
                 seen_now=seen_now, save=lambda seen: editing.child_parent_update(
                     actor=actor(request), child=child, link=link, seen=seen, **form.values()),
                 done=f"{link.parent.name}'s details are saved.", link=link)


@requires(Cap.EDIT_REGISTER)
def provider_add(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    form = ProviderForm(request.POST or None)
    return _edit(request, child, form, template="people/edit/provider.html", section="providers",
                 seen_now=dict, save=lambda seen: editing.provider_add(
                     actor=actor(request), child=child, seen=seen, **form.cleaned_data),
                 done="The provider is added.", provider=None)


@requires(Cap.EDIT_REGISTER)
def provider_edit(request: HttpRequest, child_id: str, provider_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    provider = get_object_or_404(Provider, pk=provider_id, child=child)
    form = ProviderForm(request.POST or None, initial={f: getattr(provider, f) for f in PROVIDER_FIELDS})
    return _edit(request, child, form, template="people/edit/provider.html", section="providers",
                 seen_now=lambda: snapshot(Provider.objects.get(pk=provider.pk), PROVIDER_FIELDS),
                 save=lambda seen: editing.provider_update(
                     actor=actor(request), child=child, provider=provider, seen=seen, **form.cleaned_data),
                 done="The provider is saved.", provider=provider)


@requires(Cap.EDIT_REGISTER)
def provider_remove(request: HttpRequest, child_id: str, provider_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    provider = get_object_or_404(Provider, pk=provider_id, child=child)
    form = RemoveForm(request.POST or None)
    return _edit(request, child, form, template="people/edit/provider_remove.html", section="providers",
                 seen_now=lambda: snapshot(Provider.objects.get(pk=provider.pk), PROVIDER_FIELDS),
                 save=lambda seen: editing.provider_remove(
                     actor=actor(request), child=child, provider=provider, seen=seen, reason=_reason(form)),
                 done=f"{provider.name} is removed from the record.", provider=provider)


@requires(Cap.VIEW_REGISTER)
def history(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    return render(request, "people/edit/history.html", {
        "child": child, "groups": field_change_groups(actor=actor(request), child=child)})
