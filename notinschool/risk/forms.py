"""Forms of the rule table and tier override pages: shape checks; the services apply the rules."""

from typing import Any

from django import forms

from notinschool.risk.services import RATIONALE_MIN_LENGTH
from notinschool.risk.thresholds import Threshold
from notinschool.web.forms import GovukForm


class RuleSettingForm(GovukForm):
    value = forms.CharField(required=False, max_length=4)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def __init__(self, *args: Any, threshold: Threshold, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threshold = threshold

    def clean_value(self) -> int:
        t = self.threshold
        text = self.cleaned_data["value"].strip()
        if not text:
            raise forms.ValidationError(f"Enter the new value in {t.unit}")
        if not text.lstrip("-").isdigit():
            raise forms.ValidationError(f"The value must be a whole number of {t.unit}, like {t.model_value}")
        value = int(text)
        if value < t.minimum:
            raise forms.ValidationError(f"The value must be {t.minimum} {t.unit} or more")
        if value > t.maximum:
            raise forms.ValidationError(f"The value must be {t.maximum} {t.unit} or fewer")
        return value

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for the change")
        return reason


class TierOverrideForm(GovukForm):
    field_ids = {"tier": "tier"}

    tier = forms.CharField(required=False)
    rationale = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)

    def __init__(self, *args: Any, allowed: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allowed = allowed

    def clean_tier(self) -> int | None:
        text = self.cleaned_data["tier"]
        if not text:
            raise forms.ValidationError("Select the new tier")
        if not text.isdigit() or int(text) not in self.allowed:
            raise forms.ValidationError("Select one of the tiers shown")
        return int(text)

    def clean_rationale(self) -> str:
        rationale = self.cleaned_data["rationale"].strip()
        if not rationale:
            raise forms.ValidationError("Enter the rationale for the override")
        if len(rationale) < RATIONALE_MIN_LENGTH:
            raise forms.ValidationError(
                f"The rationale must be {RATIONALE_MIN_LENGTH} characters or more")
        return rationale


class EndOverrideForm(GovukForm):
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for ending the override")
        return reason
