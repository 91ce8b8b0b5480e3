"""Register records that may be the same child: found on import and by the monthly link run,
waiting for a person, who merges them or rules them different children."""

import pytest

from notinschool.accounts.roles import Cap, Role
from notinschool.accounts.system import COMMAND_LINE, SystemActor
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.core.identifiers import numbers_near, upn_valid
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register, run_import
from notinschool.linkage.duplicates import ReasonMissing, duplicate_different, duplicates_find
from notinschool.linkage.models import DuplicatePair
from notinschool.linkage.services import link_all
from notinschool.people.models import Child
from notinschool.synth.ids import make_upn
from notinschool.workflow.merge import duplicate_merge

pytestmark = pytest.mark.django_db

State = DuplicatePair.State

REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "reason", "date_received"]


@pytest.fixture
def officer(db):
    return UserFactory.create(username="officer", role=Role.EHE_OFFICER)


@pytest.fixture
def harrison(as_of, write_csv) -> tuple[Child, Child]:
    """Harrison's school deleted him for home education; three weeks later his mother's
    registration arrived spelling him 'Haryr' (two edits away): the intake matcher could not be
    sure, and made a second record."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion(
        forename="Harrison", surname="Evans", parent1_name="Claire Evans")))
    run_import("parent-registrations", write_csv(
        "r.csv", REGISTRATION_HEADER,
        ["Haryr", "Evans", "2015-03-05", "1 Mill Road", "LS6 1AB", "Claire Evans", "bullying",
         "2026-10-20"]))
    records = list(Child.objects.order_by("child_ref"))
    assert [c.forename for c in records] == ["Harrison", "Haryr"], "the intake kept them apart"
    return records[0], records[1]


def review_match(rows: list[dict[str, str]]) -> dict[str, bool]:
    return {r["forename"]: "review_match" in r["required_actions"].split(";") for r in rows}


def test_the_import_finds_the_duplicate_and_the_export_asks_for_a_review(harrison):
    first, second = harrison
    pair = DuplicatePair.objects.get()
    assert (pair.child_a, pair.child_b, pair.state) == (first, second, State.PENDING)
    assert pair.probability >= 0.9 and pair.evidence, "the score is explained"
    assert review_match(export_register()) == {"Harrison": True, "Haryr": True}
    assert AuditEvent.objects.filter(action="create", object_type="duplicate_pair").exists()


def test_the_link_run_finds_the_same_pair_once(harrison):
    DuplicatePair.objects.all().delete()  # as if the records had arrived before this feature
    link_all(actor=COMMAND_LINE)
    pair = DuplicatePair.objects.get()
    assert {pair.child_a, pair.child_b} == set(harrison) and pair.state == State.PENDING
    link_all(actor=COMMAND_LINE)
    assert list(DuplicatePair.objects.values_list("pk", flat=True)) == [pair.pk]


def test_a_role_that_cannot_change_the_register_cannot_run_the_link(harrison):
    DuplicatePair.objects.all().delete()
    events = AuditEvent.objects.count()
    analyst = UserFactory.create(role=Role.ANALYST)
    with pytest.raises(NotPermitted):
        link_all(actor=analyst)
    with pytest.raises(NotPermitted):
        duplicates_find(actor=analyst, child_ids={c.pk for c in harrison})
    assert not DuplicatePair.objects.exists() and AuditEvent.objects.count() == events


@pytest.mark.parametrize("serials", [None, (1, 57)])
def test_twins_with_their_own_pupil_numbers_are_not_suggested(as_of, write_csv, serials):
    """Jack and Jake, deleted together by their school: without pupil numbers they look like
    one boy spelt twice (a person must look); with two clearly different numbers they are two
    boys."""
    upns = (make_upn(serials[0], "123456", 2019), make_upn(serials[1], "123456", 2019)) \
        if serials else ("", "")
    run_import("roll-deletions", write_csv(
        "d.csv", DELETION_HEADER,
        deletion(forename="Jack", surname="Evans", upn=upns[0]),
        deletion(forename="Jake", surname="Evans", upn=upns[1])))
    link_all(actor=COMMAND_LINE)
    assert Child.objects.count() == 2
    assert DuplicatePair.objects.exists() is not bool(serials)
    assert review_match(export_register()) == {"Jack": not serials, "Jake": not serials}


def test_pupil_numbers_one_digit_apart_are_evidence_not_proof(as_of, write_csv):
    """Two valid UPNs one digit apart (a number mistyped into another that passes its check):
    the records are not ruled two children outright. Jake and Jack wait for a person, as they
    would without numbers, and stay two records until one decides."""
    upns = (make_upn(1, "123456", 2019), make_upn(2, "123456", 2019))
    assert all(upn_valid(u) for u in upns) and numbers_near(*upns)
    run_import("roll-deletions", write_csv(
        "d.csv", DELETION_HEADER,
        deletion(forename="Jack", surname="Evans", upn=upns[0]),
        deletion(forename="Jake", surname="Evans", upn=upns[1])))
    link_all(actor=COMMAND_LINE)
    assert Child.objects.count() == 2
    pair = DuplicatePair.objects.get()
    assert {"field": "identifiers", "label": "one digit apart"} in [
        {k: e[k] for k in ("field", "label")} for e in pair.evidence]
    assert review_match(export_register()) == {"Jack": True, "Jake": True}


def test_ruled_different_stays_decided_and_is_never_suggested_again(harrison, officer):
    pair = DuplicatePair.objects.get()
    with pytest.raises(ReasonMissing):
        duplicate_different(actor=officer, pair=pair, reason="  ")
    pair.refresh_from_db()
    assert pair.state == State.PENDING

    duplicate_different(actor=officer, pair=pair,
                        reason="Visited: Harrison and his cousin Haryr live together")

    pair.refresh_from_db()
    assert pair.state == State.DIFFERENT and pair.decided_by == officer
    assert pair.decision_reason == "Visited: Harrison and his cousin Haryr live together"
    assert pair.decided_at is not None and pair.kept is None
    assert Child.objects.filter(status="ehe").count() == 2, "both records stay on the register"
    event = AuditEvent.objects.get(action="decide", object_type="duplicate_pair")
    assert event.actor == officer and event.reason.startswith("Visited")
    assert review_match(export_register()) == {"Harrison": False, "Haryr": False}

    link_all(actor=COMMAND_LINE)
    assert list(DuplicatePair.objects.values_list("state", flat=True)) == [State.DIFFERENT]
    assert review_match(export_register()) == {"Harrison": False, "Haryr": False}


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.ANALYST, Role.HEALTH_PRACTITIONER])
def test_roles_that_do_not_review_matches_cannot_decide(harrison, role):
    pair = DuplicatePair.objects.get()
    user = UserFactory.create(role=role)
    with pytest.raises(NotPermitted):
        duplicate_different(actor=user, pair=pair, reason="Different boys")
    with pytest.raises(NotPermitted):
        duplicate_merge(actor=user, pair=pair, keep_id=pair.child_a_id, reason="Same boy")
    pair.refresh_from_db()
    assert pair.state == State.PENDING
    assert Child.objects.filter(status="merged").count() == 0


class _ReviewerOnly(SystemActor):
    """May review matches but not change the register (no role is like that yet)."""

    def can(self, capability: Cap) -> bool:
        return capability != Cap.EDIT_REGISTER


def test_merging_needs_the_right_to_change_the_register(harrison):
    pair = DuplicatePair.objects.get()
    reviewer = _ReviewerOnly("reviewer")
    with pytest.raises(NotPermitted):
        duplicate_merge(actor=reviewer, pair=pair, keep_id=pair.child_a_id, reason="Same boy")
    pair.refresh_from_db()
    assert pair.state == State.PENDING and not Child.objects.filter(status="merged").exists()
    duplicate_different(actor=reviewer, pair=pair, reason="Two boys, checked with the school")
    pair.refresh_from_db()
    assert pair.state == State.DIFFERENT and pair.decided_by is None
    assert pair.decided_by_label.startswith("system: reviewer")


def test_a_pair_is_decided_once(harrison, officer):
    first = harrison[0]
    pair = DuplicatePair.objects.get()
    duplicate_different(actor=officer, pair=pair, reason="Different boys")
    with pytest.raises(DomainError, match="waiting for review"):
        duplicate_merge(actor=officer, pair=pair, keep_id=first.pk, reason="Same boy after all")
    with pytest.raises(DomainError, match="waiting for review"):
        duplicate_different(actor=officer, pair=pair, reason="Again")
    pair.refresh_from_db()
    assert pair.state == State.DIFFERENT and pair.decision_reason == "Different boys"
    assert Child.objects.filter(status="merged").count() == 0


def test_a_merged_pair_cannot_be_decided_again(harrison, officer):
    first, second = harrison
    pair = DuplicatePair.objects.get()
    duplicate_merge(actor=officer, pair=pair, keep_id=first.pk, reason="Mother confirms: one boy")
    # an officer who sends the form twice is told the pair is decided, not that they may not
    with pytest.raises(DomainError, match="this one is same child: merged"):
        duplicate_different(actor=officer, pair=pair, reason="Different boys")
    with pytest.raises(DomainError, match="waiting for review"):
        duplicate_merge(actor=officer, pair=pair, keep_id=second.pk, reason="Keep the other")
    pair.refresh_from_db()
    assert (pair.state, pair.kept, pair.decided_by) == (State.MERGED, first, officer)
    assert [r["forename"] for r in export_register()] == ["Harrison"]


def test_the_record_to_keep_must_be_one_of_the_pair(harrison, officer, write_csv):
    pair = DuplicatePair.objects.get()
    run_import("roll-deletions", write_csv("d2.csv", DELETION_HEADER, deletion(
        forename="Zofia", surname="Nowak", dob="2012-07-09", postcode="LS7 2CD")))
    stranger = Child.objects.get(forename="Zofia")
    with pytest.raises(DomainError, match="Select which record"):
        duplicate_merge(actor=officer, pair=pair, keep_id=stranger.pk, reason="Same boy")
    pair.refresh_from_db()
    assert pair.state == State.PENDING and not Child.objects.filter(status="merged").exists()
