"""The safeguarding partnership's assurance report: the seven questions the Child Safeguarding
Practice Review Panel asks partnerships to answer about children electively home educated
(its recommendation 3), each measured from the register, with the children missing from each
measure so someone can follow them up.

The children measured are those on the register now as home educated or missing education
(status `ehe` or `cme`). Each measure is a share: the children it applies to, and those of them
who meet it. Where the register cannot tell (a check nobody recorded), the child counts as
missing from the measure: the report shows what the records show.

1. Identified, with their characteristics: date of birth and sex recorded (the figures by
   status, sex, special needs and risk tier are beside it).
2. The child's voice: views recorded, seen, and seen alone, in a contact in the last 12 months.
3. Social care checked at the point of leaving school: for a child who came onto the register
   from a school's deletion in the last 12 months, a social care file compared with the
   register (an agency import of `social_care`) on or after the day the deletion arrived;
   how fast is the median days between the two.
4. Health checked likewise (`health`): the health professionals may be the only ones who see
   the child.
5. A plan where one is needed: children at tier 1 of the risk model with a plan in force.
6. Professionals-only meetings held where the risk model asked for one
   (`professionals_meeting`, raised in the last 12 months): a meeting held for that action,
   or for the child on or after the day it was raised.
7. Previously known children given particular attention: alerts to social care (raised in the
   last 12 months, due by now) acknowledged by their due date."""

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from notinschool.casework.models import Alert, Contact
from notinschool.intake.models import ImportBatch, ImportKind, Notification
from notinschool.people.models import Child
from notinschool.plans.models import Meeting, Plan
from notinschool.reports import codes
from notinschool.risk.models import Assessment, RequiredAction

ON_REGISTER = ("ehe", "cme")
YEAR = dt.timedelta(days=365)

QUESTIONS = {
    1: "Are children clearly identified as home educated or missing education, with their "
       "numbers, characteristics and concerns known to the partners?",
    2: "Are children's voices, needs and views heard?",
    3: "Is what children's social care knows checked when a child leaves school, and quickly?",
    4: "Is what health professionals know checked when a child leaves school, and quickly?",
    5: "Is there a plan for each child who needs one?",
    6: "Are professionals-only meetings held where they are asked for?",
    7: "Are children already known to services given particular attention in time?",
}


@dataclass
class Measure:
    code: str
    question: int
    words: str
    met: list[UUID]
    missing: list[UUID]
    detail: str = ""

    @property
    def applies(self) -> int:
        return len(self.met) + len(self.missing)

    @property
    def share(self) -> float | None:
        return len(self.met) / self.applies if self.applies else None


@dataclass
class Assurance:
    as_of: dt.date
    children: int
    measures: list[Measure]
    characteristics: list[tuple[str, list[tuple[str, int]]]] = field(default_factory=list)

    def measure(self, code: str) -> Measure:
        return next(m for m in self.measures if m.code == code)


def _split(ids: list[UUID], met: set[UUID]) -> tuple[list[UUID], list[UUID]]:
    return [pk for pk in ids if pk in met], [pk for pk in ids if pk not in met]


