"""Splitting a wrong merge from the child's page: an officer moves the notifications that were
about another child to a new record (notinschool.intake.split)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from notinschool.accounts.roles import Cap
from notinschool.core.errors import DomainError
from notinschool.intake.split import child_split
from notinschool.people.pages import child_or_404
from notinschool.web.access import actor, requires
from notinschool.web.forms import GovukForm


class SplitForm(GovukForm):
    field_ids = {"notifications": "notifications"}

    notifications = forms.MultipleChoiceField(
        error_messages={"required": "Select the notifications that were about another child"})
    reason = forms.CharField(max_length=2000, error_messages={
        "required": "Enter why these notifications are about another child"})

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.choices = choices
        self.fields["notifications"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        chosen = data.get("notifications") or []
        if chosen and len(chosen) == len(self.choices):
            self.add_error("notifications", "Leave at least one notification on this record")
        return data


def _label(note: object) -> str:
    data = note.data  # type: ignore[attr-defined]
    who = " ".join(filter(None, (data.get("forename"), data.get("surname"))))
    return (f"{note.get_kind_display()} of {note.event_date:%-d %B %Y}: {who}, "  # type: ignore[attr-defined]
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
    return render(request, "split.html", {"child": child, "form": form, "items": items})
