"""Allocation pages (team managers): the unallocated children with a bulk allocation (preview,
then confirm), the district rules, and choosing one child's officer. Each view checks access,
calls one selector or service, and renders or redirects."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.allocation import selectors, services
from notinschool.allocation.forms import NOBODY, BulkAllocationForm, ChildOfficerForm, RuleForm
from notinschool.audit.services import audit_read_record
from notinschool.core.errors import DomainError
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, requires
from notinschool.web.pagination import paginate


def _officer(officers: list[User], pk: str) -> User | None:
    return next((o for o in officers if str(o.pk) == pk), None)


@requires(Cap.ALLOCATE_OFFICERS)
def allocation_queue(request: HttpRequest) -> HttpResponse:
    user, officers = actor(request), selectors.officers_eligible()
    form = BulkAllocationForm(request.POST if request.method == "POST" else None, officers=officers)
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        officer = _officer(officers, data["officer"])
        assert officer is not None  # the form offers only these officers
        criteria = {"district": data["district"], "school_urn": data["school_urn"], "tier": data["tier"],
                    "only_unallocated": not data["include_allocated"]}
        if "confirm" in request.POST:
            try:
                count = services.children_officer_allocate(actor=user, officer=officer, **criteria)
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _allocated(count, officer, request.POST.get("expected")))
                return redirect("allocation_queue")
        else:
            preview = {"officer": officer, "count": selectors.children_matching(
                actor=user, officer=officer, **criteria).count()}
    page = paginate(selectors.unallocated_children(actor=user), params=request.GET)
    audit_read_record(actor=user, action="list", object_type="child",
                      child_ids=[c.pk for c in page.rows], detail={"list": "unallocated"})
    return render(request, "allocation/queue.html", {
        "page": page, "counts": selectors.unallocated_counts(actor=user), "form": form,
        "officers": officers, "preview": preview})


def _name(officer: User | None) -> str:
    return (officer.get_full_name() or officer.get_username()) if officer else "nobody"


def _allocated(count: int, officer: User | None, expected: str | None) -> str:
    text = f"{count} {'child' if count == 1 else 'children'} allocated to {_name(officer)}."
    if expected is not None and expected != str(count):
        text += f" The preview showed {expected}: the register changed in between."
    return text


@requires(Cap.ALLOCATE_OFFICERS)
def allocation_rules(request: HttpRequest) -> HttpResponse:
    user, officers = actor(request), selectors.officers_eligible()
    form = RuleForm(request.POST if request.method == "POST" else None, officers=officers)
    if request.method == "POST" and form.is_valid():
        officer = _officer(officers, form.cleaned_data["officer"])
        try:
            rule = services.allocation_rule_set(actor=user, district=form.cleaned_data["district"],
                                                officer=officer)  # type: ignore[arg-type]
        except DomainError as error:
            form.add_error("district", str(error))
        else:
            messages.success(request, f"New children in {rule.district} will be allocated to "
                                      f"{rule.officer.get_full_name() or rule.officer.get_username()}.")
            return redirect("allocation_rules")
    return render(request, "allocation/rules.html", {
        "rules": selectors.allocation_rules(actor=user), "form": form, "officers": officers})


@require_POST
@requires(Cap.ALLOCATE_OFFICERS)
def allocation_rule_remove(request: HttpRequest, rule_id: str) -> HttpResponse:
    rule = selectors.allocation_rule_get(actor=actor(request), rule_id=rule_id)
    if rule is None:
        raise Http404("No such rule")
    services.allocation_rule_delete(actor=actor(request), rule=rule)
    messages.success(request, f"Rule for {rule.district} removed: new children there will wait "
                              "in the unallocated queue.")
    return redirect("allocation_rules")


@requires(Cap.ALLOCATE_OFFICERS)
def child_officer(request: HttpRequest, child_id: str) -> HttpResponse:
    child, officers = child_or_404(request, child_id), selectors.officers_eligible()
    initial = {"officer": str(child.officer_id or ""), "officer_was": str(child.officer_id or "")}
    form = ChildOfficerForm(request.POST if request.method == "POST" else None, initial=initial,
                            officers=officers)
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["officer"]
        was = form.cleaned_data["officer_was"]
        try:
            services.child_officer_allocate(
                actor=actor(request), child=child,
                officer=None if chosen == NOBODY else _officer(officers, chosen),
                officer_was=int(was) if was.isdigit() else None)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{child.full_name} is allocated to {_name(child.officer)}.")
            return redirect("child_detail", child_id=child.pk)
    return render(request, "allocation/child_officer.html", {"child": child, "form": form})
