"""The register's pages: the list of children, with its search, and one child's record. Each
view checks access (`web.access`), calls a selector or page builder, and renders; what a page
shows is put together in `register_page` and `child_page` (whose sections come from each app)."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.people.child_page import child_page_layout
from notinschool.people.pages import child_or_404
from notinschool.people.register_page import register_page, search_form
from notinschool.people.selectors import ChildSearch, merged_child_for
from notinschool.web.access import actor, requires


@requires(Cap.VIEW_REGISTER)
def register(request: HttpRequest) -> HttpResponse:
    form = search_form(request)
    context: dict[str, object] = {"form": form}
    if form.is_bound and not form.is_valid():
        return render(request, "people/register.html", context)
    search = form.search() if form.is_bound else ChildSearch()
    page, rows = register_page(actor=actor(request), search=search, request=request)
    context.update(page=page, rows=rows, search=search)
    return render(request, "people/register.html", context)


@requires(Cap.VIEW_REGISTER)
def child_detail(request: HttpRequest, child_id: str) -> HttpResponse:
    """One child's record. The address of a record merged into another (a duplicate of the
    same child) leads to the record it was merged into, for those who may see that one. A child
    outside the person's scope is refused (404); a role that may break glass is offered to open
    it by giving a reason (`governance`)."""
    kept = merged_child_for(actor=actor(request), child_id=child_id)
    if kept is not None:
        messages.info(request, "The record you asked for was merged into this one: they were "
                               "about the same child.")
        return redirect("child_detail", child_id=kept.pk)
    try:
        child = child_or_404(request, child_id)
    except Http404:
        if not actor(request).can(Cap.BREAK_GLASS):
            raise
        # a role that may break glass is offered it, whether or not the record exists (the
        # page confirms nothing until they give a reason)
        return render(request, "people/child_refused.html", {"child_id": child_id}, status=404)
    return render(request, "people/child.html", {
        "child": child, "layout": child_page_layout(actor=actor(request), child=child)})
