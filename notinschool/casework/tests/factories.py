"""Casework test data: a child on a child protection plan deleted from a school roll for home
education, which the risk rules answer with `consent_required` and `alert_social_care`."""

import datetime as dt
import uuid

from notinschool.intake.models import Notification
from notinschool.intake.tests.factories import ImportBatchFactory
from notinschool.linkage.tests.factories import known_to
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory

MONDAY = dt.date(2026, 11, 23)


def ehe_deletion(child: Child, on: dt.date, *, special_place: bool = False) -> Notification:
    """A school's deletion return for `child` on the home-education ground, received that day."""
    batch = ImportBatchFactory.create(kind="roll-deletions", file_name="deletions.csv", as_of=on)
    return Notification.objects.create(
        kind="roll-deletions", batch=batch, child=child, row_hash=uuid.uuid4().hex, event_date=on,
        received_date=on, ground="elective_home_education", school_urn="100001",
        data={"la_arranged_special_placement": special_place})


def child_on_plan_withdrawn(on: dt.date = MONDAY, **kwargs: object) -> Child:
    """A child under a current child protection plan, deleted for home education on `on`."""
    child = ChildFactory.create(**kwargs)
    known_to("social_care", child, indicator="child_protection_plan", detail="Plan since April 2025")
    ehe_deletion(child, on)
    return child


def child_in_special_place_withdrawn(on: dt.date = MONDAY) -> Child:
    """A child with no social care history whose special school place the authority arranged."""
    child = ChildFactory.create()
    ehe_deletion(child, on, special_place=True)
    return child
