"""Marking a required action done (docs/product.md, "Work queues and alerts"): the officer says
what did it, and the register keeps that evidence beside the action.

The evidence is one of the child's own records made on or after the day the action was raised
(a contact with the family, or a consent decision), or, when nothing on the register shows it,
a note in a few words of what was done. Two people marking the same action done: the second is
told who did it first, and the first one's evidence stays."""

import uuid
from typing import Any

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.action_pages import action_page
from notinschool.casework.models import ConsentDecision, Contact
from notinschool.casework.selectors import evidence_label
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.risk.models import RequiredAction

EVIDENCE_KINDS = ("contact", "consent_decision", "note")
NOTE_MIN_WORDS = 3
_OPEN = (RequiredAction.State.OPEN, RequiredAction.State.ACKNOWLEDGED)


def required_action_done(*, actor: Actor, action: RequiredAction, evidence_kind: str,
                         evidence_id: uuid.UUID | None = None, note: str = "") -> RequiredAction:
    """Mark `action` done with its evidence: a contact or consent decision of the same child
    recorded on or after the action was raised (`evidence_id`), or a note of what was done.
    Refused with a message otherwise; audited."""
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("only an officer or a team manager can mark an action done")
    page = action_page(action.code)
    if page is not None:
        raise DomainError(f"This action is done from its own page: {page.link_text.lower()}")
    note = " ".join(note.split())
    with transaction.atomic():
        locked = (RequiredAction.objects.select_for_update(of=("self",)).select_related("done_by")
                  .get(pk=action.pk))
        if locked.state not in _OPEN:
            raise DomainError(already_done(locked))
        summary = _evidence_summary(locked, evidence_kind, evidence_id, note)
        user = actor_user(actor)
        locked.state = RequiredAction.State.DONE
        locked.done_at, locked.done_on, locked.done_by = clock.now(), clock.today(), user
        locked.evidence_kind = evidence_kind
        locked.evidence_id = evidence_id if evidence_kind != "note" else None
        locked.evidence_summary, locked.done_note, locked.modified_by = summary, note, user
        locked.save(update_fields=["state", "done_at", "done_on", "done_by", "evidence_kind",
                                   "evidence_id", "evidence_summary", "done_note",
                                   "modified_by", "modified_at"])
        audit_record(actor=actor, action="update", object_type="required_action",
                     object_ids=[locked.pk], child_ids=[locked.child_id],
                     detail={"code": locked.code, "state": "done", "evidence_kind": evidence_kind,
                             "evidence_id": str(evidence_id) if locked.evidence_id else None})
    return locked


def required_action_done_by_record(*, actor: Actor, action: RequiredAction, evidence_kind: str,
                                   evidence_id: uuid.UUID, summary: str) -> bool:
    """Mark `action` done by a record a domain above casework keeps (a professionals' meeting,
    `evidence_kind` "meeting"), which checked the actor may make it. False when the action was
    already done or closed (the earlier evidence stays); audited."""
    with transaction.atomic():
        locked = RequiredAction.objects.select_for_update(of=("self",)).get(pk=action.pk)
        if locked.state not in _OPEN:
            return False
        user = actor_user(actor)
        locked.state = RequiredAction.State.DONE
        locked.done_at, locked.done_on, locked.done_by = clock.now(), clock.today(), user
        locked.evidence_kind, locked.evidence_id = evidence_kind, evidence_id
        locked.evidence_summary, locked.modified_by = summary[:200], user
        locked.save(update_fields=["state", "done_at", "done_on", "done_by", "evidence_kind",
                                   "evidence_id", "evidence_summary", "modified_by", "modified_at"])
        audit_record(actor=actor, action="update", object_type="required_action",
                     object_ids=[locked.pk], child_ids=[locked.child_id],
                     detail={"code": locked.code, "state": "done", "evidence_kind": evidence_kind,
                             "evidence_id": str(evidence_id)})
    return True


def already_done(action: RequiredAction) -> str:
    """Why an action can no longer be marked done, in words."""
    on = _day(action.done_on) if action.done_on else "an earlier day"
    if action.evidence_kind == "reassessment" or (action.done_by_id is None and action.closed_reason):
        return f"This action was already closed on {on}: {action.closed_reason or 'no longer required'}"
    if action.done_by is not None:
        who = action.done_by.get_full_name() or action.done_by.get_username()
        return f"This action was already marked done by {who} on {on}"
    return f"This action was already done on {on}"


def _evidence_summary(action: RequiredAction, kind: str, evidence_id: uuid.UUID | None,
                      note: str) -> str:
    if kind == "note":
        if len(note.split()) < NOTE_MIN_WORDS:
            raise DomainError(f"Enter a note of at least {NOTE_MIN_WORDS} words saying what was done")
        return "A note"
    if kind not in EVIDENCE_KINDS:
        raise DomainError("Select the contact, decision or note that shows the action was done")
    model: Any = Contact if kind == "contact" else ConsentDecision
    record = model.objects.filter(pk=evidence_id, child_id=action.child_id).first() \
        if evidence_id is not None else None
    if record is None:
        raise DomainError("Select a contact or decision recorded for this child")
    if kind == "contact" and record.state == Contact.State.PLANNED:
        raise DomainError("A visit that is only planned does not show the action was done: "
                          "record the visit first")
    day = record.contact_date if kind == "contact" else record.decided_on
    if day < action.raised_on:
        raise DomainError(f"The evidence must be from on or after {_day(action.raised_on)}, "
                          "when the action was raised")
    return evidence_label(record)


def _day(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"
