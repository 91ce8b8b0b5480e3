"""Forms for sending a file, for recording one notification by hand and for splitting a record.
Shape checks only: the cells are checked by the import service, with the same rules as a file's;
the split's rules are the split's (notinschool.intake.split)."""

import datetime as dt
from typing import Any

from django import forms

from notinschool.intake import columns as c
from notinschool.intake.kinds import intake_kind, intake_kinds
from notinschool.web.forms import GovukForm


def kind_labels() -> dict[str, str]:
    """Each intake kind's name as a person reads it."""
    return {k.slug: k.label for k in intake_kinds()}


class UploadForm(GovukForm):
    kind = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(label="Upload a file", error_messages={
        "required": "Select a CSV or XLSX file", "empty": "The selected file is empty"})
    source = forms.CharField(required=False, max_length=40, label="Agency the records come from")
    snapshot = forms.BooleanField(required=False, label="The file is the agency's whole current list")
    allow_large_end = forms.BooleanField(required=False,
                                         label="End the records this file leaves out")

    def __init__(self, *args: Any, kinds: tuple[str, ...], max_bytes: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k, intake_kind(k).label) for k in kinds]
        kind.error_messages["invalid_choice"] = "Select what the file holds"
        kind.error_messages["required"] = "Select what the file holds"
        self.max_bytes = max_bytes

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            limit = self.max_bytes // 2**20
            raise forms.ValidationError(f"The selected file must be smaller than {limit} MB")
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") == "agency":
            try:
                cleaned["source"] = c.source_name(cleaned.get("source", "").strip())
            except c.CellError:
                self.add_error("source", "Enter the agency as one lower-case word, like police or health")
        else:
            cleaned["source"], cleaned["snapshot"], cleaned["allow_large_end"] = "", False, False
        return cleaned


# -- recording a notification by hand ---------------------------------------------------------

def form_kinds() -> dict[str, tuple[str, str]]:
    """The kinds an officer may type in, by the form's URL slug: (intake kind, page heading)."""
    return {k.form[0]: (k.slug, k.form[1]) for k in intake_kinds() if k.form}

LABELS = {
    "school_urn": "School URN", "upn": "Unique pupil number (UPN)", "sex": "Sex",
    "sen_provision": "Special educational needs provision", "ethnicity": "Ethnicity code",
    "la_arranged_special_placement": "Special school place arranged by the authority",
    "destination_school_urn": "Destination school URN", "nhs_number": "NHS number",
    "hours_parent_per_week": "Hours a week taught by the parents",
    "hours_other_per_week": "Hours a week taught by others",
    "reason": "Reason for home education", "last_school_urn": "Last school URN",
    "moved_in_date": "Date they moved in", "date_received": "Date received",
    "referrer_agency": "Referring agency", "referrer_name": "Referrer's name",
    "concern": "Concern", "notes": "Notes", "providers": "Other education providers",
}
HINTS = {
    "school_urn": "6 or 7 digits", "upn": "13 characters, for example A123456789012",
    "providers": "Name|type|hours a week for each; separate providers with ;",
    "ethnicity": "School census code, for example WBRI",
}
CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "sex": (("F", "Female"), ("M", "Male"), ("U", "Not known")),
    "sen_provision": (("E", "Education, health and care plan"), ("K", "SEN support"), ("N", "None")),
    "deletion_ground": tuple((g, g.replace("_", " ").capitalize()) for g in c.DELETION_GROUNDS),
    "school_type": tuple((t, t.replace("_", " ").capitalize()) for t in c.SCHOOL_TYPES),
    "reason": tuple((r, r.replace("_", " ").capitalize()) for r in c.EHE_REASONS),
}
YES_NO = (("Y", "Yes"), ("N", "No"))
LONG_TEXT = {"notes", "concern"}
DATE_PARTS = ("day", "month", "year")


def is_date(column: c.Column) -> bool:
    return column.parse in c.DATE_PARSERS


