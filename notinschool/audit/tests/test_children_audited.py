"""Who has seen or changed a child is answered from the audit, however many children an event
touched: one child, or every child of a large import."""

import uuid

import pytest

from notinschool.accounts.system import COMMAND_LINE
from notinschool.audit.models import AuditedChild
from notinschool.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("touched", [1, 3000])
def test_every_child_an_event_touched_is_findable(touched):
    children = [uuid.uuid4() for _ in range(touched)]
    event = audit_record(actor=COMMAND_LINE, action="import", object_type="import:roll-deletions",
                         child_ids=[*children, children[0]])  # a child named twice counts once
    assert event.child_count == touched
    assert set(AuditedChild.objects.filter(event=event).values_list("child_id", flat=True)) == set(children)
    assert AuditedChild.objects.filter(child_id=children[-1]).get().event == event
