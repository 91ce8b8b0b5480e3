"""What waits for a manager's approval, from every domain: a registry the work queue reads. A
domain that keeps records a manager must approve (suitability judgements here; notices and
orders in `statutory`, above casework) registers a count and the page that lists them, so the
manager's queue shows each without importing the domain."""

from collections.abc import Callable
from dataclasses import dataclass

from notinschool.accounts.actor import Actor


@dataclass(frozen=True)
class ApprovalQueue:
    key: str
    heading: str  # what waits, in the plural: "Suitability judgements"
    one: str  # "judgement waits"
    many: str  # "judgements wait"
    url_name: str  # the page that lists them
    count: Callable[[Actor], int]  # a number only (0 for a role that cannot approve them)


@dataclass(frozen=True)
class ApprovalsWaiting:
    queue: ApprovalQueue
    count: int

    @property
    def words(self) -> str:
        waits = self.queue.one if self.count == 1 else self.queue.many
        return f"{self.count} {waits} for a manager's approval"


_QUEUES: dict[str, ApprovalQueue] = {}


def approval_queue_register(queue: ApprovalQueue) -> None:
    _QUEUES[queue.key] = queue


def approvals_waiting(*, actor: Actor) -> list[ApprovalsWaiting]:
    """Each registered kind with something waiting for this person's approval, in the order
    registered."""
    waiting = [ApprovalsWaiting(queue, queue.count(actor)) for queue in _QUEUES.values()]
    return [w for w in waiting if w.count]
