"""Bringing a file in, and what follows: every door (the command line, the upload page, the
forms, the API) comes through `import_file`.

The import itself is intake's (`intake.services.import_file`, all or nothing, through the kind
registered in `intake.kinds`). Then the records it touched are linked with agency records,
compared with the rest of the register for possible duplicates, and assessed; an agency file
links the agency people it brought against the whole register and assesses the children whose
links changed (docs/data-contract.md: imports run linking and assessment)."""

import dataclasses
import logging
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency
from notinschool.accounts.system import SystemActor
from notinschool.allocation.services import allocation_rules_apply
from notinschool.core import clock
from notinschool.core.errors import DomainError, InvalidInput, NotPermitted
from notinschool.core.locks import LockBusy, advisory_lock
from notinschool.intake import services as intake
from notinschool.intake.models import ImportBatch, QueuedImport
from notinschool.intake.services import ImportResult
from notinschool.linkage.duplicates import duplicates_find
from notinschool.linkage.services import link_children, link_persons
from notinschool.people.selectors import children_with_households
from notinschool.workflow.assessment import risk_assessment_run


class ImportsBusy(DomainError):
    """Another import held the register longer than a page or an API call waits."""


def import_file(*, actor: Actor, kind: str, path: Path, display: str | None = None,
                skip_invalid: bool = False, source: str = "", snapshot: bool = False,
                channel: str = "cli", agency: Agency | None = None,
                follow_up: bool = True, allow_large_end: bool = False,
                on_wait: Callable[[], None] | None = None,
                wait_seconds: float | None = None) -> ImportResult:
    """Import one file, then link, look for duplicates and assess what it touched.

    One import at a time, whatever door it came through: each holds the imports lock from
    before it reads the register until its follow-up is done, so two at once give the register
    that one after the other gives. A second import waits (`on_wait` is told, once; with
    `wait_seconds` it waits that long at most, then ImportsBusy). What earlier imports left
    undone (a process killed after its commit) is finished first, and files queued meanwhile
    (`workflow.queue`) are imported after this one, before the lock goes. `follow_up=False` leaves
    the follow-up to the caller (a bulk reload that links and assesses once at the end, then
    `follow_ups_mark_done`)."""
    try:
        with advisory_lock("imports", on_wait=on_wait, wait_seconds=wait_seconds):
            if follow_up:
                follow_ups_complete()
            result = intake.import_file(
                actor=actor, kind=kind, path=path, display=display, skip_invalid=skip_invalid,
                source=source, snapshot=snapshot, channel=channel, agency=agency,
                allow_large_end=allow_large_end)
            if follow_up and result.batch_id is not None:
                batch_follow_up(actor=actor, batch_id=result.batch_id)
            if follow_up:
                queued_imports_run()
    except LockBusy:
        raise ImportsBusy("Another file is being imported. Yours was not imported: send it "
                          "again in a few minutes.") from None
    return result


def queued_imports_run() -> int:
    """Import the files queued while the register was busy, oldest first, each all or nothing
    with its own follow-up, as the one who sent it. Called by whoever holds the imports lock
    before letting it go. A file with problems is marked not imported, with its problems for
    the sender to read; the others go on. Returns how many were run."""
    ran = 0
    waiting = QueuedImport.objects.filter(state=QueuedImport.State.QUEUED).select_related(
        "created_by", "agency")
    while (item := waiting.first()) is not None:
        _queued_import_run(item)
        ran += 1
    return ran


