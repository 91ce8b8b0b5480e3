"""Register children with the agency records the risk rules read, for the risk app's tests."""

import datetime as dt
from typing import Any

from notinschool.linkage.tests.factories import AgencyFactFactory, AgencyPersonFactory, PersonMatchFactory
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory, ChildParentFactory


def ordinary_child(**kwargs: Any) -> Child:
    """A child who left a known school this term, with a parent on record who educates them
    for 20 hours a week (the register content the parents give) and nothing known against
    them: tier 4, no required action."""
    kwargs.setdefault("hours_parent_per_week", 20)
    child = ChildFactory.create(last_school_urn="123456", upn="A123456789012", **kwargs)
    ChildParentFactory.create(child=child)
    return child


def with_fact(child: Child, indicator: str, *, source: str = "social_care",
              start: dt.date = dt.date(2025, 4, 1), end: dt.date | None = None) -> Child:
    person = AgencyPersonFactory.create(source=source)
    PersonMatchFactory.create(child=child, person=person)
    AgencyFactFactory.create(person=person, source=source, indicator=indicator, start_date=start,
                             end_date=end)
    return child
