"""Agency records in, and their links to register children.

Agency rows are facts about people who may or may not be on the register. Each load adds to
what the source sent before; with `snapshot` the file is the source's whole current picture,
and facts it no longer has are ended on the import date (data contract, agency section), unless
the snapshot is empty or would end more than a share of them without the sender confirming."""

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from notinschool.accounts.actor import Actor
from notinschool.audit.services import audit_record
from notinschool.core.errors import InputProblem, InvalidInput
from notinschool.intake.parsing import ParsedFile
from notinschool.intake.services import ImportResult, batch_create, follow_up_record
from notinschool.linkage.duplicates import duplicates_find
from notinschool.linkage.linking import LinkPeople, linking_check, register_table, run_linkage
from notinschool.linkage.loading import SnapshotTooLarge, agency_rows_load, current_facts
from notinschool.linkage.models import DuplicatePair, MatchDecision, PersonMatch
from notinschool.people.models import Child
from notinschool.people.services import register_write_lock

if TYPE_CHECKING:
    import pyarrow as pa


class SnapshotRefused(InvalidInput):
    """A snapshot refused whole, nothing written: it has no rows (`empty`: never taken, a failed
    extract looks like that), or it would end more than the share of the source's current facts
    allowed without the sender's confirmation (`allow_large_end`). Shown like any bad input."""

    def __init__(self, *, display: str, source: str, current: int, ending: int, limit: float,
                 empty: bool, rejected: int = 0):
        self.source, self.current, self.ending, self.limit = source, current, ending, limit
        self.empty = empty
        if empty:
            rows = f"it has no valid rows ({rejected} rejected)" if rejected else "it has no rows"
            message = (f"the file is sent as a snapshot of {source}, but {rows}: it would end all "
                       f"{current} current {source} facts. An empty snapshot is never taken (an "
                       f"extract that failed looks like this): nothing was imported")
        else:
            message = (f"as a snapshot this file would end {ending} of the {current} current "
                       f"{source} facts ({_percent(ending / current)}; more than "
                       f"{_percent(limit)} is ended only when the sender confirms it): nothing "
                       f"was imported")
        super().__init__([InputProblem(display, 0, "-", message)])

    @property
    def confirmable(self) -> bool:
        """Whether sending the file again with `allow_large_end` would take it."""
        return not self.empty


def _percent(share: float) -> str:
    return f"{share:.0%}" if share >= 0.01 or share == 0 else f"{share:.1%}"


def snapshot_max_end_share() -> float:
    """Setting NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE: the share of a source's current facts a
    snapshot may end without the sender's confirmation (0.20 by default)."""
    return float(getattr(settings, "NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE", 0.20))


def agency_file_load(*, actor: Actor, parsed: ParsedFile, path: Path, channel: str, agency: Any,
                     source: str = "", snapshot: bool = False, allow_large_end: bool = False,
                     **_: Any) -> ImportResult:
    """Load a checked agency file (the `agency` intake kind: linkage.agency_intake) as facts
    about agency people, in one transaction, audited with the children it names. Linking the
    people it brought is the caller's (workflow.imports: `person_ids` of the result).

    A snapshot with no rows is refused (SnapshotRefused), and so is one that would end more
    than `snapshot_max_end_share()` of the source's current facts, unless `allow_large_end`."""
    total = len(parsed.rows) + len(parsed.rejected)
    limit = snapshot_max_end_share()
    if snapshot and not parsed.rows:
        current = current_facts(source)
        raise SnapshotRefused(display=parsed.display, source=source, current=current,
                              ending=current, limit=limit, empty=True,
                              rejected=len(parsed.rejected))
    with transaction.atomic():
        register_write_lock()  # one import at a time, whatever its kind
        batch = batch_create(actor=actor, kind="agency", path=path, display=parsed.display,
                             channel=channel, agency=agency, source=source)
        try:
            load = agency_rows_load(source=source, rows=parsed.rows, batch_id=batch.pk,
                                    snapshot=snapshot,
                                    max_end_share=None if allow_large_end else limit)
        except SnapshotTooLarge as too_large:
            raise SnapshotRefused(display=parsed.display, source=source,
                                  current=too_large.current, ending=too_large.ending,
                                  limit=limit, empty=False) from None
        batch.rows_total, batch.rows_new = total, load.new_facts
        batch.rows_rejected = len(parsed.rejected)
        follow_up_record(batch, {"people": load.person_ids})
        batch.save(update_fields=["rows_total", "rows_new", "rows_rejected", "follow_up",
                                  "followed_up_at"])
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


def link_persons(*, actor: Actor, person_ids: Iterable[UUID | str]) -> set[UUID]:
    """Link these agency people (ids, or their text) against the whole register. Returns the
    children whose links changed (for the caller to assess: workflow.imports)."""
    return run_linkage(actor=actor, child_ids=None, person_ids=set(person_ids))


def link_all(*, actor: Actor, link_people: LinkPeople | None = None,
             register: "pa.Table | None" = None) -> set[UUID]:
    """`notinschool link` and the monthly schedule: everything against everything, and every
    register record against the others (possible duplicates, for a person to review).
    ``link_people``: what scores the people (run_linkage; `notinschool link --engine spark`).
    ``register``: `register_table(None)`, when the caller has read it already (training)."""
    linking_check(actor)
    if register is None:  # read once for both: linking stores links, not children
        register = register_table(None)
    changed = run_linkage(actor=actor, child_ids=None, person_ids=None, link_people=link_people,
                          register=register)
    duplicates_find(actor=actor, child_ids=None, register=register)
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
