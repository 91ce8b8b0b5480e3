"""The public pages' forms, one question page each (GOV.UK's question pages), with error
messages in GOV.UK's words. Every form has the honeypot `website`: a field people never see
(hidden), which form-filling robots fill in; a form that comes back with it filled is thrown
away, answered as if it had been taken."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms

from notinschool.core import clock
from notinschool.intake.columns import EHE_REASONS, CellError, postcode
from notinschool.web.forms import GovukForm

TEXT_MAX = 200
WORDS_MAX = 5000  # the most a message may hold (the page says so)
REASONS = [(r, r.replace("_", " ").replace("send", "SEND").capitalize()) for r in EHE_REASONS
           if r != "not_given"]
YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(required: bool = False, max_length: int = TEXT_MAX, message: str = "") -> forms.CharField:
    errors = {"required": message} if message else {}
    errors["max_length"] = f"Enter {max_length} characters or fewer"
    return forms.CharField(required=required, max_length=max_length, error_messages=errors)


class PublicForm(GovukForm):
    """A public question page: the honeypot, and three-box dates."""

    website = forms.CharField(required=False, max_length=200)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.order_fields([name for name in self.fields if name != "website"] + ["website"])

    @property
    def is_robot(self) -> bool:
        return bool(self.is_bound and (self.data.get("website") or "").strip())

    def date(self, prefix: str, what: str, required: bool = True) -> dt.date | None:
        parts = [(self.data.get(f"{prefix}_{p}") or "").strip() for p in ("day", "month", "year")]
        field = f"{prefix}_day"
        if not any(parts):
            if required:
                self.add_error(field, f"Enter {what}")
            return None
        missing = [n for n, p in zip(("day", "month", "year"), parts, strict=True) if not p]
        if missing:
            self.add_error(field, f"{what[0].upper()}{what[1:]} must include a {' and a '.join(missing)}")
            return None
        try:
            day, month, year = (int(p) for p in parts)
            return dt.date(year, month, day)
        except ValueError:
            self.add_error(field, f"{what[0].upper()}{what[1:]} must be a real date")
            return None

    def postcode_clean(self, name: str, required: bool) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if not value:
            if required:
                self.add_error(name, "Enter a postcode")
            return ""
        try:
            return postcode(value)
        except CellError:
            self.add_error(name, "Enter a real postcode, like DT1 1AA")
            return ""


def _date_fields(prefix: str) -> dict[str, forms.CharField]:
    return {f"{prefix}_day": forms.CharField(required=False, max_length=2),
            f"{prefix}_month": forms.CharField(required=False, max_length=2),
            f"{prefix}_year": forms.CharField(required=False, max_length=4)}


class ChildForm(PublicForm):
    field_ids = {"dob_day": "dob-day", "sex": "sex"}
    forename = _text(True, 100, "Enter your child's first name")
    middle_names = _text()
    surname = _text(True, 100, "Enter your child's last name")
    locals().update(_date_fields("dob"))
    sex = forms.ChoiceField(required=False,
                            choices=[("F", "Female"), ("M", "Male"), ("U", "Prefer not to say")])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        born = self.date("dob", "your child's date of birth")
        if born is not None:
            today = clock.today()
            if born > today:
                self.add_error("dob_day", "Your child's date of birth must be in the past")
            elif born < today.replace(year=today.year - 19):
                self.add_error("dob_day", "Your child must be 18 or younger")
            else:
                cleaned["date_of_birth"] = born.isoformat()
        return cleaned


class AddressForm(PublicForm):
    field_ids = {"moved_day": "moved-day"}
    address_line_1 = _text(True, message="Enter the first line of the address")
    address_line_2 = _text()
    town = _text(max_length=100)
    postcode = _text(True, 10, "Enter a postcode")
    locals().update(_date_fields("moved"))
    previous_address_line_1 = _text()
    previous_postcode = _text(max_length=10)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        cleaned["postcode"] = self.postcode_clean("postcode", True)
        moved = self.date("moved", "the date you moved to this address", required=False)
        cleaned["moved_in_date"] = moved.isoformat() if moved else ""
        today = clock.today()
        if moved and moved > today:
            self.add_error("moved_day", "The date you moved must be today or in the past")
        recent = moved is not None and moved > today - dt.timedelta(days=365)
        cleaned["previous_postcode"] = self.postcode_clean("previous_postcode", recent)
        if recent and not (cleaned.get("previous_address_line_1") or "").strip():
            self.add_error("previous_address_line_1", "Enter the first line of your previous address")
        return cleaned


class ParentsForm(PublicForm):
    """Every parent (up to two here; more in the message box of the education page)."""

    field_ids = {"p1_lives": "p1_lives", "p1_educates": "p1_educates", "p2_lives": "p2_lives",
                 "p2_educates": "p2_educates"}
    p1_name = _text(True, message="Enter the full name of the first parent")
    p1_phone = _text(max_length=40)
    p1_email = forms.EmailField(required=False, max_length=200,
                                error_messages={"invalid": "Enter an email address in the correct format, "
                                                "like name@example.com"})
    p1_lives = forms.ChoiceField(choices=YES_NO, error_messages={
        "required": "Select yes if the first parent lives at your child's address"})
    p1_address_line_1 = _text()
    p1_postcode = _text(max_length=10)
    p1_educates = forms.ChoiceField(choices=YES_NO, error_messages={
        "required": "Select yes if the first parent educates your child"})
    p2_name = _text()
    p2_phone = _text(max_length=40)
    p2_email = forms.EmailField(required=False, max_length=200,
                                error_messages={"invalid": "Enter an email address in the correct format, "
                                                "like name@example.com"})
    p2_lives = forms.ChoiceField(required=False, choices=YES_NO)
    p2_address_line_1 = _text()
    p2_postcode = _text(max_length=10)
    p2_educates = forms.ChoiceField(required=False, choices=YES_NO)
    confirmation_email = forms.EmailField(required=False, max_length=200, error_messages={
        "invalid": "Enter an email address in the correct format, like name@example.com"})

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        parents = []
        for n in (1, 2):
            name = (cleaned.get(f"p{n}_name") or "").strip()
            if not name:
                continue
            lives = cleaned.get(f"p{n}_lives")
            if n == 2 and not lives:
                self.add_error("p2_lives", "Select yes if the second parent lives at your child's address")
            elsewhere = lives == "no"
            if elsewhere and not (cleaned.get(f"p{n}_address_line_1") or "").strip():
                self.add_error(f"p{n}_address_line_1", "Enter the first line of this parent's address")
            code = self.postcode_clean(f"p{n}_postcode", elsewhere)
            educates = cleaned.get(f"p{n}_educates")
            parents.append({"name": name, "phone": cleaned.get(f"p{n}_phone", ""),
                            "email": cleaned.get(f"p{n}_email", ""), "lives_with_child": not elsewhere,
                            "address_line_1": cleaned.get(f"p{n}_address_line_1", "") if elsewhere else "",
                            "postcode": code if elsewhere else "",
                            "educates": None if not educates else educates == "yes"})
        cleaned["parents"] = parents
        return cleaned


def _hours(form: PublicForm, name: str) -> str:
    value = (form.cleaned_data.get(name) or "").strip()
    if not value:
        return ""
    try:
        hours = Decimal(value)
    except InvalidOperation:
        form.add_error(name, "Enter the hours as a number, like 15")
        return ""
    if not 0 <= hours <= 60:
        form.add_error(name, "Enter a number of hours from 0 to 60")
        return ""
    return str(hours.quantize(Decimal("0.1")))


PROVIDER_ROWS = 3


class EducationForm(PublicForm):
    field_ids = {"reason": "reason"}
    hours_parent = _text(max_length=6)
    hours_other = _text(max_length=6)
    locals().update({f"provider{n}_{part}": _text(max_length=100 if part != "hours" else 6)
                     for n in range(1, PROVIDER_ROWS + 1) for part in ("name", "type", "hours")})
    reason = forms.ChoiceField(required=False, choices=[("", "I would rather not say"), *REASONS])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        cleaned["hours_parent"] = _hours(self, "hours_parent")
        cleaned["hours_other"] = _hours(self, "hours_other")
        providers = []
        for n in range(1, PROVIDER_ROWS + 1):
            name = (cleaned.get(f"provider{n}_name") or "").strip()
            hours = _hours(self, f"provider{n}_hours")
            if name:
                providers.append({"name": name, "type": (cleaned.get(f"provider{n}_type") or "").strip(),
                                  "hours": hours})
            elif hours or (cleaned.get(f"provider{n}_type") or "").strip():
                self.add_error(f"provider{n}_name", "Enter the name of the provider")
        cleaned["providers"] = providers
        return cleaned


class ConfirmForm(PublicForm):
    """The check-your-answers page: only the honeypot."""


class CodeForm(PublicForm):
    """A letter's code and the child's date of birth."""

    field_ids = {"dob_day": "dob-day"}
    code = _text(True, 20, "Enter the code from the letter")
    locals().update(_date_fields("dob"))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        born = self.date("dob", "the date of birth")
        cleaned["date_of_birth"] = born
        return cleaned


CHANGE_CHOICES = [("address", "A new address"), ("education", "How the child is educated"),
                  ("providers", "Tutors, online schools or other providers")]


class ChangeForm(PublicForm):
    field_ids = {"topics": "topics"}
    topics = forms.MultipleChoiceField(choices=CHANGE_CHOICES, widget=forms.CheckboxSelectMultiple,
                                       error_messages={"required": "Select what has changed"})
    new_address = _text(max_length=500)
    moved_on = _text(max_length=40)
    education = _text(max_length=WORDS_MAX)
    providers = _text(max_length=WORDS_MAX)
    your_name = _text(True, message="Enter your name")
    your_phone_or_email = _text(max_length=200)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        topics = cleaned.get("topics") or []
        needs = {"address": ("new_address", "Enter the new address, with its postcode"),
                 "education": ("education", "Tell us how your child's education has changed"),
                 "providers": ("providers", "Tell us about the providers")}
        for topic in topics:
            field, message = needs[topic]
            if not (cleaned.get(field) or "").strip():
                self.add_error(field, message)
        return cleaned


class ViewsForm(PublicForm):
    field_ids = {"talk": "talk"}
    words = forms.CharField(max_length=WORDS_MAX, error_messages={
        "required": "Write what you want to tell us",
        "max_length": f"Write {WORDS_MAX} characters or fewer"})
    talk = forms.MultipleChoiceField(required=False, widget=forms.CheckboxSelectMultiple, choices=[
        ("yes", "I want to talk to someone about something worrying")])
