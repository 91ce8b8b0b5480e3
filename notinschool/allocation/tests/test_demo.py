"""The demo's allocation: every open child gets an officer, every officer gets children."""

import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.allocation.demo import demo_allocate, demo_officers_summary
from notinschool.allocation.models import AllocationChange, AllocationRule
from notinschool.allocation.tests.factories import manager, officer
from notinschool.people.models import OPEN_STATUSES, Child, Status
from notinschool.people.tests.factories import ChildFactory

pytestmark = pytest.mark.django_db


def test_every_open_child_gets_an_officer_and_every_officer_children() -> None:
    first, second = officer(username="officer"), manager(username="manager")
    for n, district in enumerate(["WV1"] * 5 + ["WV10"] * 4 + ["WV3"] * 2):
        ChildFactory.create(postcode=f"{district} {n}AB")
    ChildFactory.create(postcode="")  # no postcode: shared out, not by a rule
    ChildFactory.create(postcode="WV2 1AB", status=Status.RETURNED_TO_SCHOOL)  # closed: left alone
    result = demo_allocate(actor=COMMAND_LINE)
    assert result.by_rule == 11 and result.shared == 1
    assert not Child.objects.filter(status__in=OPEN_STATUSES, officer__isnull=True).exists()
    assert Child.objects.get(status=Status.RETURNED_TO_SCHOOL).officer is None
    assert set(AllocationRule.objects.values_list("district", flat=True)) == {"WV1", "WV10", "WV3"}
    held = {u: Child.objects.filter(officer=u).count() for u in (first, second)}
    assert held[first] > 0 and held[second] > 0 and sum(held.values()) == 12
    assert AllocationChange.objects.filter(how="demo").count() == 1
    summary = demo_officers_summary(actor=COMMAND_LINE)
    assert "not allocated: 0 open children" in summary and f"(officer): {held[first]} open" in summary
