"""`export dfe-return`: the termly return's figures as a tidy CSV (data contract).

Columns `section, measure, breakdown, value, count`. Sections: `ehe_census` and `cme_census`
(children with that status on the census date) and `ehe_in_year` and `cme_in_year` (from
1 September of the school year to the census date). Every code of a breakdown gets a row,
zeros included; each breakdown sums to its total except `social_care`, where a child counts
under every value that applies (a child on a plan or looked after is also a child in need) and
`none` only where none does.

Status on a date follows the dates in the files (the status history), not the day a file was
imported. Only children of compulsory school age on the census date are counted; a child
whose date of birth is unknown cannot be shown to be, and is left out.

Missing education's time missing and primary reason (`cme_reason`) come from the child's
latest missing education case begun by the census date (cme.models.CmeCase).

Children whose records the retention job has deleted are counted from the anonymous facts it
kept (`reports.models.RetiredChild`), so a past census date's figures do not change."""

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.cme.models import CmeCase
from notinschool.cme.reasons import REASONS as CME_REASONS
from notinschool.core.errors import NotPermitted
from notinschool.intake.models import ImportKind, Notification
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.ages import is_compulsory_school_age, year_group
from notinschool.people.models import Child, StatusChange
from notinschool.reports import codes
from notinschool.reports.models import RetiredChild
from notinschool.statutory.models import StatutoryStep
from notinschool.statutory.selectors import steps_counted

COLUMNS = ("section", "measure", "breakdown", "value", "count")

SEX = codes.SEX.values
YEAR_GROUPS = codes.YEAR_GROUP.values
REASONS = codes.EHE_REASON.values
SEN = codes.SEN.values
SOCIAL_CARE = codes.SOCIAL_CARE.values
TIME_MISSING = codes.TIME_MISSING.values
PREVIOUS_SCHOOL_TYPE = codes.PREVIOUS_SCHOOL_TYPE.values
IN_YEAR_MEASURES = ("children", "starts", "returns_to_school", "preliminary_notices",
                    "school_attendance_orders_issued", "school_attendance_orders_revoked")
_TWELVE_WEEKS = dt.timedelta(weeks=12)
_CHUNK = 20_000  # rows a fetch from the database; 2,000 (the default) meant 200 round trips
_SOCIAL_CARE_INDICATORS = ("child_in_need", "child_protection_plan", "looked_after")
_EFFECTIVE = (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED)


def school_year_start(on: dt.date) -> dt.date:
    return dt.date(on.year if on.month >= 9 else on.year - 1, 9, 1)


@dataclass
class _Child:
    pk: UUID
    sex: str
    dob: dt.date
    reason: str
    sen: str
    missing_since: dt.date | None
    history: list[tuple[dt.date, str]] = field(default_factory=list)
    # the missing education case behind the figures: missing since, closed on, reason
    cme_case: tuple[dt.date, dt.date | None, str] | None = None
    retired: bool = False
    # a deleted record's statutory steps, as the return counts them: (kind, outcome, taken on)
    steps: list[tuple[str, str, dt.date]] = field(default_factory=list)

    def status_on(self, day: dt.date) -> str:
        status = ""
        for date, value in self.history:
            if date > day:
                break
            status = value
        return status

    def spells(self, status: str, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date | None]]:
        """(from, to) periods with `status` that overlap [start, end]; `to` is the date the
        status changed to something else, or None if it had not by `end`."""
        result: list[tuple[dt.date, dt.date | None]] = []
        current: dt.date | None = None
        for date, value in [*self.history, (dt.date.max, "")]:
            if date > end and current is None:
                break
            if value == status and current is None:
                current = date
            elif value != status and current is not None:
                stop = date if date <= end else None
                if stop is None or stop >= start:
                    result.append((current, stop))
                current = None
                if date > end:
                    break
        return result


Key = tuple[str, str, str, str]


@dataclass
class DataWarning:
    """Where the data cannot support a figure: what is wrong and the children to fix."""
    code: str
    title: str
    children: list[UUID]


