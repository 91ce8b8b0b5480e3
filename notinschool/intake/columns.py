"""The columns of each import kind (docs/data-contract.md) and how a cell is read. Which kinds
there are, and what their rows do, is the one list in `intake.kinds`.

A parser turns a stripped cell into a value or raises CellError with a message for the
person who sent the file. An empty cell is None: "not known"."""

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings

from notinschool.core import clock
from notinschool.core.identifiers import nhs_number_valid, upn_temporary, upn_valid


class CellError(ValueError):
    pass


class CellWarning(CellError):
    """A cell in the right form whose value cannot be trusted (an NHS number or UPN failing its
    check character): the row is kept without the value, and the import warns with
    FILE:ROW:COLUMN. Where only errors are caught, it is one."""


Parser = Callable[[str], Any]

DELETION_GROUNDS = (
    "elective_home_education", "other_school", "moved_away", "failed_to_return_after_leave",
    "continuous_absence_20_days", "other", "permanently_excluded", "medically_unfit", "custody",
    "died", "dual_registration_ended",
)
EHE_REASONS = (
    "mental_health", "physical_health", "philosophical_or_preferential", "lifestyle", "religious",
    "dissatisfaction_with_school", "dissatisfaction_with_send_provision", "bullying",
    "risk_of_exclusion", "did_not_get_preferred_school", "other", "not_given",
)
INDICATORS = (
    "child_protection_plan", "section_47_enquiry", "child_in_need", "looked_after",
    "was_not_brought", "not_registered_with_gp", "immunisations_incomplete", "health_concern",
    "domestic_abuse_notification", "missing_episode", "exploitation_concern", "police_concern",
    "education_health_care_plan", "sen_support", "temporary_accommodation", "young_carer",
    "parental_mental_health", "parental_substance_misuse",
)
SCHOOL_TYPES = ("mainstream", "special", "alternative_provision", "independent")
CONTACT_METHODS = ("letter", "email", "phone", "home_visit", "other_visit", "online_meeting")
CONTACT_OUTCOMES = ("engaged", "declined", "no_reply")

_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")
_URN = re.compile(r"^\d{6,7}$")
_UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # below space, but tab and line ends
_SPACE = re.compile(r"\s+")


def text(max_length: int) -> Parser:
    def parse(cell: str) -> str:
        if len(cell) > max_length:
            raise CellError(f"is {len(cell)} characters long; at most {max_length} are allowed")
        if _CONTROL.search(cell):
            raise CellError("contains control characters")
        return cell
    return parse


_text_100 = text(100)


def name(cell: str) -> str:
    value = _text_100(cell)
    if not (value[:1].isalpha() or any(ch.isalpha() for ch in value)):
        raise CellError(f"{value!r} is not a name")
    return value


def date(cell: str) -> dt.date:
    try:
        if _ISO_DATE.match(cell):  # the contract's form, so the usual one: tried first
            return dt.date.fromisoformat(cell)
        match = _UK_DATE.match(cell)
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        raise CellError(f"{cell!r} is not a real date") from None
    raise CellError(f"{cell!r} is not a date: write it as YYYY-MM-DD or DD/MM/YYYY")


EARLIEST_EVENT = dt.date(2000, 1, 1)
"""No notification, referral or contact the register takes is dated before this."""
CHILD_MAX_AGE_YEARS = 25
"""A child in a school, parent, referral or contact file is at most this old on the as-of date."""
EARLIEST_FACT = dt.date(1900, 1, 1)
"""No agency fact starts before this (a fact may start before the person's birth: a household's
record, a pre-birth plan)."""

_FIXED: list[tuple[dt.date, dt.date]] = []  # (today, the latest plausible event date) for one parse


def future_days() -> int:
    """How many days after today an event may be dated (setting NOTINSCHOOL_FUTURE_DATE_DAYS,
    7 by default: a school may send a deletion dated the end of the week)."""
    return int(getattr(settings, "NOTINSCHOOL_FUTURE_DATE_DAYS", 7))


@contextmanager
def today_fixed() -> Iterator[None]:
    """Read the clock (and the setting) once for a whole file, not once a row."""
    day = clock.today()
    _FIXED.append((day, day + dt.timedelta(days=future_days())))
    try:
        yield
    finally:
        _FIXED.pop()


def as_of() -> dt.date:
    """Today, as fixed for the file being read."""
    return _FIXED[-1][0] if _FIXED else clock.today()


def latest_event() -> dt.date:
    """The latest date an event in a file may have: today and `future_days()` more."""
    return _FIXED[-1][1] if _FIXED else clock.today() + dt.timedelta(days=future_days())


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _too_late(cell: str) -> str:
    return f"{cell!r} is in the future (more than {future_days()} days after {as_of().isoformat()})"


