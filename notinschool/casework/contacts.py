"""Contacts with a family (docs/product.md, item 5): letters, emails, calls, visits and online
meetings, each with its outcome; visits planned for a day, place and officer, then recorded as
done or missed. Each write takes the actor, checks `Cap.RECORD_CASEWORK`, keeps the rules
below, writes its audit event in the same transaction, and keeps the child's last contact and
last seen dates the way importing contacts does (casework.contacts_intake).

The next contact date (docs/risk-model.md, "After a contact"): from the contact's day, the
review interval of the child's latest assessment (12 months before the first) when the parent
engaged and the child was seen in person; half of it (at least a month) when the parent engaged
but the child was not seen, or seen only online; one month when the parent declined, did not
reply, a letter or email still awaits a reply, or a visit was missed. Never later than an
earlier date the latest assessment already set (an open `see_child_within_10_days`) unless the
child was seen."""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import User
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.intake.appliers import seen
from notinschool.people.models import Child
from notinschool.risk.models import Assessment

DEFAULT_INTERVAL_MONTHS = 12
FOLLOW_UP_MONTHS = 1
VISITS = (Contact.Method.HOME_VISIT, Contact.Method.OTHER_VISIT)
SEEING = (*VISITS, Contact.Method.ONLINE_MEETING)
WRITTEN = (Contact.Method.LETTER, Contact.Method.EMAIL)
OUTCOME_FIELDS = ("child_views", "parent_account", "education_approach", "education_resources",
                  "education_time", "who_teaches", "concerns", "next_steps")


@dataclass(frozen=True)
class Outcome:
    """How a contact went, as an officer records it. `outcome` is the parent's response
    (blank: a letter or email awaiting a reply)."""

    outcome: str = ""
    child_seen: bool = False
    seen_alone: bool = False
    child_wrote: bool = False
    child_views: str = ""
    parent_account: str = ""
    education_approach: str = ""
    education_resources: str = ""
    education_time: str = ""
    who_teaches: str = ""
    concerns: str = ""
    next_steps: str = ""


def _check(actor: Actor) -> None:
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("only an officer or a team manager can record contacts")


