"""Keeping the register current with the calendar: children join it on the day they reach
compulsory school age, and leave it the day after that age ends (docs/legal-basis.md, 6).

A notification about a child below compulsory school age (a Reception pupil taken off roll to
be home educated, say) records the child but does not register them: section 436B's condition
B is not met yet. On the day the child reaches that age they become eligible, and join the
register with the status the notification implied (home educated for a deletion to home
education or a parent's registration, missing education for a deletion with no destination or
a referral). What a child's notifications imply is intake's to say, not people's: intake
registers a source here (`implied_status_source_register`), as apps register timeline entries.

Both services are dated by the law, not by the run: a run missed for a week still joins each
child on the day they reached the age; running again changes nothing."""

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.bulk import build, insert_many, update_many
from notinschool.core.errors import NotPermitted
from notinschool.people.ages import csa_end, csa_start
from notinschool.people.models import (
    OPEN_STATUSES,
    Child,
    EligibilityBasis,
    Status,
    StatusChange,
)
from notinschool.people.services import in_area, register_write_lock

# the parent's 15 days to tell the authority of home education (s.436D), from eligibility
PARENT_NOTIFICATION_DAYS = 15
_JOIN_FIELDS = ("status", "status_date", "joined_register_date", "eligibility_basis",
                "missing_since", "registration_due_date", "modified_at")


@dataclass(frozen=True)
class ImpliedStatus:
    """What a recorded child's notifications say their status would have been, had they been of
    compulsory school age: the status, why (in words), and the day they were admitted to a
    school after that notification, if they were."""

    status: str
    reason: str
    admitted_on: dt.date | None = None


ImpliedStatusSource = Callable[[list[UUID]], Mapping[UUID, ImpliedStatus]]
_SOURCES: dict[str, ImpliedStatusSource] = {}


def implied_status_source_register(key: str, source: ImpliedStatusSource) -> None:
    """Adds a source of implied statuses (a function of child ids); the same key replaces."""
    _SOURCES[key] = source


def _implied(child_ids: list[UUID]) -> dict[UUID, ImpliedStatus]:
    found: dict[UUID, ImpliedStatus] = {}
    for key in sorted(_SOURCES):
        found.update(_SOURCES[key](child_ids))
    return found


def children_reach_school_age(*, actor: Actor, on: dt.date | None = None) -> list[UUID]:
    """Recorded children (in the area, not merged, with a date of birth) who have reached
    compulsory school age by `on` (today) join the register from the day they reached it, with
    the status their notifications imply. Returns the children that changed."""
    _check(actor)
    on = on or clock.today()
    with transaction.atomic():
        register_write_lock()
        due = [c for c in Child.objects.filter(
            status=Status.RECORDED, merged_into__isnull=True, date_of_birth__isnull=False,
            date_of_birth__lte=clock.add_months(on, -60)).order_by("child_ref")
            if csa_start(c.date_of_birth) <= on and in_area(c.postcode)]  # type: ignore[arg-type]
        implied = _implied([c.pk for c in due])
        history: list[StatusChange] = []
        joined = [c for c in due if c.pk in implied and _join(c, implied[c.pk], on, history)]
        _save(actor, joined, history, _JOIN_FIELDS, "reached compulsory school age")
    return [c.pk for c in joined]


def _join(child: Child, implied: ImpliedStatus, on: dt.date, history: list[StatusChange]) -> bool:
    start = csa_start(child.date_of_birth)  # type: ignore[arg-type]
    if implied.admitted_on is not None and implied.admitted_on <= start:
        return False  # at school by the time they reached the age: never eligible
    child.status, child.status_date = implied.status, start
    child.joined_register_date = child.joined_register_date or start
    child.eligibility_basis = child.eligibility_basis or EligibilityBasis.NOT_ON_ROLL
    if implied.status == Status.CME and not child.missing_since:
        child.missing_since = start
    if implied.status == Status.EHE and not child.registration_received_date \
            and not child.registration_due_date:
        child.registration_due_date = start + dt.timedelta(days=PARENT_NOTIFICATION_DAYS)
    history.append(build(StatusChange, child=child, status=implied.status, date=start,
                         reason=f"reached compulsory school age on {_words(start)}: "
                                f"{implied.reason}"))
    if implied.admitted_on is not None and implied.admitted_on <= on:
        child.status, child.status_date = Status.RETURNED_TO_SCHOOL, implied.admitted_on
        child.missing_since = None
        history.append(build(StatusChange, child=child, status=Status.RETURNED_TO_SCHOOL,
                             date=implied.admitted_on, reason="admitted to a school (notified earlier)"))
    return True


def children_past_school_age(*, actor: Actor, on: dt.date | None = None) -> list[UUID]:
    """Open records of children past compulsory school age on `on` (today) cease, from the day
    after the school leaving date of the school year they turned 16. Returns the children that
    changed."""
    _check(actor)
    on = on or clock.today()
    with transaction.atomic():
        register_write_lock()
        past = [c for c in Child.objects.filter(
            status__in=OPEN_STATUSES, date_of_birth__isnull=False,
            date_of_birth__lte=clock.add_months(on, -12 * 15)).order_by("child_ref")
            if csa_end(c.date_of_birth) < on]  # type: ignore[arg-type]
        history = [_cease(c) for c in past]
        _save(actor, past, history, ("status", "status_date", "modified_at"),
              "past compulsory school age")
    return [c.pk for c in past]


def _cease(child: Child) -> StatusChange:
    last = csa_end(child.date_of_birth)  # type: ignore[arg-type]
    # never before the status it had (dates in the history stay in order)
    child.status_date = max(last + dt.timedelta(days=1), child.status_date or dt.date.min)
    child.status = Status.CEASED
    return build(StatusChange, child=child, status=Status.CEASED,  # type: ignore[no-any-return]
                 date=child.status_date,
                 reason=f"past compulsory school age: the school leaving date was {_words(last)}")


def _save(actor: Actor, children: list[Child], history: list[StatusChange],
          fields: Iterable[str], why: str) -> None:
    if not children:
        return
    now = timezone.now()
    for child in children:
        child.modified_at = now
    update_many(Child, children, list(fields))
    insert_many(StatusChange, history)
    audit_record(actor=actor, action="update", object_type="child",
                 object_ids=[c.pk for c in children], child_ids=[c.pk for c in children],
                 detail=_detail(why, children))


def _detail(why: str, children: list[Child]) -> dict[str, Any]:
    statuses: dict[str, int] = {}
    for child in children:
        statuses[child.status] = statuses.get(child.status, 0) + 1
    return {"why": why, "children": len(children), "statuses": statuses,
            "fields": ["status", "status_date"]}


def _check(actor: Actor) -> None:
    if not actor.can(Cap.EDIT_REGISTER):
        raise NotPermitted("your role cannot change the register")


def _words(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"
