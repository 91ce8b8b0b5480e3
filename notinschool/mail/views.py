"""The mail pages: emailing a child's family. The view checks access, opens the child, calls
the service, and renders or redirects."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError
from notinschool.mail.forms import FamilyEmailForm
from notinschool.mail.models import SentEmail
from notinschool.mail.selectors import child_parent_addresses
from notinschool.mail.services import EmailNotSent, email_send
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, requires
from notinschool.workflow.email_followup import email_work_items_sync


@requires(Cap.RECORD_CASEWORK)
def family_email(request: HttpRequest, child_id: str) -> HttpResponse:
    child = child_or_404(request, child_id)
    addresses = child_parent_addresses(actor=actor(request), child=child)
    form = FamilyEmailForm(request.POST if request.method == "POST" else None, addresses=addresses)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            email_send(actor=actor(request), to=[data["address"]], subject=data["subject"],
                       body=data["message"], kind=SentEmail.Kind.FAMILY, child=child)
        except EmailNotSent:
            # kept, tried again by the worker, and in the work queue until it goes
            email_work_items_sync(actor=actor(request), child=child)
            messages.warning(request, f"The email to {data['address']} could not be sent yet. It will "
                                      "be tried again every few minutes, and is in the work queue "
                                      "until it goes.")
            return redirect("child_detail", child_id=child.pk)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Email sent to {data['address']}.")
            return redirect("child_detail", child_id=child.pk)
    return render(request, "mail/family_email.html", {"child": child, "form": form})
