"""People's decisions on agency matches (linkage.decisions), and the re-assessment of every
child a decision can change: the child and their brothers and sisters on the register, whose
household facts include the child's own agency facts. One transaction: a decision is never
kept without the assessments it changes."""

from django.db import transaction

from notinschool.accounts.actor import Actor
from notinschool.linkage import decisions
from notinschool.linkage.models import MatchDecision, PersonMatch
from notinschool.linkage.selectors import affected_children
from notinschool.workflow.assessment import risk_assessment_run


def match_accept(*, actor: Actor, match: PersonMatch, reason: str) -> MatchDecision:
    """The match is right: its agency facts flow to the child."""
    with transaction.atomic():
        record = decisions.match_accept(actor=actor, match=match, reason=reason)
        risk_assessment_run(actor=actor, child_ids=affected_children(record.match))
    return record


def match_reject(*, actor: Actor, match: PersonMatch, reason: str) -> MatchDecision:
    """The match is wrong: its agency facts never reach the child."""
    with transaction.atomic():
        record = decisions.match_reject(actor=actor, match=match, reason=reason)
        risk_assessment_run(actor=actor, child_ids=affected_children(record.match))
    return record


def match_undo(*, actor: Actor, match: PersonMatch, reason: str) -> MatchDecision:
    """An accepted or automatic match was wrong after all: rejected, and not brought back."""
    with transaction.atomic():
        record = decisions.match_undo(actor=actor, match=match, reason=reason)
        risk_assessment_run(actor=actor, child_ids=affected_children(record.match))
    return record
