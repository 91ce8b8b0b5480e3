"""The HTTP API as a sending system uses it: a key, a file, a summary; problems as RFC 9457."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.api.models import ApiKey
from notinschool.api.services import api_key_create, api_key_revoke
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import NotPermitted
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def csv_bytes(header: list[str], *rows: list[str]) -> bytes:
    return ("\n".join(",".join(r) for r in [header, *rows]) + "\n").encode()


def keyed_client(agency: Agency, sources: list[str] | None = None) -> Client:
    _key, token = api_key_create(actor=COMMAND_LINE, agency=agency, name="MIS link", sources=sources)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}")


@pytest.fixture
def council(db: None) -> Agency:
    return AgencyFactory.create(name="Demo Borough education", kind=Agency.Kind.EDUCATION)


@pytest.fixture
def school(db: None) -> Agency:
    return AgencyFactory.create(name="Mill Road Primary", kind=Agency.Kind.SCHOOL, school_urn="123456")


def send(client: Client, kind: str, content: bytes, name: str = "deletions.csv", **query: str):
    url = f"/api/v1/imports/{kind}"
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, {"file": SimpleUploadedFile(name, content)})


def test_a_valid_csv_puts_the_child_on_the_register(as_of, council):
    client = keyed_client(council)
    response = send(client, "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert response.status_code == 201, response.content
    summary = response.json()
    assert summary["rows_read"] == 1 and summary["rows_new"] == 1 and summary["rows_rejected"] == 0
    assert summary["children_touched"] == 1 and summary["channel"] == "api"
    child = Child.objects.get()
    assert (child.forename, child.status) == ("Alexander", "ehe")
    batch = ImportBatch.objects.get(pk=summary["batch_id"])
    assert batch.agency == council and batch.channel == "api"

    again = client.get(f"/api/v1/imports/{summary['batch_id']}")
    assert again.status_code == 200
    assert again.json()["rows_new"] == 1 and again.json()["file_name"] == "deletions.csv"
    repeat = send(client, "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert repeat.status_code == 201 and repeat.json()["rows_already_imported"] == 1
    assert Child.objects.count() == 1


def test_every_call_is_audited_with_its_key(as_of, council):
    client = keyed_client(council)
    key = ApiKey.objects.get()
    send(client, "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    Client().get("/api/v1/imports")
    calls = AuditEvent.objects.filter(action="api_call").order_by("at" if hasattr(AuditEvent, "at")
                                                                  else "pk")
    details = sorted((e.detail["status"], e.detail["key"]) for e in calls)
    assert details == [(201, key.prefix), (401, None)]
    assert AuditEvent.objects.filter(action="import", actor_label__contains=key.prefix).exists()


@pytest.mark.parametrize("header", [None, "Bearer nis_deadbeef_wrong", "Basic dXNlcjpwYXNz", "Bearer "])
def test_a_missing_or_wrong_key_is_401_problem_json(council, header):
    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get("/api/v1/imports")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["title"] and body["type"] and body["detail"]


def test_a_revoked_key_stops_working_at_once(as_of, council):
    key, token = api_key_create(actor=COMMAND_LINE, agency=council, name="old MIS")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get("/api/v1/imports").status_code == 200
    api_key_revoke(actor=COMMAND_LINE, prefix=key.prefix)
    response = send(client, "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert response.status_code == 401 and response["Content-Type"] == PROBLEM
    assert Child.objects.count() == 0


def test_a_wrong_secret_with_a_real_prefix_is_refused(council):
    key, token = api_key_create(actor=COMMAND_LINE, agency=council, name="MIS")
    forged = f"nis_{key.prefix}_{'A' * 43}"
    assert forged != token
    assert Client(HTTP_AUTHORIZATION=f"Bearer {forged}").get("/api/v1/imports").status_code == 401


def test_only_a_role_that_manages_users_makes_or_revokes_keys(council):
    key, _token = api_key_create(actor=COMMAND_LINE, agency=council, name="MIS")
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    with pytest.raises(NotPermitted):
        api_key_create(actor=officer, agency=council, name="my own key")
    with pytest.raises(NotPermitted):
        api_key_revoke(actor=officer, prefix=key.prefix)
    assert list(ApiKey.objects.values_list("name", "revoked_at")) == [("MIS", None)]
    assert AuditEvent.objects.filter(object_type="api_key").count() == 1
    admin = UserFactory.create(role=Role.ADMIN)
    api_key_revoke(actor=admin, prefix=key.prefix)
    assert AuditEvent.objects.get(action="revoke").actor == admin


def test_another_agencys_batch_is_404(as_of, council, school):
    ours = keyed_client(school)
    theirs = keyed_client(AgencyFactory.create(name="Canal Street Academy", kind=Agency.Kind.SCHOOL))
    batch_id = send(ours, "roll-deletions", csv_bytes(DELETION_HEADER, deletion())).json()["batch_id"]
    response = theirs.get(f"/api/v1/imports/{batch_id}")
    assert response.status_code == 404 and response["Content-Type"] == PROBLEM
    assert theirs.get("/api/v1/imports").json() == []
    assert [b["batch_id"] for b in ours.get("/api/v1/imports").json()] == [batch_id]


def test_an_invalid_file_is_422_with_every_problem_and_nothing_written(as_of, council):
    content = csv_bytes(DELETION_HEADER, deletion(), deletion(dob="2015-02-30"),
                        deletion(ground="holiday"))
    response = send(keyed_client(council), "roll-deletions", content, name="bad.csv")
    assert response.status_code == 422 and response["Content-Type"] == PROBLEM
    body = response.json()
    assert {"file": "bad.csv", "row": 3, "column": "date_of_birth",
            "message": "'2015-02-30' is not a real date"} in body["errors"]
    assert any(e["row"] == 4 and e["column"] == "deletion_ground" for e in body["errors"])
    assert body["errors_total"] == len(body["errors"]) == 2
    assert Child.objects.count() == 0 and Notification.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_an_xlsx_upload_is_read_as_a_spreadsheet(as_of, council):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(DELETION_HEADER)
    sheet.append(deletion(forename="Priya", surname="Shah"))
    buffer = io.BytesIO()
    book.save(buffer)
    response = send(keyed_client(council), "roll-deletions", buffer.getvalue(), name="roll.xlsx")
    assert response.status_code == 201, response.content
    assert Child.objects.get().forename == "Priya"


def test_a_schools_key_sends_only_deletions_and_admissions_for_its_own_school(as_of, school):
    client = keyed_client(school)
    referral = csv_bytes(["surname", "date_received", "postcode"], ["Smith", "2026-11-01", "LS6 1AB"])
    refused = send(client, "referrals", referral)
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM
    other_school = send(client, "roll-deletions",
                        csv_bytes(DELETION_HEADER, deletion(school_urn="654321")))
    assert other_school.status_code == 422
    assert other_school.json()["errors"][0]["column"] == "school_urn"
    assert send(client, "roll-deletions", csv_bytes(DELETION_HEADER, deletion())).status_code == 201
    assert Child.objects.count() == 1


def test_agency_files_need_a_source_the_key_may_send(as_of):
    police = AgencyFactory.create(name="Demo police", kind=Agency.Kind.POLICE)
    client = keyed_client(police, sources=["police"])
    header = ["record_id", "forename", "surname", "date_of_birth", "indicator", "start_date"]
    content = csv_bytes(header, ["P1", "Ada", "Lovelace", "2014-03-27", "police_concern", "2026-01-05"])
    assert send(client, "agency", content).status_code == 400
    assert send(client, "agency", content, source="health").status_code == 403
    response = send(client, "agency", content, source="police")
    assert response.status_code == 201, response.content
    assert response.json()["source"] == "police" and response.json()["rows_new"] == 1


def test_an_unknown_kind_and_a_missing_file_are_400(council):
    client = keyed_client(council)
    response = send(client, "holidays", b"a,b\n")
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    missing = client.post("/api/v1/imports/referrals", {})
    assert missing.status_code == 400 and "file" in missing.json()["detail"]


def test_a_file_over_the_limit_is_413(as_of, council, settings):
    settings.NOTINSCHOOL_UPLOAD_MAX_MB = 0
    response = send(keyed_client(council), "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert response.status_code == 413 and response["Content-Type"] == PROBLEM
    assert Child.objects.count() == 0


def test_openapi_document_is_valid_3_1_with_the_endpoints():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.1")
    paths = {"/api/v1/imports/{kind}", "/api/v1/imports/{batch_id}", "/api/v1/imports"}
    assert paths <= set(document["paths"])
    post = document["paths"]["/api/v1/imports/{kind}"]["post"]
    assert "multipart/form-data" in post["requestBody"]["content"]
    assert list(post["responses"]["422"]["content"]) == ["application/problem+json"]
    schemes = document["components"]["securitySchemes"]
    assert any(s.get("scheme") == "bearer" for s in schemes.values())
    validator = pytest.importorskip("openapi_spec_validator")
    validator.validate(document)


def test_docs_page_loads_its_scripts_from_our_origin():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script src=\"/static/ninja/swagger-ui-bundle.js\"" in html
    assert "cdn" not in html.lower()


def test_api_key_command_prints_the_token_once_and_keeps_only_its_hash(council):
    out, err = io.StringIO(), io.StringIO()
    call_command("api_key", "create", "--agency", council.name, "--name", "Capita link",
                 stdout=out, stderr=err)
    token = out.getvalue().strip()
    key = ApiKey.objects.get()
    assert token.startswith(f"nis_{key.prefix}_") and len(token) > 40
    assert token not in json.dumps(list(ApiKey.objects.values()), default=str)
    assert Client(HTTP_AUTHORIZATION=f"Bearer {token}").get("/api/v1/imports").status_code == 200
    listed = io.StringIO()
    call_command("api_key", "list", stdout=listed)
    assert key.prefix in listed.getvalue() and token not in listed.getvalue()


def test_a_key_that_calls_too_often_is_told_to_wait(council, settings):
    from django.core.cache import cache

    cache.clear()
    settings.NOTINSCHOOL_API_RATE = "2/m"
    client = keyed_client(council)
    assert [client.get("/api/v1/imports").status_code for _ in range(2)] == [200, 200]
    response = client.get("/api/v1/imports")
    assert response.status_code == 429 and response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) > 0
    assert keyed_client(council).get("/api/v1/imports").status_code == 200, "other keys are not held up"
