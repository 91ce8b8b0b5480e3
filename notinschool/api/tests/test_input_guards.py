"""The API refuses what the command line refuses, as problem details and never as a 500: a
snapshot that would wipe a source (422 with the counts; allow_large_end=true confirms), an empty
snapshot (422, always), a body that is not multipart/form-data (400), implausible dates and a
header with a doubled byte-order mark (422), a clash with another import (409)."""

import pytest
from django.db import IntegrityError
from django.test import Client

from notinschool.accounts.models import Agency
from notinschool.accounts.tests.factories import AgencyFactory
from notinschool.api.tests.test_api import csv_bytes, keyed_client, send
from notinschool.intake.models import ImportBatch
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.linkage.models import AgencyFact
from notinschool.people.models import Child

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
HEADER = ["record_id", "forename", "surname", "date_of_birth", "indicator", "start_date"]


def plan(n: int) -> list[str]:
    return [f"P{n}", f"Child{chr(65 + n)}", "Ray", "2013-05-05", "police_concern", "2026-03-01"]


@pytest.fixture
def police(db: None) -> Client:
    agency = AgencyFactory.create(name="Demo police", kind=Agency.Kind.POLICE)
    return keyed_client(agency, sources=["police"])


@pytest.fixture
def council(db: None) -> Client:
    return keyed_client(AgencyFactory.create(name="Demo Borough education",
                                             kind=Agency.Kind.EDUCATION))


def _facts() -> list[tuple]:
    return sorted(AgencyFact.objects.values_list("person__record_id", "end_date"))


def test_a_snapshot_that_would_end_most_facts_is_422_with_the_counts(as_of, police):
    first = send(police, "agency", csv_bytes(HEADER, *(plan(n) for n in range(4))), name="all.csv",
                 source="police", snapshot="true")
    assert first.status_code == 201, first.content
    before, batches = _facts(), ImportBatch.objects.count()

    short = csv_bytes(HEADER, plan(0))
    refused = send(police, "agency", short, name="short.csv", source="police", snapshot="true")
    assert refused.status_code == 422 and refused["Content-Type"] == PROBLEM
    body = refused.json()
    assert body["detail"] == ("As a snapshot this file would end 3 of the 4 current police facts; "
                              "nothing was imported. If police really ended them, send it again "
                              "with allow_large_end=true.")
    assert body["snapshot"] == {"source": "police", "current_facts": 4, "would_end": 3,
                                "max_end_share": 0.2, "empty": False, "can_confirm": True}
    assert body["errors"] == [{"file": "short.csv", "row": 0, "column": "-", "message": (
        "as a snapshot this file would end 3 of the 4 current police facts (75%; more than 20% "
        "is ended only when the sender confirms it): nothing was imported")}]
    assert _facts() == before and ImportBatch.objects.count() == batches

    confirmed = send(police, "agency", short, name="short.csv", source="police", snapshot="true",
                     allow_large_end="true")
    assert confirmed.status_code == 201, confirmed.content
    assert AgencyFact.objects.filter(ended_by_snapshot=True).count() == 3


def test_an_empty_snapshot_is_422_even_when_confirmed(as_of, police):
    assert send(police, "agency", csv_bytes(HEADER, *(plan(n) for n in range(3))),
                source="police").status_code == 201
    before = _facts()
    for confirm in ("false", "true"):
        refused = send(police, "agency", csv_bytes(HEADER), name="empty.csv", source="police",
                       snapshot="true", allow_large_end=confirm)
        assert refused.status_code == 422 and refused["Content-Type"] == PROBLEM
        body = refused.json()
        assert body["detail"] == ("The snapshot has no valid rows: it would end all 3 current "
                                  "police facts. An empty snapshot is never taken; nothing was "
                                  "imported.")
        assert body["snapshot"]["empty"] is True and body["snapshot"]["can_confirm"] is False
        assert body["snapshot"]["current_facts"] == 3
    assert _facts() == before


@pytest.mark.parametrize("content_type", [
    "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\u00e9"])
def test_multipart_without_a_usable_boundary_is_400_not_500(as_of, council, content_type):
    body = csv_bytes(DELETION_HEADER, deletion())
    response = council.generic("POST", "/api/v1/imports/roll-deletions", body,
                               content_type=content_type)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == (
        "The body cannot be read as multipart/form-data: send the file as multipart/form-data, "
        "with a boundary, in a part named 'file'.")
    assert Child.objects.count() == 0


@pytest.mark.parametrize(("content_type", "body"), [
    ("text/csv", b"school_urn\n123456\n"), ("application/json", b"{}"), ("", b""),
    ("multipart/form-data; boundary=xyz", b"not multipart at all")])
def test_a_body_that_is_not_a_multipart_upload_is_400(as_of, council, content_type, body):
    response = council.generic("POST", "/api/v1/imports/roll-deletions", body,
                               content_type=content_type)
    assert response.status_code == 400 and response["Content-Type"] == PROBLEM
    assert response.json()["status"] == 400


def test_a_clash_with_another_import_is_409(as_of, council, monkeypatch):
    def clash(**_: object) -> None:
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("notinschool.api.api.upload_import", clash)
    response = send(council, "roll-deletions", csv_bytes(DELETION_HEADER, deletion()))
    assert response.status_code == 409 and response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == ("Another import changed the same records at the same "
                                         "time; nothing from this file was imported. Send it again.")


def test_implausible_dates_are_422(as_of, council):
    content = csv_bytes(["surname", "date_received", "postcode", "date_of_birth"],
                        ["Smith", "1800-11-01", "LS6 1AB", ""],
                        ["Jones", "2026-11-01", "LS6 1AB", "1990-01-01"])
    response = send(council, "referrals", content, name="r.csv")
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"file": "r.csv", "row": 2, "column": "date_received",
         "message": "'1800-11-01' is before 1 January 2000: check the year"},
        {"file": "r.csv", "row": 3, "column": "date_of_birth",
         "message": "'1990-01-01' would make the child older than 25: check the year"}]


def test_a_doubled_byte_order_mark_is_422_naming_the_column(as_of, council):
    content = b"\xef\xbb\xbf\xef\xbb\xbf" + csv_bytes(DELETION_HEADER, deletion())
    response = send(council, "roll-deletions", content, name="twice.csv")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["row"], error["column"]) == (1, "school_urn")
    assert "byte-order mark (U+FEFF)" in error["message"]
    assert Child.objects.count() == 0
