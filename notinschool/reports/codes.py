"""The termly collection's code lists, as data: each a versioned table of codes with their
labels, the term from which the version is valid, and whether each name is confirmed.

The DfE's termly elective home education (EHE) and children missing education (CME) collection
asks for each child's primary reason for home education, the primary reason a child is missing
education, how long the child has been missing, the type of school the child last attended,
social care status and special educational needs provision. The codes here are the project's
(the return's CSV has always used them, `docs/data-contract.md` section 8); the labels are the
names the return shows.

What is confirmed, and against what: the collection guide for 2025 to 2026 could not be read
when these tables were written. A name marked `confirmed` matches a category the DfE's
published EHE or CME statistics use (the breakdowns of their releases from autumn 2022), or a
school census code (`sen`). A name not confirmed is marked so here and on the return page, and
must be checked against the guide before a return is submitted; the reasons the collection
added in autumn 2025 are among those to check. Change a label here, never a code already used
by a record (records keep their codes; a new version adds codes from its own term).

Intake codes (what a school's deletion, a parent's registration or a handover file carries)
map to collection codes in ONE table, `INTAKE_TO_COLLECTION`; an empty or unrecognised value
is `unknown`."""

import datetime as dt
from dataclasses import dataclass

from notinschool.cme.reasons import CONFIRMED as CME_CONFIRMED
from notinschool.cme.reasons import REASONS as CME_REASON_LABELS


@dataclass(frozen=True)
class Code:
    code: str
    label: str
    confirmed: bool = True
    # the first term the code was collected, where it came later than its list
    since: str = ""


@dataclass(frozen=True)
class CodeList:
    """One of the collection's category lists, in the order of the return's rows."""
    name: str
    title: str
    version: str
    valid_from: dt.date
    codes: tuple[Code, ...]
    source: str

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.codes)

    def label(self, code: str) -> str:
        for c in self.codes:
            if c.code == code:
                return c.label
        return code.replace("_", " ")

    def confirmed(self, code: str) -> bool:
        return any(c.code == code and c.confirmed for c in self.codes)


AUTUMN_2025 = dt.date(2025, 9, 1)
_STATISTICS = "the DfE's published EHE and CME statistics (breakdowns from autumn 2022)"
_UNCHECKED = "not confirmed against the 2025 to 2026 collection guide"

EHE_REASON = CodeList(
    "reason", "Primary reason for elective home education", "2025-26", AUTUMN_2025, (
        Code("mental_health", "Mental health"),
        Code("physical_health", "Physical health"),
        Code("philosophical_or_preferential", "Philosophical or preferential"),
        Code("lifestyle", "Lifestyle choice"),
        Code("religious", "Religious reasons"),
        Code("dissatisfaction_with_school", "Dissatisfaction with school (general)"),
        Code("dissatisfaction_with_send_provision", "Dissatisfaction with school: SEND provision"),
        Code("bullying", "Dissatisfaction with school: bullying"),
        Code("risk_of_exclusion", "Risk of exclusion from school"),
        Code("did_not_get_preferred_school", "Did not get a place at the preferred school"),
        Code("other", "Other"),
        Code("not_given", "Parent gave no reason"),
        Code("unknown", "Not known (not recorded)"),
    ), _STATISTICS + "; the reasons added in autumn 2025 are " + _UNCHECKED)

CME_REASON = CodeList(
    "cme_reason", "Primary reason for missing education", "2025-26", AUTUMN_2025,
    tuple(Code(code, label, confirmed=code in CME_CONFIRMED or code in ("other", "unknown"))
          for code, label in CME_REASON_LABELS.items()),
    "notinschool/cme/reasons.py: four names match " + _STATISTICS + "; the others are "
    + _UNCHECKED)

TIME_MISSING = CodeList(
    "time_missing", "Time missing education", "2025-26", AUTUMN_2025, (
        Code("12_weeks_or_less", "12 weeks or less"),
        Code("over_12_weeks", "More than 12 weeks"),
        Code("unknown", "Not known"),
    ), "the DfE's CME statistics (autumn 2025/26 release): 12 weeks or less, more than 12 weeks, "
       "not known")

PREVIOUS_SCHOOL_TYPE = CodeList(
    "previous_school_type", "Type of school last attended", "2025-26", AUTUMN_2025, (
        Code("mainstream", "Mainstream school", confirmed=False),
        Code("special", "Special school", confirmed=False),
        Code("alternative_provision", "Alternative provision", confirmed=False),
        Code("independent", "Independent school", confirmed=False),
        Code("none", "No school deletion recorded", confirmed=False),
        Code("unknown", "School did not say", confirmed=False),
    ), "the school's deletion's school_type; the categories are " + _UNCHECKED)

SOCIAL_CARE = CodeList(
    "social_care", "Social care status on the census date", "2025-26", AUTUMN_2025, (
        Code("child_in_need", "Child in need"),
        Code("child_protection_plan", "Child protection plan"),
        Code("looked_after", "Looked after"),
        Code("none", "None known"),
    ), "the children's social care statuses of the collection; a child counts under each "
       "that applies")

SEN = CodeList(
    "sen", "Special educational needs provision", "2025-26", AUTUMN_2025, (
        Code("E", "Education, health and care plan"),
        Code("K", "SEN support"),
        Code("N", "No special educational needs"),
        Code("unknown", "Not known"),
    ), "the school census SEN provision codes E, K and N")

SEX = CodeList(
    "sex", "Sex", "2025-26", AUTUMN_2025, (
        Code("F", "Female"), Code("M", "Male"), Code("U", "Not known")),
    "the school census codes")

YEAR_GROUP = CodeList(
    "year_group", "National curriculum year group", "2025-26", AUTUMN_2025,
    (Code("R", "Reception"), *(Code(str(n), f"Year {n}") for n in range(1, 12))),
    "the year group of the child's age on 31 August before the census date")

CODE_LISTS: dict[str, CodeList] = {c.name: c for c in (
    SEX, YEAR_GROUP, EHE_REASON, SEN, TIME_MISSING, CME_REASON, PREVIOUS_SCHOOL_TYPE, SOCIAL_CARE)}

# intake code -> collection code, per list; anything not listed is `unknown`
INTAKE_TO_COLLECTION: dict[str, dict[str, str]] = {
    "reason": {code: code for code in EHE_REASON.values if code != "unknown"},
    "sen": {"E": "E", "K": "K", "N": "N"},
    "previous_school_type": {"mainstream": "mainstream", "special": "special",
                             "alternative_provision": "alternative_provision",
                             "independent": "independent"},
    "cme_reason": {code: code for code in CME_REASON.values},
    "sex": {"F": "F", "M": "M"},
}


def collection_code(list_name: str, intake_code: str) -> str:
    """The collection's code for what a record holds (`unknown`, or `U` for sex, otherwise)."""
    fallback = "U" if list_name == "sex" else "unknown"
    return INTAKE_TO_COLLECTION[list_name].get(intake_code or "", fallback)


def label(list_name: str, code: str) -> str:
    code_list = CODE_LISTS.get(list_name)
    return code_list.label(code) if code_list else code.replace("_", " ")
