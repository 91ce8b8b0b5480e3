"""Keeping the register current with the calendar (people.register_status), then assessing the
children it moved, so a child who joins today is in the queues tonight: daily from the task
worker (workflow.tasks) and `notinschool keep_register_current` from the command line."""

from dataclasses import dataclass
from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.core import clock
from notinschool.people.register_status import children_past_school_age, children_reach_school_age
from notinschool.workflow.assessment import risk_assessment_run


@dataclass(frozen=True)
class RegisterKept:
    joined: list[UUID]
    ceased: list[UUID]

    @property
    def changed(self) -> int:
        return len(set(self.joined) | set(self.ceased))


def register_keep_current(*, actor: Actor) -> RegisterKept:
    """As of today: children who have reached compulsory school age join the register, those
    past it cease, and the children that changed are assessed. Running it again the same day
    changes nothing."""
    on = clock.today()
    joined = children_reach_school_age(actor=actor, on=on)
    ceased = children_past_school_age(actor=actor, on=on)
    changed = list(dict.fromkeys(joined + ceased))
    if changed:
        risk_assessment_run(actor=actor, child_ids=changed)
    return RegisterKept(joined=joined, ceased=ceased)
