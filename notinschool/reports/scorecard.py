"""The scorecard: the register over time and as it stands, in numbers a manager or the
safeguarding partnership reads without a spreadsheet, straight from the records.

- **Over time**: children on the register (status `ehe`, `cme` or `not_in_school_other`) at the
  end of each of the last 24 months, children joining (starts) and returning to school in each
  month, and the change on the same month a year before. Status follows the dated history
  (`StatusChange`), as the return does, not the day a file arrived.
- **As it stands** on the day: children by status, phase (primary: reception to year 6;
  secondary: years 7 to 11; other: outside compulsory school age or no date of birth), sex,
  ethnicity (the census's main groups), special educational needs, social care (from the
  child's own linked records, as the return reads them), the home education reason, the risk
  tier of the latest assessment, and contacts due (in the next 28 days) and overdue.
- **How fast**: for the children who joined in the last 12 months, the median days from the
  first notification to the first contact with the family, and to the child being seen (a
  contact recorded with the child seen), with how many are still waiting.

Aggregates only: no child is named, so the partnership's analyst sees it whole. Published
figures (the PDF and CSV marked for publication) hide small numbers (`reports.suppression`)."""

import bisect
import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from notinschool.casework.models import Contact
from notinschool.intake.models import Notification
from notinschool.linkage.models import AgencyFact, PersonMatch
from notinschool.people.ages import year_group
from notinschool.people.models import OPEN_STATUSES, SEN_CODES, Child, StatusChange
from notinschool.reports.suppression import suppress, suppress_one
from notinschool.risk.models import Assessment

MONTHS = 24
_ON_REGISTER = set(OPEN_STATUSES)
_ETHNIC_GROUPS = {"W": "White", "M": "Mixed", "A": "Asian or Asian British", "B": "Black or Black British",
                  "C": "Chinese", "O": "Any other ethnic group"}
_CARE = {"child_protection_plan": "Child protection plan", "looked_after": "Looked after",
         "child_in_need": "Child in need (no plan)"}
_EFFECTIVE = (PersonMatch.State.AUTOMATIC, PersonMatch.State.ACCEPTED)
_PRIMARY, _SECONDARY = "Primary (reception to year 6)", "Secondary (years 7 to 11)"
_OTHER_AGE = "Other (outside school age, or no date of birth)"
STATUS_WORDS = {"ehe": "Elective home education", "cme": "Missing education",
                "not_in_school_other": "Not in school, other"}


@dataclass
class Table:
    key: str
    title: str
    rows: list[tuple[str, int]]
    total: int

    def published(self) -> list[tuple[str, int | str]]:
        return list(zip([label for label, _ in self.rows],
                        suppress([c for _, c in self.rows], self.total), strict=True))


@dataclass
class MonthRow:
    month_end: dt.date
    on_register: int
    starts: int
    returns: int
    year_before: int | None  # on the register at the same month's end a year before

    @property
    def change(self) -> float | None:
        """The change on a year before, as a share (0.1 is 10 % more)."""
        if not self.year_before:
            return None
        return (self.on_register - self.year_before) / self.year_before


@dataclass
class Timing:
    label: str
    median_days: float | None
    measured: int
    waiting: int


@dataclass
class Scorecard:
    as_of: dt.date
    on_register: int
    months: list[MonthRow] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    timings: list[Timing] = field(default_factory=list)

    def table(self, key: str) -> Table:
        return next(t for t in self.tables if t.key == key)

    def csv_rows(self, *, published: bool) -> list[list[Any]]:
        """Every figure as `section, measure, value, count`: the months, then each table, then
        the timings; small numbers hidden when `published`."""
        one = suppress_one if published else (lambda c: c)
        rows: list[list[Any]] = []
        for m in self.months:
            for measure, count in (("on_register", m.on_register), ("starts", m.starts),
                                   ("returns_to_school", m.returns)):
                rows.append(["over_time", measure, m.month_end.isoformat(), one(count)])
        for table in self.tables:
            cells = table.published() if published else table.rows
            rows += [[table.key, "children", label, count] for label, count in cells]
            rows.append([table.key, "children", "total", one(table.total)])
        for t in self.timings:
            rows.append(["timings", t.label, "median_days", "" if t.median_days is None else t.median_days])
            rows.append(["timings", t.label, "measured", one(t.measured)])
            rows.append(["timings", t.label, "waiting", one(t.waiting)])
        return rows


