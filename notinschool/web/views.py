"""The shell's own pages: the start page (each role sent to where its work is) and the
signed-in person's account (the health checks are in web.health). Each domain's pages are in
its app's `views`."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.web.access import actor, signed_in


@signed_in
def home(request: HttpRequest) -> HttpResponse:
    """Each role starts where its work is: the register, a school's uploads, the reports, the
    data protection officer's audit search."""
    user = actor(request)
    for cap, page in ((Cap.VIEW_REGISTER, "register"), (Cap.IMPORT_FILES, "imports"),
                      (Cap.VIEW_REPORTS, "reports"), (Cap.VIEW_AUDIT, "governance_audit_search"),
                      (Cap.MANAGE_USERS, "administration")):
        if user.can(cap):
            return redirect(page)
    return redirect("your_account")


@signed_in
def your_account(request: HttpRequest) -> HttpResponse:
    return render(request, "your_account.html", {"can_view_register": actor(request).can(Cap.VIEW_REGISTER)})
