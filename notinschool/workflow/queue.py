"""Files sent through the upload page or the API while another import holds the register: they
wait in a queue rather than interleave (docs/data-contract.md, section 1.6). The page and the
API first wait a few seconds for the register (setting NOTINSCHOOL_IMPORT_WAIT_SECONDS); if it
is still busy, the file is checked (a file with problems is refused at once, as always), kept,
and answered "queued". Whoever holds the imports lock imports the queue before letting go
(`workflow.imports.queued_imports_run`); the sender follows the file's state on its page or
through the API, and a look at a queued file whose register is free runs the queue there and
then (so a queue left by a process that was stopped never waits for a person)."""

from pathlib import Path
from uuid import UUID

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import Agency, User
from notinschool.audit.services import audit_record
from notinschool.core.errors import InvalidInput, NotPermitted
from notinschool.core.locks import LockBusy, advisory_lock
from notinschool.intake.models import QueuedImport
from notinschool.intake.parsing import parse_file
from notinschool.workflow.imports import follow_ups_complete, queued_imports_run


def import_queue(*, actor: Actor, agency: Agency | None, kind: str, path: Path, display: str,
                 channel: str, source: str = "", snapshot: bool = False,
                 allow_large_end: bool = False) -> QueuedImport:
    """Keep a file to import when the register is free. Its cells are checked now, so a file
    with problems is refused at once (InvalidInput) rather than after waiting its turn."""
    parsed = parse_file(kind, path, display)
    if parsed.problems:
        raise InvalidInput(parsed.problems)
    with transaction.atomic():
        item = QueuedImport.objects.create(
            kind=kind, file_name=display, content=path.read_bytes(), suffix=path.suffix or ".csv",
            source=source, snapshot=snapshot, allow_large_end=allow_large_end, channel=channel,
            agency=agency, sender_label=actor.get_username(), created_by=actor_user(actor))
        audit_record(actor=actor, action="create", object_type="queued_import",
                     object_ids=[item.pk], detail={"kind": kind, "file": display,
                                                   "rows": len(parsed.rows)})
    return item


def queued_import_get(*, actor: Actor, queued_id: UUID | str) -> QueuedImport:
    """A queued file, for the person who sent it (or, for a key, the agency it sends for); when
    it is still waiting and nobody holds the register, the queue is imported now."""
    item = QueuedImport.objects.filter(pk=queued_id).select_related("batch").first()
    if item is None or not _sent_by(actor, item):
        raise NotPermitted("no such queued file for you")
    if item.state == QueuedImport.State.QUEUED:
        waiting_imports_run()
        item.refresh_from_db()
    return item


def waiting_imports_run() -> int:
    """If nobody holds the register: finish what earlier imports left undone, then import the
    queue. Returns how many queued files were run (0 when the register is busy: its holder
    imports the queue before letting go). The worker calls it every five minutes."""
    try:
        with advisory_lock("imports", wait_seconds=0):
            follow_ups_complete()
            return queued_imports_run()
    except LockBusy:
        return 0


def queued_position(item: QueuedImport) -> int:
    """1 for the next file to go in, 2 for the one after, ...; 0 once it has gone in."""
    if item.state != QueuedImport.State.QUEUED:
        return 0
    return QueuedImport.objects.filter(state=QueuedImport.State.QUEUED,
                                       created_at__lte=item.created_at).count()


def _sent_by(actor: Actor, item: QueuedImport) -> bool:
    if isinstance(actor, User):
        return item.created_by_id == actor.pk
    return item.created_by_id is None and item.agency_id is not None \
        and item.agency_id == getattr(actor, "agency_id", None)
