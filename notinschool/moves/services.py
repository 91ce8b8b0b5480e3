"""Moving out: the handover of a child's record to the authority the family moved to.

1. `handover_create`: the officer names the receiving authority (and its three-digit LA code
   if known), the new address where known and the day of the move; the handover document is
   made and kept (moves.document), from which the PDF and the JSON file are produced. A new
   handover replaces one still open (withdrawn, with the reason).
2. `handover_sent_record`: how it was sent (secure email, the school-to-school service's Lost
   Pupil Database, post, by hand) and when. From then an unacknowledged handover is a work item
   for the child's officer, due N working days after sending (setting
   NOTINSCHOOL_HANDOVER_CHASE_WORKING_DAYS, 10 by default): overdue in the work queue, it
   says to chase the receiving authority. (A child without an officer: the item is the
   sender's.)
3. `handover_acknowledge`: who at the receiving authority acknowledged receipt, and when. Only
   then does the record close: a dated status change to `left_area` (the acknowledgement's
   date), and the work item closes.

Each step checks the actor's capability, writes in one transaction and is audited."""

import datetime as dt
import re
import uuid

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.work_items import work_item_open, work_items_close
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.core.workdays import add_working_days
from notinschool.moves.document import handover_document
from notinschool.moves.models import Handover
from notinschool.people.models import Child, Status, StatusChange
from notinschool.people.services import status_change

SOURCE = "moves.handover"
CHASE_KIND = "handover_unacknowledged"
_LA_CODE = re.compile(r"^\d{3}$")


class HandoverProblem(DomainError):
    """A handover step the rules refuse; `field` names the form field it concerns."""

    def __init__(self, field: str, message: str):
        self.field = field
        super().__init__(message)


def chase_working_days() -> int:
    return int(settings.NOTINSCHOOL_HANDOVER_CHASE_WORKING_DAYS)


def _check(actor: Actor, cap: Cap = Cap.RECORD_CASEWORK) -> None:
    if not actor.can(cap):
        raise NotPermitted("your role cannot record moves between authorities")


def handover_create(*, actor: Actor, child: Child, to_authority: str, to_la_code: str = "",
                    moved_on: dt.date | None = None, new_line_1: str = "", new_line_2: str = "",
                    new_town: str = "", new_postcode: str = "") -> Handover:
    """A handover of `child`'s record to `to_authority`, produced today."""
    _check(actor)
    to_authority, to_la_code = to_authority.strip(), to_la_code.strip()
    if not to_authority:
        raise HandoverProblem("to_authority", "Enter the name of the authority the child moved to")
    if to_la_code and not _LA_CODE.match(to_la_code):
        raise HandoverProblem("to_la_code", "The local authority code is 3 digits, like 380")
    if not child.is_open:
        raise HandoverProblem("to_authority", f"{child.full_name} is not on the register "
                                              f"({child.get_status_display().lower()}): there is "
                                              f"nothing to hand over")
    today = clock.today()
    if moved_on and moved_on > today + dt.timedelta(days=31):
        raise HandoverProblem("moved_on", "The date of the move can be at most a month from today")
    handover_id = uuid.uuid4()
    new_address = {"line_1": new_line_1.strip(), "line_2": new_line_2.strip(),
                   "town": new_town.strip(), "postcode": new_postcode.strip().upper()}
    with transaction.atomic():
        for earlier in Handover.objects.select_for_update().filter(
                child=child, withdrawn_on__isnull=True, acknowledged_on__isnull=True):
            _withdraw(actor, earlier, "replaced by a new handover")
        document = handover_document(child=child, handover_id=handover_id, produced_on=today,
                                     to_authority=to_authority, to_la_code=to_la_code,
                                     moved_on=moved_on, new_address=new_address)
        handover = Handover.objects.create(
            id=handover_id, child=child, to_authority=to_authority, to_la_code=to_la_code,
            moved_on=moved_on, new_line_1=new_address["line_1"], new_line_2=new_address["line_2"],
            new_town=new_address["town"], new_postcode=new_address["postcode"],
            produced_on=today, document=document, created_by=actor_user(actor))
        audit_record(actor=actor, action="create", object_type="handover", object_ids=[handover.pk],
                     child_ids=[child.pk], detail={"to": to_authority,
                                                   "address_withheld": document["address_withheld"]})
    return handover


