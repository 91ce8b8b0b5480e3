"""Forms for the governance pages: shape checks only; the services apply the rules."""

import datetime as dt
from typing import Any, cast

from django import forms

from notinschool.audit.models import AuditEvent, BreakGlassGrant
from notinschool.governance.models import AccessFlag
from notinschool.governance.selectors import AuditSearch
from notinschool.web.forms import GovukForm

_PARTS = ("day", "month", "year")


class DatesForm(GovukForm):
    """A period as two GOV.UK date inputs, `from` and `to` (each day, month and year)."""

    field_ids = {"from_day": "from-day", "to_day": "to-day"}

    from_day = forms.CharField(required=False, max_length=2)
    from_month = forms.CharField(required=False, max_length=2)
    from_year = forms.CharField(required=False, max_length=4)
    to_day = forms.CharField(required=False, max_length=2)
    to_month = forms.CharField(required=False, max_length=2)
    to_year = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for which, label in (("from", "From"), ("to", "To")):
            parts = [str(cleaned.get(f"{which}_{p}") or "").strip() for p in _PARTS]
            cleaned[f"date_{which}"] = self._date(which, label, parts) if any(parts) else None
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and end < start:
            self.add_error("to_day", "The 'to' date must be the same as or after the 'from' date")
        return cleaned

    def _date(self, which: str, label: str, parts: list[str]) -> dt.date | None:
        missing = [n for n, p in zip(_PARTS, parts, strict=True) if not p]
        if missing:
            self.add_error(f"{which}_day", f"{label} date must include a {' and a '.join(missing)}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 2000:
                raise ValueError(year)
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(f"{which}_day", f"{label} date must be a real date, like 27 3 2026")
            return None


class AuditSearchForm(DatesForm):
    child = forms.CharField(required=False, max_length=100)
    user = forms.CharField(required=False, max_length=150)
    agency = forms.ChoiceField(required=False)
    action = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, agencies: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["agency"]).choices = [("", "Any agency"), *agencies]
        actions = sorted(AuditEvent.Action.choices, key=lambda c: c[1])
        cast(forms.ChoiceField, self.fields["action"]).choices = [("", "Any action"), *actions]

    def search(self) -> AuditSearch:
        data = self.cleaned_data
        return AuditSearch(child=data["child"].strip(), user=data["user"].strip(),
                           agency_id=int(data["agency"]) if data["agency"] else None,
                           date_from=data["date_from"], date_to=data["date_to"],
                           action=data["action"])


class BreakGlassForm(GovukForm):
    reason = forms.CharField(max_length=2000, widget=forms.Textarea, error_messages={
        "required": "Say why you need this record now"})


class ReviewForm(GovukForm):
    """Judging one use of break-glass, or one unusual access flag."""

    outcome = forms.ChoiceField(widget=forms.RadioSelect, error_messages={
        "required": "Select your judgement", "invalid_choice": "Select your judgement"})
    note = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)
    field_ids = {"outcome": "outcome"}

    def __init__(self, *args: Any, outcomes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome"]).choices = outcomes


BREAK_GLASS_OUTCOMES = list(BreakGlassGrant.Outcome.choices)
FLAG_OUTCOMES = list(AccessFlag.Outcome.choices)