def birth_date(cell: str) -> dt.date:
    """A person's date of birth (agency files: parents and young adults too)."""
    value = date(cell)
    if value > as_of():
        raise CellError(f"{cell!r} is in the future")
    if value.year < 1900:
        raise CellError(f"{cell!r} is too long ago to be a child's date of birth")
    return value


def child_birth_date(cell: str) -> dt.date:
    """A child's date of birth: 0 to 25 years before the as-of date."""
    value = birth_date(cell)
    if value < years_before(as_of(), CHILD_MAX_AGE_YEARS):
        raise CellError(f"{cell!r} would make the child older than {CHILD_MAX_AGE_YEARS}: "
                        f"check the year")
    return value


def event_date(cell: str) -> dt.date:
    """The day something happened (a deletion, an admission, a notification received, a
    contact): from 1 January 2000 to a few days after today."""
    value = date(cell)
    if value > latest_event():
        raise CellError(_too_late(cell))
    if value < EARLIEST_EVENT:
        raise CellError(f"{cell!r} is before 1 January 2000: check the year")
    return value


def fact_start_date(cell: str) -> dt.date:
    """An agency fact's start: from 1900 to a few days after today."""
    value = date(cell)
    if value > latest_event():
        raise CellError(_too_late(cell))
    if value < EARLIEST_FACT:
        raise CellError(f"{cell!r} is before 1900: check the year")
    return value


def fact_end_date(cell: str) -> dt.date:
    """An agency fact's end: a day it ended, not one in the future (empty: still current)."""
    value = date(cell)
    if value > latest_event():
        raise CellError(f"{_too_late(cell)}: leave end_date empty while the fact is current")
    return value


DATE_PARSERS = (date, birth_date, child_birth_date, event_date, fact_start_date, fact_end_date)


def code(*allowed: str) -> Parser:
    def parse(cell: str) -> str:
        value = cell.strip().lower()
        if value not in allowed:
            raise CellError(f"{cell[:40]!r} is not one of: {', '.join(allowed)}")
        return value
    return parse


def upper_code(*allowed: str) -> Parser:
    def parse(cell: str) -> str:
        value = cell.strip().upper()
        if value not in allowed:
            raise CellError(f"{cell[:40]!r} is not one of: {', '.join(allowed)}")
        return value
    return parse


def yes_no(cell: str) -> bool:
    value = cell.strip().upper()
    if value in ("Y", "YES"):
        return True
    if value in ("N", "NO"):
        return False
    raise CellError(f"{cell[:40]!r} should be Y or N")


def postcode(cell: str) -> str:
    compact = _SPACE.sub("", cell.upper())
    match = _POSTCODE.match(compact)
    if not match:
        raise CellError(f"{cell[:40]!r} is not a UK postcode")
    return f"{match.group(1)} {match.group(2)}"


def urn(cell: str) -> str:
    if not _URN.match(cell):
        raise CellError(f"{cell[:40]!r} is not a school URN (6 or 7 digits)")
    return cell


def upn(cell: str) -> str:
    value = cell.upper()
    if not _UPN.match(value):
        raise CellError(f"{cell[:40]!r} is not a unique pupil number (13 characters)")
    if not upn_valid(value):
        kind = "temporary UPN" if upn_temporary(value) else "UPN"
        raise CellWarning(f"{value} fails the {kind}'s check letter (mistyped?): the row is kept, "
                          f"but the number is not used to match it")
    return value


def nhs_number(cell: str) -> str:
    digits = cell.replace(" ", "")
    if not (digits.isdigit() and len(digits) == 10):
        raise CellError(f"{cell[:40]!r} is not a 10-digit NHS number")
    if not nhs_number_valid(digits):
        raise CellWarning(f"{digits} fails the NHS number's check digit (mistyped?): the row is "
                          f"kept, but the number is not used to match it")
    return digits


def hours(cell: str) -> Decimal:
    try:
        value = Decimal(cell)
    except InvalidOperation:
        raise CellError(f"{cell[:40]!r} is not a number of hours") from None
    if not value.is_finite() or not Decimal(0) <= value <= Decimal(168):
        raise CellError(f"{cell[:40]!r} is not a number of hours in a week (0 to 168)")
    return value.quantize(Decimal("0.1"))


