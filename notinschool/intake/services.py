"""Bringing a file in: one service for every door (command line, upload page, API).

An import is atomic: every row is checked first, and if any is invalid nothing is written
(unless `skip_invalid`, which imports the valid rows and writes the rejected ones, with a
reason, beside the input). Importing the same file twice changes nothing the second time."""

import csv
import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import transaction

from notinschool.audit.services import audit_record
from notinschool.casework.models import Contact
from notinschool.core import clock
from notinschool.core.bulk import pipelined, values_where_in
from notinschool.core.errors import InvalidInput
from notinschool.intake.appliers import APPLIERS
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.parsing import ParsedFile, ParsedRow, parse_file
from notinschool.intake.workspace import Workspace, flush, parsed_row_hash

IMPORT_KINDS = (*APPLIERS, "agency")


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


def import_file(*, actor: Any, kind: str, path: Path, display: str | None = None,
                skip_invalid: bool = False, source: str = "", snapshot: bool = False,
                channel: str = "cli", agency: Any = None, follow_up: bool = True) -> ImportResult:
    """Import one intake or agency file (data contract), then link and assess what it touched.

    `follow_up=False` leaves linking and assessment to the caller (a bulk reload that runs
    them once at the end)."""
    display = display or str(path)
    if kind == "agency":
        from notinschool.linkage.services import agency_file_load

        parsed = _parsed(kind, path, display, skip_invalid)
        result = agency_file_load(actor=actor, parsed=parsed, path=path, source=source,
                                  snapshot=snapshot, channel=channel, agency=agency,
                                  follow_up=follow_up)
    else:
        with _collector_paused():
            parsed = _parsed(kind, path, display, skip_invalid)
            result = _import_intake(actor, parsed, path, skip_invalid, channel, agency)
        if follow_up:
            after_import(actor=actor, children=result.children)
    result.warnings = parsed.warnings
    if skip_invalid and parsed.rejected:
        result.rejected_path = write_rejected(path, parsed)
    return result


def _parsed(kind: str, path: Path, display: str, skip_invalid: bool) -> ParsedFile:
    parsed = parse_file(kind, path, display)
    if parsed.problems and not skip_invalid:
        raise InvalidInput(parsed.problems)
    return parsed


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while a file is read and applied. An import
    holds a few objects per cell and several per row until it ends, and the collector would
    walk them all again each time their number grows by a quarter: a third of the import's
    CPU at 30,000 rows. What the import drops is freed by reference counting as usual."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _import_intake(actor: Any, parsed: ParsedFile, path: Path, skip_invalid: bool, channel: str,
                   agency: Any) -> ImportResult:
    total = len(parsed.rows) + len(parsed.rejected)
    with transaction.atomic():
        batch = batch_create(actor=actor, kind=parsed.kind, path=path, display=parsed.display,
                             channel=channel, agency=agency)
        fresh, seen = _unseen_rows(parsed.kind, parsed.rows)
        workspace = Workspace(batch=batch, actor=actor, stream=True)
        with pipelined():  # the server writes while the rows are applied and the rest worked out
            problems = APPLIERS[parsed.kind](workspace, fresh)
            if problems and not skip_invalid:
                raise InvalidInput(problems)
            rejected_rows = {p.row for p in problems}
            for problem in problems:
                row = next(r for r in fresh if r.number == problem.row)
                parsed.rejected.append((row, f"{problem.column}: {problem.message}"))
            children = flush(workspace, households=True)
        _batch_finish(batch, parsed, total=total, new=len(fresh) - len(rejected_rows))
        audit_record(actor=actor, action="import", object_type=f"import:{parsed.kind}",
                     object_ids=[batch.pk], child_ids=children,
                     detail={"file": parsed.display, "rows": len(parsed.rows), "new": batch.rows_new})
    return ImportResult(kind=parsed.kind, batch_id=batch.pk, rows_total=total,
                        rows_new=batch.rows_new, rows_already_imported=seen,
                        rows_rejected=len(parsed.rejected), children=children)


def batch_create(*, actor: Any, kind: str, path: Path, display: str, channel: str, agency: Any,
                 source: str = "") -> ImportBatch:
    return ImportBatch.objects.create(
        kind=kind, file_name=display, sha256=_sha256(path), source=source, channel=channel,
        agency=agency, as_of=clock.today(),
        created_by=actor if getattr(actor, "pk", None) else None)


def _batch_finish(batch: ImportBatch, parsed: ParsedFile, *, total: int, new: int) -> None:
    batch.rows_total = total
    batch.rows_new, batch.rows_rejected = new, len(parsed.rejected)
    batch.save(update_fields=["rows_total", "rows_new", "rows_rejected"])


def _unseen_rows(kind: str, rows: list[ParsedRow]) -> tuple[list[ParsedRow], int]:
    """Rows not imported before (by content), each once. Returns (rows, how many were seen)."""
    hashes = {parsed_row_hash(kind, r): r for r in rows}
    if kind == "contacts":
        found = values_where_in(Contact, "row_hash", hashes, ("row_hash",))
    else:
        found = values_where_in(Notification, "row_hash", hashes, ("row_hash",), kind=kind)
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


def after_import(*, actor: Any, children: set[UUID]) -> None:
    """Imports run linking and assessment for the records they touch (data contract), and
    look for register records that may be the same child as one of them."""
    if not children:
        return
    from notinschool.linkage.duplicates import duplicates_find
    from notinschool.linkage.services import link_children
    from notinschool.risk.services import risk_assessment_run

    link_children(actor=actor, child_ids=children)
    duplicates_find(actor=actor, child_ids=children)
    risk_assessment_run(actor=actor, child_ids=children)
