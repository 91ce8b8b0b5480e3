"""Forms for the casework pages (consent decisions, the work queue's filters, marking an action
done): shape checks only; the services apply the rules."""

import datetime as dt
import uuid
from typing import Any

from django import forms

from notinschool.accounts.models import User
from notinschool.casework.models import ConsentDecision
from notinschool.casework.queue import KINDS, UNALLOCATED, QueueFilters
from notinschool.casework.selectors import EvidenceChoice
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


class WorkQueueFilterForm(GovukForm):
    """The work queue's filters (GET): the officer (or nobody), the tier, what is due, when."""

    officer = forms.ChoiceField(required=False, label="Officer")
    tier = forms.ChoiceField(required=False, label="Tier", choices=[("", "Any tier")] + [
        (str(t), f"Tier {t}" + (" (most serious)" if t == 1 else "")) for t in (1, 2, 3, 4)])
    kind = forms.ChoiceField(required=False, label="What is due",
                             choices=[("", "Anything"), *KINDS.items()])
    when = forms.ChoiceField(required=False, label="When", choices=[
        ("", "Any date"), ("overdue", "Overdue"), ("due", "Due in the next 5 working days")])

    def __init__(self, data: Any, *, officers: list[User]):
        super().__init__(data)
        _choice_field(self, "officer").choices = [("", "Anyone"), (UNALLOCATED, "Nobody (unallocated)")] + [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in officers]

    def filters(self) -> QueueFilters:
        """The filters asked for: none when the form is not valid (its errors are shown)."""
        if not self.is_valid():
            return QueueFilters()
        data, officer = self.cleaned_data, self.cleaned_data["officer"]
        return QueueFilters(officer=int(officer) if officer not in ("", UNALLOCATED) else None,
                            unallocated=officer == UNALLOCATED,
                            tier=int(data["tier"]) if data["tier"] else None, kind=data["kind"],
                            when=data["when"])


class ActionDoneForm(GovukForm):
    """What shows a required action was done: one of the child's contacts or consent
    decisions (`kind:id`), or a note."""

    field_ids = {"evidence": "evidence", "note": "note"}
    NOTE = "note"

    evidence = forms.ChoiceField(error_messages={
        "required": "Select the contact, decision or note that shows the action was done",
        "invalid_choice": "Select the contact, decision or note that shows the action was done"})
    note = forms.CharField(required=False, max_length=5000, label="Note")

    def __init__(self, data: Any, *, choices: list[EvidenceChoice]):
        super().__init__(data)
        _choice_field(self, "evidence").choices = [(f"{c.kind}:{c.id}", c.label) for c in choices] + [
            (self.NOTE, "A note of what was done")]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("evidence") == self.NOTE and not (cleaned.get("note") or "").strip():
            self.add_error("note", "Enter a note saying what was done")
        return cleaned

    def evidence_chosen(self) -> tuple[str, uuid.UUID | None]:
        """The evidence kind and the record's id (none for a note)."""
        value = self.cleaned_data["evidence"]
        if value == self.NOTE:
            return value, None
        kind, _, pk = value.partition(":")
        return kind, uuid.UUID(pk)


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field
