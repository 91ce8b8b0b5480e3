"""A merge or a split rebuilds a record from its notifications; what officers changed by hand on
the record comes back after it, and what was written about the record merged away (letters,
officers, the history of hand changes) moves to the record kept."""

import datetime as dt
import html
from decimal import Decimal

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.allocation.models import AllocationChange
from notinschool.audit.models import AuditEvent
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.intake.tests.test_merge import REFERRAL_HEADER, REGISTRATION_HEADER, harrison, pair_merge
from notinschool.letters.models import LetterKind
from notinschool.letters.services import letter_send
from notinschool.letters.tests.factories import template
from notinschool.people.edit_save import Seen
from notinschool.people.editing import (
    child_address_add,
    child_address_update,
    child_details_update,
    child_parent_add,
    child_parent_update,
    provider_add,
    provider_remove,
    provider_update,
)
from notinschool.people.models import Child, FieldChange
from notinschool.web.tests.pagerules import assert_govuk_page
from notinschool.workflow.merge import child_merge
from notinschool.workflow.split import child_split

pytestmark = pytest.mark.django_db
__all__ = ["harrison"]  # the fixture, from test_merge.py


def seen(child: Child) -> Seen:
    return Seen(version=Child.objects.get(pk=child.pk).version)


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert_govuk_page(response.content)
    return response.content.decode()


def claire(child: Child):
    return child.parent_links.select_related("parent").get(parent__name="Claire Evans")


def test_a_merge_keeps_the_hand_edits_the_letters_and_the_history(harrison, client_for):
    """Olu changed Claire's address and the hours by hand on Harrison's record, and sent a
    letter to Haryr's. Merging Haryr into Harrison keeps all of it, on Harrison's record."""
    first, second = harrison
    client = client_for(Role.EHE_OFFICER, first_name="Olu", last_name="Officer")
    olu = client.user
    link = claire(first)
    child_parent_update(actor=olu, child=first, link=link, seen=seen(first), name="Claire Evans",
                        address_line_1="4 Beck Lane", postcode="ls7 2qq", phone="07700 900123",
                        lives_with_child=False, educates=True, reason="Mother moved out")
    child_details_update(actor=olu, child=first, seen=seen(first),
                         changes={"hours_parent_per_week": Decimal("22.5")}, reason="Parent said")
    letter = letter_send(actor=olu, child=second, template=template(LetterKind.GENERAL))

    kept = pair_merge(olu, first)

    assert kept.pk == first.pk and kept.hours_parent_per_week == Decimal("22.5")
    parent = claire(kept)
    assert (parent.parent.address_line_1, parent.parent.postcode, parent.parent.phone) == (
        "4 Beck Lane", "LS7 2QQ", "07700 900123")
    assert (parent.lives_with_child, parent.educates) == (False, True)
    child_page = page(client, f"/children/{kept.pk}/")
    assert "4 Beck Lane" in child_page and "22.5" in child_page
    assert f"Letter: {letter.subject}" in html.unescape(child_page)
    history = page(client, f"/children/{kept.pk}/history/")
    assert "Olu Officer" in history and "Mother moved out" in history and "4 Beck Lane" in history
    assert "Claire Evans" in history  # the parent's name still heads the rows about them
    event = AuditEvent.objects.get(object_type="child_merge")
    assert (event.detail["letters"], event.detail["hand_edits_not_reapplied"]) == (1, 0)


