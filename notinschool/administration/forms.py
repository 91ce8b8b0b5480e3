"""The administrator's forms: shape checks only; the services apply the rules."""

from typing import Any, cast

from django import forms

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.web.forms import GovukForm

ROLE_CHOICES = [(r.value, r.label) for r in Role]
NO_AGENCY = ""


def _agency_field(form: forms.Form) -> None:
    choices = [(NO_AGENCY, "None"), *((str(a.pk), a.name) for a in Agency.objects.order_by("name"))]
    cast(forms.ChoiceField, form.fields["agency"]).choices = choices


class PersonForm(GovukForm):
    field_ids = {"first_name": "first-name", "last_name": "last-name"}

    first_name = forms.CharField(max_length=150, error_messages={"required": "Enter the first name"})
    last_name = forms.CharField(max_length=150, error_messages={"required": "Enter the last name"})
    email = forms.EmailField(error_messages={"required": "Enter the email address",
                                             "invalid": "Enter an email address like name@council.gov.uk"})
    role = forms.ChoiceField(choices=ROLE_CHOICES, error_messages={"required": "Select the role",
                                                                   "invalid_choice": "Select the role"})
    agency = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _agency_field(self)

    def agency_chosen(self) -> Agency | None:
        pk = self.cleaned_data.get("agency")
        return Agency.objects.get(pk=pk) if pk else None


class InviteForm(PersonForm):
    username = forms.RegexField(regex=r"^[\w.@+-]{2,150}$", error_messages={
        "required": "Enter the username",
        "invalid": "A username has letters, digits and . @ + - _ only, 2 to 150 of them"})

    field_order = ["username", "first_name", "last_name", "email", "role", "agency"]


class ActiveForm(GovukForm):
    reason = forms.CharField(max_length=500, error_messages={"required": "Give the reason"})


class UnlinkForm(GovukForm):
    field_ids = {"reason": "unlink-reason"}
    reason = forms.CharField(max_length=500, error_messages={"required": "Give the reason"})


class TwoFactorResetForm(GovukForm):
    password = forms.CharField(widget=forms.PasswordInput, error_messages={
        "required": "Enter your own password"})
    reason = forms.CharField(max_length=500, error_messages={"required": "Give the reason"})


class AgencyForm(GovukForm):
    field_ids = {"school_urn": "school-urn"}

    name = forms.CharField(max_length=200, error_messages={"required": "Enter the name"})
    kind = forms.ChoiceField(choices=Agency.Kind.choices, error_messages={
        "required": "Select the kind of agency", "invalid_choice": "Select the kind of agency"})
    school_urn = forms.RegexField(required=False, regex=r"^\d{6,7}$", error_messages={
        "invalid": "Enter the school's URN, 6 or 7 digits"})
    districts = forms.CharField(required=False, max_length=500)
