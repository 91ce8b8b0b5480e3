"""Work items that other domains raise (a notice's deadline, a chaser): in the owner's queue,
or the child's officer's when nobody owns it, in the team view, counted, and gone when closed."""

import datetime as dt
import uuid
from typing import Any

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.queue import WORK_ITEM, QueueFilters
from notinschool.casework.selectors import work_queue
from notinschool.casework.tests.factories import MONDAY
from notinschool.casework.work_items import open_work_items, work_item_open, work_items_close
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> tuple[Any, Any, Any]:
    return (UserFactory.create(username="ann", role=Role.EHE_OFFICER),
            UserFactory.create(username="bob", role=Role.EHE_OFFICER),
            UserFactory.create(username="meg", role=Role.TEAM_MANAGER))


def test_an_item_nobody_owns_is_the_childs_officers_and_opening_it_again_does_not_double_it(people):
    ann, bob, manager = people
    child = ChildFactory.create(officer=ann)
    record = uuid.uuid4()
    first = work_item_open(child=child, kind="notice_deadline", title="Preliminary notice: deadline",
                           due_date=MONDAY - dt.timedelta(days=1), source="statutory", source_id=record,
                           link="/somewhere/")
    again = work_item_open(child=child, kind="notice_deadline", title="Preliminary notice: deadline",
                           due_date=MONDAY + dt.timedelta(days=2), source="statutory", source_id=record,
                           link="/somewhere/")
    assert again.pk == first.pk and list(open_work_items(child=child)) == [again]

    queue = work_queue(actor=ann, team=False)
    assert [(i.child, i.what, i.due, i.link) for i in queue.items] == [
        (child, "Preliminary notice: deadline", MONDAY + dt.timedelta(days=2), "/somewhere/")]
    assert queue.counts["due"] == 1 and queue.counts["overdue"] == 0
    assert work_queue(actor=bob, team=False).items == []
    team = work_queue(actor=manager, team=True)
    assert [i.what for i in team.items] == ["Preliminary notice: deadline"]
    only_items = work_queue(actor=manager, team=True, filters=QueueFilters(kind=WORK_ITEM))
    assert len(only_items.items) == 1
    assert work_queue(actor=manager, team=True, filters=QueueFilters(kind="contact_due")).items == []


def test_an_owned_item_is_in_its_owners_queue_whoever_the_childs_officer_is(people):
    ann, bob, manager = people
    child = ChildFactory.create(officer=ann)
    work_item_open(child=child, kind="meeting_action", title="Ask the GP practice", owner=bob,
                   due_date=MONDAY - dt.timedelta(days=3), source="plans", source_id=uuid.uuid4())
    assert work_queue(actor=ann, team=False).items == []
    bobs = work_queue(actor=bob, team=False)
    assert [(i.what, i.overdue) for i in bobs.items] == [("Ask the GP practice", True)]
    assert bobs.counts["overdue"] == 1
    assert len(work_queue(actor=manager, team=True, filters=QueueFilters(officer=bob.pk)).items) == 1
    assert work_queue(actor=manager, team=True, filters=QueueFilters(officer=ann.pk)).items == []


def test_closing_takes_the_item_off_every_queue_with_its_reason(people):
    ann, _, manager = people
    child = ChildFactory.create(officer=ann)
    record = uuid.uuid4()
    item = work_item_open(child=child, kind="chase", title="Chase the handover", due_date=MONDAY,
                          source="moves", source_id=record)
    assert work_items_close(source="moves", source_id=record, actor=ann, reason="Acknowledged") == 1
    item.refresh_from_db()
    assert item.closed_by == ann and item.closed_reason == "Acknowledged"
    assert work_queue(actor=ann, team=False).items == []
    assert work_queue(actor=manager, team=True).counts["due"] == 0
    assert work_items_close(source="moves", source_id=record) == 0
