"""Suitability judgements (docs/product.md, item 5): the officer's judgement, after contact, of
whether the child receives suitable education (Education Act 1996 s.437(1); the elective home
education guidance: efficient, full-time, suitable to the child's age, ability, aptitude and any
special needs). The authority may reach a view on the information it has, and a refusal to
give information or to allow a visit can mean it "appears" the education is not suitable.

- Recording takes `Cap.RECORD_CASEWORK`; reasons in words are required, and "unable to
  determine" needs why (no information, a visit refused, or another reason).
- "Suitable" is in force at once. "Not suitable" and "unable to determine" can lead to a
  preliminary notice, so they await a team manager's approval (`APPROVE`, the capability of
  the authority's decisions): the manager approves it (it is then in force) or returns it with
  comments (it never takes effect; the officer records a new one).
- Nobody approves their own judgement: a manager's own "not suitable" still needs another
  manager (four eyes on what can lead to a notice).
- A judgement taking effect replaces the one in force (`superseded_by`); recording a new
  judgement replaces one still awaiting approval (`withdrawn`), so one is awaiting at a time.

The judgement in force feeds the risk model (workflow.risk_facts): `suitability_not_shown`
(not suitable, or unable to determine), `no_education_information` (unable to determine for
want of information) and `home_visit_refused` (unable to determine because a visit was
refused). Every write is audited in its transaction."""

import datetime as dt
from collections.abc import Sequence

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.casework.models import Contact, SuitabilityJudgement
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.people.models import Child

J = SuitabilityJudgement
APPROVE = Cap.DECIDE_CONSENT  # the team manager's decisions for the authority
NEEDS_APPROVAL = (J.Judgement.NOT_SUITABLE, J.Judgement.UNABLE)


def _audit(actor: Actor, action: str, j: SuitabilityJudgement, **detail: object) -> None:
    audit_record(actor=actor, action=action, object_type="suitability_judgement",
                 object_ids=[j.pk], child_ids=[j.child_id],
                 detail={"judgement": j.judgement, "state": j.state, **detail})


def _validate(judgement: str, unable_why: str, reasons: str, on: dt.date) -> None:
    if judgement not in J.Judgement.values:
        raise DomainError("Select the judgement")
    if not reasons.strip():
        raise DomainError("Enter the reasons for the judgement")
    if judgement == J.Judgement.UNABLE and unable_why not in J.Why.values:
        raise DomainError("Select why suitability could not be determined")
    if on > clock.today():
        raise DomainError("The date of the judgement cannot be in the future")


def _take_effect(j: SuitabilityJudgement) -> None:
    """Replace the judgement in force with `j`."""
    SuitabilityJudgement.objects.filter(
        child_id=j.child_id, superseded_by__isnull=True,
        state__in=(J.State.IN_FORCE, J.State.APPROVED)).exclude(pk=j.pk).update(superseded_by=j)


def suitability_record(*, actor: Actor, child: Child, judgement: str, reasons: str,
                       unable_why: str = "", contacts: Sequence[Contact] = (),
                       documents: str = "", child_views: str = "",
                       on: dt.date | None = None) -> SuitabilityJudgement:
    """Record a judgement; "suitable" is in force at once, the others await approval."""
    if not actor.can(Cap.RECORD_CASEWORK):
        raise NotPermitted("record a suitability judgement")
    on = on or clock.today()
    _validate(judgement, unable_why, reasons, on)
    if any(c.child_id != child.pk for c in contacts):
        raise DomainError("Choose contacts with this child's family")
    user = actor_user(actor)
    if user is None:
        raise NotPermitted("record a judgement: only a person can")
    state = J.State.AWAITING if judgement in NEEDS_APPROVAL else J.State.IN_FORCE
    with transaction.atomic():
        j = SuitabilityJudgement.objects.create(
            child=child, judgement=judgement, reasons=reasons.strip(),
            unable_why=unable_why if judgement == J.Judgement.UNABLE else "",
            documents=documents.strip(), child_views=child_views.strip(), decided_by=user,
            decided_on=on, decided_at=clock.now(), state=state, created_by=user, modified_by=user)
        j.contacts.set(contacts)
        withdrawn = SuitabilityJudgement.objects.filter(
            child=child, state=J.State.AWAITING).exclude(pk=j.pk)
        replaced = list(withdrawn.values_list("pk", flat=True))
        withdrawn.update(state=J.State.WITHDRAWN, superseded_by=j)
        if state == J.State.IN_FORCE:
            _take_effect(j)
        _audit(actor, "create", j, contacts=[str(c.pk) for c in contacts],
               replaced=[str(pk) for pk in replaced])
    return j


def suitability_approve(*, actor: Actor, judgement: SuitabilityJudgement, approve: bool,
                        comments: str = "") -> SuitabilityJudgement:
    """A manager approves a judgement awaiting approval (it is then in force) or returns it
    with comments. Decided once; the second manager is told."""
    if not actor.can(APPROVE):
        raise NotPermitted("approve a suitability judgement")
    if not approve and not comments.strip():
        raise DomainError("Enter your comments for the officer")
    user = actor_user(actor)
    if user is None:
        raise NotPermitted("approve a judgement: only a person can")
    with transaction.atomic():
        j = SuitabilityJudgement.objects.select_for_update().get(pk=judgement.pk)
        if j.state != J.State.AWAITING:
            raise DomainError("This judgement has already been decided or replaced by someone else")
        if j.decided_by_id == user.pk:
            raise DomainError("Another manager must approve a judgement you made")
        j.state = J.State.APPROVED if approve else J.State.RETURNED
        j.manager_comments = comments.strip()
        j.approved_by, j.approved_on, j.approved_at = user, clock.today(), clock.now()
        j.modified_by = user
        j.save()
        if approve:
            _take_effect(j)
        _audit(actor, "decide", j, approved=approve)
    return j
