"""Bringing a file in: one service for every door (command line, upload page, API).

An import is atomic: every row is checked first, and if any is invalid nothing is written
(unless `skip_invalid`, which imports the valid rows and writes the rejected ones, with a
reason, beside the input). Importing the same file twice changes nothing the second time."""

import csv
import hashlib
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from uuid import UUID

from django.db import transaction

from notinschool.accounts.actor import Actor, actor_user
from notinschool.accounts.models import Agency
from notinschool.accounts.roles import Cap
from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.bulk import pipelined, values_where_in
from notinschool.core.collector import collector_paused
from notinschool.core.errors import InvalidInput, NotPermitted
from notinschool.intake.kinds import IntakeKind, intake_kind
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.parsing import ParsedFile, ParsedRow, parse_file
from notinschool.intake.workspace import Workspace, flush, parsed_row_hash
from notinschool.people.services import register_write_lock


@dataclass
class ImportResult:
    kind: str
    batch_id: UUID | None
    rows_total: int
    rows_new: int
    rows_already_imported: int
    rows_rejected: int
    children: set[UUID] = field(default_factory=set)
    rejected_path: Path | None = None
    warnings: list[str] = field(default_factory=list)
    # agency people a load brought or changed, as UUID text (str(uuid))
    person_ids: set[str] = field(default_factory=set)


def import_file(*, actor: Actor, kind: str, path: Path, display: str | None = None,
                skip_invalid: bool = False, source: str = "", snapshot: bool = False,
                channel: str = "cli", agency: Agency | None = None,
                allow_large_end: bool = False) -> ImportResult:
    """Import one file of a registered kind (`intake.kinds`; docs/data-contract.md), all or
    nothing. What follows an import (linking, possible duplicates, assessment) is the
    caller's: every door goes through `workflow.imports.import_file`, which does both."""
    if not actor.can(Cap.IMPORT_FILES):
        raise NotPermitted("your role cannot import files")
    display = display or str(path)
    registered = intake_kind(kind)
    if registered.load is not None:
        parsed = _parsed(kind, path, display, skip_invalid)
        result: ImportResult = registered.load(
            actor=actor, parsed=parsed, path=path, source=source, snapshot=snapshot,
            channel=channel, agency=agency, allow_large_end=allow_large_end)
    else:
        with collector_paused():
            parsed = _parsed(kind, path, display, skip_invalid)
            result = _import_intake(actor, registered, parsed, path, skip_invalid, channel, agency)
    result.warnings = parsed.warnings
    if skip_invalid and parsed.rejected:
        result.rejected_path = write_rejected(path, parsed)
    return result


def _parsed(kind: str, path: Path, display: str, skip_invalid: bool) -> ParsedFile:
    parsed = parse_file(kind, path, display)
    if parsed.problems and not skip_invalid:
        raise InvalidInput(parsed.problems)
    return parsed


def _import_intake(actor: Actor, registered: IntakeKind, parsed: ParsedFile, path: Path,
                   skip_invalid: bool, channel: str, agency: Agency | None) -> ImportResult:
    total = len(parsed.rows) + len(parsed.rejected)
    with transaction.atomic():
        register_write_lock()  # before the register is read: imports never interleave
        batch = batch_create(actor=actor, kind=parsed.kind, path=path, display=parsed.display,
                             channel=channel, agency=agency)
        fresh, seen = _unseen_rows(registered, parsed.rows)
        workspace = Workspace(batch=batch, actor=actor, stream=True)
        with pipelined():  # the server writes while the rows are applied and the rest worked out
            assert registered.apply is not None
            problems = registered.apply(workspace, fresh)
            if problems and not skip_invalid:
                raise InvalidInput(problems)
            rejected_rows = {p.row for p in problems}
            for problem in problems:
                row = next(r for r in fresh if r.number == problem.row)
                parsed.rejected.append((row, f"{problem.column}: {problem.message}"))
            children = flush(workspace, households=True)
        _batch_finish(batch, parsed, total=total, new=len(fresh) - len(rejected_rows),
                      follow_up={"children": children})
        audit_record(actor=actor, action="import", object_type=f"import:{parsed.kind}",
                     object_ids=[batch.pk], child_ids=children,
                     detail={"file": parsed.display, "rows": len(parsed.rows), "new": batch.rows_new})
    return ImportResult(kind=parsed.kind, batch_id=batch.pk, rows_total=total,
                        rows_new=batch.rows_new, rows_already_imported=seen,
                        rows_rejected=len(parsed.rejected), children=children)


def batch_create(*, actor: Actor, kind: str, path: Path, display: str, channel: str,
                 agency: Agency | None, source: str = "") -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind, file_name=display, sha256=_sha256(path), source=source, channel=channel,
        agency=agency, as_of=clock.today(), created_by=actor_user(actor))


def _batch_finish(batch: ImportBatch, parsed: ParsedFile, *, total: int, new: int,
                  follow_up: dict[str, set[UUID]]) -> None:
    batch.rows_total = total
    batch.rows_new, batch.rows_rejected = new, len(parsed.rejected)
    follow_up_record(batch, follow_up)
    batch.save(update_fields=["rows_total", "rows_new", "rows_rejected", "follow_up",
                              "followed_up_at"])


def follow_up_record(batch: ImportBatch, touched: Mapping[str, Collection[UUID | str]]) -> None:
    """Keep on the batch, in the import's own transaction, the records it touched (what the
    follow-up will link and assess); a batch that touched nothing has nothing to follow up."""
    batch.follow_up = {name: sorted(str(pk) for pk in ids) for name, ids in touched.items() if ids}
    batch.followed_up_at = None if batch.follow_up else clock.now()


def _unseen_rows(registered: IntakeKind, rows: list[ParsedRow]) -> tuple[list[ParsedRow], int]:
    """Rows not imported before (by content), each once. Returns (rows, how many were seen)."""
    hashes = {parsed_row_hash(registered.slug, r): r for r in rows}
    if registered.seen_hashes is not None:
        seen = registered.seen_hashes(registered.slug, set(hashes))
    else:
        found = values_where_in(Notification, "row_hash", hashes, ("row_hash",), kind=registered.slug)
        seen = {h for (h,) in found if h}
    fresh = [row for h, row in hashes.items() if h not in seen]
    return fresh, len(rows) - len(fresh)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_rejected(path: Path, parsed: ParsedFile) -> Path:
    """The rejected rows as sent, with a `reason` column, beside the input."""
    target = path.with_name(path.name + ".rejected.csv")
    columns = [c for c in parsed.header if c] + ["reason"]
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", *columns])
        for row, reason in sorted(parsed.rejected, key=lambda item: item[0].number):
            writer.writerow([row.number, *(row.raw.get(c, "") for c in columns[:-1]), reason])
    return target
