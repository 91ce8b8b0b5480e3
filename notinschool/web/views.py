"""The register's pages. Each view checks access (`access`), calls a selector or service, and
renders; what a page shows is put together in `register_page` and `child_record`."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.linkage.selectors import child_duplicates, child_matches
from notinschool.people.pages import child_or_404
from notinschool.people.selectors import ChildSearch, merged_child_for
from notinschool.web.access import actor, public, requires, signed_in
from notinschool.web.child_record import child_record
from notinschool.web.register_page import register_page, search_form


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is: the register, a school's uploads, the rules."""
    user = actor(request)
    for cap, page in ((Cap.VIEW_REGISTER, "register"), (Cap.IMPORT_FILES, "imports"),
                      (Cap.VIEW_REPORTS, "rules")):
        if user.can(cap):
            return redirect(page)
    return redirect("your_account")


@signed_in
def your_account(request: HttpRequest) -> HttpResponse:
    return render(request, "your_account.html", {"can_view_register": actor(request).can(Cap.VIEW_REGISTER)})


@requires(Cap.VIEW_REGISTER)
def register(request: HttpRequest) -> HttpResponse:
    form = search_form(request)
    context: dict[str, object] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "register.html", context)
    search = form.search() if form.is_bound else ChildSearch()
    page, rows = register_page(actor=actor(request), search=search, request=request)
    context.update(page=page, rows=rows, search=search)
    return render(request, "register.html", context)


@requires(Cap.VIEW_REGISTER)
def child_detail(request: HttpRequest, child_id: str) -> HttpResponse:
    """One child's record. The address of a record merged into another (a duplicate of the
    same child) leads to the record it was merged into, for those who may see that one."""
    kept = merged_child_for(actor=actor(request), child_id=child_id)
    if kept is not None:
        messages.info(request, "The record you asked for was merged into this one: they were "
                               "about the same child.")
        return redirect("child_detail", child_id=kept.pk)
    child = child_or_404(request, child_id)
    return render(request, "child.html", {
        "record": child_record(actor=actor(request), child=child),
        "linked": child_matches(actor=actor(request), child=child),
        "duplicates": child_duplicates(actor=actor(request), child=child)})
