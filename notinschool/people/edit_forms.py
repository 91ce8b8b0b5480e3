"""The forms that change a child's record (people.editing): shape checks only; the services
apply the rules. Each form has an optional reason, kept in the record's history."""

import datetime as dt
from typing import Any

from django import forms

from notinschool.people.models import ETHNICITY_CODES, SEN_CODES, EligibilityBasis
from notinschool.web.forms import GovukForm

YES_NO = [("yes", "Yes"), ("no", "No")]
YES_NO_UNKNOWN = [*YES_NO, ("unknown", "Not known")]
BOOLEANS = {"yes": True, "no": False, "unknown": None, "": None}
HOURS_ERRORS = {"invalid": "Enter hours as a number, like 12 or 7.5",
                "max_decimal_places": "Enter hours to one decimal place at most, like 7.5",
                "min_value": "Hours a week must be between 0 and 168",
                "max_value": "Hours a week must be between 0 and 168"}


def hours_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(label=label, min_value=0, max_value=168, max_digits=5, decimal_places=1,
                              required=False, error_messages=HOURS_ERRORS)

# The details form's parts: a "Change" link on the child's page opens one part.
DETAIL_PARTS = {
    "eligibility": ("eligibility_basis",), "ethnicity": ("ethnicity",), "sen": ("sen_provision",),
    "hours": ("hours_parent_per_week", "hours_other_per_week"),
    "address-marker": ("do_not_disclose_address",),
}


def yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


class EditForm(GovukForm):
    reason = forms.CharField(required=False, max_length=200, label="Why the change (optional)")


class DetailsForm(EditForm):
    eligibility_basis = forms.ChoiceField(
        required=False, label="Why the child is eligible for the register",
        choices=[("", "Not recorded"), *EligibilityBasis.choices])
    ethnicity = forms.ChoiceField(required=False, label="Ethnicity")
    sen_provision = forms.ChoiceField(required=False, label="Special educational needs provision",
                                      choices=[("", "Not known"), *SEN_CODES.items()])
    hours_parent_per_week = hours_field("Hours a week educated by the parents")
    hours_other_per_week = hours_field("Hours a week educated by others")
    do_not_disclose_address = forms.ChoiceField(
        choices=YES_NO, label="Must the child's address be withheld?",
        error_messages={"required": "Select yes if the child's address must be withheld"})

    def __init__(self, *args: Any, part: str | None, current_ethnicity: str = "", **kwargs: Any):
        super().__init__(*args, **kwargs)
        ethnicity = self.fields["ethnicity"]
        assert isinstance(ethnicity, forms.ChoiceField)
        codes = dict(ETHNICITY_CODES)
        if current_ethnicity and current_ethnicity not in codes:
            codes[current_ethnicity] = f"{current_ethnicity} (as the school sent it)"
        ethnicity.choices = [("", "Not known"), *((c, f"{label} ({c})") for c, label in codes.items())]
        if part in DETAIL_PARTS:
            for name in [n for n in self.fields if n not in (*DETAIL_PARTS[part], "reason")]:
                del self.fields[name]
        if part == "address-marker":  # the service asks for the reason of this change
            self.fields["reason"].label = "Why the address must be withheld, or need no longer be"

    def changes(self) -> dict[str, Any]:
        changes = {n: v for n, v in self.cleaned_data.items() if n != "reason"}
        if "do_not_disclose_address" in changes:
            changes["do_not_disclose_address"] = changes["do_not_disclose_address"] == "yes"
        return changes


class DateParts:
    """A GOV.UK date input's three boxes, `<prefix>_day`, `_month`, `_year`, checked in `clean`."""

    @staticmethod
    def read(form: forms.Form, prefix: str, label: str, *, required: bool) -> dt.date | None:
        parts = [str(form.cleaned_data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
        if not any(parts):
            if required:
                form.add_error(f"{prefix}_day", f"Enter the date {label}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900:
                raise ValueError(year)
            return dt.date(year, month, day)
        except ValueError:
            form.add_error(f"{prefix}_day", f"The date {label} must be a real date, like 27 3 2026")
            return None


class AddressForm(EditForm):
    field_ids = {"moved_in_day": "moved-in-day", "moved_out_day": "moved-out-day"}

    line_1 = forms.CharField(max_length=200, label="Address line 1",
                             error_messages={"required": "Enter the first line of the address"})
    line_2 = forms.CharField(required=False, max_length=200, label="Address line 2 (optional)")
    town = forms.CharField(required=False, max_length=100, label="Town or city (optional)")
    postcode = forms.CharField(max_length=10, label="Postcode",
                               error_messages={"required": "Enter a postcode"})
    moved_in_day = forms.CharField(required=False, max_length=2)
    moved_in_month = forms.CharField(required=False, max_length=2)
    moved_in_year = forms.CharField(required=False, max_length=4)
    moved_out_day = forms.CharField(required=False, max_length=2)
    moved_out_month = forms.CharField(required=False, max_length=2)
    moved_out_year = forms.CharField(required=False, max_length=4)

    def __init__(self, *args: Any, moved_out: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.moved_out = moved_out
        if not moved_out:
            for part in ("day", "month", "year"):
                del self.fields[f"moved_out_{part}"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["moved_in_date"] = DateParts.read(self, "moved_in", "the child moved in", required=True)
        cleaned["moved_out_date"] = (DateParts.read(self, "moved_out", "the child moved out", required=False)
                                     if self.moved_out else None)
        return cleaned


class ParentForm(EditForm):
    name = forms.CharField(max_length=200, label="Full name",
                           error_messages={"required": "Enter the parent's name"})
    address_line_1 = forms.CharField(required=False, max_length=200, label="Address (optional)")
    postcode = forms.CharField(required=False, max_length=10, label="Postcode (optional)")
    phone = forms.CharField(required=False, max_length=40, label="Phone (optional)")
    email = forms.CharField(required=False, max_length=200, label="Email (optional)")
    lives_with_child = forms.ChoiceField(
        choices=YES_NO, label="Does this parent live with the child?",
        error_messages={"required": "Select yes if this parent lives with the child"})
    educates = forms.ChoiceField(
        choices=YES_NO_UNKNOWN, label="Does this parent educate the child?",
        error_messages={"required": "Select whether this parent educates the child"})

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"name": data["name"], "address_line_1": data["address_line_1"], "postcode": data["postcode"],
                "phone": data["phone"], "email": data["email"],
                "lives_with_child": data["lives_with_child"] == "yes",
                "educates": BOOLEANS[data["educates"]], "reason": data["reason"]}


class ProviderForm(EditForm):
    name = forms.CharField(max_length=200, label="Name of the person or organisation",
                           error_messages={"required": "Enter the provider's name"})
    provider_type = forms.CharField(required=False, max_length=100, label="Type (optional)",
                                    help_text="For example, tutor, online school, tuition centre")
    hours_per_week = hours_field("Hours a week (optional)")


class RemoveForm(EditForm):
    pass
