"""Forms for the casework pages (consent decisions): shape checks only; the services apply the
rules."""

import datetime as dt
from typing import Any

from django import forms

from notinschool.casework.models import ConsentDecision
from notinschool.core import clock
from notinschool.web.forms import GovukForm


class ConsentDecisionForm(GovukForm):
    field_ids = {"parent_day": "parent-notified-day", "school_day": "school-notified-day",
                 "parent_method": "parent-method"}

    decision = forms.ChoiceField(
        choices=ConsentDecision.Decision.choices,
        error_messages={"required": "Select whether consent is given or refused"})
    reasons = forms.CharField(
        max_length=5000, error_messages={"required": "Enter the reasons for the decision"})
    parent_day = forms.CharField(required=False, max_length=2)
    parent_month = forms.CharField(required=False, max_length=2)
    parent_year = forms.CharField(required=False, max_length=4)
    parent_method = forms.ChoiceField(
        choices=ConsentDecision.NoticeMethod.choices,
        error_messages={"required": "Select how the parents were told"})
    school_day = forms.CharField(required=False, max_length=2)
    school_month = forms.CharField(required=False, max_length=2)
    school_year = forms.CharField(required=False, max_length=4)

    def clean_reasons(self) -> str:
        reasons = self.cleaned_data["reasons"].strip()
        if not reasons:
            raise forms.ValidationError("Enter the reasons for the decision")
        return reasons

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["parent_notified_on"] = self._date(cleaned, "parent", "the parents were told")
        cleaned["school_notified_on"] = self._date(cleaned, "school", "the school was told")
        return cleaned

    def _date(self, cleaned: dict[str, Any], prefix: str, what: str) -> dt.date | None:
        parts = [(cleaned.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
        field = f"{prefix}_day"
        if not any(parts):
            self.add_error(field, f"Enter the date {what}")
            return None
        missing = [n for n, p in zip(("day", "month", "year"), parts, strict=True) if not p]
        if missing:
            self.add_error(field, f"The date {what} must include a {' and a '.join(missing)}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            value = dt.date(year, month, day)
        except ValueError:
            self.add_error(field, f"The date {what} must be a real date, like 27 3 2026")
            return None
        if value > clock.today():
            self.add_error(field, f"The date {what} must be today or in the past")
            return None
        return value