def test_the_other_records_hand_edits_and_history_come_with_it(harrison, make_user):
    first, second = harrison
    olu, ann = make_user(first_name="Olu"), make_user(first_name="Ann")
    child_details_update(actor=olu, child=first, seen=seen(first),
                         changes={"hours_other_per_week": Decimal("3")})
    child_details_update(actor=ann, child=second, seen=seen(second),
                         changes={"hours_other_per_week": Decimal("6"), "ethnicity": "WIRI"})
    child_address_add(actor=ann, child=second, seen=seen(second), line_1="9 Ash Grove",
                      town="Leeds", postcode="LS6 2BB", moved_in_date=dt.date(2026, 11, 2))
    provider_add(actor=ann, child=second, seen=seen(second), name="Leeds Tutors",
                 provider_type="tutor", hours_per_week=Decimal("19"))
    AllocationChange.objects.create(child=second, officer_after=ann, by_label="Manager",
                                    at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC), how="one")
    Child.objects.filter(pk=second.pk).update(officer=ann)

    kept = child_merge(actor=olu, keep=first, other=second, reason="Same boy")

    # Ann's change of the hours came after Olu's: the later one stands
    assert (kept.hours_other_per_week, kept.ethnicity) == (Decimal("6"), "WIRI")
    current = kept.addresses.get(is_current=True)
    assert (current.line_1, current.postcode, kept.postcode) == ("9 Ash Grove", "LS6 2BB", "LS6 2BB")
    assert kept.addresses.get(line_1="1 Mill Road").moved_out_date == dt.date(2026, 11, 2)
    assert list(kept.providers.values_list("name", "hours_per_week")) == [("Leeds Tutors", Decimal("19"))]
    assert kept.officer == ann  # Harrison had no officer: Haryr's comes with him
    assert AllocationChange.objects.filter(child=kept).count() == 1
    assert not FieldChange.objects.filter(child=second).exists()
    # the history groups each save once: Olu's one, then Ann's three, numbered after it
    versions = list(FieldChange.objects.filter(child=kept).order_by("changed_at")
                    .values_list("changed_by_label", "version").distinct())
    assert [v for _, v in versions] == sorted({v for _, v in versions}) and len(versions) == 4


def test_a_second_merge_still_finds_the_hand_edits(harrison, make_user, write_csv):
    """The rebuilt rows are new; the history points at them, so a later rebuild keeps the edits."""
    first, second = harrison
    olu = make_user(first_name="Olu")
    address = first.addresses.get()
    child_address_update(actor=olu, child=first, address=address, seen=seen(first),
                         line_1="1 Mill Road", line_2="Flat 2", town="Leeds", postcode="LS6 1AB",
                         moved_in_date=dt.date(2025, 1, 6))
    kept = child_merge(actor=olu, keep=first, other=second, reason="Same boy")
    run_import("referrals", write_csv("r3.csv", REFERRAL_HEADER, [
        "Health visiting", "Nurse Jones", "2026-11-02", "Hayrs", "Evans", "2015-03-05",
        "1 Mill Road", "LS6 1AB", "Not seen"]))
    third = Child.objects.get(forename="Hayrs")

    kept = child_merge(actor=olu, keep=kept, other=third, reason="Same boy again")

    address = kept.addresses.get()
    assert (address.line_2, address.moved_in_date) == ("Flat 2", dt.date(2025, 1, 6))
    assert set(FieldChange.objects.filter(child=kept).values_list("object_id", flat=True)) == {address.pk}


