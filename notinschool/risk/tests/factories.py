"""Risk assessments for tests: a child's stored tier and when the next contact is due."""

import datetime as dt

import factory

from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import Assessment


class AssessmentFactory(factory.django.DjangoModelFactory[Assessment]):
    class Meta:
        model = Assessment

    child = factory.SubFactory(ChildFactory)
    as_of = dt.date(2026, 11, 23)
    rule_version = "test"
    tier = 4
    computed_tier = factory.SelfAttribute("tier")
    review_interval_months = 12
    next_contact_due = dt.date(2027, 9, 1)
