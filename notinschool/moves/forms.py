"""Forms for moves out: the handover (receiving authority, new address, day of the move), how
it was sent, and the acknowledgement of receipt. Shape checks only; moves.services applies the
rules (a date not in the future, a handover sent before it is acknowledged, ...)."""

import datetime as dt
from typing import Any

from django import forms

from notinschool.casework.contact_forms import DateFields
from notinschool.intake.columns import CellError, postcode
from notinschool.moves.models import Handover


class HandoverForm(DateFields):
    field_ids = {"moved_on_day": "moved_on-day"}
    to_authority = forms.CharField(max_length=200, error_messages={
        "required": "Enter the name of the authority the child moved to"})
    to_la_code = forms.CharField(required=False, max_length=3, error_messages={
        "max_length": "The local authority code is 3 digits, like 380"})
    moved_on_day = forms.CharField(required=False, max_length=2)
    moved_on_month = forms.CharField(required=False, max_length=2)
    moved_on_year = forms.CharField(required=False, max_length=4)
    new_line_1 = forms.CharField(required=False, max_length=200)
    new_line_2 = forms.CharField(required=False, max_length=200)
    new_town = forms.CharField(required=False, max_length=100)
    new_postcode = forms.CharField(required=False, max_length=10)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [cleaned.get(f"moved_on_{p}") for p in ("day", "month", "year")]
        cleaned["moved_on"] = self.date(cleaned, "moved_on", "of the move") if any(parts) else None
        code = (cleaned.get("to_la_code") or "").strip()
        if code and not (code.isdigit() and len(code) == 3):
            self.add_error("to_la_code", "The local authority code is 3 digits, like 380")
        text = (cleaned.get("new_postcode") or "").strip()
        if text:
            try:
                cleaned["new_postcode"] = postcode(text)
            except CellError:
                self.add_error("new_postcode", "Enter a real postcode, like LS1 4AP")
        return cleaned


class SentForm(DateFields):
    field_ids = {"method": "method", "sent_on_day": "sent_on-day"}
    method = forms.ChoiceField(choices=Handover.Method.choices,
                               error_messages={"required": "Select how the handover was sent"})
    sent_on_day = forms.CharField(required=False, max_length=2)
    sent_on_month = forms.CharField(required=False, max_length=2)
    sent_on_year = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["sent_on"] = self.date(cleaned, "sent_on", "it was sent")
        return cleaned


class AcknowledgedForm(DateFields):
    field_ids = {"acknowledged_on_day": "acknowledged_on-day"}
    acknowledged_by = forms.CharField(max_length=200, error_messages={
        "required": "Enter who at the receiving authority acknowledged receipt"})
    acknowledged_on_day = forms.CharField(required=False, max_length=2)
    acknowledged_on_month = forms.CharField(required=False, max_length=2)
    acknowledged_on_year = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["acknowledged_on"] = self.date(cleaned, "acknowledged_on", "of the acknowledgement")
        return cleaned


def today_parts(day: dt.date, prefix: str) -> dict[str, str]:
    """A date input's initial values."""
    return {f"{prefix}_day": str(day.day), f"{prefix}_month": str(day.month),
            f"{prefix}_year": str(day.year)}
