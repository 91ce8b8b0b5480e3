"""Forms for missing education cases: opening one, an enquiry and its answer, an escalation and
the closure. Shape checks only (required, choices, real dates); cme.services applies the rules
(one open case, the closure's evidence, no dates in the future)."""

import datetime as dt
from typing import Any

from django import forms

from notinschool.casework.contact_forms import DateFields
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.cme.models import CmeCase, CmeEnquiry, CmeEscalation
from notinschool.cme.reasons import REASONS
from notinschool.web.forms import GovukForm

NOT_FOUND = "not_found"  # offered so that the refusal is said, never accepted
CLOSURES = [*CmeCase.Closure.choices, (NOT_FOUND, "The child cannot be found")]


def _text(required: bool = False, message: str = "", max_length: int = 5000) -> forms.CharField:
    return forms.CharField(required=required, max_length=max_length,
                           error_messages={"required": message} if message else None)


class OnDate(DateFields):
    """A form with one date, `on` (three boxes)."""

    on_day = forms.CharField(required=False, max_length=2)
    on_month = forms.CharField(required=False, max_length=2)
    on_year = forms.CharField(required=False, max_length=4)


class CaseOpenForm(OnDate):
    field_order = ["primary_reason"]
    field_ids = {"primary_reason": "primary_reason", "on_day": "on-day"}
    primary_reason = forms.ChoiceField(
        choices=list(REASONS.items()),
        error_messages={"required": "Select the primary reason the child is missing education"})

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["on"] = self.date(cleaned, "on", "the child was first known to be missing education")
        return cleaned


class ReasonForm(GovukForm):
    field_ids = {"primary_reason": "primary_reason"}
    primary_reason = forms.ChoiceField(
        choices=list(REASONS.items()),
        error_messages={"required": "Select the primary reason the child is missing education"})


class EnquiryForm(OnDate):
    field_order = ["kind", "other_authority", "asked_whom", "on_day", "on_month", "on_year",
                   "method", "answer", "answered_day", "answered_month", "answered_year"]
    field_ids = {"kind": "kind", "on_day": "on-day", "method": "method", "answered_day": "answered-day"}
    kind = forms.ChoiceField(choices=CmeEnquiry.Kind.choices,
                             error_messages={"required": "Select who the enquiry was made of"})
    other_authority = _text(max_length=200)
    asked_whom = _text(True, "Enter who was asked", 200)
    method = forms.ChoiceField(choices=CmeEnquiry.Method.choices,
                               error_messages={"required": "Select how the enquiry was made"})
    answer = _text()
    answered_day = forms.CharField(required=False, max_length=2)
    answered_month = forms.CharField(required=False, max_length=2)
    answered_year = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["on"] = self.date(cleaned, "on", "the enquiry was made")
        named = (cleaned.get("other_authority") or "").strip()
        if cleaned.get("kind") == CmeEnquiry.Kind.OTHER_AUTHORITY and not named:
            self.add_error("other_authority", "Enter the name of the other local authority")
        answered = any((cleaned.get(f"answered_{p}") or "").strip() for p in ("day", "month", "year"))
        cleaned["answered_on"] = self.date(cleaned, "answered", "of the answer") if answered else None
        if answered and not cleaned.get("answer", "").strip():
            self.add_error("answer", "Enter what they said")
        return cleaned


class AnswerForm(OnDate):
    field_order = ["answer"]
    field_ids = {"answer": "answer", "on_day": "on-day"}
    answer = _text(True, "Enter what they said")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["on"] = self.date(cleaned, "on", "of the answer")
        return cleaned


class EscalationForm(OnDate):
    field_order = ["to", "reason", "reference"]
    field_ids = {"to": "to", "on_day": "on-day"}
    to = forms.ChoiceField(choices=CmeEscalation.To.choices,
                           error_messages={"required": "Select who the case was escalated to"})
    reason = _text(True, "Enter the reason for escalating")
    reference = _text(max_length=100)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["on"] = self.date(cleaned, "on", "of the escalation")
        return cleaned


class CloseForm(OnDate):
    """The closure: the reason, and the evidence that reason needs (the other fields are
    ignored). A date is asked for the reasons that have one of their own to give."""

    field_order = ["closure", "school_urn", "school_name", "evidence_record",
                   "receiving_authority", "confirmed_by", "country", "evidence"]

    field_ids = {"closure": "closure", "on_day": "on-day", "evidence_record": "evidence_record"}
    closure = forms.ChoiceField(choices=CLOSURES,
                                error_messages={"required": "Select why the case can be closed"})
    school_urn = _text(max_length=20)
    school_name = _text(max_length=200)
    evidence_record = forms.ChoiceField(required=False)
    receiving_authority = _text(max_length=200)
    confirmed_by = _text(max_length=200)
    country = _text(max_length=100)
    evidence = _text()

    def __init__(self, data: Any = None, *, judgements: list[SuitabilityJudgement],
                 contacts: list[Contact]) -> None:
        super().__init__(data)
        self.records: dict[str, SuitabilityJudgement | Contact] = {}
        choices = [("", "Select a judgement or contact")]
        for j in judgements:
            self.records[f"j:{j.pk}"] = j
            choices.append((f"j:{j.pk}", f"Suitability judgement of {_day(j.decided_on)}: suitable"))
        for c in contacts:
            self.records[f"c:{c.pk}"] = c
            choices.append((f"c:{c.pk}", f"Contact of {_day(c.contact_date)}: {c.get_method_display()}"))
        field = self.fields["evidence_record"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        dated = cleaned.get("closure") in (CmeCase.Closure.ADMITTED, CmeCase.Closure.MOVED_KNOWN,
                                           CmeCase.Closure.MOVED_ABROAD)
        what = {CmeCase.Closure.ADMITTED: "the child was admitted",
                CmeCase.Closure.MOVED_KNOWN: "the receiving authority confirmed it",
                CmeCase.Closure.MOVED_ABROAD: "the child left"}.get(cleaned.get("closure", ""), "")
        cleaned["on"] = self.date(cleaned, "on", what) if dated else None
        return cleaned

    def chosen(self) -> dict[str, Any]:
        record = self.records.get(self.cleaned_data.get("evidence_record") or "")
        return {"suitability_judgement": record if isinstance(record, SuitabilityJudgement) else None,
                "contact": record if isinstance(record, Contact) else None}


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"