def assurance(*, as_of: dt.date) -> Assurance:
    """The report as the records stand on `as_of` (the day it is run). Aggregates and child
    ids only; callers audit."""
    year_ago = as_of - YEAR
    # in no order (sorting 200,000 ids cost the database a second): the lists are shown by name
    rows = list(Child.objects.filter(status__in=ON_REGISTER).values_list(
        "pk", "status", "sex", "date_of_birth", "sen_provision"))
    ids = [r[0] for r in rows]
    # a subquery, not a list of ids: on 200,000 children an IN list costs seconds to send
    register = Child.objects.filter(status__in=ON_REGISTER).values("pk")
    measures: list[Measure] = []

    known = {pk for pk, _, sex, dob, _ in rows if dob is not None and sex in ("F", "M")}
    measures.append(Measure("identified", 1, "Date of birth and sex recorded", *_split(ids, known)))

    contacts = Contact.objects.filter(child_id__in=register, state=Contact.State.DONE,
                                      contact_date__gt=year_ago, contact_date__lte=as_of)
    views = set(contacts.exclude(child_views="").values_list("child_id", flat=True))
    seen = set(contacts.filter(child_seen=True).values_list("child_id", flat=True))
    alone = set(contacts.filter(seen_alone=True).values_list("child_id", flat=True))
    measures += [
        Measure("views", 2, "The child's views recorded in the last 12 months", *_split(ids, views)),
        Measure("seen", 2, "The child seen in the last 12 months", *_split(ids, seen)),
        Measure("seen_alone", 2, "The child seen alone in the last 12 months", *_split(ids, alone)),
    ]

    left_school: dict[UUID, dt.date] = {}
    for pk, received in (Notification.objects.filter(
            kind=ImportKind.ROLL_DELETIONS, child_id__in=register, received_date__gt=year_ago,
            received_date__lte=as_of).order_by("received_date").values_list("child_id", "received_date")):
        left_school.setdefault(pk, received)
    for question, source, words in ((3, "social_care", "children's social care"), (4, "health", "health")):
        imports = sorted(d.date() for d in ImportBatch.objects.filter(kind="agency", source=source)
                         .values_list("created_at", flat=True))
        checked: dict[UUID, int] = {}
        for pk, received in left_school.items():
            after = next((day for day in imports if received <= day <= as_of), None)
            if after is not None:
                checked[pk] = (after - received).days
        days = sorted(checked.values())
        detail = (f"median {statistics.median(days):g} days from the deletion arriving"
                  if days else "")
        measures.append(Measure(
            f"checked_{source}", question,
            f"Left school in the last 12 months and checked against {words}'s records",
            *_split(sorted(left_school, key=str), set(checked)), detail=detail))

    tier = dict(Assessment.objects.filter(child_id__in=register, is_latest=True)
                .values_list("child_id", "tier"))
    needing = [pk for pk in ids if tier.get(pk) == 1]
    planned = set(Plan.objects.filter(child_id__in=register, ended_on__isnull=True,
                                      start_date__lte=as_of).values_list("child_id", flat=True))
    measures.append(Measure("plan", 5, "At tier 1 and under a plan in force",
                            *_split(needing, planned)))

    asked = list(RequiredAction.objects.filter(
        child_id__in=register, code="professionals_meeting", raised_on__gt=year_ago,
        raised_on__lte=as_of).values_list("pk", "child_id", "raised_on"))
    meetings = list(Meeting.objects.filter(child_id__in={c for _, c, _ in asked}, held_on__lte=as_of)
                    .values_list("child_id", "required_action_id", "held_on"))
    held: set[UUID] = set()
    for action, child, raised in asked:
        if any(m_action == action or (m_child == child and held_on >= raised)
               for m_child, m_action, held_on in meetings):
            held.add(child)
    measures.append(Measure("meetings", 6, "Asked for a professionals-only meeting in the last "
                            "12 months and one held", *_split(
                                sorted({c for _, c, _ in asked}, key=str), held)))

    alerts = list(Alert.objects.filter(child_id__in=register, raised_on__gt=year_ago,
                                       due_date__lte=as_of).values_list(
        "child_id", "due_date", "acknowledged_at"))
    alerted = sorted({c for c, _, _ in alerts}, key=str)
    late = {c for c, due, at in alerts if at is None or (due is not None and at.date() > due)}
    measures.append(Measure("alerts", 7, "Alerted to social care in the last 12 months and the "
                            "alert acknowledged by its due date",
                            *_split(alerted, set(alerted) - late)))

    characteristics = [
        ("Status", _counts([r[1] for r in rows], {"ehe": "Home educated", "cme": "Missing education"})),
        ("Sex", _coded("sex", Counter(r[2] for r in rows), codes.SEX)),
        ("Special educational needs", _coded("sen", Counter(r[4] for r in rows), codes.SEN)),
        ("Risk tier", _counts([str(tier.get(pk, "")) for pk in ids],
                              {"1": "Tier 1", "2": "Tier 2", "3": "Tier 3", "4": "Tier 4",
                               "": "Not assessed"})),
    ]
    return Assurance(as_of, len(ids), measures, characteristics)


def _coded(list_name: str, recorded: Counter[str], code_list: codes.CodeList) -> list[tuple[str, int]]:
    """Counts of what records hold, by the collection's codes (each value mapped once)."""
    counted: Counter[str] = Counter()
    for value, n in recorded.items():
        counted[codes.collection_code(list_name, value)] += n
    return [(c.label, counted.get(c.code, 0)) for c in code_list.codes]


def _counts(values: list[str], labels: dict[str, str]) -> list[tuple[str, int]]:
    counted = Counter(values)
    return [(label, counted.get(code, 0)) for code, label in labels.items()]