def _queued_import_run(item: QueuedImport) -> None:
    actor = _queued_import_actor(item)
    outcome: dict[str, object] = {"state": QueuedImport.State.DONE}
    try:
        if not actor.is_active:
            raise NotPermitted("the person who sent this file can no longer import files")
        with tempfile.TemporaryDirectory(prefix="nis-queued-") as folder:
            path = Path(folder) / f"upload{item.suffix}"
            path.write_bytes(bytes(item.content))
            result = intake.import_file(
                actor=actor, kind=item.kind, path=path, display=item.file_name, source=item.source,
                snapshot=item.snapshot, channel=item.channel, agency=item.agency,
                allow_large_end=item.allow_large_end)
        if result.batch_id is not None:
            batch_follow_up(actor=actor, batch_id=result.batch_id)
        outcome |= {"batch_id": result.batch_id, "message": "; ".join(result.warnings)}
    except InvalidInput as error:
        outcome = {"state": QueuedImport.State.REFUSED, "message": str(error) or error.__class__.__name__,
                   "problems": [dataclasses.asdict(p) for p in error.problems]}
    except DomainError as error:
        outcome = {"state": QueuedImport.State.REFUSED, "message": str(error)}
    except Exception:  # one sender's file must not stop the others': recorded, and logged
        logging.getLogger(__name__).exception("queued import %s failed", item.pk)
        outcome = {"state": QueuedImport.State.REFUSED,
                   "message": "The file could not be imported because of a fault in the service; "
                              "nothing from it was imported. Tell the service desk."}
    QueuedImport.objects.filter(pk=item.pk).update(finished_at=clock.now(), content=b"", **outcome)


def _queued_import_actor(item: QueuedImport) -> Actor:
    """The person who sent the file, as they are now (a role taken away meanwhile refuses the
    file); for a key, the system acting for its agency."""
    if item.created_by is not None:
        return item.created_by
    actor = SystemActor(f"queued import: {item.sender_label}")
    actor.agency, actor.agency_id = item.agency, item.agency_id
    return actor


def batch_follow_up(*, actor: Actor, batch_id: UUID) -> None:
    """What follows one import, as its batch recorded it in the import's transaction: the
    register records it touched linked, compared for duplicates and assessed; the agency people
    it brought linked against the register and the children whose links changed assessed. Then
    the batch is marked followed up. Running it twice does no harm: each step is idempotent."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.followed_up_at is not None:
        return
    people: set[str] = set(batch.follow_up.get("people", ()))  # ids as text: read as such
    if people:
        agency_after_import(actor=actor, person_ids=people)
    after_import(actor=actor, children={UUID(pk) for pk in batch.follow_up.get("children", ())})
    ImportBatch.objects.filter(pk=batch_id, followed_up_at__isnull=True).update(
        followed_up_at=clock.now())


def follow_ups_complete() -> int:
    """Finish the follow-up of every import that committed its rows but not what follows them
    (the process was killed between the two), oldest first, as the system. Called before each
    import, and by the worker every few minutes (`workflow.tasks`). Returns how many."""
    pending = list(ImportBatch.objects.filter(followed_up_at__isnull=True)
                   .order_by("created_at").values_list("pk", flat=True))
    actor = SystemActor("follow-up of an earlier import")
    for batch_id in pending:
        batch_follow_up(actor=actor, batch_id=batch_id)
    return len(pending)


def follow_ups_mark_done(*, batch_ids: Iterable[UUID]) -> None:
    """A bulk reload linked and assessed the whole register after its imports: their follow-up
    is done."""
    ImportBatch.objects.filter(pk__in=list(batch_ids), followed_up_at__isnull=True).update(
        followed_up_at=clock.now())


def after_import(*, actor: Actor, children: set[UUID]) -> None:
    """The register records an import (or a merge or split) touched: linked against every
    agency record, compared with the other records (possible duplicates, for a person), given
    their district's officer when nobody holds them (before the assessment, so its alerts and
    queues have the officer), and assessed."""
    if not children:
        return
    linked = link_children(actor=actor, child_ids=children)
    duplicates_find(actor=actor, child_ids=children)
    allocation_rules_apply(actor=actor, child_ids=children)
    # a child's new links are household facts of their brothers and sisters too
    risk_assessment_run(actor=actor, child_ids=children | children_with_households(linked))


def agency_after_import(*, actor: Actor, person_ids: Iterable[UUID | str]) -> set[UUID]:
    """Agency people an agency file brought: linked against the whole register, and the
    children whose links changed assessed."""
    children = link_persons(actor=actor, person_ids=person_ids)
    if children:  # their households too: a child's agency facts are their siblings' as well
        risk_assessment_run(actor=actor, child_ids=children_with_households(children))
    return children
