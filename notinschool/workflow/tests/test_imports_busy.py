"""While another import holds the register, the upload page and the API wait a little, then say
the register is busy and import nothing (the command line waits as long as it takes: see
test_overlap.py). PostgreSQL: the other import is a second connection holding the imports lock."""

from collections.abc import Iterator

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notinschool.accounts.roles import Role
from notinschool.api.tests.test_api import council, csv_bytes, keyed_client, send  # noqa: F401
from notinschool.core.locks import lock_key
from notinschool.intake.models import ImportBatch
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child
from notinschool.web.tests.conftest import client_for, make_user  # noqa: F401
from notinschool.workflow.tests.scratch import postgres

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not postgres(), reason="the lock is PostgreSQL's advisory lock")]


@pytest.fixture
def another_import(settings) -> Iterator[None]:
    """Another process's import, holding the imports lock for the whole test."""
    settings.NOTINSCHOOL_IMPORT_WAIT_SECONDS = 0.5
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db["PASSWORD"], dbname=db["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_key("imports")])
        yield
        other.execute("SELECT pg_advisory_unlock(%s)", [lock_key("imports")])


def test_the_api_answers_busy_and_imports_nothing(as_of, council, another_import):  # noqa: F811
    response = send(keyed_client(council), "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert response.status_code == 503 and response["Retry-After"] == "60"
    problem = response.json()
    assert problem["status"] == 503 and "Another file is being imported" in problem["detail"]
    assert not ImportBatch.objects.exists() and not Child.objects.exists()


def test_the_upload_page_says_so_in_the_error_summary(as_of, client_for, another_import):  # noqa: F811
    client = client_for(Role.EHE_OFFICER)
    upload = SimpleUploadedFile("deletions.csv", csv_bytes(DELETION_HEADER, deletion()))
    response = client.post("/imports/", {"kind": "roll-deletions", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "Another file is being imported" in html
    assert not ImportBatch.objects.exists() and not Child.objects.exists()


def test_with_the_register_free_the_same_upload_goes_through(as_of, client_for, settings):  # noqa: F811
    assert settings.DATABASES  # the lock is free: nothing else holds it
    client = client_for(Role.EHE_OFFICER)
    upload = SimpleUploadedFile("deletions.csv", csv_bytes(DELETION_HEADER, deletion()))
    response = client.post("/imports/", {"kind": "roll-deletions", "file": upload})
    assert response.status_code == 302 and Child.objects.count() == 1