@dataclass
class Figures:
    """The return for one census date: its rows (as the CSV writes them) and, for each row
    (section, measure, breakdown, value), the children counted in it. One computation, so a
    figure and the list of children behind it cannot disagree. Children of deleted records
    (`retired`) are counted but have no record to list."""
    census_date: dt.date
    rows: list[list[Any]]
    members: dict[Key, list[UUID]]
    counted: set[UUID]
    retired: set[UUID]
    warnings: list[DataWarning]

    def children(self, key: Key) -> list[UUID]:
        """The children behind one figure who still have a record."""
        return [pk for pk in self.members.get(key, []) if pk not in self.retired]


def dfe_return_rows(*, actor: Actor, census_date: dt.date) -> Iterator[list[Any]]:
    """The return's rows, counted over the whole register and audited with the children
    counted. An export of the register (`EXPORT_REGISTER`), checked at the call."""
    if not actor.can(Cap.EXPORT_REGISTER):
        raise NotPermitted("your role cannot export the register")
    figures = dfe_return_figures(census_date)
    dfe_return_audit(actor, figures, action="export")
    return iter(figures.rows)


def dfe_return_audit(actor: Actor, figures: Figures, *, action: str, **detail: Any) -> None:
    """One audit event for a run of the return, naming the children it counted."""
    audit_record(actor=actor, action=action, object_type="dfe_return",
                 child_ids=sorted(figures.counted - figures.retired),
                 detail={"census_date": figures.census_date.isoformat(), "rows": len(figures.rows),
                         "retired_children": len(figures.retired), **detail})


def dfe_return_figures(census_date: dt.date) -> Figures:
    """The return's figures and the children behind each, not audited: callers audit
    (`dfe_return_rows`, the return's page)."""
    year_start = school_year_start(census_date)
    children = _children(census_date)
    _cme_cases_attach(children, census_date)
    retired = _retired_children(census_date)
    social_care = _social_care(children, census_date)
    previous_school = _previous_school_types(children)
    for child, care, school in retired:
        children[child.pk] = child
        social_care[child.pk] = care
        previous_school[child.pk] = school
    counted: set[UUID] = set()
    rows: list[list[Any]] = []
    members: dict[Key, list[UUID]] = {}
    census_of: dict[str, list[_Child]] = {}
    for status in ("ehe", "cme"):
        census = [c for c in children.values() if c.status_on(census_date) == status]
        census_of[status] = census
        rows += _section(f"{status}_census", "children", census, census_date, social_care,
                         members=members)
        counted |= {c.pk for c in census}
        in_year: list[_Child] = []
        starts: list[_Child] = []
        returns: list[_Child] = []
        for child in children.values():
            spells = child.spells(status, year_start, census_date)
            if not spells:
                continue
            in_year.append(child)
            if any(year_start <= begin <= census_date for begin, _ in spells):
                starts.append(child)
            if any(end is not None and year_start <= end <= census_date
                   and child.status_on(end) == "returned_to_school" for _, end in spells):
                returns.append(child)
        counted |= {c.pk for c in in_year}
        section = f"{status}_in_year"
        statutory = _statutory(children, status, year_start, census_date)
        for measure in IN_YEAR_MEASURES:
            group = {"children": in_year, "starts": starts, "returns_to_school": returns,
                     **statutory}.get(measure, [])
            rows += _section(section, measure, group, census_date, social_care,
                             previous_school if measure == "starts" else None, members=members)
    retired_ids = {child.pk for child, _, _ in retired}
    warnings = _warnings(census_date, census_of, retired_ids)
    return Figures(census_date, rows, members, counted, retired_ids, warnings)


def _warnings(census_date: dt.date, census_of: dict[str, list[_Child]],
              retired: set[UUID]) -> list[DataWarning]:
    """The census figures the data cannot fully support, each with the children to fix."""
    def ids(children: Iterable[_Child]) -> list[UUID]:
        return sorted((c.pk for c in children if c.pk not in retired), key=str)

    return [
        DataWarning("no_date_of_birth",
                "Home educated or missing education on the census date but no date of birth: "
                "left out of every figure", _without_date_of_birth(census_date)),
        DataWarning("ehe_reason_not_recorded",
                "Home educated on the census date with no reason recorded: counted as not known",
                ids(c for c in census_of["ehe"] if c.reason not in REASONS)),
        DataWarning("cme_reason_not_recorded",
                "Missing education on the census date with no primary reason recorded: counted "
                "as not known", ids(c for c in census_of["cme"] if _cme_reason(c) == "unknown")),
        DataWarning("time_missing_unknown",
                "Missing education on the census date since a date not known: time missing "
                "counted as not known",
                ids(c for c in census_of["cme"] if _time_missing(c, census_date) == "unknown")),
    ]


