"""Factories for allocation's tests: the people who hold children and the district rules."""

from typing import Any

import factory

from notinschool.accounts.models import User
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.allocation.models import AllocationRule


def officer(**kwargs: Any) -> User:
    return UserFactory.create(role=Role.EHE_OFFICER, **kwargs)


def manager(**kwargs: Any) -> User:
    return UserFactory.create(role=Role.TEAM_MANAGER, **kwargs)


class AllocationRuleFactory(factory.django.DjangoModelFactory[AllocationRule]):
    class Meta:
        model = AllocationRule

    district = factory.Sequence(lambda n: f"WV{n % 90 + 1}")
    officer = factory.LazyFunction(officer)
