"""linkage's sections of the child's page (people.child_page): the notice of a possible
duplicate record (for reviewers, above the record), what other agencies know through the
effective links, and the agency records linked to the child. On the child's timeline: each
agency record linked automatically, each person's decision on a link (accepted, rejected,
undone) with who and why, and the record's merges and splits."""

from django.db.models import Q

from notinschool.accounts.actor import Actor
from notinschool.accounts.roles import Cap
from notinschool.audit.models import AuditEvent
from notinschool.audit.services import actor_label
from notinschool.intake.models import SplitDecision
from notinschool.linkage.models import DuplicatePair, MatchDecision
from notinschool.linkage.selectors import child_agency_flags, child_duplicates, child_matches
from notinschool.people.child_page import (
    ABOVE,
    BELOW,
    ChildPageSection,
    SectionContext,
    child_page_section_register,
)
from notinschool.people.models import Child
from notinschool.people.timeline import TimelineEntry, timeline_source_register


def _duplicates(actor: Actor, child: Child) -> SectionContext | None:
    pairs = child_duplicates(actor=actor, child=child)
    return {"pairs": pairs} if pairs else None


def _agency_flags(actor: Actor, child: Child) -> SectionContext:
    return {"flags": child_agency_flags(actor=actor, child=child)}


def _linked_records(actor: Actor, child: Child) -> SectionContext:
    return {"linked": child_matches(actor=actor, child=child)}


for _section in (
    ChildPageSection("duplicates", ABOVE + 20, "linkage/child/duplicates.html", _duplicates),
    ChildPageSection("agency_flags", BELOW + 10, "linkage/child/agency_flags.html", _agency_flags),
    ChildPageSection("linked_records", BELOW + 40, "linkage/child/linked_records.html", _linked_records),
):
    child_page_section_register(_section)


def _record(person: object) -> str:
    return (f"{person.source.replace('_', ' ')} record {person.record_id}"  # type: ignore[attr-defined]
            f" ({person.forename} {person.surname})")  # type: ignore[attr-defined]


def match_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    """Links the actor may see (child_matches scopes them): found by the matching (applied
    automatically, or put to a person), then each person's decision."""
    matches = child_matches(actor=actor, child=child)
    decisions = list(MatchDecision.objects.filter(match__in=[m.pk for m in matches])
                     .select_related("match__person"))
    decided = {d.match_id for d in decisions}
    entries = [TimelineEntry(
        day=m.created_at.date(), at=m.created_at, kind="link", who="automatic matching",
        title=(f"Linked automatically to {_record(m.person)}"
               if m.state == m.State.AUTOMATIC and m.pk not in decided
               else f"Possible link to {_record(m.person)} found, for a person to review"),
        detail=f"{m.get_kind_display()}: {m.score_words}.")
        for m in matches]
    entries += [TimelineEntry(
        day=d.at.date(), at=d.at, kind="link",
        title=f"Link to {_record(d.match.person)} {d.get_decision_display().lower()}",
        detail=d.reason, who=d.actor_label) for d in decisions]
    return entries


def merge_entries(actor: Actor, child: Child) -> list[TimelineEntry]:
    """This record's merges (every viewer: from the audit of the merge, with who and why),
    decisions that it and another record are different children (reviewers), and splits of
    its notifications to or from another record."""
    entries = []
    for event in AuditEvent.objects.filter(action="decide", object_type="child_merge",
                                           children__child_id=child.pk).order_by("at"):
        kept, merged = event.detail.get("kept", ""), event.detail.get("merged", "")
        title = (f"Record {merged} merged into this one" if kept == child.child_ref
                 else f"Merged into record {kept}")
        entries.append(TimelineEntry(day=event.at.date(), at=event.at, kind="merge", title=title,
                                     detail=event.reason, who=event.actor_label))
    if actor.can(Cap.REVIEW_MATCHES):
        for pair in DuplicatePair.objects.filter(
                Q(child_a=child) | Q(child_b=child), state=DuplicatePair.State.DIFFERENT,
                decided_at__isnull=False).select_related("child_a", "child_b"):
            other = pair.child_b if pair.child_a_id == child.pk else pair.child_a
            entries.append(TimelineEntry(
                day=pair.decided_at.date(), at=pair.decided_at, kind="merge",  # type: ignore[union-attr]
                title=f"Not the same child as record {other.child_ref}",
                detail=pair.decision_reason, who=pair.decided_by_label))
    return entries + _split_entries(child)


def _split_entries(child: Child) -> list[TimelineEntry]:
    entries = []
    for split in SplitDecision.objects.filter(Q(child=child) | Q(new_child=child)).select_related(
            "child", "new_child", "created_by"):
        moved = len(split.notification_ids)
        title = (f"{moved} notification(s) split off to a new record, {split.new_child.child_ref}"
                 if split.child_id == child.pk
                 else f"Record made from {moved} notification(s) split off record {split.child.child_ref}")
        user = split.created_by
        entries.append(TimelineEntry(
            day=split.created_at.date(), at=split.created_at, kind="split", title=title,
            detail=split.reason,
            who=actor_label(user) if user else "the command line"))
    return entries


timeline_source_register("linkage.links", match_entries)
timeline_source_register("linkage.merges", merge_entries)