def next_contact_date(*, child: Child, on: dt.date, outcome: str, seen_how: str,
                      missed: bool = False) -> dt.date:
    """The next contact date after a contact on `on` (the rule in this module's docstring)."""
    latest = Assessment.objects.filter(child=child, is_latest=True).first()
    interval = latest.review_interval_months if latest else DEFAULT_INTERVAL_MONTHS
    if missed or outcome != Contact.Outcome.ENGAGED:
        due = clock.add_months(on, FOLLOW_UP_MONTHS)
    elif seen_how == Contact.SeenHow.IN_PERSON:
        due = clock.add_months(on, interval)
    else:
        due = clock.add_months(on, max(FOLLOW_UP_MONTHS, interval // 2))
    earlier = latest.next_contact_due if latest else None
    if earlier is not None and on <= earlier < due and seen_how != Contact.SeenHow.IN_PERSON:
        return earlier
    return due


def _touch_child(child: Child, on: dt.date, was_seen: bool, alone: bool | None) -> None:
    """The child's last contact, and last seen (and whether alone), as contacts_intake keeps
    them."""
    child.refresh_from_db(fields=["last_contact_date", "last_seen_date", "last_seen_alone"])
    if child.last_contact_date is None or on > child.last_contact_date:
        child.last_contact_date = on
    if was_seen:
        seen(child, on, alone)
    child.save(update_fields=["last_contact_date", "last_seen_date", "last_seen_alone",
                              "modified_at"])


def _audit(actor: Actor, action: str, contact: Contact, **detail: object) -> None:
    audit_record(actor=actor, action=action, object_type="contact", object_ids=[contact.pk],
                 child_ids=[contact.child_id],
                 detail={"method": contact.method, "state": contact.state, **detail})


def contact_letter_record(*, actor: Actor, child: Child, sent_on: dt.date, summary: str) -> Contact:
    """A letter sent to the family (the letters app calls this when it sends one): a done
    letter contact awaiting a reply (outcome blank), due a follow-up a month later."""
    _check(actor)
    if sent_on > clock.today():
        raise DomainError("A letter can only be recorded once it has been sent")
    user = actor_user(actor)
    with transaction.atomic():
        contact = Contact.objects.create(
            child=child, contact_date=sent_on, method=Contact.Method.LETTER,
            state=Contact.State.DONE, outcome="", child_seen=False, notes=summary.strip(),
            next_contact_date=next_contact_date(child=child, on=sent_on, outcome="", seen_how=""),
            recorded_by=user, recorded_at=clock.now(), created_by=user, modified_by=user)
        _touch_child(child, sent_on, False, None)
        _audit(actor, "create", contact, fields=["notes"])
    return contact


def _validate_outcome(method: str, on: dt.date, result: Outcome) -> None:
    if on > clock.today():
        raise DomainError("A contact can only be recorded once it has happened")
    if result.outcome and result.outcome not in Contact.Outcome.values:
        raise DomainError("Select how the parent responded")
    if not result.outcome and method not in WRITTEN:
        raise DomainError("Select how the parent responded")
    if result.child_seen and method not in SEEING:
        raise DomainError("A child can only be seen at a visit or an online meeting")
    if result.seen_alone and not result.child_seen:
        raise DomainError("A child can only be seen alone if they were seen")
    if result.child_wrote and method not in WRITTEN:
        raise DomainError("Only a letter or an email can be written by the child")
    if result.child_views.strip() and not (result.child_seen or result.child_wrote):
        raise DomainError("Record the child's views only when the child was seen or wrote")
    if result.child_seen and result.outcome != Contact.Outcome.ENGAGED:
        raise DomainError("If the child was seen, the parent engaged: select Engaged")


def _seen_how(method: str, child_seen: bool) -> str:
    if not child_seen:
        return ""
    return Contact.SeenHow.ONLINE if method == Contact.Method.ONLINE_MEETING \
        else Contact.SeenHow.IN_PERSON


def _apply(contact: Contact, on: dt.date, result: Outcome) -> None:
    contact.contact_date, contact.outcome = on, result.outcome
    contact.child_seen, contact.seen_alone = result.child_seen, result.seen_alone
    contact.seen_how = _seen_how(contact.method, result.child_seen)
    contact.child_wrote = result.child_wrote
    for name in OUTCOME_FIELDS:
        setattr(contact, name, getattr(result, name).strip())
    contact.next_contact_date = next_contact_date(
        child=contact.child, on=on, outcome=result.outcome, seen_how=contact.seen_how)


def contact_record(*, actor: Actor, child: Child, method: str, on: dt.date,
                   result: Outcome, place: str = "") -> Contact:
    """A contact that happened, by any method, with its outcome."""
    _check(actor)
    if method not in Contact.Method.values:
        raise DomainError("Select how the contact was made")
    _validate_outcome(method, on, result)
    user = actor_user(actor)
    with transaction.atomic():
        contact = Contact(child=child, method=method, state=Contact.State.DONE,
                          place=place.strip(), recorded_by=user, recorded_at=clock.now(),
                          officer=user, created_by=user, modified_by=user)
        _apply(contact, on, result)
        contact.save()
        _touch_child(child, on, result.child_seen, result.seen_alone if result.child_seen else None)
        _audit(actor, "create", contact, outcome=contact.outcome,
               fields=[n for n in OUTCOME_FIELDS if getattr(contact, n)])
    return contact


def visit_plan(*, actor: Actor, child: Child, on: dt.date, place: str, officer: User,
               method: str = Contact.Method.HOME_VISIT, notes: str = "") -> Contact:
    """A visit planned for a day, at a place, by an officer (at home or elsewhere)."""
    _check(actor)
    if method not in VISITS:
        raise DomainError("Select whether the visit is at home or elsewhere")
    if on < clock.today():
        raise DomainError("The date of a planned visit must be today or in the future")
    if not place.strip():
        raise DomainError("Enter where the visit will be")
    if not officer.is_active or not officer.can(Cap.RECORD_CASEWORK):
        raise DomainError("Choose an officer who can make visits")
    user = actor_user(actor)
    with transaction.atomic():
        contact = Contact.objects.create(
            child=child, contact_date=on, planned_for=on, method=method,
            state=Contact.State.PLANNED, outcome="", place=place.strip(), officer=officer,
            notes=notes.strip(), recorded_by=user, recorded_at=clock.now(),
            created_by=user, modified_by=user)
        _audit(actor, "create", contact, planned_for=on.isoformat(), officer=officer.pk)
    return contact


MISSED_OUTCOMES = {"not_at_home": Contact.Outcome.NO_REPLY,
                   "refused": Contact.Outcome.DECLINED, "cancelled": ""}


def visit_outcome_record(*, actor: Actor, contact: Contact, done: bool, on: dt.date | None = None,
                         result: Outcome | None = None, missed_reason: str = "",
                         notes: str = "") -> Contact:
    """How a planned visit went. Done: on a day not in the future, with the full outcome.
    Missed: why (`not_at_home` counts as no reply, `refused` as declined, `cancelled` as
    neither), with notes. A visit is recorded once; the second person is told."""
    _check(actor)
    user = actor_user(actor)
    with transaction.atomic():
        locked = Contact.objects.select_for_update().select_related("child").get(pk=contact.pk)
        if locked.state != Contact.State.PLANNED:
            raise DomainError("This visit has already been recorded by someone else")
        if done:
            on = on or locked.planned_for or clock.today()
            _validate_outcome(locked.method, on, result or Outcome())
            locked.state = Contact.State.DONE
            _apply(locked, on, result or Outcome())
        else:
            _missed(locked, missed_reason, notes)
        locked.recorded_by, locked.recorded_at, locked.modified_by = user, clock.now(), user
        locked.save()
        if done or locked.outcome:
            _touch_child(locked.child, locked.contact_date, locked.child_seen is True,
                         locked.seen_alone if locked.child_seen else None)
        _audit(actor, "update", locked, outcome=locked.outcome,
               fields=[n for n in OUTCOME_FIELDS if getattr(locked, n)])
    return locked


def contact_reply_record(*, actor: Actor, contact: Contact, result: Outcome) -> Contact:
    """The reply to a letter or email that awaited one (engaged or declined, with what the
    parent and the child wrote), or that none came (no reply). The contact keeps the day it
    was sent; the next contact date counts from today. Recorded once; the second person is
    told."""
    _check(actor)
    if not result.outcome:
        raise DomainError("Select how the parent responded")
    user = actor_user(actor)
    with transaction.atomic():
        locked = Contact.objects.select_for_update().select_related("child").get(pk=contact.pk)
        if locked.method not in WRITTEN or locked.state != Contact.State.DONE:
            raise DomainError("Only a letter or an email awaits a reply")
        if locked.outcome:
            raise DomainError("The reply to this contact has already been recorded by someone else")
        _validate_outcome(locked.method, locked.contact_date, result)
        _apply(locked, locked.contact_date, result)
        locked.next_contact_date = next_contact_date(
            child=locked.child, on=clock.today(), outcome=result.outcome, seen_how="")
        locked.recorded_by, locked.recorded_at, locked.modified_by = user, clock.now(), user
        locked.save()
        _audit(actor, "update", locked, outcome=locked.outcome,
               fields=[n for n in OUTCOME_FIELDS if getattr(locked, n)])
    return locked


def _missed(contact: Contact, reason: str, notes: str) -> None:
    if reason not in MISSED_OUTCOMES:
        raise DomainError("Select why the visit was missed")
    if contact.planned_for and contact.planned_for > clock.today() and reason != "cancelled":
        raise DomainError("A visit in the future can only be missed if it was cancelled")
    contact.state, contact.outcome = Contact.State.MISSED, MISSED_OUTCOMES[reason]
    contact.child_seen, contact.seen_alone = False, None
    contact.notes = "\n\n".join(p for p in (contact.notes, notes.strip()) if p)
    contact.next_contact_date = next_contact_date(
        child=contact.child, on=contact.contact_date, outcome=contact.outcome, seen_how="",
        missed=True)
