"""A merge of two records of one child (workflow.merge, which audits it): the letters sent about
the record merged away move to the record kept, so its timeline shows them, with their one-time
codes (a family may still use the code on a letter sent before the merge)."""

from notinschool.letters.models import AccessCode, Letter
from notinschool.people.models import Child


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """The letters about ``other`` move to ``keep``, and their codes; how many moved."""
    return {"letters": Letter.objects.filter(child=other).update(child=keep),
            "access_codes": AccessCode.objects.filter(child=other).update(child=keep)}
