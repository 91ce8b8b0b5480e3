"""Moving in: the previous authority's handover file, imported with `notinschool import
handover FILE` (the same import as every notification), makes or matches the child, registers
them with the status they had, and keeps the history it brings; a bad file writes nothing and
names the field; importing it again changes nothing."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.api.services import api_key_create
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.tests.helpers import run_import
from notinschool.moves.models import MoveIn
from notinschool.moves.services import handover_create
from notinschool.moves.tests.factories import moving_child
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import Assessment

pytestmark = pytest.mark.django_db


def handover_file(tmp_path: Path, *, do_not_disclose: bool = False) -> Path:
    """A handover produced by this database, written out, and the sending authority's records
    then removed (the receiving authority's database starts without the child)."""
    officer = UserFactory.create(role=Role.EHE_OFFICER)
    child = moving_child(do_not_disclose=do_not_disclose)
    handover = handover_create(actor=officer, child=child, to_authority="Demo Borough Council",
                               moved_on=dt.date(2026, 11, 20), new_line_1="3 Harbour Street",
                               new_town="Northport", new_postcode="NP1 2AB")
    doc = handover.document | {"from_authority": handover.document["from_authority"]
                               | {"name": "Northshire County Council", "la_code": "931"}}
    path = tmp_path / "handover.json"
    path.write_text(json.dumps(doc, indent=2))
    Child.objects.all().delete()
    return path


def test_the_file_makes_the_child_with_the_history_it_brings(tmp_path):
    path = handover_file(tmp_path)
    code, out, err = run_import("handover", path)
    assert (code, err) == (0, "")
    assert "1 rows, 1 new" in out
    child = Child.objects.get()
    assert (child.forename, child.surname, child.upn) == ("Ada", "Lovelace", "A123456789012")
    assert (child.status, child.status_date) == ("ehe", dt.date(2026, 11, 20))
    assert child.postcode == "NP1 2AB" and child.last_seen_date == dt.date(2026, 10, 5)
    assert [link.parent.name for link in child.parent_links.all()] == ["Mary Lovelace"]
    move = MoveIn.objects.get(child=child)
    assert (move.from_authority, move.from_la_code) == ("Northshire County Council", "931")
    assert move.document["status_history"][0]["status"] == "ehe"
    notification = Notification.objects.get(child=child, kind="handover")
    assert notification.outcome == "moved in from Northshire County Council: registered as ehe"
    assert Assessment.objects.filter(child=child, is_latest=True).exists()  # assessed as any

    code, out, _ = run_import("handover", path)
    assert code == 0 and "1 already imported" in out
    assert MoveIn.objects.count() == 1 and Child.objects.count() == 1


def test_the_file_matches_a_child_already_known(tmp_path):
    path = handover_file(tmp_path)
    known = ChildFactory.create(forename="Ada", surname="Lovelace", date_of_birth=dt.date(2014, 5, 17),
                                sex="F", postcode="NP1 2AB", status="recorded", status_date=None,
                                joined_register_date=None)
    assert run_import("handover", path)[0] == 0
    assert list(Child.objects.values_list("pk", flat=True)) == [known.pk]
    known.refresh_from_db()
    assert known.status == "ehe"
    assert MoveIn.objects.get().child_id == known.pk


def test_a_bad_file_writes_nothing_and_names_the_field(tmp_path):
    path = handover_file(tmp_path)
    doc = json.loads(path.read_text())
    doc["child"]["date_of_birth"] = "2030-01-01"
    doc["status_history"][0]["status"] = "gone"
    path.write_text(json.dumps(doc))
    code, _, err = run_import("handover", path)
    assert code == 2
    assert f"{path}:1:child.date_of_birth: '2030-01-01' is in the future" in err
    assert f"{path}:1:status_history[0].status: 'gone' is not one of" in err
    assert "2 problems: nothing was imported" in err
    assert not Child.objects.exists() and not ImportBatch.objects.exists()


def test_a_file_that_is_not_a_handover_says_so(tmp_path):
    path = tmp_path / "notes.json"
    path.write_text("{not json")
    code, _, err = run_import("handover", path)
    assert code == 2 and f"{path}:1:-: is not JSON" in err
    path.write_text(json.dumps({"format": "something-else", "version": 1}))
    assert f"{path}:1:format: should be 'notinschool-handover'" in run_import("handover", path)[2]
    path.write_text(json.dumps({"format": "notinschool-handover", "version": 2}))
    assert f"{path}:1:version: 2 is not a version" in run_import("handover", path)[2]
    assert run_import("handover", tmp_path / "missing.json")[0] == 2
    assert not Child.objects.exists()


def test_the_api_takes_a_handover_as_another_kind_of_file(tmp_path):
    path = handover_file(tmp_path)
    council = AgencyFactory.create(name="Demo Borough education", kind=Agency.Kind.EDUCATION)
    _key, token = api_key_create(actor=COMMAND_LINE, agency=council, name="CME system")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    bad = client.post("/api/v1/imports/handover",
                      {"file": SimpleUploadedFile("h.json", b'{"format": "notinschool-handover"}')})
    assert bad.status_code == 422
    assert [p["column"] for p in bad.json()["errors"]] == ["version"]
    response = client.post("/api/v1/imports/handover",
                           {"file": SimpleUploadedFile("handover.json", path.read_bytes())})
    assert response.status_code == 201, response.content
    assert response.json()["rows_new"] == 1 and response.json()["children_touched"] == 1
    batch = MoveIn.objects.get().batch
    assert batch is not None and batch.channel == "api"
