"""Break-glass grants and their review; unusual access flagged from the audit trail."""

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from notinschool.accounts.roles import Role
from notinschool.accounts.system import SystemActor
from notinschool.accounts.tests.factories import AgencyFactory, UserFactory
from notinschool.audit.models import AuditEvent, BreakGlassGrant
from notinschool.audit.services import audit_record
from notinschool.core.clock import LONDON
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.governance.models import AccessFlag
from notinschool.governance.services import (
    access_flag_review,
    access_flags_compute,
    break_glass_open,
    break_glass_review,
)
from notinschool.governance.tests.conftest import recorded_at
from notinschool.people.selectors import child_queryset_for
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("test")
REASON = "Police called about the family tonight; I need the school history"


def test_break_glass_opens_one_child_for_an_hour_then_closes(settings: Any) -> None:
    worker = UserFactory.create(role=Role.SOCIAL_WORKER)
    child, other = ChildFactory.create(), ChildFactory.create()
    assert not child_queryset_for(worker).filter(pk=child.pk).exists()
    grant = break_glass_open(actor=worker, child_id=child.pk, reason=REASON)
    assert round((grant.expires_at - grant.granted_at).total_seconds()) == 60 * 60
    assert list(child_queryset_for(worker)) == [child]  # that child only, not the other
    event = AuditEvent.objects.get(action="break_glass")
    assert event.reason == REASON and event.children.get().child_id == child.pk
    assert other.pk not in child_queryset_for(worker).values_list("pk", flat=True)

    # asking again while it runs does not restart the clock
    assert break_glass_open(actor=worker, child_id=child.pk, reason=REASON + " again") == grant
    BreakGlassGrant.objects.filter(pk=grant.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert not child_queryset_for(worker).exists()


def test_break_glass_needs_a_reason_and_a_role_that_may(settings: Any) -> None:
    child = ChildFactory.create()
    worker = UserFactory.create(role=Role.SOCIAL_WORKER)
    with pytest.raises(DomainError, match="Say why"):
        break_glass_open(actor=worker, child_id=child.pk, reason="  urgent ")
    for role in (Role.HEALTH_PRACTITIONER, Role.ANALYST, Role.ADMIN, Role.DPO):
        with pytest.raises(NotPermitted):
            break_glass_open(actor=UserFactory.create(role=role), child_id=child.pk, reason=REASON)
    assert not BreakGlassGrant.objects.exists()


def test_the_length_of_break_glass_is_a_setting(settings: Any) -> None:
    settings.NOTINSCHOOL_BREAK_GLASS_MINUTES = 15
    grant = break_glass_open(actor=UserFactory.create(role=Role.SOCIAL_WORKER),
                             child_id=ChildFactory.create().pk, reason=REASON)
    assert grant.expires_at - grant.granted_at == dt.timedelta(minutes=15)


def test_a_review_says_justified_or_not_with_a_note_and_only_once() -> None:
    worker = UserFactory.create(role=Role.SOCIAL_WORKER)
    grant = break_glass_open(actor=worker, child_id=ChildFactory.create().pk, reason=REASON)
    manager = UserFactory.create(role=Role.TEAM_MANAGER)
    with pytest.raises(NotPermitted):
        break_glass_review(actor=UserFactory.create(role=Role.EHE_OFFICER), grant=grant,
                           outcome="justified", note="")
    with pytest.raises(DomainError, match="not justified"):
        break_glass_review(actor=manager, grant=grant, outcome="not_justified", note=" ")
    reviewed = break_glass_review(actor=manager, grant=grant, outcome="not_justified",
                                  note="The police request went to the front door; no need")
    assert (reviewed.reviewed_by, reviewed.outcome) == (manager, "not_justified")
    assert AuditEvent.objects.get(action="review").reason.startswith("The police request")
    with pytest.raises(DomainError, match="already"):
        break_glass_review(actor=UserFactory.create(role=Role.DPO), grant=grant, outcome="justified", note="")


def _views(user: Any, children: list[Any], at: dt.datetime) -> None:
    with recorded_at(at):
        for child in children:
            audit_record(actor=user, action="view", object_type="child", object_ids=[child.pk],
                         child_ids=[child.pk])


DAY = dt.date(2026, 11, 24)  # a Tuesday


def test_many_records_outside_the_usual_area_are_flagged(settings: Any) -> None:
    settings.NOTINSCHOOL_UNUSUAL_OUTSIDE_AREA = 3
    officer = UserFactory.create(username="roaming")
    ChildFactory.create(postcode="WV10 1AA", officer=officer)  # their area: WV10
    at_work = dt.datetime.combine(DAY, dt.time(10), LONDON)
    _views(officer, [ChildFactory.create(postcode="WV10 2AB") for _ in range(5)], at_work)
    _views(officer, [ChildFactory.create(postcode="LS6 2AB") for _ in range(3)], at_work)
    assert access_flags_compute(actor=SYSTEM, day=DAY) == 0  # three outside: not more than 3
    _views(officer, [ChildFactory.create(postcode="LS7 1AB")], at_work)
    assert access_flags_compute(actor=SYSTEM, day=DAY) == 1
    flag = AccessFlag.objects.get()
    assert (flag.user, flag.kind, flag.count, flag.threshold) == (officer, "outside_area", 4, 3)
    # the next day is another day
    assert access_flags_compute(actor=SYSTEM, day=DAY + dt.timedelta(days=1)) == 0


def test_a_person_with_no_usual_area_is_never_outside_it(settings: Any) -> None:
    settings.NOTINSCHOOL_UNUSUAL_OUTSIDE_AREA = 1
    officer = UserFactory.create()
    _views(officer, [ChildFactory.create() for _ in range(4)], dt.datetime.combine(DAY, dt.time(10), LONDON))
    assert access_flags_compute(actor=SYSTEM, day=DAY) == 0


def test_many_records_out_of_hours_are_flagged_and_reviewed(settings: Any) -> None:
    settings.NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS = 2
    nursing = AgencyFactory.create(name="Nursing", kind="health", postcode_districts="LS6")
    health = UserFactory.create(role=Role.HEALTH_PRACTITIONER, agency=nursing)
    children = [ChildFactory.create(postcode="LS6 1AB") for _ in range(3)]
    _views(health, children[:2], dt.datetime.combine(DAY, dt.time(22, 30), LONDON))
    _views(health, children[2:], dt.datetime.combine(DAY, dt.time(6, 59), LONDON))
    _views(health, children, dt.datetime.combine(DAY, dt.time(12), LONDON))  # in hours: not counted
    assert access_flags_compute(actor=SYSTEM, day=DAY) == 1
    flag = AccessFlag.objects.get()
    assert (flag.kind, flag.count) == ("out_of_hours", 3)
    dpo = UserFactory.create(role=Role.DPO)
    with pytest.raises(DomainError, match="concern"):
        access_flag_review(actor=dpo, flag=flag, outcome="concern", note="")
    access_flag_review(actor=dpo, flag=flag, outcome="no_concern", note="On call that night")
    # computing the day again keeps the review
    assert access_flags_compute(actor=SYSTEM, day=DAY) == 1
    flag.refresh_from_db()
    assert (flag.outcome, flag.reviewed_by) == ("no_concern", dpo)


def test_a_weekend_is_out_of_hours(settings: Any) -> None:
    settings.NOTINSCHOOL_UNUSUAL_OUT_OF_HOURS = 0
    saturday = dt.date(2026, 11, 28)
    _views(UserFactory.create(), [ChildFactory.create()], dt.datetime.combine(saturday, dt.time(11), LONDON))
    assert access_flags_compute(actor=SYSTEM, day=saturday) == 1
