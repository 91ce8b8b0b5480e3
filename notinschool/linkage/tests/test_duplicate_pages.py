"""The duplicate review pages: the queue of register records that may be the same child, one
pair side by side with its evidence, and the two decisions (merge, keeping the record the
officer chooses; or different children); the child's page points to a pair waiting, and a
merged record's address leads to the record kept."""

import re

import pytest

from notinschool.accounts.roles import Role
from notinschool.audit.models import AuditEvent
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register, run_import
from notinschool.linkage.models import DuplicatePair
from notinschool.people.models import Child
from notinschool.web.tests.pagerules import assert_govuk_page

pytestmark = pytest.mark.django_db

REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "reason", "date_received"]


@pytest.fixture
def pair(as_of, write_csv) -> DuplicatePair:
    """Harrison's school deleted him for home education; his mother's registration, typed with
    his name as 'Haryr', made a second record the intake could not be sure was him."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion(
        forename="Harrison", surname="Evans", parent1_name="Claire Evans")))
    run_import("parent-registrations", write_csv("r.csv", REGISTRATION_HEADER, [
        "Haryr", "Evans", "2015-03-05", "1 Mill Road", "LS6 1AB", "Claire Evans", "bullying",
        "2026-10-20"]))
    assert Child.objects.count() == 2, "the intake matcher put the two notifications together"
    return DuplicatePair.objects.select_related("child_a", "child_b").get()


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_queue_lists_the_pair_and_the_match_queue_points_to_it(client_for, pair):
    client = client_for(Role.EHE_OFFICER)
    matches = text(client.get("/matches/"))
    assert "Possible duplicate register records" in matches and "1 pair waiting" in matches
    response = client.get("/matches/duplicates/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "1 pair waiting" in html
    assert "Harrison Evans" in html and "Haryr Evans" in html
    assert f"/matches/duplicates/{pair.pk}/" in html
    event = AuditEvent.objects.filter(action="list", object_type="duplicate_pair").latest("at")
    assert event.child_count == 2


def test_the_pair_page_shows_both_records_and_the_evidence(client_for, pair):
    response = client_for(Role.EHE_OFFICER).get(f"/matches/duplicates/{pair.pk}/")
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert f"Records {pair.child_a.child_ref} and {pair.child_b.child_ref}" in html
    assert "Harrison Evans" in html and "Haryr Evans" in html and "Claire Evans" in html
    assert "First name" in html and "Date of birth" in html and "likely to be the same child" in html
    assert f"Keep {pair.child_a.child_ref}: Harrison Evans, born 5 March 2015" in html
    assert "They are different children" in html
    assert AuditEvent.objects.filter(action="view", object_type="duplicate_pair").exists()


def test_a_decision_without_a_choice_or_reason_shows_the_error_summary(client_for, pair):
    response = client_for(Role.EHE_OFFICER).post(f"/matches/duplicates/{pair.pk}/", {})
    assert response.status_code == 200
    assert_govuk_page(response.content)
    html = text(response)
    assert "There is a problem" in html
    assert "Select whether these are the same child" in html
    assert "Enter the reason for your decision" in html
    pair.refresh_from_db()
    assert pair.state == DuplicatePair.State.PENDING


def test_merging_keeps_the_chosen_record_and_the_old_address_leads_to_it(client_for, pair):
    client = client_for(Role.EHE_OFFICER)
    keep, other = pair.child_a, pair.child_b
    response = client.post(f"/matches/duplicates/{pair.pk}/", {
        "decision": str(keep.pk), "reason": "Same boy: his mother confirmed the spelling by phone"})
    assert response.status_code == 302 and response["Location"] == f"/children/{keep.pk}/"
    page = text(client.get(response["Location"]))
    assert f"Records merged. {other.child_ref} is now part of {keep.child_ref}" in page
    rows = export_register()
    assert [(r["child_ref"], r["forename"]) for r in rows] == [(keep.child_ref, "Harrison")]
    assert "review_match" not in rows[0]["required_actions"]
    followed = client.get(f"/children/{other.pk}/")
    assert followed.status_code == 302 and followed["Location"] == f"/children/{keep.pk}/"
    decided = text(client.get(f"/matches/duplicates/{pair.pk}/"))
    assert "Same child: merged, kept " + keep.child_ref in decided
    assert "his mother confirmed the spelling" in decided and "Save decision" not in decided


def test_different_children_are_never_suggested_again(client_for, pair):
    from notinschool.accounts.system import COMMAND_LINE
    from notinschool.linkage.services import link_all

    client = client_for(Role.EHE_OFFICER)
    response = client.post(f"/matches/duplicates/{pair.pk}/", {
        "decision": "different", "reason": "Cousins: the school knows both boys"})
    assert response.status_code == 302
    assert "Recorded as different children" in text(client.get(response["Location"]))
    link_all(actor=COMMAND_LINE)
    assert DuplicatePair.objects.count() == 1
    assert "No pairs waiting" in text(client.get("/matches/duplicates/"))
    assert len(export_register()) == 2


def test_the_childs_page_points_to_the_pair_waiting(client_for, pair):
    html = text(client_for(Role.EHE_OFFICER).get(f"/children/{pair.child_b.pk}/"))
    assert f"may be about the same child as {pair.child_a.child_ref}, Harrison Evans" in html
    assert f"/matches/duplicates/{pair.pk}/" in html


def test_roles_that_do_not_review_matches_cannot_open_or_decide(client_for, pair):
    for role in (Role.SOCIAL_WORKER, Role.ANALYST, Role.HEALTH_PRACTITIONER):
        client = client_for(role)
        assert client.get("/matches/duplicates/").status_code in (403, 404)
        assert client.post(f"/matches/duplicates/{pair.pk}/", {
            "decision": "different", "reason": "x"}).status_code in (403, 404)
    pair.refresh_from_db()
    assert pair.state == DuplicatePair.State.PENDING
