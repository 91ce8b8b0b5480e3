"""A person merges two records of the same child: one record carries on, rebuilt from both
records' notifications, with what people recorded about either; the other is retired."""

import contextlib
import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.models import AuditEvent
from notinschool.casework.models import Contact
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.models import Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, export_register, run_import
from notinschool.linkage.models import DuplicatePair, MatchDecision, PersonMatch
from notinschool.linkage.selectors import child_agency_flags
from notinschool.linkage.tests.factories import AgencyFactFactory, AgencyPersonFactory, PersonMatchFactory
from notinschool.people.models import Child
from notinschool.workflow.decisions import match_reject
from notinschool.workflow.merge import child_merge, duplicate_merge
from notinschool.workflow.split import child_split

pytestmark = pytest.mark.django_db

REFERRAL_HEADER = ["referrer_agency", "referrer_name", "date_received", "forename", "surname",
                   "date_of_birth", "address_line_1", "postcode", "concern"]
REGISTRATION_HEADER = ["forename", "surname", "date_of_birth", "address_line_1", "postcode",
                       "parent1_name", "reason", "date_received"]
CONTACT_HEADER = ["forename", "surname", "date_of_birth", "postcode", "contact_date", "method",
                  "child_seen", "seen_alone", "outcome", "recorded_by", "notes"]


def referral(forename: str, on: str) -> list[str]:
    return ["Health visiting", "Nurse Jones", on, forename, "Evans", "2015-03-05", "1 Mill Road",
            "LS6 1AB", "Not seen at school since October"]


def contact(forename: str, on: str, seen: str, alone: str = "") -> list[str]:
    return [forename, "Evans", "2015-03-05", "LS6 1AB", on, "home_visit", seen, alone,
            "engaged", "A. Officer", ""]


def dfe_census(census: str = "2026-11-20") -> dict[str, int]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        call_command("export", "dfe-return", "--census-date", census)
    return {r["section"]: int(r["count"]) for r in csv.DictReader(io.StringIO(out.getvalue()))
            if r["section"] in ("ehe_census", "cme_census") and r["breakdown"] == "total"}


@pytest.fixture
def officer(db):
    return UserFactory.create(username="officer", role=Role.EHE_OFFICER)


