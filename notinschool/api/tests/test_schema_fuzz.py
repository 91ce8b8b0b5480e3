"""Schemathesis against our own OpenAPI document: generated calls, valid and invalid, must never
give a server error, every response must match what the document promises (status codes,
content type, body schema), and every error must be a problem (application/problem+json).

A file's content is a domain rule the schema cannot state (a CSV with the contract's columns),
so a schema-valid upload may rightly be refused with 422: that one check is left out for it."""

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import CheckFunction
from schemathesis.specs.openapi.checks import positive_data_acceptance

from notinschool.accounts.models import Agency
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory
from notinschool.api.services import api_key_create
from notinschool.intake.models import ImportBatch

PROBLEM = "application/problem+json"
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _one_connection_per_test() -> Iterator[None]:
    """Calls go through the real WSGI handler, which closes the database connection at the end of
    each request; inside a test's transaction that would close it under the test (Django's test
    client turns this off in the same way)."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(db: None) -> str:
    council = AgencyFactory.create(name="Demo Borough education", kind=Agency.Kind.EDUCATION)
    _key, token = api_key_create(actor=COMMAND_LINE, agency=council, name="fuzz")
    return token


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_keeps_its_published_contract(case: schemathesis.Case, api_token: str, as_of: object) -> None:
    batches_before = ImportBatch.objects.count()
    excluded: list[CheckFunction] = [positive_data_acceptance] if case.method == "POST" else []
    response = case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"},
                                      excluded_checks=excluded)
    if response.status_code >= 400:
        content_type = {k.lower(): v for k, v in response.headers.items()}["content-type"]
        assert content_type[0].startswith(PROBLEM), response.text
        assert json.loads(response.text)["status"] == response.status_code
        assert ImportBatch.objects.count() == batches_before, "a refused call wrote an import"


@pytest.mark.django_db
def test_a_wrong_method_or_path_is_a_problem_not_a_web_page(api_token: str) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {api_token}")
    wrong_method = client.get("/api/v1/imports/roll-deletions")
    assert wrong_method.status_code == 405 and wrong_method["Content-Type"] == PROBLEM
    assert wrong_method["Allow"] == "POST"
    no_path = client.get("/api/v1/children")
    assert no_path.status_code == 404 and no_path["Content-Type"] == PROBLEM
    assert "/api/v1/docs" in no_path.json()["detail"]
