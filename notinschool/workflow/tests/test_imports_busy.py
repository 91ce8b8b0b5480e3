"""While another import holds the register, the upload page, the forms and the API wait a
little, then queue the file: the sender sees it queued with its place, nothing interleaves, and
the file goes in when the register is free (the command line waits as long as it takes: see
test_overlap.py). PostgreSQL: the other import is a second connection holding the imports lock."""

from collections.abc import Callable, Iterator

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from notinschool.accounts.roles import Role
from notinschool.api.tests.test_api import council, csv_bytes, keyed_client, send  # noqa: F401
from notinschool.core.locks import lock_key
from notinschool.intake.models import ImportBatch, QueuedImport
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.intake.tests.test_pages import deletion_form
from notinschool.people.models import Child
from notinschool.web.tests.conftest import client_for, make_user  # noqa: F401
from notinschool.workflow.tests.scratch import postgres

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(not postgres(), reason="the lock is PostgreSQL's advisory lock")]


@pytest.fixture
def another_import(settings) -> Iterator[Callable[[], None]]:
    """Another process's import, holding the imports lock until the test calls `finish()`."""
    settings.NOTINSCHOOL_IMPORT_WAIT_SECONDS = 0.5
    db = settings.DATABASES["default"]
    with psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"],
                         password=db["PASSWORD"], dbname=db["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [lock_key("imports")])
        held = [True]

        def finish() -> None:
            if held.pop():
                other.execute("SELECT pg_advisory_unlock(%s)", [lock_key("imports")])
            held.append(False)

        yield finish
        finish()


def test_the_api_queues_the_file_and_says_where_it_went(as_of, council, another_import):  # noqa: F811
    client = keyed_client(council)
    response = send(client, "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert response.status_code == 202, response.content
    queued = response.json()
    assert queued["state"] == "queued" and queued["position"] == 1
    assert response["Location"] == queued["status_url"] and response["Retry-After"]
    assert not ImportBatch.objects.exists() and not Child.objects.exists()

    assert client.get(queued["status_url"]).json()["state"] == "queued"  # still busy

    another_import()
    done = client.get(queued["status_url"])
    assert done.status_code == 200
    body = done.json()
    assert body["state"] == "done" and body["import"]["rows_new"] == 1, body
    assert Child.objects.count() == 1
    assert body["import"]["batch_id"] == str(ImportBatch.objects.get().pk)


def test_the_upload_page_shows_the_file_queued_then_imported(as_of, client_for, another_import):  # noqa: F811
    client = client_for(Role.EHE_OFFICER)
    upload = SimpleUploadedFile("deletions.csv", csv_bytes(DELETION_HEADER, deletion()))
    response = client.post("/imports/", {"kind": "roll-deletions", "file": upload})
    assert response.status_code == 302 and "/imports/queued/" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Your file is queued" in page and "It is next" in page and "deletions.csv" in page
    assert not Child.objects.exists()

    another_import()
    after = client.get(response["Location"])
    assert after.status_code == 302 and after["Location"].endswith("?sent=1")
    assert "File imported" in client.get(after["Location"]).content.decode()
    assert Child.objects.count() == 1


def test_a_file_with_problems_is_refused_at_once_not_queued(as_of, client_for, another_import):  # noqa: F811
    client = client_for(Role.EHE_OFFICER)
    upload = SimpleUploadedFile("deletions.csv", csv_bytes(DELETION_HEADER, deletion(dob="not a date")))
    response = client.post("/imports/", {"kind": "roll-deletions", "file": upload})
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html and "date_of_birth" in html
    assert not QueuedImport.objects.exists()


def test_a_form_waits_in_the_queue_too(as_of, client_for, another_import):  # noqa: F811
    client = client_for(Role.EHE_OFFICER)
    response = client.post("/notifications/new/roll-deletion/", deletion_form())
    assert response.status_code == 302 and "/imports/queued/" in response["Location"], response
    another_import()
    client.get(response["Location"])
    assert Child.objects.count() == 1


def test_someone_else_cannot_follow_your_queued_file(as_of, client_for, make_user, another_import):  # noqa: F811
    client = client_for(Role.EHE_OFFICER)
    upload = SimpleUploadedFile("deletions.csv", csv_bytes(DELETION_HEADER, deletion()))
    location = client.post("/imports/", {"kind": "roll-deletions", "file": upload})["Location"]
    other = client_for(Role.EHE_OFFICER, username="colleague")
    assert other.get(location).status_code == 404


def test_with_the_register_free_the_same_upload_goes_through(as_of, client_for, settings):  # noqa: F811
    assert settings.DATABASES  # the lock is free: nothing else holds it
    client = client_for(Role.EHE_OFFICER)
    upload = SimpleUploadedFile("deletions.csv", csv_bytes(DELETION_HEADER, deletion()))
    response = client.post("/imports/", {"kind": "roll-deletions", "file": upload})
    assert response.status_code == 302 and Child.objects.count() == 1
    assert not QueuedImport.objects.exists()
