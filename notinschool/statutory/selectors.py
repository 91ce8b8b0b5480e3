"""Reading the statutory path, scoped to who asks (education casework, and the child in the
person's scope), and the steps the DfE return counts."""

import datetime as dt
import uuid
from dataclasses import dataclass, field

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.core.memo import page_memo
from notinschool.people.models import Child
from notinschool.people.selectors import child_queryset_for
from notinschool.statutory.models import StatutoryCase, StatutoryStep
from notinschool.statutory.services import APPROVE, permitted_next, proposed_step

S = StatutoryStep


@dataclass
class ChildStatutory:
    """A child's statutory cases, newest first, the open one, and what may come next."""

    child: Child
    cases: list[StatutoryCase] = field(default_factory=list)
    open: StatutoryCase | None = None
    next_steps: list[str] = field(default_factory=list)
    awaiting: StatutoryStep | None = None


@page_memo
def child_statutory(*, actor: Actor, child: Child) -> ChildStatutory | None:
    """None for a role that may not see education casework."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    cases = list(StatutoryCase.objects.filter(child=child).prefetch_related(
        "steps__letter", "steps__proposed_by", "steps__approved_by"))
    open_case = next((c for c in cases if c.is_open), None)
    return ChildStatutory(child=child, cases=cases, open=open_case, next_steps=permitted_next(open_case),
                          awaiting=proposed_step(open_case) if open_case is not None else None)


def case_get(*, actor: Actor, case_id: uuid.UUID | str) -> StatutoryCase | None:
    """The case, if the actor sees casework and the child is in their scope; else None."""
    if not actor.can(Cap.VIEW_CASEWORK):
        return None
    return StatutoryCase.objects.select_related("child").filter(
        pk=case_id, child__in=child_queryset_for(actor)).first()


def step_get(*, actor: Actor, step_id: uuid.UUID | str) -> StatutoryStep | None:
    if not actor.can(APPROVE):
        return None
    return StatutoryStep.objects.select_related("case__child", "proposed_by").filter(
        pk=step_id, case__child__in=child_queryset_for(actor)).first()


def steps_awaiting(*, actor: Actor) -> list[StatutoryStep]:
    """Proposed steps awaiting a manager's approval, oldest first."""
    if not actor.can(APPROVE):
        return []
    return list(StatutoryStep.objects.filter(state=S.State.PROPOSED,
                                             case__child__in=child_queryset_for(actor))
                .select_related("case__child", "proposed_by").order_by("proposed_at"))


def steps_awaiting_count(*, actor: Actor) -> int:
    """How many proposed steps await a manager's approval (a number only, for the work queue)."""
    if not actor.can(APPROVE):
        return 0
    return StatutoryStep.objects.filter(state=S.State.PROPOSED,
                                        case__child__in=child_queryset_for(actor)).count()


def steps_counted(*, kind: str, start: dt.date, end: dt.date,
                  outcome: str = "") -> list[tuple[uuid.UUID, dt.date]]:
    """(child, day) for each step of `kind` taken from `start` to `end` (with `outcome`, when
    given): what the DfE return counts. No actor: the report checks who may run it."""
    steps = StatutoryStep.objects.filter(kind=kind, state=S.State.TAKEN, taken_on__range=(start, end))
    if outcome:
        steps = steps.filter(outcome=outcome)
    return [(child, day) for child, day in steps.values_list("case__child_id", "taken_on") if day is not None]
