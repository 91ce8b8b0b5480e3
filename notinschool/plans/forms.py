"""Forms for the plans pages: shape checks only (required, choices, real dates); the services
apply the rules. Named people from agencies that do not sign in are typed one a line,
"name, agency"; dates are GOV.UK's three boxes."""

import datetime as dt
from typing import Any, cast

from django import forms

from notinschool.accounts.models import User
from notinschool.plans.models import HealthRecord, Plan
from notinschool.plans.services import Named
from notinschool.web.forms import GovukForm

ACTION_ROWS = 3
NOBODY = ""


def _user_choices(users: list[User]) -> list[tuple[str, str]]:
    return [(str(u.pk), f"{u.get_full_name() or u.get_username()} "
                        f"({u.agency.name if u.agency else u.role_label})") for u in users]


def _date_fields(prefix: str) -> dict[str, forms.Field]:
    return {f"{prefix}_{part}": forms.CharField(required=False, max_length=4)
            for part in ("day", "month", "year")}


class DatedForm(GovukForm):
    """A form with dates as three boxes, `<prefix>_day`, `_month`, `_year`."""

    def date(self, prefix: str, what: str, required: bool = True) -> dt.date | None:
        parts = [(self.data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
        field = f"{prefix}_day"
        if not any(parts):
            if required:
                self.add_error(field, f"Enter the date {what}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(field, f"The date {what} must be a real date, like 27 3 2026")
            return None


def named_people(text: str) -> list[Named]:
    people = []
    for line in text.splitlines():
        if line.strip():
            name, _, agency = line.partition(",")
            people.append(Named(name.strip(), agency.strip()))
    return people


def _others_field(label: str) -> forms.CharField:
    return forms.CharField(required=False, max_length=3000, label=label)


class PlanForm(DatedForm):
    field_ids = {"start_day": "start-day", "review_day": "review-day", "lead_name": "lead-name",
                 "lead_agency": "lead-agency"}
    kind = forms.ChoiceField(choices=Plan.Kind.choices, error_messages={
        "required": "Select the kind of plan", "invalid_choice": "Select the kind of plan"})
    lead = forms.ChoiceField(required=False)
    lead_name = forms.CharField(required=False, max_length=200)
    lead_agency = forms.CharField(required=False, max_length=200)
    members = forms.MultipleChoiceField(required=False)
    others = _others_field("Members from agencies that do not use the register")
    locals().update(_date_fields("start") | _date_fields("review"))

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {str(u.pk): u for u in users}
        cast(forms.ChoiceField, self.fields["lead"]).choices = [(NOBODY, "Someone else (below)"),
                                                                *_user_choices(users)]
        cast(forms.MultipleChoiceField, self.fields["members"]).choices = _user_choices(users)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["start_date"] = self.date("start", "the plan started")
        cleaned["review_date"] = self.date("review", "of the next review", required=False)
        cleaned["lead_user"] = self.users.get(cleaned.get("lead") or "")
        if cleaned["lead_user"] is None and not (cleaned.get("lead_name") or "").strip():
            self.add_error("lead_name", "Select the lead professional, or enter their name")
        if cleaned["lead_user"] is None and not (cleaned.get("lead_agency") or "").strip():
            self.add_error("lead_agency", "Enter the lead professional's agency")
        cleaned["member_users"] = [self.users[pk] for pk in cleaned.get("members") or []]
        cleaned["named"] = named_people(cleaned.get("others") or "")
        return cleaned


class ProgressForm(GovukForm):
    note = forms.CharField(max_length=2000, error_messages={"required": "Enter what progress was made"})


class PlanEndForm(DatedForm):
    field_ids = {"ended_day": "ended-day"}
    reason = forms.CharField(max_length=2000, error_messages={"required": "Enter why the plan ended"})
    locals().update(_date_fields("ended"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["ended_on"] = self.date("ended", "the plan ended")
        return cleaned


class MeetingForm(DatedForm):
    field_ids = {"held_day": "held-day", "action_1_what": "action-1-what"}
    question = forms.CharField(max_length=3000, error_messages={
        "required": "Enter the question the meeting was asked"})
    attendees = forms.MultipleChoiceField(required=False)
    others = _others_field("Other attendees")
    contributions = forms.CharField(required=False, max_length=10000)
    decisions = forms.CharField(max_length=10000, error_messages={"required": "Enter the decisions"})
    locals().update(_date_fields("held"))
    for _n in range(1, ACTION_ROWS + 1):
        locals().update({f"action_{_n}_what": forms.CharField(required=False, max_length=300),
                         f"action_{_n}_owner": forms.ChoiceField(required=False)}
                        | _date_fields(f"action_{_n}_due"))

    def __init__(self, *args: Any, users: list[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {str(u.pk): u for u in users}
        choices = _user_choices(users)
        cast(forms.MultipleChoiceField, self.fields["attendees"]).choices = choices
        for n in range(1, ACTION_ROWS + 1):
            cast(forms.ChoiceField, self.fields[f"action_{n}_owner"]).choices = [
                (NOBODY, "Select the owner"), *choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        cleaned["held_on"] = self.date("held", "of the meeting")
        cleaned["attendee_users"] = [self.users[pk] for pk in cleaned.get("attendees") or []]
        cleaned["named"] = named_people(cleaned.get("others") or "")
        actions = []
        for n in range(1, ACTION_ROWS + 1):
            what = (cleaned.get(f"action_{n}_what") or "").strip()
            owner = self.users.get(cleaned.get(f"action_{n}_owner") or "")
            has_date = any((self.data.get(f"action_{n}_due_{p}") or "").strip()
                           for p in ("day", "month", "year"))
            if not (what or owner or has_date):
                continue
            if not what:
                self.add_error(f"action_{n}_what", f"Enter what action {n} is")
            if owner is None:
                self.add_error(f"action_{n}_owner", f"Select who owns action {n}")
            due = self.date(f"action_{n}_due", f"action {n} is due")
            if what and owner is not None and due is not None:
                actions.append((what, owner, due))
        cleaned["actions"] = actions
        return cleaned

    def action_rows(self) -> list[int]:
        return list(range(1, ACTION_ROWS + 1))


class HealthRecordForm(GovukForm):
    service = forms.ChoiceField(required=False, choices=[("", "None"), *HealthRecord.Service.choices])
    offer = forms.ChoiceField(required=False, choices=[("", "Not recorded"), *HealthRecord.Offer.choices])
    gp = forms.ChoiceField(required=False, choices=[("", "Not recorded"), *HealthRecord.Gp.choices])
    concern = forms.CharField(required=False, max_length=5000)
    request_to_ehe = forms.CharField(required=False, max_length=2000)


class AlertOutcomeForm(GovukForm):
    outcome = forms.CharField(max_length=3000, error_messages={
        "required": "Enter what was done about the alert"})
