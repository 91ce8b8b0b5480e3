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
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, QuerySet

from notinschool.linkage.models import PersonMatch
from notinschool.people.ages import year_group
from notinschool.people.models import OPEN_STATUSES, SEN_CODES, Child
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
    """The scorecard on `as_of` (the caller checks who may see it and audits the run). Counted
    in the database (grouped counts come back, not a row a child: on 200,000 children the rows
    and the lists of their ids sent back in IN (...) cost tens of seconds)."""
    ends = month_ends(as_of, MONTHS + 12)
    counts = _over_time(_status_events(as_of), ends)
    months = []
    for i, end in enumerate(ends[12:], start=12):
        months.append(MonthRow(end, counts["on"][i], counts["starts"][i], counts["returns"][i],
                               counts["on"][i - 12] if i >= 12 else None))
    total = Child.objects.filter(status__in=OPEN_STATUSES).count()
    card = Scorecard(as_of=as_of, on_register=total, months=months)
    card.tables = tables(Child.objects.filter(status__in=OPEN_STATUSES), total, as_of)
    card.timings = timings(as_of - dt.timedelta(days=365), as_of)
    return card


def _sql_in(values: Any) -> str:
    """Our own codes as SQL literals (letters and underscores only)."""
    codes = [str(v) for v in values]
    if not all(c.replace("_", "").isalnum() for c in codes):
        raise ValueError(f"not a code: {codes}")
    return ", ".join(f"'{c}'" for c in codes)


_EVENTS_SQL = """
SELECT date, SUM(CASE WHEN now_on = 1 AND was_on = 0 THEN 1 ELSE 0 END),
       SUM(CASE WHEN now_on = 0 AND was_on = 1 THEN 1 ELSE 0 END),
       SUM(CASE WHEN now_on = 0 AND was_on = 1 AND status = 'returned_to_school' THEN 1 ELSE 0 END)
FROM (
    SELECT date, status, CASE WHEN status IN ({on}) THEN 1 ELSE 0 END AS now_on,
        COALESCE(LAG(CASE WHEN status IN ({on}) THEN 1 ELSE 0 END)
                 OVER (PARTITION BY child_id ORDER BY date, created_at), 0) AS was_on
    FROM people_statuschange WHERE date <= %s
) changes
WHERE now_on <> was_on
GROUP BY date
"""


def _status_events(as_of: dt.date) -> list[tuple[dt.date, int, int, int]]:
    """Each day's changes onto the register (starts), off it, and off it back to school, over
    the dated status history up to `as_of`: (day, on, off, returned)."""
    with connection.cursor() as cursor:
        cursor.execute(_EVENTS_SQL.format(on=_sql_in(sorted(_ON_REGISTER))), [as_of])
        return [(day if isinstance(day, dt.date) else dt.date.fromisoformat(day), on, off, back)
                for day, on, off, back in cursor.fetchall()]


def _over_time(events: list[tuple[dt.date, int, int, int]], ends: list[dt.date]) -> dict[str, list[int]]:
    """On the register at each month end, and starts and returns within each month (a month
    runs from the day after the previous end)."""
    on, starts, returns = [0] * len(ends), [0] * len(ends), [0] * len(ends)
    steps = [0] * (len(ends) + 1)  # changes in the count at each month end (one past the last)
    for day, joined, left, returned in events:
        index = bisect.bisect_left(ends, day)  # the first month end on or after the day
        steps[index] += joined - left
        if index < len(ends):
            starts[index] += joined
            returns[index] += returned
    running = 0
    for i in range(len(ends)):
        running += steps[i]
        on[i] = running
    return {"on": on, "starts": starts, "returns": returns}


