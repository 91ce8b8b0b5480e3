"""The form to email a family: shape checks only; mail.services.email_send applies the rules."""

from typing import Any

from django import forms

from notinschool.web.forms import GovukForm

ANOTHER = "another"


class FamilyEmailForm(GovukForm):
    """To one of the parents' addresses, or another typed in; a subject and a message."""

    field_ids = {"other_address": "other-address"}

    to = forms.ChoiceField(error_messages={"required": "Select who to email",
                                           "invalid_choice": "Select who to email"})
    other_address = forms.EmailField(
        required=False, max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"})
    subject = forms.CharField(max_length=200, error_messages={
        "required": "Enter a subject", "max_length": "The subject must be 200 characters or fewer"})
    message = forms.CharField(max_length=10000, error_messages={
        "required": "Enter a message", "max_length": "The message must be 10,000 characters or fewer"})

    def __init__(self, *args: Any, addresses: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.addresses = addresses
        to = self.fields["to"]
        assert isinstance(to, forms.ChoiceField)
        to.choices = [*addresses, (ANOTHER, "Another email address")]
        to.required = bool(addresses)  # nothing to choose: the address is typed in

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        choice = cleaned.get("to") or (ANOTHER if not self.addresses else "")
        if choice == ANOTHER:
            if not cleaned.get("other_address") and "other_address" not in self.errors:
                self.add_error("other_address", "Enter the email address to send to")
            cleaned["address"] = cleaned.get("other_address", "")
        else:
            cleaned["address"] = choice
        for name in ("subject", "message"):
            if name in cleaned and not cleaned[name].strip():
                self.add_error(name, f"Enter a {name}")
        return cleaned
