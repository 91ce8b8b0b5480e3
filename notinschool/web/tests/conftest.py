"""Fixtures for the pages' tests: users of each role, signed in past both factors."""

from collections.abc import Callable, Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from notinschool.accounts.models import User
from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    def make(role: Role = Role.EHE_OFFICER, **kwargs: object) -> User:
        return UserFactory.create(role=role, **kwargs)

    return make


@pytest.fixture
def client_for(db: None, make_user: Callable[..., User]) -> Callable[..., Client]:
    """A client signed in as a new user of `role`. Two factors are passed by force_login: one test
    (test_sign_in.py) goes through the real password and TOTP forms."""

    def make(role: Role = Role.EHE_OFFICER, **kwargs: object) -> Client:
        client = Client()
        user = make_user(role, **kwargs)
        client.force_login(user)
        client.user = user  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def health_agency(db: None) -> object:
    return AgencyFactory.create(name="Demo school nursing", kind="health", postcode_districts="LS6 LS7")


@pytest.fixture(autouse=True)
def clear_cache() -> Iterator[None]:
    """allauth keeps its rate limits and used TOTP codes in the cache: start each test clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def totp_tolerance(settings: object) -> None:
    """Accept the previous and next 30-second codes too, so a test that computes a code just
    before a period ends does not fail by bad luck."""
    settings.MFA_TOTP_TOLERANCE = 1  # type: ignore[attr-defined]
