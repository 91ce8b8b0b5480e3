"""A merge of two records of one child (workflow.merge, which audits it): the history of the
officers of the record merged away moves to the record kept (which keeps its own officer, or
takes the other's when it had none: workflow.merge)."""

from notinschool.allocation.models import AllocationChange
from notinschool.people.models import Child


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """The changes of officer of ``other`` move to ``keep``; how many moved."""
    return {"allocation_changes": AllocationChange.objects.filter(child=other).update(child=keep)}
