"""A merge of two records of one child (workflow.merge, which audits it): the history of the hand
changes of the record merged away (`FieldChange`) moves to the record kept. Its saves are
numbered after the kept record's own (a save's rows share a version), and the kept record's
version counts them, so the history page lists both records' saves, one group each."""

from django.db.models import F

from notinschool.people.models import Child, FieldChange


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """``other``'s hand-change history moves to ``keep`` (both locked by the caller); ``keep``'s
    version is raised past it, in memory too. How many rows moved."""
    offset = keep.version
    FieldChange.objects.filter(child=other, object_type="child", object_id=other.pk).update(
        object_id=keep.pk)
    moved = FieldChange.objects.filter(child=other).update(child=keep, version=F("version") + offset)
    if moved:
        keep.version += other.version
        Child.objects.filter(pk=keep.pk).update(version=keep.version)
    return {"field_changes": moved}