def _withdraw(actor: Actor, handover: Handover, reason: str) -> None:
    handover.withdrawn_on, handover.withdrawn_reason = clock.today(), reason[:500]
    handover.modified_by = actor_user(actor)
    handover.save(update_fields=["withdrawn_on", "withdrawn_reason", "modified_by", "modified_at"])
    work_items_close(source=SOURCE, source_id=handover.pk, actor=actor, reason=f"handover {reason}")


def handover_sent_record(*, actor: Actor, handover: Handover, method: str, sent_on: dt.date) -> Handover:
    """How and when the handover was sent; the chase opens in the work queue."""
    _check(actor)
    if not handover.is_open:
        raise HandoverProblem("method", f"This handover is {handover.state_label.lower()}: "
                                        f"it cannot be sent")
    if method not in Handover.Method.values:
        raise HandoverProblem("method", "Select how the handover was sent")
    if sent_on > clock.today():
        raise HandoverProblem("sent_on_day", "The date it was sent must be today or in the past")
    if sent_on < handover.produced_on:
        raise HandoverProblem("sent_on_day", "The date it was sent cannot be before the handover "
                                             "was produced")
    due = add_working_days(sent_on, chase_working_days())
    with transaction.atomic():
        handover.sent_method, handover.sent_on = method, sent_on
        handover.sent_by = handover.modified_by = actor_user(actor)
        handover.save(update_fields=["sent_method", "sent_on", "sent_by", "modified_by", "modified_at"])
        work_item_open(
            child=handover.child, kind=CHASE_KIND, source=SOURCE, source_id=handover.pk,
            title=f"Chase {handover.to_authority}: receipt of the handover not acknowledged",
            due_date=due, link=reverse("handover_detail", kwargs={"handover_id": handover.pk}),
            owner=None if handover.child.officer_id else actor_user(actor), actor=actor)
        audit_record(actor=actor, action="send", object_type="handover", object_ids=[handover.pk],
                     child_ids=[handover.child_id],
                     detail={"method": method, "sent_on": sent_on.isoformat()})
    return handover


def handover_acknowledge(*, actor: Actor, handover: Handover, acknowledged_by: str,
                         acknowledged_on: dt.date) -> StatusChange | None:
    """Receipt acknowledged by the receiving authority: the record closes as `left_area` from
    the day of the acknowledgement. Returns the status change written (None when a later dated
    event had already closed the record)."""
    _check(actor, Cap.EDIT_REGISTER)
    _check(actor)
    acknowledged_by = acknowledged_by.strip()
    if handover.state != "sent":
        raise HandoverProblem("acknowledged_by", "Record how the handover was sent first" if
                              handover.state == "produced" else
                              f"This handover is {handover.state_label.lower()}")
    if not acknowledged_by:
        raise HandoverProblem("acknowledged_by", "Enter who at the receiving authority "
                                                 "acknowledged receipt")
    if acknowledged_on > clock.today():
        raise HandoverProblem("acknowledged_on_day", "The date of the acknowledgement must be "
                                                     "today or in the past")
    if handover.sent_on and acknowledged_on < handover.sent_on:
        raise HandoverProblem("acknowledged_on_day", "The acknowledgement cannot be before the "
                                                     "handover was sent")
    with transaction.atomic():
        child = Child.objects.select_for_update().get(pk=handover.child_id)
        handover.acknowledged_by_name = acknowledged_by[:200]
        handover.acknowledged_on = acknowledged_on
        handover.acknowledgement_recorded_by = handover.modified_by = actor_user(actor)
        handover.save(update_fields=["acknowledged_by_name", "acknowledged_on",
                                     "acknowledgement_recorded_by", "modified_by", "modified_at"])
        reason = (f"moved to {handover.to_authority}: receipt of the handover acknowledged by "
                  f"{acknowledged_by} on {acknowledged_on.day} {acknowledged_on:%B %Y}")
        change = status_change(child, Status.LEFT_AREA, acknowledged_on, reason[:200])
        if change is not None:
            change.created_by = actor_user(actor)
            change.save()
            if change.status == child.status:  # not an earlier event under a later one
                child.missing_since = None
            child.version += 1
            child.modified_by = actor_user(actor)
            child.save(update_fields=["status", "status_date", "missing_since", "version",
                                      "modified_by", "modified_at"])
        work_items_close(source=SOURCE, source_id=handover.pk, actor=actor,
                         reason="receipt of the handover acknowledged")
        audit_record(actor=actor, action="update", object_type="handover", object_ids=[handover.pk],
                     child_ids=[child.pk],
                     detail={"acknowledged_by": acknowledged_by,
                             "acknowledged_on": acknowledged_on.isoformat(),
                             "status": child.status})
    handover.child = child
    return change