@pytest.fixture
def harrison(as_of, write_csv) -> tuple[Child, Child]:
    """Harrison's school deleted him for home education on 1 October; on 20 October a health
    visitor referred 'Haryr Evans' at the same address. The intake matcher could not be sure,
    so the referral opened a children-missing-education case on a second record."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion(
        forename="Harrison", surname="Evans", parent1_name="Claire Evans")))
    run_import("referrals", write_csv("r.csv", REFERRAL_HEADER, referral("Haryr", "2026-10-20")))
    first, second = Child.objects.order_by("child_ref")
    assert (first.forename, first.status) == ("Harrison", "ehe")
    assert (second.forename, second.status) == ("Haryr", "cme")
    assert DuplicatePair.objects.filter(state="pending").count() == 1
    return first, second


def pair_merge(actor, keep: Child) -> Child:
    pair = DuplicatePair.objects.get(state="pending")
    return duplicate_merge(actor=actor, pair=pair, keep_id=keep.pk,
                           reason="Mother confirms Haryr is Harrison misspelt")


@pytest.mark.parametrize("keep_first", [True, False])
def test_the_export_has_one_child_under_the_record_kept(harrison, officer, keep_first):
    keep, other = harrison if keep_first else harrison[::-1]
    kept = pair_merge(officer, keep)

    rows = export_register()
    assert [(r["child_ref"], r["forename"], r["status"]) for r in rows] == [
        (keep.child_ref, keep.forename, "ehe")], "home educated since 1 October: no CME case"
    assert "review_match" not in rows[0]["required_actions"]
    other.refresh_from_db()
    assert other.status == "merged" and other.merged_into == kept
    assert other.status_history.filter(status="merged").exists()
    assert sorted(Notification.objects.filter(child=kept).values_list("kind", flat=True)) == [
        "referrals", "roll-deletions"]
    assert not Notification.objects.filter(child=other).exists()
    assert list(kept.status_history.values_list("status", flat=True)) == ["ehe"]
    assert kept.parent_links.get().parent.name == "Claire Evans"
    assert DuplicatePair.objects.get().kept == kept
    event = AuditEvent.objects.get(object_type="child_merge")
    assert event.actor == officer and event.reason.startswith("Mother confirms")


def test_only_a_role_that_changes_the_register_merges(harrison):
    first, second = harrison
    with pytest.raises(NotPermitted):
        child_merge(actor=UserFactory.create(role=Role.SOCIAL_WORKER), keep=first, other=second,
                    reason="Same boy")
    assert not Child.objects.filter(status="merged").exists()
    assert not AuditEvent.objects.filter(object_type="child_merge").exists()


def test_a_merge_needs_a_reason_and_two_open_records(harrison):
    first, second = harrison
    with pytest.raises(DomainError):
        child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="  ")
    with pytest.raises(DomainError):
        child_merge(actor=COMMAND_LINE, keep=first, other=first, reason="Same boy")
    assert not Child.objects.filter(status="merged").exists()
    child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="Same boy")
    # merged straight from the register (not through the pair): the pair no longer waits
    assert not DuplicatePair.objects.exists()
    assert "review_match" not in export_register()[0]["required_actions"]
    with pytest.raises(DomainError, match="already merged"):
        child_merge(actor=COMMAND_LINE, keep=second, other=first, reason="The other way")


def test_contacts_move_and_the_last_seen_date_is_the_latest_visit(harrison, write_csv):
    first, second = harrison
    run_import("contacts", write_csv("c.csv", CONTACT_HEADER,
                                     contact("Harrison", "2026-10-12", "N"),
                                     contact("Haryr", "2026-11-10", "Y", "Y"),
                                     contact("Haryr", "2026-11-16", "N")))
    assert Contact.objects.filter(child=second).count() == 2

    kept = child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="Same boy")

    assert Contact.objects.filter(child=kept).count() == 3
    assert (kept.last_seen_date, kept.last_seen_alone) == (dt.date(2026, 11, 10), True)
    assert kept.last_contact_date == dt.date(2026, 11, 16)
    row = export_register()[0]
    assert (row["child_ref"], row["last_seen_date"], row["seen_alone"]) == (
        first.child_ref, "2026-11-10", "Y")


def test_do_not_disclose_address_on_either_record_carries_over(harrison):
    first, second = harrison
    Child.objects.filter(pk=second.pk).update(do_not_disclose_address=True)
    kept = child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="Same boy")
    assert kept.do_not_disclose_address is True


def test_a_rejected_agency_link_on_the_other_record_beats_an_automatic_one(harrison, officer):
    """Both records link one social care record: the engine linked Harrison automatically; an
    officer looked at Haryr's link and said no. After the merge the officer's no stands."""
    first, second = harrison
    person = AgencyPersonFactory.create(source="social_care", forename="Harry", surname="Evens")
    AgencyFactFactory.create(person=person, indicator="child_protection_plan")
    PersonMatchFactory.create(child=first, person=person, state=PersonMatch.State.AUTOMATIC)
    pending = PersonMatchFactory.create(child=second, person=person, state=PersonMatch.State.PENDING)
    match_reject(actor=officer, match=pending, reason="Different family, different school")
    assert [f.indicator for f in child_agency_flags(actor=officer, child=first)] == [
        "child_protection_plan"]

    kept = child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="Same boy")

    match = PersonMatch.objects.get(person=person)
    assert (match.pk, match.child, match.state) == (pending.pk, kept, PersonMatch.State.REJECTED)
    assert list(MatchDecision.objects.values_list("match_id", "decision", "reason")) == [
        (match.pk, "rejected", "Different family, different school")]
    assert child_agency_flags(actor=officer, child=kept) == []


def test_a_new_notification_in_the_duplicates_spelling_lands_on_the_record_kept(
        harrison, officer, write_csv):
    first, second = harrison
    kept = pair_merge(officer, first)
    run_import("referrals", write_csv("r2.csv", REFERRAL_HEADER, referral("Haryr", "2026-11-18")))
    assert Child.objects.count() == 2
    assert Notification.objects.filter(child=kept, kind="referrals").count() == 2
    assert not Notification.objects.filter(child=second).exists()
    assert [(r["child_ref"], r["status"]) for r in export_register()] == [(kept.child_ref, "ehe")]
    assert not DuplicatePair.objects.filter(state="pending").exists()


def test_the_dfe_return_counts_the_child_once(harrison):
    assert dfe_census() == {"ehe_census": 1, "cme_census": 1}
    first, second = harrison
    child_merge(actor=COMMAND_LINE, keep=second, other=first, reason="Same boy")
    assert dfe_census() == {"ehe_census": 1, "cme_census": 0}


def test_a_merged_record_can_be_split_again(harrison):
    """The officer merged the wrong way after all: split the referral off again."""
    first, second = harrison
    kept = child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="Same boy")
    referral_note = kept.notifications.get(kind="referrals")
    new = child_split(actor=COMMAND_LINE, child=kept, notification_ids=[referral_note.pk],
                      reason="Haryr is a cousin staying with the family")
    kept.refresh_from_db()
    assert (kept.forename, kept.status) == ("Harrison", "ehe")
    assert (new.forename, new.status) == ("Haryr", "cme")
    assert list(new.notifications.values_list("kind", flat=True)) == ["referrals"]
    assert [(r["forename"], r["status"]) for r in export_register()] == [
        ("Harrison", "ehe"), ("Haryr", "cme")]


def test_a_split_keeps_the_last_seen_date_from_contacts(as_of, write_csv):
    """Alexander was deleted for home education on 1 October and seen on a visit on
    10 November; a registration for a different boy landed on his record and is split off."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    run_import("parent-registrations", write_csv(
        "r.csv", REGISTRATION_HEADER,
        ["Alex", "Smith-Jones", "2015-03-05", "1 Mill Road", "LS6 1AB", "Dana Other", "bullying",
         "2026-10-20"]))
    run_import("contacts", write_csv("c.csv", CONTACT_HEADER, [
        "Alexander", "Smith-Jones", "2015-03-05", "LS6 1AB", "2026-11-10", "home_visit", "Y", "N",
        "engaged", "A. Officer", ""]))
    child = Child.objects.get()
    assert child.last_seen_date == dt.date(2026, 11, 10)

    registration = child.notifications.get(kind="parent-registrations")
    child_split(actor=COMMAND_LINE, child=child, notification_ids=[registration.pk],
                reason="Different boy")

    child.refresh_from_db()
    assert (child.last_seen_date, child.last_seen_alone) == (dt.date(2026, 11, 10), False)
    assert child.last_contact_date == dt.date(2026, 11, 10)
    row = next(r for r in export_register() if r["forename"] == "Alexander")
    assert (row["last_seen_date"], row["seen_alone"]) == ("2026-11-10", "N")


def test_a_third_spelling_still_waits_against_the_record_kept(harrison, officer, write_csv):
    """A second referral spelt 'Hayrs' made a third record, which may be either. Merging Haryr
    into Harrison leaves Hayrs waiting against Harrison only, never against the retired record."""
    first, second = harrison
    run_import("referrals", write_csv("r3.csv", REFERRAL_HEADER, referral("Hayrs", "2026-11-02")))
    third = Child.objects.get(forename="Hayrs")
    pairs = {frozenset((a, b)) for a, b in DuplicatePair.objects.values_list("child_a", "child_b")}
    assert pairs == {frozenset((first.pk, second.pk)), frozenset((first.pk, third.pk)),
                     frozenset((second.pk, third.pk))}

    pair = DuplicatePair.objects.get(child_a=first, child_b=second)
    duplicate_merge(actor=officer, pair=pair, keep_id=first.pk, reason="Same boy")

    waiting = DuplicatePair.objects.get(state="pending")
    assert (waiting.child_a, waiting.child_b) == (first, third)
    rows = export_register()
    assert {r["forename"]: "review_match" in r["required_actions"] for r in rows} == {
        "Harrison": True, "Hayrs": True}
