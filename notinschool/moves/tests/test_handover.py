"""Moving out: the handover holds what the receiving authority needs (and not the contact
notes), its sending opens a chase in the work queue due 10 working days on, and the record
closes as `left_area` only when receipt is acknowledged."""

import datetime as dt
import json

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import WorkItem
from notinschool.core.errors import NotPermitted
from notinschool.moves.models import Handover
from notinschool.moves.services import (
    CHASE_KIND,
    HandoverProblem,
    handover_acknowledge,
    handover_create,
    handover_sent_record,
)
from notinschool.moves.tests.factories import MONDAY, moving_child
from notinschool.people.models import StatusChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory.create(role=Role.EHE_OFFICER, first_name="Olive", last_name="Officer")


def produce(officer, child, **kwargs):
    values: dict = {"to_authority": "Northshire County Council", "to_la_code": "931",
              "moved_on": dt.date(2026, 11, 20), "new_line_1": "3 Harbour Street",
              "new_town": "Northport", "new_postcode": "NP1 2AB"} | kwargs
    return handover_create(actor=officer, child=child, **values)


def test_the_handover_holds_what_the_receiving_authority_needs(officer):
    child = moving_child()
    doc = produce(officer, child).document
    assert (doc["format"], doc["version"]) == ("notinschool-handover", 1)
    assert doc["to_authority"] == {"name": "Northshire County Council", "la_code": "931"}
    assert doc["child"]["forename"] == "Ada" and doc["child"]["upn"] == "A123456789012"
    assert doc["child"]["date_of_birth"] == "2014-05-17" and doc["child"]["status"] == "ehe"
    assert [(a["role"], a["postcode"]) for a in doc["addresses"]] == [("current", "LS6 1AB"),
                                                                     ("new", "NP1 2AB")]
    assert [p["name"] for p in doc["parents"]] == ["Mary Lovelace"]
    assert [(s["status"], s["date"]) for s in doc["status_history"]] == [("ehe", "2026-09-01")]
    assert doc["risk"]["tier"] in (1, 2, 3, 4) and doc["risk"]["assessed_on"] == MONDAY.isoformat()
    assert doc["contacts"]["count"] == 1
    assert doc["contacts"]["recent"][0] == {"date": "2026-10-05", "method": "home_visit",
                                            "outcome": "engaged", "child_seen": True,
                                            "seen_alone": True}
    assert "Private notes" not in json.dumps(doc)
    assert doc["address_withheld"] is False and doc["address_note"] == ""


def test_sending_opens_a_chase_and_only_acknowledgement_closes_the_record(officer):
    child = moving_child()
    handover = produce(officer, child)
    with pytest.raises(HandoverProblem, match="Record how the handover was sent first"):
        handover_acknowledge(actor=officer, handover=handover, acknowledged_by="Sam Patel",
                             acknowledged_on=MONDAY)
    handover_sent_record(actor=officer, handover=handover, method="secure_email", sent_on=MONDAY)
    item = WorkItem.objects.get(child=child, kind=CHASE_KIND, closed_at__isnull=True)
    assert item.due_date == dt.date(2026, 12, 7)  # 10 working days after Monday 23 November
    assert "Northshire County Council" in item.title
    child.refresh_from_db()
    assert child.status == "ehe"  # sent, not acknowledged: still ours

    handover_acknowledge(actor=officer, handover=handover, acknowledged_by="Sam Patel, CME team",
                         acknowledged_on=MONDAY)
    child.refresh_from_db()
    assert (child.status, child.status_date) == ("left_area", MONDAY)
    change = StatusChange.objects.get(child=child, status="left_area")
    assert "acknowledged by Sam Patel, CME team" in change.reason
    assert not WorkItem.objects.filter(child=child, kind=CHASE_KIND, closed_at__isnull=True).exists()
    assert Handover.objects.get().state == "acknowledged"
    actions = set(AuditEvent.objects.filter(object_type="handover").values_list("action", flat=True))
    assert actions == {"create", "send", "update"}


def test_a_new_handover_replaces_the_open_one_and_its_chase(officer):
    child = moving_child()
    first = produce(officer, child, to_authority="Wrong Council")
    handover_sent_record(actor=officer, handover=first, method="post", sent_on=MONDAY)
    produce(officer, child)
    first.refresh_from_db()
    assert first.state == "withdrawn" and first.withdrawn_reason == "replaced by a new handover"
    assert not WorkItem.objects.filter(child=child, closed_at__isnull=True).filter(
        kind=CHASE_KIND).exists()


def test_the_rules_refuse_what_cannot_be(officer):
    child = moving_child()
    with pytest.raises(HandoverProblem, match="3 digits"):
        produce(officer, child, to_la_code="93")
    handover = produce(officer, child)
    with pytest.raises(HandoverProblem, match="today or in the past"):
        handover_sent_record(actor=officer, handover=handover, method="post",
                             sent_on=MONDAY + dt.timedelta(days=1))
    handover_sent_record(actor=officer, handover=handover, method="post", sent_on=MONDAY)
    with pytest.raises(HandoverProblem, match="who at the receiving authority"):
        handover_acknowledge(actor=officer, handover=handover, acknowledged_by=" ",
                             acknowledged_on=MONDAY)
    for role in (Role.SOCIAL_WORKER, Role.ANALYST):
        with pytest.raises(NotPermitted):
            produce(UserFactory.create(role=role), child)
    closed = moving_child(forename="Bea", status="returned_to_school")
    with pytest.raises(HandoverProblem, match="nothing to hand over"):
        produce(officer, closed)