def test_a_split_keeps_hand_edits_on_the_record_they_were_made_on(as_of, write_csv, make_user):
    """Alexander's record took a registration for a different boy. Olu changed the hours, a
    provider, and the address and parent that came with that registration. The split keeps
    the hours and the provider; the address and parent went with the other boy's notification,
    so the history says those changes could not be applied again."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    run_import("parent-registrations", write_csv("r.csv", REGISTRATION_HEADER, [
        "Alex", "Smith-Jones", "2015-03-05", "7 Oak Road", "LS6 1AB", "Dana Other", "bullying",
        "2026-10-20"]))
    child = Child.objects.get()
    olu = make_user(first_name="Olu", last_name="Officer")
    child_details_update(actor=olu, child=child, seen=seen(child),
                         changes={"hours_parent_per_week": Decimal("15")})
    added = provider_add(actor=olu, child=child, seen=seen(child), name="Maths Club",
                         hours_per_week=Decimal("4"))
    provider_update(actor=olu, child=child, provider=added, seen=seen(child), name="Maths Club",
                    provider_type="club", hours_per_week=Decimal("5"))
    oak = child.addresses.get(line_1="7 Oak Road")
    child_address_update(actor=olu, child=child, address=oak, seen=seen(child), line_1="7 Oak Road",
                         town="Leeds", postcode="LS6 1AB", moved_in_date=dt.date(2026, 10, 1))
    dana = child.parent_links.get(parent__name="Dana Other")
    child_parent_update(actor=olu, child=child, link=dana, seen=seen(child), name="Dana Other",
                        phone="0113 496 0000", lives_with_child=True, educates=None)
    registration = child.notifications.get(kind="parent-registrations")

    new = child_split(actor=olu, child=child, notification_ids=[registration.pk],
                      reason="Different boy")

    child.refresh_from_db()
    assert child.hours_parent_per_week == Decimal("15")
    assert list(child.providers.values_list("name", "provider_type", "hours_per_week")) == [
        ("Maths Club", "club", Decimal("5"))]
    assert not new.providers.exists() and new.hours_parent_per_week is None
    assert not FieldChange.objects.filter(child=new).exists()
    notes = FieldChange.objects.filter(child=child, reason__startswith="Not applied again by the split")
    assert {(n.object_type, n.field, n.value_before) for n in notes} == {
        ("address", "town", "Leeds"), ("address", "moved_in_date", "2026-10-01"),
        ("parent", "phone", "0113 496 0000")}
    assert {n.changed_by_label for n in notes} == {"Olu Officer"}
    event = AuditEvent.objects.get(object_type="hand_edits_not_reapplied")
    assert event.actor == olu and event.child_count == 1 and len(event.detail["fields"]) == 3


def test_hand_added_parent_and_removed_provider_survive_a_merge(harrison, make_user):
    first, second = harrison
    olu = make_user()
    child_parent_add(actor=olu, child=second, seen=seen(second), name="Tom Evans",
                     postcode="LS8 1AA", lives_with_child=False, educates=False)
    gone = provider_add(actor=olu, child=first, seen=seen(first), name="Chess Club",
                        hours_per_week=Decimal("2"))
    provider_remove(actor=olu, child=first, provider=gone, seen=seen(first))

    kept = child_merge(actor=COMMAND_LINE, keep=first, other=second, reason="Same boy")

    assert sorted(kept.parent_links.values_list("parent__name", "lives_with_child")) == [
        ("Claire Evans", True), ("Tom Evans", False)]
    assert not kept.providers.exists()


def test_a_notification_after_a_hand_change_still_wins_and_the_history_says_what_was_lost(
        as_of, write_csv, client_for):
    """Olu set the hours to 15 by hand; Alexander's parents then registered him saying 25. A
    split of a referral that was another boy leaves 25, as the record said before the split."""
    run_import("roll-deletions", write_csv("d.csv", DELETION_HEADER, deletion()))
    client = client_for(Role.EHE_OFFICER, first_name="Olu", last_name="Officer")
    child = Child.objects.get()
    child_details_update(actor=client.user, child=child, seen=seen(child),
                         changes={"hours_parent_per_week": Decimal("15")})
    run_import("parent-registrations", write_csv(
        "r.csv", [*REGISTRATION_HEADER, "hours_parent_per_week", "providers"], [
            "Alexander", "Smith-Jones", "2015-03-05", "1 Mill Road", "LS6 1AB", "Sarah Smith",
            "bullying", "2026-10-20", "25", "Art Co|tutor|3;Sums Ltd|tutor|2"]))
    run_import("referrals", write_csv("f.csv", REFERRAL_HEADER, [
        "Health visiting", "Nurse Jones", "2026-10-22", "Alexander", "Smith-Jones", "2015-03-05",
        "7 Oak Road", "LS6 1AB", "Not seen"]))
    child.refresh_from_db()
    assert child.hours_parent_per_week == Decimal("25")
    oak = child.addresses.get(line_1="7 Oak Road")
    child_address_update(actor=client.user, child=child, address=oak, seen=seen(child),
                         line_1="7 Oak Road", line_2="Back door", town="Leeds", postcode="LS6 1AB",
                         moved_in_date=None, reason="Letters go to the back")

    art, sums = child.providers.order_by("name")
    provider_remove(actor=client.user, child=child, provider=art, seen=seen(child))
    provider_update(actor=client.user, child=child, provider=sums, seen=seen(child),
                    name="Sums Limited", provider_type="tutor", hours_per_week=Decimal("4"))

    new = child_split(actor=client.user, child=child, reason="A cousin",
                      notification_ids=[child.notifications.get(kind="referrals").pk])

    child.refresh_from_db()
    assert child.hours_parent_per_week == Decimal("25")
    assert child.addresses.get().line_1 == "1 Mill Road"
    assert list(child.providers.values_list("name", "hours_per_week")) == [("Sums Limited", Decimal("4"))]
    history = html.unescape(page(client, f"/children/{child.pk}/history/"))
    assert "Not applied again by the split: the address it changed came from a notification" in history
    assert "Back door" in history
    # said once (line 2 and town): a later rebuild does not say it again
    notes = FieldChange.objects.filter(child=child, reason__startswith="Not applied again")
    assert notes.count() == 2
    child_merge(actor=client.user, keep=child, other=new, reason="The same boy after all")
    assert notes.count() == 2
