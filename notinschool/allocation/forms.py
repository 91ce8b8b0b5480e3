"""Forms for the allocation pages: shape checks only; the services apply the rules (who may
hold children, what a district looks like)."""

from typing import Any, cast

from django import forms

from notinschool.accounts.models import User
from notinschool.web.forms import GovukForm

NOBODY = "nobody"
_OFFICER_ERRORS = {"required": "Select the officer", "invalid_choice": "Select the officer"}


def _officer_choices(officers: list[User]) -> list[tuple[str, str]]:
    return [(str(o.pk), o.get_full_name() or o.get_username()) for o in officers]


class ChildOfficerForm(GovukForm):
    officer = forms.ChoiceField(error_messages=_OFFICER_ERRORS)
    officer_was = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, officers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [*_officer_choices(officers), (NOBODY, "Nobody")]
        cast(forms.ChoiceField, self.fields["officer"]).choices = choices


class BulkAllocationForm(GovukForm):
    field_ids = {"school_urn": "school-urn", "include_allocated": "include-allocated"}

    officer = forms.ChoiceField(error_messages=_OFFICER_ERRORS)
    district = forms.CharField(required=False, max_length=4)
    school_urn = forms.RegexField(required=False, regex=r"^\d{6,7}$",
                                  error_messages={"invalid": "Enter a school's URN, 6 or 7 digits"})
    tier = forms.TypedChoiceField(required=False, coerce=int, empty_value=None,
                                  choices=[("", "Any tier"), *((str(t), f"Tier {t}") for t in (1, 2, 3, 4))])
    include_allocated = forms.BooleanField(required=False)

    def __init__(self, *args: Any, officers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["officer"]).choices = _officer_choices(officers)

    def clean_district(self) -> str:
        return str(self.cleaned_data.get("district") or "").strip().upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = cleaned.get("district") or cleaned.get("school_urn") or cleaned.get("tier")
        if not chosen and not self.errors.get("school_urn"):
            self.add_error("district", "Enter a postcode district, a school's URN or choose a tier")
        return cleaned


class RuleForm(GovukForm):
    district = forms.CharField(max_length=4, error_messages={
        "required": "Enter a postcode district, like WV10",
        "max_length": "A postcode district is at most 4 characters, like WV10"})
    officer = forms.ChoiceField(error_messages=_OFFICER_ERRORS)

    def __init__(self, *args: Any, officers: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["officer"]).choices = _officer_choices(officers)