def providers(cell: str) -> list[dict[str, Any]]:
    entries = []
    for raw in filter(None, (p.strip() for p in cell.split(";"))):
        parts = [p.strip() for p in raw.split("|")]
        if len(parts) != 3 or not parts[0]:
            raise CellError(f"{raw[:60]!r} should be name|type|hours_per_week")
        entries.append({"name": text(200)(parts[0]), "type": text(100)(parts[1]),
                        "hours_per_week": str(hours(parts[2])) if parts[2] else None})
    return entries


def source_name(value: str) -> str:
    if not re.fullmatch(r"[a-z][a-z_]{0,39}", value):
        raise CellError(f"{value!r} is not an agency name: use one lower-case word")
    return value


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    required: bool = False


def _columns(*cols: Column) -> dict[str, Column]:
    return {c.name: c for c in cols}


_SEX = upper_code("F", "M", "U")
_NAMES = (Column("forename", name, True), Column("middle_names", text(200)),
          Column("surname", name, True))
_ADDRESS = (Column("address_line_1", text(200)), Column("address_line_2", text(200)),
            Column("town", text(100)))

ROLL_DELETIONS = _columns(
    Column("school_urn", urn, True), Column("school_name", text(200)),
    Column("school_type", code(*SCHOOL_TYPES)), Column("upn", upn), *_NAMES,
    Column("sex", _SEX), Column("date_of_birth", child_birth_date, True), *_ADDRESS,
    Column("postcode", postcode, True), Column("parent1_name", text(200)),
    Column("parent1_phone", text(40)), Column("parent2_name", text(200)),
    Column("parent2_phone", text(40)), Column("deletion_ground", code(*DELETION_GROUNDS), True),
    Column("deletion_date", event_date, True), Column("destination_school_urn", urn),
    Column("destination_school_name", text(200)), Column("future_address_line_1", text(200)),
    Column("future_postcode", postcode), Column("sen_provision", upper_code("E", "K", "N")),
    Column("ethnicity", text(4)), Column("la_arranged_special_placement", yes_no),
    Column("notes", text(5000)),
)

SCHOOL_ADMISSIONS = _columns(
    Column("school_urn", urn, True), Column("upn", upn), *_NAMES, Column("sex", _SEX),
    Column("date_of_birth", child_birth_date, True), Column("postcode", postcode),
    Column("admission_date", event_date, True),
)


def _parent(n: int, required: bool) -> tuple[Column, ...]:
    return (Column(f"parent{n}_name", text(200), required),
            Column(f"parent{n}_address_line_1", text(200)), Column(f"parent{n}_postcode", postcode),
            Column(f"parent{n}_phone", text(40)), Column(f"parent{n}_email", text(200)),
            Column(f"parent{n}_educates", yes_no))


PARENT_REGISTRATIONS = _columns(
    *_NAMES, Column("sex", _SEX), Column("date_of_birth", child_birth_date, True), *_ADDRESS,
    Column("postcode", postcode, True), Column("moved_in_date", date),
    Column("previous_address_line_1", text(200)), Column("previous_postcode", postcode),
    *_parent(1, True), *_parent(2, False), Column("hours_parent_per_week", hours),
    Column("hours_other_per_week", hours), Column("providers", providers),
    Column("reason", code(*EHE_REASONS)), Column("last_school_urn", urn),
    Column("date_received", event_date, True),
)

REFERRALS = _columns(
    Column("referrer_agency", text(200)), Column("referrer_name", text(200)),
    Column("date_received", event_date, True), Column("forename", name), Column("surname", name, True),
    Column("date_of_birth", child_birth_date), Column("address_line_1", text(200)),
    Column("postcode", postcode), Column("concern", text(5000)),
)

CONTACTS = _columns(
    Column("forename", name, True), Column("surname", name, True),
    Column("date_of_birth", child_birth_date, True), Column("postcode", postcode),
    Column("contact_date", event_date, True), Column("method", code(*CONTACT_METHODS), True),
    Column("child_seen", yes_no), Column("seen_alone", yes_no),
    Column("outcome", code(*CONTACT_OUTCOMES), True), Column("recorded_by", text(200)),
    Column("notes", text(5000)),
)

AGENCY = _columns(
    Column("record_id", text(100), True), *_NAMES, Column("sex", _SEX),
    Column("date_of_birth", birth_date, True), Column("address_line_1", text(200)),
    Column("postcode", postcode), Column("nhs_number", nhs_number), Column("upn", upn),
    Column("parent1_name", text(200)), Column("parent2_name", text(200)),
    Column("indicator", code(*INDICATORS), True), Column("start_date", fact_start_date, True),
    Column("end_date", fact_end_date), Column("detail", text(5000)),
)

def looks_like_formula(value: str) -> bool:
    return value.startswith(_FORMULA_START)
