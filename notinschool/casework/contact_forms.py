"""Forms for the contacts pages: recording a contact, planning a visit, recording how a planned
visit went. Shape checks only (required, choices, a real date); casework.contacts applies the
rules (a child seen alone was seen, no contact in the future, ...)."""

import datetime as dt
from typing import Any

from django import forms

from notinschool.accounts.selectors import officer_list
from notinschool.casework.contacts import MISSED_OUTCOMES, Outcome
from notinschool.casework.models import Contact
from notinschool.web.forms import GovukForm

AWAITING = "awaiting"
RESPONSES = [*Contact.Outcome.choices, (AWAITING, "Awaiting a reply")]
SEEN_CHOICES = [("alone", "Yes, alone"), ("not_alone", "Yes, but not alone"), ("no", "No"),
                ("wrote", "No, but the child wrote (letter or email)")]
TEXTS = ("child_views", "parent_account", "education_approach", "education_resources",
         "education_time", "who_teaches", "concerns", "next_steps")


def _text(max_length: int = 5000) -> forms.CharField:
    return forms.CharField(required=False, max_length=max_length)


class DateFields(GovukForm):
    """A date as three boxes, `<prefix>_day`, `_month`, `_year` (GOV.UK's date input)."""

    def date(self, cleaned: dict[str, Any], prefix: str, what: str) -> dt.date | None:
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
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(field, f"The date {what} must be a real date, like 27 3 2026")
            return None


class OutcomeForm(DateFields):
    """How a contact went: the date, the parent's response, whether the child was seen, and
    what was said and described."""

    on_day = forms.CharField(required=False, max_length=2)
    on_month = forms.CharField(required=False, max_length=2)
    on_year = forms.CharField(required=False, max_length=4)
    outcome = forms.ChoiceField(choices=RESPONSES,
                                error_messages={"required": "Select how the parent responded"})
    seen = forms.ChoiceField(choices=SEEN_CHOICES,
                             error_messages={"required": "Select whether the child was seen"})
    child_views = _text()
    parent_account = _text()
    education_approach = _text()
    education_resources = _text()
    education_time = _text()
    who_teaches = _text(300)
    concerns = _text()
    next_steps = _text()

    dated = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.dated:
            cleaned["on"] = self.date(cleaned, "on", "of the contact")
        return cleaned

    def result(self) -> Outcome:
        data = self.cleaned_data
        seen = data["seen"]
        outcome = "" if data["outcome"] == AWAITING else data["outcome"]
        return Outcome(outcome=outcome, child_seen=seen in ("alone", "not_alone"),
                       seen_alone=seen == "alone", child_wrote=seen == "wrote",
                       **{name: data.get(name) or "" for name in TEXTS})


class ContactForm(OutcomeForm):
    field_ids = {"on_day": "on-day", "method": "method", "outcome": "outcome", "seen": "seen"}
    method = forms.ChoiceField(choices=Contact.Method.choices,
                               error_messages={"required": "Select how the contact was made"})
    place = _text(300)


class VisitDoneForm(OutcomeForm):
    field_ids = {"on_day": "on-day", "outcome": "outcome", "seen": "seen"}
    outcome = forms.ChoiceField(choices=Contact.Outcome.choices,
                                error_messages={"required": "Select how the parent responded"})
    seen = forms.ChoiceField(choices=SEEN_CHOICES[:3],
                             error_messages={"required": "Select whether the child was seen"})


class ReplyForm(OutcomeForm):
    """The reply to a letter or email (or that none came): no date, the contact keeps its own."""

    field_ids = {"outcome": "outcome", "seen": "seen"}
    dated = False
    outcome = forms.ChoiceField(choices=Contact.Outcome.choices,
                                error_messages={"required": "Select how the parent responded"})
    seen = forms.ChoiceField(choices=[("wrote", "Yes"), ("no", "No")],
                             error_messages={"required": "Select whether the child wrote"})


MISSED_CHOICES = [("not_at_home", "Nobody was at home, or nobody answered"),
                  ("refused", "The parent refused the visit"),
                  ("cancelled", "The visit was cancelled or moved")]
assert {value for value, _ in MISSED_CHOICES} == set(MISSED_OUTCOMES)


class VisitMissedForm(GovukForm):
    field_ids = {"reason": "reason"}
    reason = forms.ChoiceField(choices=MISSED_CHOICES,
                               error_messages={"required": "Select why the visit was missed"})
    notes = _text()


class VisitPlanForm(DateFields):
    field_ids = {"on_day": "on-day", "method": "method", "officer": "officer"}
    method = forms.ChoiceField(
        choices=[(m.value, m.label) for m in (Contact.Method.HOME_VISIT, Contact.Method.OTHER_VISIT)],
        error_messages={"required": "Select whether the visit is at home or elsewhere"})
    on_day = forms.CharField(required=False, max_length=2)
    on_month = forms.CharField(required=False, max_length=2)
    on_year = forms.CharField(required=False, max_length=4)
    place = forms.CharField(max_length=300, error_messages={"required": "Enter where the visit will be"})
    officer = forms.ChoiceField(error_messages={"required": "Select the officer who will visit"})
    notes = _text()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        officer = self.fields["officer"]
        assert isinstance(officer, forms.ChoiceField)
        officer.choices = [
            (str(u.pk), u.get_full_name() or u.get_username()) for u in officer_list()]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["on"] = self.date(cleaned, "on", "of the visit")
        if cleaned.get("officer"):
            cleaned["officer_user"] = officer_list().get(pk=cleaned["officer"])
        return cleaned