def _without_date_of_birth(census_date: dt.date) -> list[UUID]:
    """Children with status `ehe` or `cme` on the census date whose date of birth is not
    recorded, so the return cannot show they are of compulsory school age."""
    ids = set(StatusChange.objects.filter(
        status__in=("ehe", "cme"), date__lte=census_date,
        child__date_of_birth__isnull=True).exclude(child__status="merged")
        .values_list("child_id", flat=True))
    latest: dict[UUID, str] = {}
    for pk, status in (StatusChange.objects.filter(child_id__in=ids, date__lte=census_date)
                       .order_by("date", "created_at").values_list("child_id", "status")):
        latest[pk] = status
    return sorted((pk for pk, status in latest.items() if status in ("ehe", "cme")), key=str)


_STATUTORY_MEASURES = {
    "preliminary_notices": (StatutoryStep.Kind.PRELIMINARY_NOTICE, ""),
    "school_attendance_orders_issued": (StatutoryStep.Kind.ORDER, ""),
    "school_attendance_orders_revoked": (StatutoryStep.Kind.REVOCATION, StatutoryStep.Outcome.REVOKED),
}


def _statutory(children: dict[UUID, _Child], status: str, year_start: dt.date,
               census_date: dt.date) -> dict[str, list[_Child]]:
    """The children under the in-year notices and orders measures of `status`'s section: a
    preliminary notice, an order or a revocation taken (issued) on the statutory path from the
    start of the school year to the census date, on a day the child had that status. A child
    counts once a measure, however many such steps."""
    counted: dict[str, list[_Child]] = {}
    for measure, (kind, outcome) in _STATUTORY_MEASURES.items():
        taken = steps_counted(kind=kind, start=year_start, end=census_date, outcome=outcome)
        taken += [(c.pk, day) for c in children.values() if c.retired for k, o, day in c.steps
                  if k == kind and (not outcome or o == outcome) and year_start <= day <= census_date]
        ids = {pk for pk, day in taken if pk in children and children[pk].status_on(day) == status}
        counted[measure] = [children[pk] for pk in sorted(ids, key=str)]
    return counted


def _section(section: str, measure: str, group: list[_Child], census_date: dt.date,
             social_care: dict[UUID, set[str]],
             previous_school: dict[UUID, str] | None = None, *,
             members: dict[Key, list[UUID]] | None = None) -> list[list[Any]]:
    """The rows of one measure, and (into `members`) the children behind each row."""
    status = section.split("_", 1)[0]
    breakdowns: list[tuple[str, tuple[str, ...], Any]] = [
        ("sex", SEX, lambda c: c.sex if c.sex in SEX else "U"),
        ("year_group", YEAR_GROUPS, lambda c: _year_group(c.dob, census_date)),
    ]
    if status == "ehe":
        breakdowns.append(("reason", REASONS, lambda c: c.reason if c.reason in REASONS else "unknown"))
    breakdowns.append(("sen", SEN, lambda c: c.sen if c.sen in SEN else "unknown"))
    if status == "cme":
        breakdowns.append(("time_missing", TIME_MISSING, lambda c: _time_missing(c, census_date)))
        breakdowns.append(("cme_reason", codes.CME_REASON.values, _cme_reason))
    if previous_school is not None:
        breakdowns.append(("previous_school_type", PREVIOUS_SCHOOL_TYPE,
                           lambda c: previous_school.get(c.pk, "none")))
    cells: dict[Key, list[UUID]] = {(section, measure, "total", ""): [c.pk for c in group]}
    for name, values, key in breakdowns:
        by_code: dict[str, list[UUID]] = defaultdict(list)
        for child in group:
            by_code[key(child)].append(child.pk)
        cells |= {(section, measure, name, code): by_code.get(code, []) for code in values}
    care: dict[str, list[UUID]] = defaultdict(list)
    for child in group:
        for value in social_care.get(child.pk) or {"none"}:
            care[value].append(child.pk)
    cells |= {(section, measure, "social_care", code): care.get(code, []) for code in SOCIAL_CARE}
    if members is not None:
        members.update(cells)
    return [[*cell, len(pks)] for cell, pks in cells.items()]