def label_for(name: str) -> str:
    if name in LABELS:
        return LABELS[name]
    words = name.replace("_", " ").replace("parent1", "parent 1").replace("parent2", "parent 2")
    return words.replace("urn", "URN").capitalize()


class NotificationForm(GovukForm):
    """One notification of `kind`, a field per column of the data contract; dates as GOV.UK date
    inputs (day, month, year). `cells()` gives the row as a file would carry it."""

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.columns = dict(intake_kind(kind).columns)
        self.field_ids = {}
        for name, column in self.columns.items():
            if is_date(column):
                for part in DATE_PARTS:
                    self.fields[f"{name}_{part}"] = forms.CharField(required=False, max_length=4)
                self.field_ids[name] = f"{name}-day"
                continue
            self.fields[name] = self._field(name, column)

    def _field(self, name: str, column: c.Column) -> forms.Field:
        required = {"required": f"Enter the {label_for(name).lower()}"}
        choices = CHOICES.get(name) or (YES_NO if column.parse is c.yes_no else None)
        if choices:
            return forms.ChoiceField(required=column.required, label=label_for(name),
                                     choices=[("", "Not known"), *choices],
                                     error_messages={"required": f"Select the {label_for(name).lower()}"})
        widget = forms.Textarea if name in LONG_TEXT else forms.TextInput
        return forms.CharField(required=column.required, label=label_for(name), max_length=5000,
                               widget=widget, error_messages=required, help_text=HINTS.get(name, ""))

    @property
    def date_columns(self) -> list[str]:
        return [n for n, col in self.columns.items() if is_date(col)]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name in self.date_columns:
            cleaned[name] = self._date(name, [cleaned.get(f"{name}_{p}", "").strip() for p in DATE_PARTS])
        return cleaned

    def _date(self, name: str, parts: list[str]) -> str:
        label = label_for(name)
        if not any(parts):
            if self.columns[name].required:
                self.add_error(f"{name}_day", f"Enter the {label.lower()}")
            return ""
        missing = [n for n, p in zip(DATE_PARTS, parts, strict=True) if not p]
        if missing:
            self.add_error(f"{name}_day", f"{label} must include a {' and a '.join(missing)}")
            return ""
        try:
            day, month, year = (int(p) for p in parts)
            return dt.date(year, month, day).isoformat()
        except ValueError:
            self.add_error(f"{name}_day", f"{label} must be a real date, like 27 3 2014")
            return ""

    def cells(self) -> dict[str, str]:
        return {name: str(self.cleaned_data.get(name) or "").strip() for name in self.columns}

    def add_problem(self, column: str, message: str) -> None:
        """A problem the import service found in a cell, on the field that holds it."""
        field = f"{column}_day" if column in self.date_columns else column
        if field not in self.fields:
            self.add_error(None, message)
        else:
            self.add_error(field, f"{label_for(column)}: {message}")

    def error_list(self) -> list[dict[str, str]]:
        items = [{"text": str(e), "href": f"#{self.field_id(next(iter(self.columns)))}"}
                 for e in self.non_field_errors()]
        for name in self.columns:
            key = f"{name}_day" if name in self.date_columns else name
            items += [{"text": str(e), "href": f"#{self.field_id(name)}"} for e in self.errors.get(key, [])]
        return items


# -- splitting a wrong merge ------------------------------------------------------------------

class SplitForm(GovukForm):
    """The notifications to move to a new record (at least one, not all) and why."""

    field_ids = {"notifications": "notifications"}

    notifications = forms.MultipleChoiceField(
        error_messages={"required": "Select the notifications that were about another child"})
    reason = forms.CharField(max_length=2000, error_messages={
        "required": "Enter why these notifications are about another child"})

    def __init__(self, *args: object, choices: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.choices = choices
        self.fields["notifications"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        chosen = data.get("notifications") or []
        if chosen and len(chosen) == len(self.choices):
            self.add_error("notifications", "Leave at least one notification on this record")
        return data
