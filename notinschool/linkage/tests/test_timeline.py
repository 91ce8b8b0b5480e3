"""Links, merges and splits on the child's timeline, with who did each and why."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.audit.services import actor_label
from notinschool.intake.split import child_split
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.linkage.decisions import match_reject
from notinschool.linkage.models import PersonMatch
from notinschool.linkage.tests.factories import AgencyPersonFactory, PersonMatchFactory, known_to
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory
from notinschool.people.timeline import child_timeline
from notinschool.workflow.imports import import_file
from notinschool.workflow.merge import child_merge

pytestmark = pytest.mark.django_db


def test_links_made_automatically_and_decided_by_a_person_are_on_the_timeline() -> None:
    child = ChildFactory.create(status="ehe")
    known_to("social_care", child)
    person = AgencyPersonFactory.create(source="health", record_id="H-7", forename="Ann",
                                        surname="Lee")
    pending = PersonMatchFactory.create(child=child, person=person, state=PersonMatch.State.PENDING)
    manager = UserFactory.create(role=Role.TEAM_MANAGER, first_name="Mo", last_name="Reed")
    match_reject(actor=manager, match=pending, reason="Different date of birth and school")
    entries = [e for e in child_timeline(actor=manager, child=child) if e.kind == "link"]
    titles = [e.title for e in entries]
    assert any(t.startswith("Linked automatically to social care record") for t in titles)
    assert "Possible link to health record H-7 (Ann Lee) found, for a person to review" in titles
    rejected = next(e for e in entries if e.title == "Link to health record H-7 (Ann Lee) rejected")
    assert (rejected.who, rejected.detail) == (actor_label(manager), "Different date of birth and school")


def test_a_merge_and_a_split_are_on_both_records_timelines(as_of, write_csv) -> None:
    path = write_csv("del.csv", DELETION_HEADER,
                     deletion("Alexander", "Smith-Jones", on="2026-10-01"),
                     deletion("Zara", "Quinn", "2014-01-01", on="2026-10-02", postcode="LS6 9ZZ",
                              address_line_1="9 Far Lane", parent1_name="Yan Quinn"))
    import_file(actor=COMMAND_LINE, kind="roll-deletions", path=path)
    keep, other = Child.objects.get(forename="Alexander"), Child.objects.get(forename="Zara")
    manager = UserFactory.create(role=Role.TEAM_MANAGER, first_name="Mo", last_name="Reed")
    child_merge(actor=manager, keep=keep, other=other, reason="Same child, the school confirmed")
    kept_entry = next(e for e in child_timeline(actor=manager, child=keep) if e.kind == "merge")
    assert kept_entry.title == f"Record {other.child_ref} merged into this one"
    assert (kept_entry.who, kept_entry.detail) == (actor_label(manager), "Same child, the school confirmed")
    other_entry = next(e for e in child_timeline(actor=manager, child=other) if e.kind == "merge")
    assert other_entry.title == f"Merged into record {keep.child_ref}"
    moved = keep.notifications.filter(data__forename="Zara")
    new = child_split(actor=manager, child=keep, notification_ids=[n.pk for n in moved],
                      reason="Two children after all")
    split = next(e for e in child_timeline(actor=manager, child=keep) if e.kind == "split")
    assert split.title == f"1 notification(s) split off to a new record, {new.child_ref}"
    assert (split.who, split.detail) == (actor_label(manager), "Two children after all")
    made = next(e for e in child_timeline(actor=manager, child=new) if e.kind == "split")
    assert made.title == f"Record made from 1 notification(s) split off record {keep.child_ref}"
