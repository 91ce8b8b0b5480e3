"""Agency records in, and their links to register children.

Agency rows are facts about people who may or may not be on the register. Each load adds to
what the source sent before; with `snapshot` the file is the source's whole current picture,
and facts it no longer has are ended on the import date (data contract, agency section)."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from notinschool.accounts.actor import Actor
from notinschool.audit.services import audit_record
from notinschool.intake.parsing import ParsedFile
from notinschool.intake.services import ImportResult, batch_create
from notinschool.linkage.duplicates import duplicates_find
from notinschool.linkage.linking import run_linkage
from notinschool.linkage.loading import agency_rows_load
from notinschool.linkage.models import DuplicatePair, MatchDecision, PersonMatch
from notinschool.people.models import Child


def agency_file_load(*, actor: Actor, parsed: ParsedFile, path: Path, channel: str, agency: Any,
                     source: str = "", snapshot: bool = False, **_: Any) -> ImportResult:
    """Load a checked agency file (the `agency` intake kind: linkage.agency_intake) as facts
    about agency people, in one transaction, audited with the children it names. Linking the
    people it brought is the caller's (workflow.imports: `person_ids` of the result)."""
    total = len(parsed.rows) + len(parsed.rejected)
    with transaction.atomic():
        batch = batch_create(actor=actor, kind="agency", path=path, display=parsed.display,
                             channel=channel, agency=agency, source=source)
        load = agency_rows_load(source=source, rows=parsed.rows, batch_id=batch.pk,
                                snapshot=snapshot)
        batch.rows_total, batch.rows_new = total, load.new_facts
        batch.rows_rejected = len(parsed.rejected)
        batch.save(update_fields=["rows_total", "rows_new", "rows_rejected"])
        audit_record(actor=actor, action="import", object_type=f"import:agency:{source}",
                     object_ids=[batch.pk], child_ids=load.children,
                     detail={"file": parsed.display, "rows": total, "new_facts": load.new_facts,
                             "changed_facts": load.changed_facts,
                             "ended_by_snapshot": load.ended_facts})
    return ImportResult(kind="agency", batch_id=batch.pk, rows_total=total, rows_new=load.new_facts,
                        rows_already_imported=len(parsed.rows) - load.new_facts - load.changed_facts,
                        rows_rejected=len(parsed.rejected), children=load.children,
                        person_ids=set(load.person_ids))


def link_children(*, actor: Actor, child_ids: Iterable[UUID]) -> set[UUID]:
    """Link these register children against every agency record. Returns children whose links
    changed."""
    return run_linkage(actor=actor, child_ids=set(child_ids), person_ids=None)


def link_persons(*, actor: Actor, person_ids: Iterable[UUID]) -> set[UUID]:
    """Link these agency people against the whole register. Returns the children whose links
    changed (for the caller to assess: workflow.imports)."""
    return run_linkage(actor=actor, child_ids=None, person_ids=set(person_ids))


def link_all(*, actor: Actor) -> set[UUID]:
    """`notinschool link` and the monthly schedule: everything against everything, and every
    register record against the others (possible duplicates, for a person to review)."""
    changed = run_linkage(actor=actor, child_ids=None, person_ids=None)
    duplicates_find(actor=actor, child_ids=None)
    return changed


# -- a merge of two register records -----------------------------------------------------------
# precedence of a link's state when both records link the same agency record: a person's
# decision beats the engine's, and a person's "no" beats a "yes"
_MATCH_PRECEDENCE = {"rejected": 3, "accepted": 2, "automatic": 1, "pending": 0}


def child_records_move(*, keep: Child, other: Child) -> dict[str, int]:
    """A merge of ``other`` into ``keep`` (workflow.merge, which audits it): links to agency
    records move to ``keep`` (where both link the same agency record, the link a person decided
    on wins, a rejection first), and possible-duplicate pairs of ``other`` nobody decided are
    dropped."""
    return {"agency_links": _move_matches(keep, other), "pairs_dropped": _move_pairs(other)}


def _move_matches(keep: Child, other: Child) -> int:
    kept = {(m.person_id, m.kind): m for m in PersonMatch.objects.filter(child=keep)}
    moved = 0
    for match in PersonMatch.objects.filter(child=other):
        twin = kept.get((match.person_id, match.kind))
        if twin is None:
            match.child = keep
            match.save(update_fields=["child", "modified_at"])
            moved += 1
            continue
        winner, loser = ((match, twin) if _MATCH_PRECEDENCE[match.state] > _MATCH_PRECEDENCE[
            twin.state] else (twin, match))
        MatchDecision.objects.filter(match=loser).update(match=winner)  # the history stays
        loser.delete()
        if winner is match:
            match.child = keep
            match.save(update_fields=["child", "modified_at"])
            moved += 1
    return moved


def _move_pairs(other: Child) -> int:
    """Pairs with ``other`` that nobody decided are dropped (linking finds them again for the
    record kept, if they still score), the pair of the two records too (a merge decided
    through linkage.duplicates is recorded on the pair first); 'different children' decisions
    stay where they are and keep counting for the record kept (linkage.duplicates reads them
    through ``merged_into``)."""
    return DuplicatePair.objects.filter(Q(child_a=other) | Q(child_b=other),
                                        state=DuplicatePair.State.PENDING).delete()[0]
