"""A merge of two records of one child (workflow.merge, which audits it): the missing education
cases of the record merged away move to the record kept, so the enquiries stay on the child's
page and in the DfE return. One case is open per child: when both records have one, the other's
enquiries and escalations join the kept record's open case (which takes the earlier date first
known missing) and the other's case, then empty, goes with its work item."""

from notinschool.casework.models import WorkItem
from notinschool.casework.work_items import work_items_close
from notinschool.cme.models import CmeCase, CmeEnquiry, CmeEscalation
from notinschool.cme.services import SOURCE_CASE, SOURCE_ENQUIRY
from notinschool.people.models import Child

_OPEN = CmeCase.State.OPEN


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """The cases (and their work items) of ``other`` move to ``keep``; how many moved."""
    moved = {"cme_enquiries_joined": 0}
    kept_open = CmeCase.objects.filter(child=keep, state=_OPEN).first()
    other_open = CmeCase.objects.filter(child=other, state=_OPEN).first()
    if kept_open is not None and other_open is not None:
        moved["cme_enquiries_joined"] = CmeEnquiry.objects.filter(case=other_open).update(case=kept_open)
        CmeEscalation.objects.filter(case=other_open).update(case=kept_open)
        if other_open.missing_since < kept_open.missing_since:
            CmeCase.objects.filter(pk=kept_open.pk).update(missing_since=other_open.missing_since)
        work_items_close(source=SOURCE_CASE, source_id=other_open.pk,
                         reason="joined to the case of the record it was merged into")
        other_open.delete()
    moved["cme_cases"] = CmeCase.objects.filter(child=other).update(child=keep)
    # the chasers and deadlines the cases raised follow them (casework's items of these sources)
    WorkItem.objects.filter(child=other, source__in=(SOURCE_CASE, SOURCE_ENQUIRY)).update(child=keep)
    return moved