@functools.lru_cache(maxsize=20_000)
def _year_group(dob: dt.date, census_date: dt.date) -> str:
    return year_group(dob, census_date)


def _time_missing(child: _Child, census_date: dt.date) -> str:
    """From the case: the date first known missing to the case's closure, or to the census
    date if it was open then. A child without a case: from the record's `missing_since`,
    else the start of the child's latest `cme` status, to the census date."""
    if child.cme_case is not None:
        begun, closed, _ = child.cme_case
        end = min(closed, census_date) if closed else census_date
        return "12_weeks_or_less" if end - begun <= _TWELVE_WEEKS else "over_12_weeks"
    since = child.missing_since
    if since is None:
        spells = child.spells("cme", dt.date.min, census_date)
        since = spells[-1][0] if spells else None
    if since is None or since > census_date:
        return "unknown"
    return "12_weeks_or_less" if census_date - since <= _TWELVE_WEEKS else "over_12_weeks"


def _cme_reason(child: _Child) -> str:
    reason = child.cme_case[2] if child.cme_case is not None else ""
    return reason if reason in CME_REASONS else "unknown"


def _cme_cases_attach(children: dict[UUID, _Child], census_date: dt.date) -> None:
    """Each child's latest missing education case begun by the census date (cme)."""
    # every case, not `child_id IN (...)`: a list of 200,000 ids costs more to send than the rows
    rows = (CmeCase.objects.filter(missing_since__lte=census_date)
            .order_by("missing_since", "created_at")
            .values_list("child_id", "missing_since", "closed_on", "primary_reason"))
    for pk, since, closed, reason in rows.iterator():
        if pk in children:
            children[pk].cme_case = (since, closed, reason)


def _children(census_date: dt.date) -> dict[UUID, _Child]:
    # subqueries, not lists of ids: 200,000 ids in an IN list cost seconds to build and send
    ids = StatusChange.objects.filter(status__in=("ehe", "cme"), date__lte=census_date) \
        .values("child_id")
    children: dict[UUID, _Child] = {}
    of_age = functools.cache(lambda dob: is_compulsory_school_age(dob, census_date))
    # a duplicate record merged into another is counted through the record it was merged into
    for pk, sex, dob, reason, sen, missing in Child.objects.filter(
            pk__in=ids, date_of_birth__isnull=False).exclude(status="merged").values_list(
            "pk", "sex", "date_of_birth", "ehe_reason", "sen_provision", "missing_since"
            ).iterator(chunk_size=_CHUNK):
        if dob is not None and of_age(dob):
            children[pk] = _Child(pk, sex, dob, reason, sen, missing)
    history = (StatusChange.objects.filter(child_id__in=ids, date__lte=census_date)
               .order_by("date", "created_at").values_list("child_id", "date", "status"))
    for pk, date, status in history.iterator(chunk_size=_CHUNK):
        if pk in children:
            children[pk].history.append((date, status))
    return children


def _retired_children(census_date: dt.date) -> list[tuple[_Child, set[str], str]]:
    """The children of deleted records, as the return reads them: each with the social care
    values that applied on the census date and the type of the school that deleted them."""
    out: list[tuple[_Child, set[str], str]] = []
    for row in RetiredChild.objects.filter(birth_month__isnull=False).iterator():
        history = [(dt.date.fromisoformat(day), status) for day, status in row.history
                   if dt.date.fromisoformat(day) <= census_date]
        if not any(status in ("ehe", "cme") for _, status in history):
            continue
        if not is_compulsory_school_age(row.birth_month, census_date):
            continue
        child = _Child(row.id, row.sex, row.birth_month, row.ehe_reason, row.sen_provision,
                       row.missing_since, history, retired=True,
                       steps=[(k, o, dt.date.fromisoformat(day)) for k, o, day in row.statutory_steps])
        cases = [(dt.date.fromisoformat(since), dt.date.fromisoformat(closed) if closed else None,
                  reason) for since, closed, reason in row.cme_cases
                 if dt.date.fromisoformat(since) <= census_date]
        child.cme_case = cases[-1] if cases else None
        care: set[str] = set()
        for indicator, start, end in row.social_care:
            if dt.date.fromisoformat(start) <= census_date and (
                    end is None or dt.date.fromisoformat(end) >= census_date):
                care |= {indicator, "child_in_need"}
        out.append((child, care, row.previous_school_type or "none"))
    return out


