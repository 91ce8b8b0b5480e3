"""Allocating children to officers: who may, to whom, one child, in bulk by each criterion,
and the district rules for children arriving by import; each change kept and audited."""

import pytest

from notinschool.accounts.roles import Role
from notinschool.accounts.system import COMMAND_LINE
from notinschool.accounts.tests.factories import UserFactory
from notinschool.allocation.models import AllocationChange, AllocationRule
from notinschool.allocation.selectors import unallocated_counts
from notinschool.allocation.services import (
    allocation_rule_delete,
    allocation_rule_set,
    allocation_rules_apply,
    child_officer_allocate,
    children_officer_allocate,
)
from notinschool.allocation.tests.factories import AllocationRuleFactory, manager, officer
from notinschool.audit.models import AuditEvent
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion
from notinschool.people.models import Child, Status
from notinschool.people.tests.factories import ChildFactory
from notinschool.people.timeline import child_timeline
from notinschool.risk.tests.factories import AssessmentFactory
from notinschool.workflow.imports import import_file

pytestmark = pytest.mark.django_db


def test_only_a_team_manager_allocates() -> None:
    child, holder = ChildFactory.create(), officer()
    with pytest.raises(NotPermitted):
        child_officer_allocate(actor=holder, child=child, officer=holder)
    with pytest.raises(NotPermitted):
        children_officer_allocate(actor=holder, officer=holder, district="LS6")
    with pytest.raises(NotPermitted):
        allocation_rule_set(actor=holder, district="LS6", officer=holder)
    assert Child.objects.get(pk=child.pk).officer is None
    assert not AllocationChange.objects.exists()


@pytest.mark.parametrize("who", [
    {"role": Role.EHE_OFFICER, "is_active": False},
    {"role": Role.SOCIAL_WORKER},
    {"role": Role.ANALYST},
])
def test_only_active_officers_and_managers_hold_children(who: dict[str, object]) -> None:
    child, boss, holder = ChildFactory.create(), manager(), UserFactory.create(**who)
    with pytest.raises(DomainError, match="active EHE/CME officer or team manager"):
        child_officer_allocate(actor=boss, child=child, officer=holder)
    with pytest.raises(DomainError):
        children_officer_allocate(actor=boss, officer=holder, district="LS6")
    with pytest.raises(DomainError):
        allocation_rule_set(actor=boss, district="LS6", officer=holder)
    assert Child.objects.get(pk=child.pk).officer is None


def test_one_child_allocated_changed_and_kept_in_history() -> None:
    child, boss, first, second = ChildFactory.create(), manager(), officer(), manager()
    assert child_officer_allocate(actor=boss, child=child, officer=first, officer_was=None)
    assert child_officer_allocate(actor=boss, child=child, officer=second)
    assert not child_officer_allocate(actor=boss, child=child, officer=second)  # no change
    assert Child.objects.get(pk=child.pk).officer == second
    changes = list(AllocationChange.objects.filter(child=child).order_by("at", "officer_after_id"))
    assert [(c.officer_before, c.officer_after, c.by, c.how) for c in changes] == [
        (None, first, boss, "one"), (first, second, boss, "one")]
    events = AuditEvent.objects.filter(action="allocate", object_type="child_officer")
    assert events.count() == 2 and all(e.actor == boss for e in events)
    assert set(events.earliest("at").children.values_list("child_id", flat=True)) == {child.pk}
    titles = [e.title for e in child_timeline(actor=boss, child=child) if e.kind == "allocation"]
    assert titles == [f"Allocated to {second.get_full_name()}", f"Allocated to {first.get_full_name()}"]


def test_the_second_of_two_managers_is_told() -> None:
    child, boss, first, second = ChildFactory.create(), manager(), officer(), officer()
    child_officer_allocate(actor=boss, child=child, officer=first)  # the first manager's choice
    with pytest.raises(DomainError, match="Someone else changed"):
        child_officer_allocate(actor=boss, child=child, officer=second, officer_was=None)
    assert Child.objects.get(pk=child.pk).officer == first


def test_bulk_by_postcode_district() -> None:
    boss, holder, other = manager(), officer(), officer()
    wv10 = [ChildFactory.create(postcode=f"WV10 {n}AB") for n in range(3)]
    ChildFactory.create(postcode="WV1 1AB")  # WV1 is not WV10
    ChildFactory.create(postcode="WV10 9AB", status=Status.RETURNED_TO_SCHOOL)  # not open
    held = ChildFactory.create(postcode="WV10 5AB", officer=other)
    assert children_officer_allocate(actor=boss, officer=holder, district="wv10") == 3
    assert set(Child.objects.filter(officer=holder)) == set(wv10)
    assert Child.objects.get(pk=held.pk).officer == other  # only the unallocated by default
    assert children_officer_allocate(actor=boss, officer=holder, district="WV10",
                                     only_unallocated=False) == 1
    assert AllocationChange.objects.get(child=held, officer_after=holder).officer_before == other
    assert set(AllocationChange.objects.values_list("how", flat=True)) == {"bulk"}
    event = AuditEvent.objects.filter(action="allocate").earliest("at")
    assert event.actor == boss and event.child_count == 3 and event.detail["district"] == "WV10"


