"""The records pages' forms: shape checks only; the services apply the rules."""

from typing import Any

from django import forms

from notinschool.records.models import SubjectAccessItem
from notinschool.web.forms import GovukForm

WHO = [("child", "The child (or someone acting for the child)"),
       ("parent", "A parent, about their own information")]


class RequestForm(GovukForm):
    field_ids = {"received_day": "received-day"}

    child_ref = forms.CharField(max_length=20, label="The child's register reference",
                                error_messages={"required": "Enter the child's register reference"})
    subject = forms.ChoiceField(choices=WHO, label="Who is asking?",
                                error_messages={"required": "Select who is asking"})
    parent_name = forms.CharField(required=False, max_length=200, label="The parent's full name",
                                  help_text="As it is on the child's record")
    requester_name = forms.CharField(required=False, max_length=200,
                                     label="Name of the person asking (optional)",
                                     help_text="Left empty: the child's or the parent's name")
    purpose = forms.CharField(max_length=2000, label="Purpose of the export", widget=forms.Textarea,
                              help_text="Kept with every audit event of this bundle",
                              error_messages={"required": "Enter the purpose of the export"})
    received_day = forms.CharField(required=False, max_length=2)
    received_month = forms.CharField(required=False, max_length=2)
    received_year = forms.CharField(required=False, max_length=4)

    def clean(self) -> dict[str, Any]:
        from notinschool.people.edit_forms import DateParts

        cleaned = super().clean() or {}
        if cleaned.get("subject") == "parent" and not (cleaned.get("parent_name") or "").strip():
            self.add_error("parent_name", "Enter the parent's full name")
        cleaned["received_date"] = DateParts.read(self, "received", "the request was received", required=True)
        return cleaned


class DecisionForm(GovukForm):
    """One held item: release or withhold, and why."""

    decision = forms.ChoiceField(choices=SubjectAccessItem.Decision.choices, label="Decision",
                                 error_messages={"required": "Select whether to release or withhold "
                                                             "this item"})
    reason = forms.CharField(max_length=2000, label="Reason", widget=forms.Textarea,
                             error_messages={"required": "Enter the reason for the decision"})


class HoldForm(GovukForm):
    child_ref = forms.CharField(max_length=20, label="The child's register reference",
                                error_messages={"required": "Enter the child's register reference"})
    reason = forms.CharField(max_length=2000, label="Why the record must be kept", widget=forms.Textarea,
                             help_text="For example, a claim, a complaint to the Ombudsman or a "
                                       "practice review",
                             error_messages={"required": "Enter why the record must be kept"})


class LiftForm(GovukForm):
    reason = forms.CharField(max_length=2000, label="Why the hold can be lifted", widget=forms.Textarea,
                             error_messages={"required": "Enter why the hold can be lifted"})
