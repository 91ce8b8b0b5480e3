"""The register search's form: shape checks only; the selectors apply the rules."""

import datetime as dt
import re
from typing import Any

from django import forms

from notinschool.people.models import REGISTER_STATUSES, Status
from notinschool.people.selectors import ChildSearch
from notinschool.web.forms import GovukForm

ANY_STATUS = "any"
TIERS = [("1", "Tier 1"), ("2", "Tier 2"), ("3", "Tier 3"), ("4", "Tier 4")]
_POSTCODE_PART = re.compile(r"^[A-Z0-9 ]{2,8}$")


class RegisterSearchForm(GovukForm):
    field_ids = {"dob_day": "dob-day"}

    name = forms.CharField(required=False, max_length=100, label="Name")
    dob_day = forms.CharField(required=False, max_length=2)
    dob_month = forms.CharField(required=False, max_length=2)
    dob_year = forms.CharField(required=False, max_length=4)
    postcode = forms.CharField(required=False, max_length=8, label="Postcode")
    status = forms.ChoiceField(
        required=False, label="Status",
        choices=[("", "Any open status"), *((s.value, s.label) for s in REGISTER_STATUSES),
                 (ANY_STATUS, "Any status, open or closed")],
    )
    tier = forms.ChoiceField(required=False, label="Risk tier", choices=[("", "Any tier"), *TIERS])
    officer = forms.ChoiceField(required=False, label="Officer")

    def __init__(self, *args: Any, officers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ChoiceField)
        officer.choices = [("", "Any officer"), *officers]

    def clean_postcode(self) -> str:
        postcode = " ".join(self.cleaned_data["postcode"].upper().split())
        if postcode and not _POSTCODE_PART.match(postcode):
            raise forms.ValidationError("Enter a postcode, or the start of one, like LS6 or LS6 1AA")
        return postcode

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        parts = [cleaned.get(f"dob_{p}", "").strip() for p in ("day", "month", "year")]
        cleaned["date_of_birth"] = None
        if any(parts):
            cleaned["date_of_birth"] = self._date_of_birth(parts)
        return cleaned

    def _date_of_birth(self, parts: list[str]) -> dt.date | None:
        missing = [n for n, p in zip(("day", "month", "year"), parts, strict=True) if not p]
        if missing:
            self.add_error("dob_day", f"Date of birth must include a {' and a '.join(missing)}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            if year < 1900:
                raise ValueError(year)
            return dt.date(year, month, day)
        except ValueError:
            self.add_error("dob_day", "Date of birth must be a real date, like 27 3 2014")
            return None

    def search(self) -> ChildSearch:
        data = self.cleaned_data
        status = data["status"]
        return ChildSearch(
            name=data["name"].strip(),
            date_of_birth=data["date_of_birth"],
            postcode=data["postcode"],
            status="" if status == ANY_STATUS else status,
            open_only=status != ANY_STATUS,
            tier=int(data["tier"]) if data["tier"] else None,
            officer_id=int(data["officer"]) if data["officer"] else None,
        )


STATUS_LABELS = {s.value: s.label for s in Status}