def _social_care(children: dict[UUID, _Child], census_date: dt.date) -> dict[UUID, set[str]]:
    """Social care values that apply on the census date, from the child's own linked records."""
    links = defaultdict(set)
    matches = PersonMatch.objects.filter(kind=PersonMatch.Kind.SAME_PERSON, state__in=_EFFECTIVE)
    for child, person in matches.values_list("child_id", "person_id").iterator():
        if child in children:
            links[person].add(child)
    result: dict[UUID, set[str]] = defaultdict(set)
    facts = AgencyFact.objects.filter(person_id__in=matches.values("person_id"),
                                      indicator__in=_SOCIAL_CARE_INDICATORS,
                                      start_date__lte=census_date)
    for person, indicator, end in facts.values_list("person_id", "indicator", "end_date").iterator():
        if (end is not None and end < census_date) or person not in links:
            continue
        for child in links[person]:
            result[child] |= {indicator, "child_in_need"}
    return result


def _previous_school_types(children: Iterable[UUID] | dict[UUID, _Child]) -> dict[UUID, str]:
    """The type of the school whose roll deletion put the child on the register: the latest
    deletion's `school_type`, `unknown` where the school did not say; `none` without one."""
    result: dict[UUID, str] = {}
    wanted = set(children)
    rows = Notification.objects.filter(kind=ImportKind.ROLL_DELETIONS, child__isnull=False)
    if len(wanted) < 1000:
        rows = rows.filter(child_id__in=wanted)
    for pk, school_type in (rows.order_by("event_date", "created_at")
                            .values_list("child_id", "school_type").iterator()):
        if pk in wanted:
            result[pk] = school_type if school_type in PREVIOUS_SCHOOL_TYPE else "unknown"
    return result


def retired_child_facts(child_id: UUID, *, on: dt.date) -> RetiredChild | None:
    """What the return reads of one child, anonymous, for the retention job to keep before it
    deletes the record (not saved). None for a record the return never counts: no date of
    birth, a duplicate merged into another, or never electively home educated nor missing
    education."""
    row = Child.objects.filter(pk=child_id).exclude(status="merged").values_list(
        "sex", "date_of_birth", "ehe_reason", "sen_provision", "missing_since").first()
    if row is None:
        return None
    sex, dob, reason, sen, missing = row
    if dob is None:
        return None
    history = list(StatusChange.objects.filter(child_id=child_id).order_by("date", "created_at")
                   .values_list("date", "status"))
    if not any(status in ("ehe", "cme") for _, status in history):
        return None
    people = PersonMatch.objects.filter(child_id=child_id, kind=PersonMatch.Kind.SAME_PERSON,
                                        state__in=_EFFECTIVE).values_list("person_id", flat=True)
    facts = AgencyFact.objects.filter(person_id__in=list(people), indicator__in=_SOCIAL_CARE_INDICATORS,
                                      start_date__isnull=False).order_by("start_date")
    return RetiredChild(
        sex=sex, birth_month=dob.replace(day=1), ehe_reason=reason, sen_provision=sen,
        missing_since=missing, history=[[day.isoformat(), status] for day, status in history],
        social_care=[[indicator, start.isoformat(), end.isoformat() if end else None]
                     for indicator, start, end in facts.values_list("indicator", "start_date", "end_date")],
        previous_school_type=_previous_school_types([child_id]).get(child_id, ""),
        cme_cases=[[since.isoformat(), closed.isoformat() if closed else None, reason]
                   for since, closed, reason in CmeCase.objects.filter(child_id=child_id)
                   .order_by("missing_since", "created_at")
                   .values_list("missing_since", "closed_on", "primary_reason")],
        statutory_steps=[[kind, outcome, day.isoformat()] for kind, outcome, day in StatutoryStep.objects
                         .filter(case__child_id=child_id, state=StatutoryStep.State.TAKEN)
                         .order_by("taken_on").values_list("kind", "outcome", "taken_on") if day],
        retired_on=on)
