"""Forms of the linkage pages (match review and possible duplicates): shape checks; the decision
services apply the rules."""

from typing import Any

from django import forms

from notinschool.linkage.models import PersonMatch
from notinschool.linkage.selectors import MatchFilter
from notinschool.web.formatting import humanise
from notinschool.web.forms import GovukForm

KIND_CHOICES = [("", "Any kind"), *((k.value, k.label) for k in PersonMatch.Kind)]


class MatchFilterForm(GovukForm):
    source = forms.ChoiceField(required=False, label="Agency")
    kind = forms.ChoiceField(required=False, label="Kind of match", choices=KIND_CHOICES)

    def __init__(self, *args: Any, sources: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [("", "Any agency"), *((s, humanise(s)) for s in sources)]
        source.error_messages["invalid_choice"] = "Select an agency from the list"
        kind = self.fields["kind"]
        kind.error_messages["invalid_choice"] = "Select a kind of match from the list"

    def search(self) -> MatchFilter:
        if not self.is_bound:
            return MatchFilter()
        return MatchFilter(source=self.cleaned_data["source"], kind=self.cleaned_data["kind"])


class _DecisionForm(GovukForm):
    """A choice and the reason for it, which is required."""

    field_ids = {"decision": "decision", "reason": "reason"}

    decision = forms.CharField(required=False)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for your decision")
        return str(reason)


class MatchDecisionForm(_DecisionForm):
    def clean_decision(self) -> str:
        decision = self.cleaned_data["decision"]
        if decision not in ("accept", "reject"):
            raise forms.ValidationError("Select whether this is a match")
        return str(decision)


class MatchUndoForm(GovukForm):
    field_ids = {"reason": "undo-reason"}

    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Enter the reason for undoing this match")
        return str(reason)


class DuplicateDecisionForm(_DecisionForm):
    """Same child (keep one of the two records) or different children, with a reason."""

    def __init__(self, *args: Any, records: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.records = records  # (child id, label) of the two records

    def clean_decision(self) -> str:
        decision = self.cleaned_data["decision"]
        if decision != "different" and decision not in {pk for pk, _ in self.records}:
            raise forms.ValidationError(
                "Select whether these are the same child, and if so which record to keep")
        return str(decision)
