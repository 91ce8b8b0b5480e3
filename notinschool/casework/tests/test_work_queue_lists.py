"""The work queue's list: every open action and every contact due soon, most serious tier first
then the soonest date; filters by officer (or nobody), tier and kind; 50 a page, every item
reachable."""

import datetime as dt
from typing import Any

import pytest
from django.http import QueryDict

from notinschool.accounts.roles import Role
from notinschool.accounts.tests.factories import UserFactory
from notinschool.casework.queue import CONTACT_DUE, QueueFilters, work_queue
from notinschool.casework.tests.factories import MONDAY
from notinschool.people.models import Child
from notinschool.people.tests.factories import ChildFactory
from notinschool.risk.models import Assessment, RequiredAction
from notinschool.risk.tests.factories import AssessmentFactory

pytestmark = pytest.mark.django_db
FAR = dt.date(2027, 9, 1)  # a next contact far off: not in the queue


def child_with(tier: int, *, officer: Any = None, code: str = "arrange_visit", due: dt.date | None = None,
               contact_due: dt.date = FAR) -> Child:
    child = ChildFactory.create(officer=officer)
    AssessmentFactory.create(child=child, tier=tier, next_contact_due=contact_due)
    RequiredAction.objects.create(child=child, code=code, raised_on=MONDAY, due_date=due)
    return child


@pytest.fixture
def people() -> dict[str, Any]:
    return {"manager": UserFactory.create(role=Role.TEAM_MANAGER),
            "ann": UserFactory.create(username="ann", role=Role.EHE_OFFICER),
            "bob": UserFactory.create(username="bob", role=Role.EHE_OFFICER)}


def test_the_most_serious_tier_comes_first_then_the_soonest_date(people):
    ann = people["ann"]
    late = child_with(3, officer=ann, due=MONDAY - dt.timedelta(days=5))
    serious_undated = child_with(1, officer=ann, code="professionals_meeting")
    serious_soon = child_with(1, officer=ann, code="cme_enquiries", due=MONDAY + dt.timedelta(days=2))
    contact = child_with(2, officer=ann, code="share_with_health", contact_due=MONDAY)
    queue = work_queue(actor=ann, team=False)
    assert [(i.child, i.tier, i.kind) for i in queue.items] == [
        (serious_soon, 1, "cme_enquiries"), (serious_undated, 1, "professionals_meeting"),
        (contact, 2, CONTACT_DUE), (contact, 2, "share_with_health"), (late, 3, "arrange_visit")]
    assert [(i.overdue, i.due_soon) for i in queue.items] == [
        (False, True), (False, False), (False, True), (False, False), (True, False)]
    assert queue.items[2].action_id is None and queue.items[3].action_id is not None

    # the page's counts and the list filtered to them agree
    overdue = work_queue(actor=ann, team=False, filters=QueueFilters(when="overdue"))
    due = work_queue(actor=ann, team=False, filters=QueueFilters(when="due"))
    assert [i.child for i in overdue.items] == [late] and overdue.counts["overdue"] == 1
    assert [(i.child, i.kind) for i in due.items] == [(serious_soon, "cme_enquiries"), (contact, CONTACT_DUE)]
    assert due.counts["due"] == 2


def test_filters_by_officer_nobody_tier_and_kind(people):
    ann, bob = people["ann"], people["bob"]
    anns = child_with(1, officer=ann)
    bobs = child_with(2, officer=bob, code="cme_enquiries", due=MONDAY + dt.timedelta(days=3))
    nobodys = child_with(2, code="share_with_health", contact_due=MONDAY)
    done = child_with(1, officer=ann)
    RequiredAction.objects.filter(child=done).update(state="done")

    def children(**filters: Any) -> list[tuple[Child, str]]:
        queue = work_queue(actor=people["manager"], team=True, filters=QueueFilters(**filters))
        return [(i.child, i.kind) for i in queue.items]

    assert children() == [(anns, "arrange_visit"), (nobodys, CONTACT_DUE), (bobs, "cme_enquiries"),
                          (nobodys, "share_with_health")]
    assert children(officer=bob.pk) == [(bobs, "cme_enquiries")]
    assert children(unallocated=True) == [(nobodys, CONTACT_DUE), (nobodys, "share_with_health")]
    assert children(tier=2) == [(nobodys, CONTACT_DUE), (bobs, "cme_enquiries"),
                                (nobodys, "share_with_health")]
    assert children(kind="cme_enquiries") == [(bobs, "cme_enquiries")]
    assert children(kind=CONTACT_DUE) == [(nobodys, CONTACT_DUE)]
    assert children(tier=1, kind="share_with_health") == []
    assert [i.child for i in work_queue(actor=ann, team=False).items] == [anns]


def test_every_item_is_reachable_page_by_page(people):
    ann = people["ann"]
    children = ChildFactory.create_batch(250, officer=ann)
    Assessment.objects.bulk_create([
        Assessment(child=c, as_of=MONDAY, rule_version="test", tier=4, computed_tier=4,
                   review_interval_months=12, next_contact_due=FAR) for c in children])
    RequiredAction.objects.bulk_create([
        RequiredAction(child=c, code="arrange_visit", raised_on=MONDAY,
                       due_date=MONDAY + dt.timedelta(days=n))
        for n, c in enumerate(children)])
    seen = []
    for number in range(1, 6):
        queue = work_queue(actor=ann, team=False, params=QueryDict(f"page={number}"))
        assert queue.page is not None and queue.page.count == 250
        assert queue.page.has_next == (number < 5) and len(queue.items) == 50
        seen += [i.child for i in queue.items]
    assert seen == children  # in date order, the 250th on the last page
    # due: today to the 5th working day (Monday 30 November), 8 days
    assert seen[-1] == children[249] and work_queue(actor=ann, team=False).counts["due"] == 8
