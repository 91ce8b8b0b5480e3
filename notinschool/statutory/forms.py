"""Forms for the statutory path: one step (its fields depend on the step) and a manager's
approval. Shape checks only; statutory.services applies the rules (the order, the deadlines)."""

from typing import Any

from django import forms

from notinschool.casework.contact_forms import DateFields
from notinschool.statutory.models import StatutoryStep
from notinschool.statutory.services import K
from notinschool.web.forms import GovukForm

S = StatutoryStep
SERVED = (K.HOME_VISIT_REQUEST, K.PRELIMINARY_NOTICE, K.NOTICE_OF_INTENTION)
NAMES_SCHOOL = (K.NOTICE_OF_INTENTION, K.ORDER)


def _text(max_length: int = 10000) -> forms.CharField:
    return forms.CharField(required=False, max_length=max_length)


class StepForm(DateFields):
    """The fields a step needs: how its letter is served; the decision; the school named; who
    asks for a revocation, the date of a parent's application and the decision on it; reasons."""

    field_ids = {"service": "service", "outcome": "outcome", "schools": "schools",
                 "revoked_by": "revoked_by", "on_day": "on-day", "reasons": "reasons"}
    service = forms.ChoiceField(choices=S.Service.choices, required=False)
    outcome = forms.ChoiceField(required=False)
    schools = _text(400)
    parent_chose = forms.BooleanField(required=False)
    revoked_by = forms.ChoiceField(choices=S.By.choices, required=False)
    on_day = forms.CharField(required=False, max_length=2)
    on_month = forms.CharField(required=False, max_length=2)
    on_year = forms.CharField(required=False, max_length=4)
    reasons = _text()

    def __init__(self, data: Any = None, *, kind: str) -> None:
        super().__init__(data)
        self.kind = kind
        field = self.fields["outcome"]
        assert isinstance(field, forms.ChoiceField)
        if kind == K.DECISION:
            field.choices = [(S.Outcome.SATISFIED, S.Outcome.SATISFIED.label),
                             (S.Outcome.NOT_SATISFIED, S.Outcome.NOT_SATISFIED.label)]
        elif kind == K.REVOCATION:
            field.choices = [(S.Outcome.REVOKED, "Granted: the order is revoked"),
                             (S.Outcome.REFUSED, S.Outcome.REFUSED.label)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = self.kind
        if kind in SERVED and not cleaned.get("service"):
            self.add_error("service", "Select how the letter is served")
        if kind == K.DECISION and not cleaned.get("outcome"):
            self.add_error("outcome", "Select the decision")
        if kind in (K.DECISION, K.REVOCATION) and not (cleaned.get("reasons") or "").strip():
            self.add_error("reasons", "Enter the reasons for the decision")
        if kind in NAMES_SCHOOL and not (cleaned.get("schools") or "").strip():
            self.add_error("schools", "Enter the school the authority names")
        cleaned["application_on"] = None
        if kind == K.REVOCATION:
            if not cleaned.get("revoked_by"):
                self.add_error("revoked_by", "Select who asks for the order to be revoked")
            elif cleaned["revoked_by"] == S.By.PARENT:
                cleaned["application_on"] = self.date(cleaned, "on", "of the parent's application")
                if not cleaned.get("outcome"):
                    self.add_error("outcome", "Select the decision on the parent's application")
        return cleaned


class ApprovalForm(GovukForm):
    field_ids = {"decision": "decision"}
    decision = forms.ChoiceField(
        choices=[("approve", "Approve it: the step is taken now and its letter printed"),
                 ("return", "Return it to the officer with comments")],
        error_messages={"required": "Select whether you approve the step"})
    comments = _text()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("decision") == "return" and not (cleaned.get("comments") or "").strip():
            self.add_error("comments", "Enter your comments for the officer")
        return cleaned