def test_bulk_by_school_and_by_tier() -> None:
    boss, holder = manager(), officer()
    from_school = ChildFactory.create(last_school_urn="100001")
    ChildFactory.create(last_school_urn="100002")
    tier_one = AssessmentFactory.create(tier=1).child
    AssessmentFactory.create(tier=1, is_latest=False, child=ChildFactory.create())  # an old tier
    AssessmentFactory.create(tier=3)
    assert children_officer_allocate(actor=boss, officer=holder, school_urn="100001") == 1
    assert children_officer_allocate(actor=boss, officer=holder, tier=1) == 1
    assert set(Child.objects.filter(officer=holder)) == {from_school, tier_one}
    with pytest.raises(DomainError, match="Choose a postcode district, a school or a tier"):
        children_officer_allocate(actor=boss, officer=holder)


def test_queue_counts_by_district_school_and_tier() -> None:
    boss = manager()
    ChildFactory.create(postcode="WV10 1AB", last_school_urn="100001")
    ChildFactory.create(postcode="WV10 2AB", last_school_urn="")
    AssessmentFactory.create(tier=2, child=ChildFactory.create(postcode="", last_school_urn="100001"))
    ChildFactory.create(postcode="WV10 3AB", officer=officer())
    counts = unallocated_counts(actor=boss)
    assert counts.total == 3
    assert counts.districts == [("WV10", 2), ("No postcode", 1)]
    assert counts.schools == [("100001", 2), ("No school known", 1)]
    assert counts.tiers == [(2, 1)]
    assert unallocated_counts(actor=officer()).total == 0  # officers do not allocate


def test_rules_set_changed_and_removed_with_audit() -> None:
    boss, first, second = manager(), officer(), officer()
    rule = allocation_rule_set(actor=boss, district=" wv10 ", officer=first)
    assert (rule.district, rule.officer, rule.created_by) == ("WV10", first, boss)
    assert allocation_rule_set(actor=boss, district="WV10", officer=second).pk == rule.pk
    assert AllocationRule.objects.get().officer == second
    with pytest.raises(DomainError, match="like WV10"):
        allocation_rule_set(actor=boss, district="WV10 4QD", officer=first)
    allocation_rule_delete(actor=boss, rule=rule)
    assert not AllocationRule.objects.exists()
    assert list(AuditEvent.objects.filter(object_type="allocation_rule").order_by("at")
                .values_list("action", flat=True)) == ["create", "update", "delete"]


def test_rules_allocate_children_arriving_by_import(write_csv) -> None:
    holder, gone = officer(), officer(is_active=False)
    AllocationRuleFactory.create(district="WV10", officer=holder)
    AllocationRuleFactory.create(district="WV3", officer=gone)  # may no longer hold children
    path = write_csv("deletions.csv", DELETION_HEADER,
                     deletion("Ada", "Lovelace", postcode="WV10 4QD"),
                     deletion("Brian", "Cox", dob="2014-06-01", postcode="WV3 1AB"),
                     deletion("Carol", "Vorderman", dob="2013-02-02", postcode="LS6 1AB"))
    result = import_file(actor=COMMAND_LINE, kind="roll-deletions", path=path)
    assert result.rows_new == 3
    officers = dict(Child.objects.values_list("forename", "officer"))
    assert officers == {"Ada": holder.pk, "Brian": None, "Carol": None}
    change = AllocationChange.objects.get()
    assert (change.how, change.district, change.officer_after, change.by) == ("rule", "WV10", holder, None)
    assert change.by_label.startswith("system: command line")
    ada = Child.objects.get(forename="Ada")
    entry = next(e for e in child_timeline(actor=manager(), child=ada) if e.kind == "allocation")
    assert entry.detail == "By the rule for postcode district WV10." and entry.who == change.by_label
    assert AuditEvent.objects.filter(action="allocate", detail__how="rule").count() == 1


def test_rules_leave_children_someone_holds_alone() -> None:
    holder, other = officer(), officer()
    AllocationRuleFactory.create(district="WV10", officer=holder)
    held = ChildFactory.create(postcode="WV10 1AB", officer=other)
    new = ChildFactory.create(postcode="WV10 2AB")
    assert allocation_rules_apply(actor=COMMAND_LINE, child_ids=[held.pk, new.pk]) == 1
    assert Child.objects.get(pk=held.pk).officer == other
    assert Child.objects.get(pk=new.pk).officer == holder


def test_children_held_by_someone_who_left_wait_in_the_queue() -> None:
    boss, holder, gone = manager(), officer(), officer(is_active=False)
    moved = UserFactory.create(role=Role.ANALYST)
    left_behind = [ChildFactory.create(postcode="WV10 1AB", officer=gone),
                   ChildFactory.create(postcode="WV10 2AB", officer=moved)]
    ChildFactory.create(postcode="WV10 3AB", officer=officer())  # held: stays
    assert unallocated_counts(actor=boss).total == 2
    assert children_officer_allocate(actor=boss, officer=holder, district="WV10") == 2
    assert set(Child.objects.filter(officer=holder)) == set(left_behind)
    assert set(AllocationChange.objects.values_list("officer_before", flat=True)) == {gone.pk, moved.pk}
