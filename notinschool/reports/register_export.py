"""`export register`: one row per child on the register (data contract).

Open records by default (ehe, cme, not_in_school_other); `include_closed` adds the rest.
Rows sorted by child_ref; codes inside a list sorted and `;`-separated. The risk columns show
the latest assessment; `year_group` is worked out for the as-of date. A child whose address must
not be disclosed has an empty `postcode`: an export leaves the system, whoever made it."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core.errors import NotPermitted
from notinschool.linkage.models import DuplicatePair, PersonMatch
from notinschool.people.ages import is_past_compulsory_school_age, year_group
from notinschool.people.models import OPEN_STATUSES, REGISTER_STATUSES, Status
from notinschool.people.selectors import child_queryset_for
from notinschool.risk.models import Assessment

COLUMNS = (
    "child_ref", "forename", "surname", "date_of_birth", "postcode", "status", "year_group",
    "risk_tier", "review_interval_months", "next_contact_due", "flags", "required_actions",
    "reasons", "last_seen_date", "seen_alone",
)
_CHUNK = 5000


def effective_status(status: str, dob: dt.date | None, on: dt.date) -> str:
    """An open record of a child now past compulsory school age reads as `ceased`."""
    if status in OPEN_STATUSES and is_past_compulsory_school_age(dob, on):
        return Status.CEASED
    return status


def register_export_rows(*, actor: Actor, include_closed: bool, as_of: dt.date) -> Iterator[list[Any]]:
    """The rows of the children the actor may see, audited once the last is read. Exporting
    needs `EXPORT_REGISTER`, checked at the call (before any row is read)."""
    if not actor.can(Cap.EXPORT_REGISTER):
        raise NotPermitted("your role cannot export the register")
    return _rows(actor, include_closed, as_of)


def _rows(actor: Actor, include_closed: bool, as_of: dt.date) -> Iterator[list[Any]]:
    children = child_queryset_for(actor).filter(
        status__in=REGISTER_STATUSES if include_closed else OPEN_STATUSES).order_by("child_ref")
    fields = ("pk", "child_ref", "forename", "surname", "date_of_birth", "postcode", "status",
              "last_seen_date", "last_seen_alone", "do_not_disclose_address")
    exported: list[Any] = []
    rows = children.values_list(*fields)
    for start in range(0, 10**9, _CHUNK):
        chunk = list(rows[start:start + _CHUNK])
        if not chunk:
            break
        ids = [r[0] for r in chunk]
        assessments = _latest_assessments(ids)
        reviewing = _children_with_pending_matches(ids)
        for row in chunk:
            line = _row(row, assessments.get(row[0]), row[0] in reviewing, as_of, include_closed)
            if line is not None:
                exported.append(row[0])
                yield line
    audit_record(actor=actor, action="export", object_type="register", child_ids=exported,
                 detail={"include_closed": include_closed, "rows": len(exported)})


def _row(row: tuple[Any, ...], assessment: Assessment | None, reviewing: bool, as_of: dt.date,
         include_closed: bool) -> list[Any] | None:
    _, ref, forename, surname, dob, postcode, status, seen, alone, withheld = row
    postcode = "" if withheld else postcode
    status = effective_status(status, dob, as_of)
    if not include_closed and status not in OPEN_STATUSES:
        return None
    actions = set(assessment.required_actions) if assessment else set()
    if reviewing:
        actions.add("review_match")
    return [
        ref, forename, surname, dob.isoformat() if dob else "", postcode, status,
        year_group(dob, as_of),
        assessment.tier if assessment else "",
        assessment.review_interval_months if assessment else "",
        assessment.next_contact_due.isoformat() if assessment and assessment.next_contact_due else "",
        ";".join(sorted(assessment.flags)) if assessment else "",
        ";".join(sorted(actions)),
        " ".join(assessment.reasons) if assessment else "",
        seen.isoformat() if seen else "",
        "" if alone is None else ("Y" if alone else "N"),
    ]


def _latest_assessments(ids: list[Any]) -> dict[Any, Assessment]:
    return {a.child_id: a for a in Assessment.objects.filter(child_id__in=ids, is_latest=True)}


def _children_with_pending_matches(ids: list[Any]) -> set[Any]:
    """Children with a candidate match waiting for a person: an agency record, or another
    register record that may be the same child."""
    pending = set(PersonMatch.objects.filter(child_id__in=ids, state=PersonMatch.State.PENDING)
                  .values_list("child_id", flat=True))
    pairs = DuplicatePair.objects.filter(state=DuplicatePair.State.PENDING)
    pending.update(pairs.filter(child_a_id__in=ids).values_list("child_a_id", flat=True))
    pending.update(pairs.filter(child_b_id__in=ids).values_list("child_b_id", flat=True))
    return pending
