"""Every URL of the project needs sign-in and a capability, except an explicit allow-list
(house style, convention 2). Walks config.urls, so a new page is covered the day it is added."""

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import UUIDConverter
from django.urls.exceptions import NoReverseMatch

from notinschool.accounts.tests.factories import UserFactory
from notinschool.people.tests.factories import ChildFactory
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

# Anyone may open these: health checks and the pages of signing in itself.
PUBLIC = {
    "healthz", "readyz", "account_login", "account_signup", "account_inactive", "account_reset_password",
    "account_reset_password_done", "account_reset_password_from_key", "account_reset_password_from_key_done",
    "account_confirm_email", "account_email_verification_sent", "account_confirm_login_code",
    "mfa_authenticate",
    # Single sign-on's pages (accounts.sso): a sign-in cancelled at the identity provider, and the
    # provider's sign-in and answer (404 without a provider configured, as in these tests).
    "socialaccount_login_cancelled", "socialaccount_login_error", "socialaccount_signup",
    "openid_connect_login", "openid_connect_callback",
    # The API's description and its Swagger UI: no data; the API itself needs a key (401).
    "api-v1:openapi-json", "api-v1:openapi-view",
    # A path the API does not have: a 404 problem, naming nothing.
    "api-v1:not_found",
    # The pages for families and young people (public): information, registering a child,
    # a change or a child's views with a letter's code. They show nothing of any record.
    "public_index", "public_page_home_education", "public_page_support", "public_page_health_services",
    "public_page_children_missing_education", "public_page_privacy", "public_page_accessibility",
    "public_page_contact", "public_page_young_people", "public_register_start", "public_register_child",
    "public_register_address", "public_register_parents", "public_register_education",
    "public_register_check", "public_register_done", "public_change_code", "public_change_details",
    "public_change_done", "public_views_code", "public_views_write", "public_views_done",
}
# Pages that are not the service's own GOV.UK pages (third-party tools), spared the page rules.
NOT_GOVUK_PAGES = {"api-v1:openapi-view", "api-v1:not_found"}
# Anyone signed in may open these, whatever their role: their own account and its two factors.
ANY_SIGNED_IN = {
    "home", "your_account", "account_logout", "account_change_password", "account_set_password",
    "account_email", "account_reauthenticate", "mfa_index", "mfa_reauthenticate", "mfa_activate_totp",
    "mfa_deactivate_totp", "mfa_view_recovery_codes", "mfa_generate_recovery_codes",
    "mfa_download_recovery_codes", "socialaccount_connections",
}
REFUSED = {401, 403, 404, 405}
_CANDIDATES = ("1", "x", "1-x")


@dataclass(frozen=True)
class Route:
    name: str
    pattern: Any
    callback: Any


def routes(resolvers: list[Any] | None = None, namespace: str = "") -> Iterator[Route]:
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from routes(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield Route(f"{namespace}{entry.name or ''}", entry.pattern, entry.callback)


def url_for(route: Route, child_id: uuid.UUID) -> str:
    """A real URL for the route: a real child's id for uuids, made-up values elsewhere."""
    converters = getattr(route.pattern, "converters", {})
    names = list(converters or re.compile(str(route.pattern.regex.pattern)).groupindex)
    kwargs: dict[str, Any] = {}
    for name in names:
        converter = converters.get(name)
        kwargs[name] = child_id if isinstance(converter, UUIDConverter) else None
    for values in _fillings(kwargs):
        try:
            return reverse(route.name, kwargs=values or None)
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot make a URL for {route.name}")


def _fillings(kwargs: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for candidate in _CANDIDATES:
        yield {k: v if v is not None else candidate for k, v in kwargs.items()}


def all_routes() -> list[Route]:
    return list(routes())


def test_every_route_is_named():
    unnamed = [str(r.pattern) for r in all_routes() if not r.name or r.name.endswith(":")]
    assert not unnamed, f"every URL pattern needs a name, so it can be checked here: {unnamed}"


def test_the_allow_lists_name_real_routes():
    names = {r.name for r in all_routes()}
    assert names >= (PUBLIC | ANY_SIGNED_IN), sorted((PUBLIC | ANY_SIGNED_IN) - names)


def test_our_views_declare_who_may_open_them():
    ours = [r for r in all_routes() if r.callback.__module__.startswith("notinschool.")]
    assert ours
    undeclared = [r.name for r in ours if not hasattr(r.callback, "access")]
    assert not undeclared, f"decorate these with web.access public/signed_in/requires: {undeclared}"


def test_anonymous_people_are_sent_to_sign_in_or_refused():
    child = ChildFactory.create()
    client = Client()
    for route in all_routes():
        if route.name in PUBLIC:
            continue
        url = url_for(route, child.pk)
        response = client.get(url)
        location = response.get("Location", "")
        assert response.status_code in REFUSED or (
            response.status_code == 302 and location.startswith(reverse("account_login"))
        ), f"{route.name} ({url}) answered an anonymous request with {response.status_code} {location}"


def test_people_without_the_capability_are_refused():
    child = ChildFactory.create()
    client = Client()
    client.force_login(UserFactory.create(username="norole", role=""))
    checked = 0
    for route in all_routes():
        if route.name in PUBLIC | ANY_SIGNED_IN:
            continue
        url = url_for(route, child.pk)
        response = client.get(url)
        assert response.status_code in REFUSED, f"{route.name} ({url}): {response.status_code} for no role"
        checked += 1
    assert checked >= 2  # at least the register and the child's page


def test_every_page_keeps_the_page_rules():
    """Every HTML page anyone can reach, signed out or signed in as an officer, is a GOV.UK page
    (tests/pagerules.py)."""
    child = ChildFactory.create()
    officer = Client()
    officer.force_login(UserFactory.create(username="officer"))
    checked = []
    for client in (Client(), officer):
        for route in all_routes():
            response = client.get(url_for(route, child.pk))
            if route.name in NOT_GOVUK_PAGES:
                continue
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                assert_govuk_page(response.content)
                checked.append(route.name)
    assert {"account_login", "register", "child_detail", "mfa_index", "your_account"} <= set(checked)
