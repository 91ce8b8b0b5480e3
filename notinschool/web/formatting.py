"""How dates, times and codes read on GOV.UK pages (the GOV.UK style guide: '5 March 2014',
'2:05pm', sentence case)."""

import datetime as dt
from typing import Any

from django.utils import timezone

CODE_LABELS = {
    "ehe": "Electively home educated",
    "cme": "Missing education",
    "social_care": "Children's social care",
    "domestic_abuse": "Domestic abuse notification",
    "exploitation": "Exploitation panel",
    "youth_justice": "Youth justice",
    "nhs": "NHS",
    "gp": "GP",
}


def govuk_date(value: dt.date | None, empty: str = "Not known") -> str:
    if value is None:
        return empty
    return f"{value.day} {value:%B %Y}"


def govuk_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = timezone.localtime(value)
    hour = local.hour % 12 or 12
    return f"{govuk_date(local.date())} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


def humanise(code: Any) -> str:
    """`child_protection_plan` reads 'Child protection plan'; known codes have their own label."""
    text = str(code or "")
    if text in CODE_LABELS:
        return CODE_LABELS[text]
    words = [CODE_LABELS.get(w, w) for w in text.split("_")]
    sentence = " ".join(words)
    return sentence[:1].upper() + sentence[1:]


def yes_no(value: bool | None, unknown: str = "Not known") -> str:
    return unknown if value is None else ("Yes" if value else "No")


TIER_TAG_CLASSES = {1: "govuk-tag--red", 2: "govuk-tag--orange", 3: "govuk-tag--yellow", 4: "govuk-tag--grey"}


def tier_classes(tier: int | None) -> str:
    return TIER_TAG_CLASSES.get(tier or 0, "govuk-tag--grey")


def choice_item(choice: list[Any], current: Any) -> dict[str, Any]:
    """A (value, label) choice as an item of govukSelect, selected when it is the current value."""
    value, text = choice
    return {"value": value, "text": text, "selected": str(value) == str(current or "")}