def tables(children: QuerySet[Child], total: int, as_of: dt.date) -> list[Table]:
    """The tables of `children` (the register's on the scorecard; the annual report's, those on
    it at any time in the year), `total` of them, with phases on `as_of`."""
    def grouped(field: str) -> Counter[Any]:
        return Counter({row[field]: row["n"] for row in children.values(field)
                        .annotate(n=Count("pk")).order_by()})

    status, phase, sex, ethnicity, sen, reason = (Counter[str]() for _ in range(6))
    status.update(grouped("status"))
    for dob, n in grouped("date_of_birth").items():
        group = year_group(dob, as_of)
        phase[_PRIMARY if group in ("R", "1", "2", "3", "4", "5", "6") else
              _SECONDARY if group else _OTHER_AGE] += n
    for sx, n in grouped("sex").items():
        sex[{"F": "Female", "M": "Male"}.get(sx, "Not known")] += n
    for eth, n in grouped("ethnicity").items():
        ethnicity[_ETHNIC_GROUPS.get((eth or "")[:1], "Not known or refused")
                  if eth not in ("REFU", "NOBT") else "Not known or refused"] += n
    for sn, n in grouped("sen_provision").items():
        sen[SEN_CODES.get(sn, "Not known")] += n
    for why, n in children.filter(status="ehe").values_list("ehe_reason").annotate(
            n=Count("pk")).order_by():
        reason[(why or "not given").replace("_", " ").capitalize()] += n
    care_counts = Counter({_CARE[indicator]: n for indicator, n in _social_care(children, as_of).items()})
    care_counts["None known"] = total - sum(care_counts.values())
    latest = Assessment.objects.filter(is_latest=True, child__in=children.values("pk"))
    tiers = Counter(dict(latest.values_list("tier").annotate(n=Count("pk")).order_by()))
    tier_rows = [(f"Tier {t}", tiers.get(t, 0)) for t in (1, 2, 3, 4)]
    tier_rows.append(("Not assessed yet", total - sum(tiers.values())))
    soon = as_of + dt.timedelta(days=28)
    due = latest.filter(next_contact_due__isnull=False)
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


_CARE_SQL = """
SELECT CASE best WHEN 0 THEN 'child_protection_plan' WHEN 1 THEN 'looked_after'
                 ELSE 'child_in_need' END, COUNT(*)
FROM (
    SELECT m.child_id, MIN(CASE f.indicator WHEN 'child_protection_plan' THEN 0
                                            WHEN 'looked_after' THEN 1 ELSE 2 END) AS best
    FROM linkage_personmatch m
    JOIN linkage_agencyfact f ON f.person_id = m.person_id
    WHERE m.child_id IN ({children}) AND m.kind = %s AND m.state IN (%s, %s)
      AND f.indicator IN ('child_protection_plan', 'looked_after', 'child_in_need')
      AND f.start_date <= %s AND (f.end_date IS NULL OR f.end_date >= %s)
    GROUP BY m.child_id
) best_status
GROUP BY best
"""


def _social_care(children: QuerySet[Child], on: dt.date) -> dict[str, int]:
    """`children` by the most serious social care status their linked records show on `on`
    (children with none are not counted here)."""
    inner, inner_params = children.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_CARE_SQL.format(children=inner),
                       [*inner_params, PersonMatch.Kind.SAME_PERSON, *_EFFECTIVE, on, on])
        return dict(cursor.fetchall())


_TIMINGS_SQL = """
SELECT c.joined_register_date,
    (SELECT MIN(n.received_date) FROM intake_notification n WHERE n.child_id = c.id),
    (SELECT MIN(k.contact_date) FROM casework_contact k
     WHERE k.child_id = c.id AND k.state <> 'planned'),
    (SELECT MIN(k.contact_date) FROM casework_contact k
     WHERE k.child_id = c.id AND k.state <> 'planned' AND k.child_seen),
    COUNT(*)
FROM people_child c
WHERE c.joined_register_date >= %s AND c.joined_register_date <= %s
GROUP BY 1, 2, 3, 4
"""


def timings(since: dt.date, until: dt.date) -> list[Timing]:
    """For the children who joined from `since` to `until`: days from the first notification
    (else the day they joined) to the first contact, and to the child first seen."""
    def day(value: Any) -> dt.date | None:
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    contact_days: list[tuple[int, int]] = []  # (days, children)
    seen_days: list[tuple[int, int]] = []
    joined = 0
    with connection.cursor() as cursor:
        cursor.execute(_TIMINGS_SQL, [since, until])
        for joined_on, known, contact, seen, n in cursor.fetchall():
            first = day(known) or day(joined_on)
            joined += n
            for reached, into in ((day(contact), contact_days), (day(seen), seen_days)):
                if reached is not None and first is not None:
                    into.append((max(0, (reached - first).days), n))
    out = []
    for label, days in (("Notification to first contact with the family", contact_days),
                        ("Notification to the child being seen", seen_days)):
        measured = sum(n for _, n in days)
        out.append(Timing(label, _median(days), measured, joined - measured))
    return out


def _median(weighted: list[tuple[int, int]]) -> float | None:
    """The median of values each counted n times (as statistics.median of the expanded list)."""
    values = sorted(weighted)
    total = sum(n for _, n in values)
    if not total:
        return None
    def at(index: int) -> int:
        seen = 0
        for value, n in values:
            seen += n
            if index < seen:
                return value
        raise IndexError(index)
    middle = total // 2
    return at(middle) if total % 2 else (at(middle - 1) + at(middle)) / 2
