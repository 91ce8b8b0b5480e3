"""What a recorded child's notifications say their status would be once they reach compulsory
school age (people.register_status asks; registered from `IntakeConfig.ready()`).

The notifications that would have put the child on the register, had they been of compulsory
school age, are those the appliers recorded "not of compulsory school age" (appliers._eligible).
The latest of them decides, as the latest would have: a deletion to home education or a
parent's registration implies `ehe`, a deletion with no destination or a referral `cme`, a
permanent exclusion or medical unfitness `not_in_school_other`. A school admission dated after
it says the child went to school (people.register_status keeps them off the register if that
was before they reached the age)."""

import datetime as dt
from collections.abc import Mapping
from uuid import UUID

from notinschool.intake.appliers import DELETION_STATUS
from notinschool.intake.models import ImportKind, Notification
from notinschool.people.register_status import ImpliedStatus, implied_status_source_register

NOT_OF_AGE = "not of compulsory school age"
_STATUS = {ImportKind.PARENT_REGISTRATIONS: "ehe", ImportKind.REFERRALS: "cme"}
_WORDS = {ImportKind.ROLL_DELETIONS: "school roll deletion",
          ImportKind.PARENT_REGISTRATIONS: "parent's registration of home education",
          ImportKind.REFERRALS: "referral of a child who may be missing education"}


def implied_statuses(child_ids: list[UUID]) -> Mapping[UUID, ImpliedStatus]:
    latest: dict[UUID, Notification] = {}
    for n in Notification.objects.filter(child_id__in=child_ids, outcome__startswith=NOT_OF_AGE,
                                         kind__in=list(_WORDS)).order_by("event_date", "created_at"):
        latest[n.child_id] = n  # type: ignore[index]
    admissions: dict[UUID, list[dt.date]] = {}
    for child_id, day in Notification.objects.filter(
            child_id__in=list(latest), kind=ImportKind.SCHOOL_ADMISSIONS).values_list(
            "child_id", "event_date").order_by("event_date"):
        admissions.setdefault(child_id, []).append(day)
    return {child_id: _implied(n, admissions.get(child_id, [])) for child_id, n in latest.items()}


def _implied(n: Notification, admitted: list[dt.date]) -> ImpliedStatus:
    status = _STATUS.get(n.kind) or DELETION_STATUS.get(n.ground) or "cme"  # type: ignore[call-overload]
    words = _WORDS[n.kind]  # type: ignore[index]
    if n.ground:
        words += f" ({n.ground.replace('_', ' ')})"
    reason = f"{words} dated {n.event_date.day} {n.event_date:%B} {n.event_date.year}"
    after = [day for day in admitted if day > n.event_date]
    return ImpliedStatus(status=status, reason=reason, admitted_on=after[0] if after else None)


implied_status_source_register("intake.notifications", implied_statuses)