def month_ends(as_of: dt.date, count: int = MONTHS) -> list[dt.date]:
    """The last `count` month ends up to `as_of` (the current month ends on `as_of`)."""
    ends = [as_of]
    first = as_of.replace(day=1)
    for _ in range(count - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
        ends.append((first.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1))
    return sorted(ends)


def scorecard(*, as_of: dt.date) -> Scorecard:
    """The scorecard on `as_of` (the caller checks who may see it and audits the run)."""
    ends = month_ends(as_of, MONTHS + 12)
    histories: dict[UUID, list[tuple[dt.date, str]]] = defaultdict(list)
    for pk, day, status in (StatusChange.objects.filter(date__lte=as_of)
                            .order_by("child_id", "date", "created_at")
                            .values_list("child_id", "date", "status").iterator(chunk_size=20000)):
        histories[pk].append((day, status))
    counts = _over_time(histories, ends)
    months = []
    for i, end in enumerate(ends[12:], start=12):
        months.append(MonthRow(end, counts["on"][i], counts["starts"][i], counts["returns"][i],
                               counts["on"][i - 12] if i >= 12 else None))
    children = list(Child.objects.filter(status__in=OPEN_STATUSES).values_list(
        "pk", "status", "sex", "date_of_birth", "ethnicity", "sen_provision", "ehe_reason").iterator(
        chunk_size=20000))
    card = Scorecard(as_of=as_of, on_register=len(children), months=months)
    card.tables = _tables(children, as_of)
    card.timings = _timings(as_of)
    return card


def _over_time(histories: dict[UUID, list[tuple[dt.date, str]]], ends: list[dt.date]) -> dict[str, list[int]]:
    """On the register at each month end, and starts and returns within each month (a month
    runs from the day after the previous end)."""
    on, starts, returns = [0] * len(ends), [0] * len(ends), [0] * len(ends)
    steps = [0] * (len(ends) + 1)  # changes in the count at each month end (one past the last)
    for history in histories.values():
        was_on = False
        spells: list[tuple[dt.date, dt.date | None]] = []
        begun: dt.date | None = None
        for day, status in history:
            now_on = status in _ON_REGISTER
            if now_on and not was_on:
                begun = day
                index = bisect.bisect_left(ends, day)
                if index < len(ends) and (index == 0 or day > ends[index - 1]):
                    starts[index] += 1
            elif was_on and not now_on:
                spells.append((begun, day))  # type: ignore[arg-type]
                if status == "returned_to_school":
                    index = bisect.bisect_left(ends, day)
                    if index < len(ends):
                        returns[index] += 1
            was_on = now_on
        if was_on:
            spells.append((begun, None))  # type: ignore[arg-type]
        for start, stop in spells:  # on at a month's end from the first end on or after the start
            steps[bisect.bisect_left(ends, start)] += 1  # until the first end on or after the stop
            if stop is not None:
                steps[bisect.bisect_left(ends, stop)] -= 1
    running = 0
    for i in range(len(ends)):
        running += steps[i]
        on[i] = running
    return {"on": on, "starts": starts, "returns": returns}


def _tables(children: list[tuple[Any, ...]], as_of: dt.date) -> list[Table]:
    total = len(children)
    status, phase, sex, ethnicity, sen, reason = (Counter[str]() for _ in range(6))
    for _pk, st, sx, dob, eth, sn, why in children:
        status[st] += 1
        group = year_group(dob, as_of)
        phase[_PRIMARY if group in ("R", "1", "2", "3", "4", "5", "6") else
              _SECONDARY if group else _OTHER_AGE] += 1
        sex[{"F": "Female", "M": "Male"}.get(sx, "Not known")] += 1
        ethnicity[_ETHNIC_GROUPS.get((eth or "")[:1], "Not known or refused")
                  if eth not in ("REFU", "NOBT") else "Not known or refused"] += 1
        sen[SEN_CODES.get(sn, "Not known")] += 1
        if st == "ehe":
            reason[(why or "not given").replace("_", " ").capitalize()] += 1
    ids = [row[0] for row in children]
    care = _social_care(ids, as_of)
    care_counts = Counter(_CARE[c] for c in care.values())
    care_counts["None known"] = total - sum(care_counts.values())
    tiers = Counter(Assessment.objects.filter(is_latest=True, child__status__in=OPEN_STATUSES)
                    .values_list("tier", flat=True).iterator(chunk_size=20000))
    tier_rows = [(f"Tier {t}", tiers.get(t, 0)) for t in (1, 2, 3, 4)]
    tier_rows.append(("Not assessed yet", total - sum(tiers.values())))
    soon = as_of + dt.timedelta(days=28)
    due = Assessment.objects.filter(is_latest=True, child__status__in=OPEN_STATUSES,
                                    next_contact_due__isnull=False)
    overdue = due.filter(next_contact_due__lt=as_of).count()
    due_soon = due.filter(next_contact_due__gte=as_of, next_contact_due__lte=soon).count()
    return [
        Table("status", "By status", _ordered(status, list(STATUS_WORDS), STATUS_WORDS), total),
        Table("phase", "By phase of education", sorted(phase.items()), total),
        Table("sex", "By sex", _ordered(sex, ["Female", "Male", "Not known"]), total),
        Table("ethnicity", "By ethnicity (main group)",
              _ordered(ethnicity, [*_ETHNIC_GROUPS.values(), "Not known or refused"]), total),
        Table("sen", "By special educational needs",
              _ordered(sen, [*SEN_CODES.values(), "Not known"]), total),
        Table("social_care", "Known to children's social care (the child's own records)",
              _ordered(care_counts, [*_CARE.values(), "None known"]), total),
        Table("reason", "Home education: the reason the parent gave",
              sorted(reason.items(), key=lambda r: -r[1]), status.get("ehe", 0)),
        Table("tier", "By risk tier (latest assessment)", tier_rows, total),
        Table("contacts", "Contacts with families",
              [("Overdue", overdue), ("Due in the next 28 days", due_soon)], overdue + due_soon),
    ]


def _ordered(counts: Counter[str], order: list[str],
             words: dict[str, str] | None = None) -> list[tuple[str, int]]:
    return [((words or {}).get(k, k), counts.get(k, 0)) for k in order]


def _social_care(ids: list[Any], on: dt.date) -> dict[Any, str]:
    """The most serious social care status of each child that has one, from its linked records."""
    links: dict[Any, set[Any]] = defaultdict(set)
    for child, person in PersonMatch.objects.filter(
            child_id__in=ids, kind=PersonMatch.Kind.SAME_PERSON, state__in=_EFFECTIVE
    ).values_list("child_id", "person_id").iterator(chunk_size=20000):
        links[person].add(child)
    rank = {"child_protection_plan": 0, "looked_after": 1, "child_in_need": 2}
    best: dict[Any, str] = {}
    for person, indicator, end in AgencyFact.objects.filter(
            person_id__in=list(links), indicator__in=list(rank), start_date__lte=on
    ).values_list("person_id", "indicator", "end_date").iterator(chunk_size=20000):
        if end is not None and end < on:
            continue
        for child in links[person]:
            if child not in best or rank[indicator] < rank[best[child]]:
                best[child] = indicator
    return best


def _timings(as_of: dt.date) -> list[Timing]:
    since = as_of - dt.timedelta(days=365)
    joined: dict[Any, dt.date] = {
        pk: day for pk, day in Child.objects.filter(
            joined_register_date__gte=since, joined_register_date__lte=as_of
        ).values_list("pk", "joined_register_date") if day is not None}
    first_known: dict[Any, dt.date] = {}
    for pk, received in (Notification.objects.filter(child_id__in=list(joined))
                         .values_list("child_id", "received_date").iterator(chunk_size=20000)):
        if pk not in first_known or received < first_known[pk]:
            first_known[pk] = received
    first_contact: dict[Any, dt.date] = {}
    first_seen: dict[Any, dt.date] = {}
    for pk, day, seen in (Contact.objects.filter(child_id__in=list(joined)).exclude(state="planned")
                          .values_list("child_id", "contact_date", "child_seen").iterator(chunk_size=20000)):
        if pk not in first_contact or day < first_contact[pk]:
            first_contact[pk] = day
        if seen and (pk not in first_seen or day < first_seen[pk]):
            first_seen[pk] = day
    out = []
    for label, reached in (("Notification to first contact with the family", first_contact),
                           ("Notification to the child being seen", first_seen)):
        days = [max(0, (reached[pk] - first_known.get(pk, joined[pk])).days)
                for pk in joined if pk in reached]
        out.append(Timing(label, statistics.median(days) if days else None, len(days),
                          len(joined) - len(days)))
    return out
