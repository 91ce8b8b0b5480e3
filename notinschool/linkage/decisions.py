"""People's decisions on matches: accept, reject, undo.

- A pending match is accepted (its agency facts flow to the child) or rejected (they never do).
- An accepted or automatic match can be undone: it becomes rejected, so the next linkage run
  does not bring it back (linking.py keeps every pair it has stored, whatever its state).
- Every decision needs a reason, is kept as a `MatchDecision` (who, when, what, why; never
  overwritten) and is audited with the child. The children it can affect are re-assessed by
  the caller (workflow.decisions), in the same transaction.
"""

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.roles import Cap
from notinschool.audit.services import actor_label, audit_record
from notinschool.core import clock
from notinschool.core.errors import DomainError, NotPermitted
from notinschool.linkage.models import MatchDecision, PersonMatch
from notinschool.people.selectors import child_queryset_for

State = PersonMatch.State
Decision = MatchDecision.Decision

# decision -> (the states it may start from, the state it leaves)
_TRANSITIONS = {
    Decision.ACCEPTED: ((State.PENDING,), State.ACCEPTED),
    Decision.REJECTED: ((State.PENDING,), State.REJECTED),
    Decision.UNDONE: ((State.AUTOMATIC, State.ACCEPTED), State.REJECTED),
}
_REFUSALS = {
    Decision.ACCEPTED: "Only a match waiting for review can be accepted",
    Decision.REJECTED: "Only a match waiting for review can be rejected",
    Decision.UNDONE: "Only an accepted or automatic match can be undone",
}


class ReasonMissing(DomainError):
    """A decision on a match must say why."""


def match_accept(*, actor: Actor, match: PersonMatch, reason: str) -> MatchDecision:
    return _decide(actor=actor, match=match, decision=Decision.ACCEPTED, reason=reason)


def match_reject(*, actor: Actor, match: PersonMatch, reason: str) -> MatchDecision:
    return _decide(actor=actor, match=match, decision=Decision.REJECTED, reason=reason)


def match_undo(*, actor: Actor, match: PersonMatch, reason: str) -> MatchDecision:
    return _decide(actor=actor, match=match, decision=Decision.UNDONE, reason=reason)


def _decide(*, actor: Actor, match: PersonMatch, decision: Decision, reason: str) -> MatchDecision:
    reason = (reason or "").strip()
    if not reason:
        raise ReasonMissing("Enter the reason for your decision")
    if not actor.can(Cap.REVIEW_MATCHES) or not child_queryset_for(actor).filter(
            pk=match.child_id).exists():
        raise NotPermitted("you cannot decide on this match")
    allowed_from, to_state = _TRANSITIONS[decision]
    now = clock.now()
    with transaction.atomic():
        current = PersonMatch.objects.select_for_update().get(pk=match.pk)
        if current.state not in allowed_from:
            raise DomainError(f"{_REFUSALS[decision]}: this one is "
                              f"{current.get_state_display().lower()}")
        from_state = current.state
        current.state, current.decided_at, current.decision_reason = to_state, now, reason
        current.decided_by = actor_user(actor)
        current.save(update_fields=["state", "decided_by", "decided_at", "decision_reason",
                                    "modified_at"])
        record = MatchDecision.objects.create(
            match=current, decision=decision, from_state=from_state, to_state=to_state,
            reason=reason, actor=current.decided_by, actor_label=actor_label(actor), at=now,
            created_by=current.decided_by)
        audit_record(actor=actor, action="decide", object_type="person_match",
                     object_ids=[current.pk, record.pk], child_ids=[current.child_id],
                     detail={"decision": decision.value, "from": from_state, "to": to_state,
                             "kind": current.kind, "source": current.person.source})
    match.refresh_from_db()
    return record
