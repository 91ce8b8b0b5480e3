"""Missing education test data: a child recorded as missing education, with the
`cme_enquiries` action the risk model raises for it, and a case opened through the service."""

import datetime as dt
from typing import Any

from notinschool.accounts.models import User
from notinschool.casework.tests.factories import MONDAY
from notinschool.cme.models import CmeCase
from notinschool.cme.services import cme_case_open
from notinschool.people.models import Child, StatusChange
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import RequiredAction

__all__ = ["MONDAY", "cme_child", "open_case"]


def cme_child(since: dt.date = MONDAY - dt.timedelta(days=14), *, action: bool = True,
              **kwargs: Any) -> Child:
    """A child missing education since `since` (its status history says so), with the open
    `cme_enquiries` action unless `action` is False."""
    child = ChildFactory.create(status="cme", status_date=since, joined_register_date=since,
                                **kwargs)
    StatusChange.objects.create(child=child, status="cme", date=since, reason="referral")
    if action:
        RequiredAction.objects.create(child=child, code="cme_enquiries", raised_on=since,
                                      due_date=since + dt.timedelta(days=7))
    return child


def open_case(officer: User, child: Child | None = None, *, reason: str = "whereabouts_unknown",
              since: dt.date = MONDAY - dt.timedelta(days=14)) -> CmeCase:
    child = child or cme_child(since)
    return cme_case_open(actor=officer, child=child, primary_reason=reason, missing_since=since)
