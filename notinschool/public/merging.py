"""A merge of two records of one child (workflow.merge, which audits it): what the family and
the child sent online about the record merged away moves to the record kept, so its page shows
the child's words and the changes reported."""

from notinschool.people.models import Child
from notinschool.public.models import Submission


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """The registrations, changes and views about ``other`` move to ``keep``; how many moved."""
    return {"public_submissions": Submission.objects.filter(child=other).update(child=keep)}
