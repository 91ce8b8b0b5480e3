"""Forms for suitability judgements: recording one (with the contacts it rests on) and a
manager's approval. Shape checks only; casework.suitability applies the rules."""

from typing import Any

from django import forms

from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.web.forms import GovukForm

J = SuitabilityJudgement


def _text(required: bool = False, message: str = "") -> forms.CharField:
    return forms.CharField(required=required, max_length=10000,
                           error_messages={"required": message} if message else None)


def contact_label(c: Contact) -> str:
    what = c.get_method_display()
    if c.state == Contact.State.MISSED:
        what += ", missed"
    if c.outcome:
        what += f" ({c.get_outcome_display().lower()})"
    return f"{c.contact_date.day} {c.contact_date:%B %Y}: {what}"


class SuitabilityForm(GovukForm):
    field_ids = {"judgement": "judgement", "unable_why": "unable_why", "contacts": "contacts"}
    judgement = forms.ChoiceField(choices=J.Judgement.choices,
                                  error_messages={"required": "Select the judgement"})
    unable_why = forms.ChoiceField(choices=J.Why.choices, required=False)
    reasons = _text(True, "Enter the reasons for the judgement")
    contacts = forms.MultipleChoiceField(required=False)
    documents = _text()
    child_views = _text()

    def __init__(self, data: Any = None, *, contacts: list[Contact]) -> None:
        super().__init__(data)
        self.contact_rows = {str(c.pk): c for c in contacts}
        field = self.fields["contacts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(str(c.pk), contact_label(c)) for c in contacts]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("judgement") == J.Judgement.UNABLE and not cleaned.get("unable_why"):
            self.add_error("unable_why", "Select why suitability could not be determined")
        return cleaned

    def chosen_contacts(self) -> list[Contact]:
        return [self.contact_rows[pk] for pk in self.cleaned_data.get("contacts") or ()]


class ApprovalForm(GovukForm):
    field_ids = {"decision": "decision"}
    decision = forms.ChoiceField(
        choices=[("approve", "Approve it: the judgement is in force"),
                 ("return", "Return it to the officer with comments")],
        error_messages={"required": "Select whether you approve the judgement"})
    comments = _text()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "return" and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Enter your comments for the officer")
        return cleaned
