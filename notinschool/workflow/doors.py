"""The upload page, the API and the manual notification form bring data in through the one
import flow (`workflow.imports.import_file`); this module is what they share: taking an
uploaded file to a path (for the kinds the sender may send: `intake.kinds.import_kinds_for`),
and writing a form as a one-row file.

Who may send what (docs/product.md, "Who uses it"): a school's safeguarding lead (or a school's API
key) sends roll deletions and admissions, and only for their own school when the agency has a
URN; the authority's officers send every kind; other agencies' keys send their own records and
referrals (anyone may refer a child who may be missing education, Education Act 1996 s.436A)."""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol
from uuid import UUID

from django.conf import settings

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Cap
from notinschool.core.errors import InputProblem, InvalidInput, NotPermitted
from notinschool.intake.kinds import import_kinds_for, intake_kind
from notinschool.intake.models import Notification, QueuedImport
from notinschool.intake.parsing import parse_file
from notinschool.intake.services import ImportResult
from notinschool.intake.workspace import row_hash
from notinschool.linkage.services import SnapshotRefused
from notinschool.workflow.imports import ImportsBusy, import_file
from notinschool.workflow.queue import import_queue

_XLSX_MAGIC = b"PK\x03\x04"
__all__ = ["QueuedImport", "SnapshotRefused", "Upload", "form_import", "upload_import",
           "upload_limit_bytes"]


class Upload(Protocol):
    """What Django's UploadedFile offers and we use."""

    @property
    def name(self) -> str | None: ...

    def chunks(self) -> Iterable[bytes]: ...


def upload_limit_bytes() -> int:
    """The largest file the upload page and the API take (setting NOTINSCHOOL_UPLOAD_MAX_MB,
    100 MB by default; bigger loads go through the command line)."""
    return int(getattr(settings, "NOTINSCHOOL_UPLOAD_MAX_MB", 100)) * 2**20


def import_wait_seconds() -> float:
    """How long the upload page, the forms and the API wait for another import to finish
    before queueing the file (setting NOTINSCHOOL_IMPORT_WAIT_SECONDS, 10 by default); the
    command line waits as long as it takes."""
    return float(settings.NOTINSCHOOL_IMPORT_WAIT_SECONDS)


def upload_import(*, actor: Actor, agency: Agency | None, kind: str, upload: Upload, channel: str,
                  source: str = "", snapshot: bool = False,
                  allow_large_end: bool = False) -> ImportResult | QueuedImport:
    """Import an uploaded file, all or nothing (InvalidInput lists every problem; a snapshot
    that would end too much is a SnapshotRefused, which `allow_large_end` lets through when it
    is `confirmable`). While another import holds the register past the wait, the file is
    queued (`workflow.queue`) and the queued file returned."""
    if kind not in import_kinds_for(actor=actor, agency=agency):
        raise NotPermitted(f"you cannot send {kind} files")
    display = Path(upload.name or "upload").name[:200] or "upload"
    with _uploaded_path(upload) as path:
        _check_school(kind, agency, path, display)
        try:
            return import_file(actor=actor, kind=kind, path=path, display=display, source=source,
                               snapshot=snapshot, channel=channel, agency=agency,
                               allow_large_end=allow_large_end, wait_seconds=import_wait_seconds())
        except ImportsBusy:
            return import_queue(actor=actor, agency=agency, kind=kind, path=path, display=display,
                                channel=channel, source=source, snapshot=snapshot,
                                allow_large_end=allow_large_end)


@contextmanager
def _uploaded_path(upload: Upload) -> Iterator[Path]:
    """The upload as a file on disk, named .xlsx when its content is a spreadsheet (the reader
    goes by the name; people send workbooks named .csv and the other way round)."""
    with tempfile.TemporaryDirectory(prefix="nis-upload-") as folder:
        chunks = iter(upload.chunks())
        first = next(chunks, b"")
        suffix = ".xlsx" if first.startswith(_XLSX_MAGIC) else ".csv"
        path = Path(folder) / f"upload{suffix}"
        with path.open("wb") as handle:
            handle.write(first)
            for chunk in chunks:
                handle.write(chunk)
        yield path


def _check_school(kind: str, agency: Agency | None, path: Path, display: str) -> None:
    """A school sends notifications about its own pupils only."""
    if agency is None or agency.kind != Agency.Kind.SCHOOL or not agency.school_urn:
        return
    parsed = parse_file(kind, path, display)
    problems = [InputProblem(display, row.number, "school_urn",
                             f"is not your school's URN ({agency.school_urn})")
                for row in parsed.rows if row.values.get("school_urn") != agency.school_urn]
    if problems:
        raise InvalidInput(parsed.problems + problems)


def form_import(*, actor: Actor, kind: str, values: dict[str, str]
                ) -> tuple[ImportResult | QueuedImport, UUID | None]:
    """Record one notification typed into a form: written as a one-row file of the kind's
    columns and imported like any file (channel "form"), so matching, the effect on the
    register, linking and assessment are the same. Returns the result and the child's id
    (also when the same notification was recorded before). While the register is busy past
    the wait, the notification is queued like a file, and the queued file returned."""
    if not actor.can(Cap.EDIT_REGISTER):
        raise NotPermitted("your role cannot record notifications")
    columns = list(intake_kind(kind).columns)
    with tempfile.TemporaryDirectory(prefix="nis-form-") as folder:
        path = Path(folder) / "form.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(columns)
            writer.writerow([values.get(c, "") or "" for c in columns])
        try:
            result = import_file(actor=actor, kind=kind, path=path, display="form", channel="form",
                                 agency=actor.agency, wait_seconds=import_wait_seconds())
        except ImportsBusy:
            return import_queue(actor=actor, agency=actor.agency, kind=kind, path=path,
                                display="form", channel="form"), None
        if len(result.children) == 1:
            return result, next(iter(result.children))
        parsed = parse_file(kind, path, "form")
    hashes = [row_hash(kind, row.values) for row in parsed.rows]
    child_id = (Notification.objects.filter(kind=kind, row_hash__in=hashes)
                .values_list("child_id", flat=True).first())
    return result, child_id
