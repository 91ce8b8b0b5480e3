"""Whether a consent request (Education Act 1996 s.434A, inserted by the Children's Wellbeing
and Schools Act 2026 s.37) is waiting, answered or barred, for the risk run that raises
`consent_required` and for the pages that show it.

A child's request is about the latest deletion on the home-education ground of the current
episode (none followed by an admission). It is:
- `answered` when a decision names that deletion, or was made on or after its date;
- `barred` when a refusal was made before the deletion and the deletion falls before the
  refusal's `re_request_from` date: the parent may not ask again for six months after a
  refusal (docs/legal-basis.md, "The six-month bar"), so no new request opens and the page shows the
  refusal and the bar instead;
- otherwise `waiting` (the risk rules decide whether consent is needed at all).
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from notinschool.casework.models import ConsentDecision
from notinschool.intake.models import Notification

CONSENT_REQUIRED = "consent_required"
EHE_GROUND = "elective_home_education"


@dataclass(frozen=True)
class ConsentState:
    deletion: Notification | None
    decision: ConsentDecision | None = None  # the decision that answers this deletion
    bar: ConsentDecision | None = None  # the refusal whose bar covers this deletion

    @property
    def state(self) -> str:
        if self.decision is not None:
            return "answered"
        return "barred" if self.bar is not None else "waiting"


def consent_states(child_ids: Iterable[UUID], as_of: dt.date) -> dict[UUID, ConsentState]:
    """Each child's consent state as of a day; children with no home-education deletion of the
    current episode are left out."""
    ids = list(child_ids)
    deletions = _latest_deletions(ids, as_of)
    decisions: dict[UUID, list[ConsentDecision]] = defaultdict(list)
    for decision in ConsentDecision.objects.filter(child_id__in=deletions).order_by("decided_at"):
        decisions[decision.child_id].append(decision)
    return {child: _state(deletion, decisions[child]) for child, deletion in deletions.items()}


def _state(deletion: Notification, decisions: list[ConsentDecision]) -> ConsentState:
    on = deletion.event_date
    for decision in decisions:
        if decision.deletion_id == deletion.pk:
            return ConsentState(deletion, decision=decision)
    for decision in reversed(decisions):
        if decision.refused and decision.re_request_from and decision.decided_on <= on \
                < decision.re_request_from:
            return ConsentState(deletion, bar=decision)
    later = [d for d in decisions if d.decided_on >= on]
    return ConsentState(deletion, decision=later[-1] if later else None)


def _latest_deletions(ids: list[UUID], as_of: dt.date) -> dict[UUID, Notification]:
    admitted: dict[UUID, dt.date] = {}
    for child, day in Notification.objects.filter(
            child_id__in=ids, kind="school-admissions", event_date__lte=as_of).values_list(
            "child_id", "event_date"):
        admitted[child] = max(day, admitted.get(child, day))
    latest: dict[UUID, Notification] = {}
    for row in Notification.objects.filter(child_id__in=ids, kind="roll-deletions",
                                           ground=EHE_GROUND, event_date__lte=as_of).order_by(
            "event_date", "received_date", "created_at"):
        assert row.child_id is not None
        if row.child_id in admitted and row.event_date < admitted[row.child_id]:
            continue
        latest[row.child_id] = row
    return latest


def consent_requests_to_open(actions: list[Any], as_of: dt.date) -> list[Any]:
    """The new required actions to open, less `consent_required` for children whose latest
    home-education deletion is already answered, or barred by a refusal under six months old.
    Called where the risk run raises its actions."""
    asking = {a.child_id for a in actions if a.code == CONSENT_REQUIRED}
    if not asking:
        return actions
    states = consent_states(asking, as_of)
    settled = {child for child, s in states.items() if s.state != "waiting"}
    return [a for a in actions if a.code != CONSENT_REQUIRED or a.child_id not in settled]
