"""Agency records in, and their links to register children.

Agency rows are facts about people who may or may not be on the register. Each load adds to
what the source sent before; with `snapshot` the file is the source's whole current picture,
and facts it no longer has are ended on the import date (data contract, agency section)."""

from collections.abc import Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import transaction

from notinschool.audit.services import audit_record
from notinschool.intake.parsing import ParsedFile


def agency_file_load(*, actor: Any, parsed: ParsedFile, path: Path, source: str, snapshot: bool,
                     channel: str, agency: Any, follow_up: bool = True) -> Any:
    from notinschool.intake.services import ImportResult, batch_create
    from notinschool.linkage.loading import agency_rows_load

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
    if follow_up:
        link_persons(actor=actor, person_ids=load.person_ids)
    return ImportResult(kind="agency", batch_id=batch.pk, rows_total=total, rows_new=load.new_facts,
                        rows_already_imported=len(parsed.rows) - load.new_facts - load.changed_facts,
                        rows_rejected=len(parsed.rejected), children=load.children)


def link_children(*, actor: Any, child_ids: Iterable[UUID]) -> set[UUID]:
    """Link these register children against every agency record. Returns children whose links
    changed."""
    from notinschool.linkage.linking import run_linkage

    return run_linkage(actor=actor, child_ids=set(child_ids), person_ids=None)


def link_persons(*, actor: Any, person_ids: Iterable[UUID]) -> set[UUID]:
    """Link these agency people against the whole register; assess the children affected."""
    from notinschool.linkage.linking import run_linkage
    from notinschool.risk.services import risk_assessment_run

    children = run_linkage(actor=actor, child_ids=None, person_ids=set(person_ids))
    if children:
        risk_assessment_run(actor=actor, child_ids=children)
    return children


def link_all(*, actor: Any) -> set[UUID]:
    """`notinschool link` and the monthly schedule: everything against everything, and every
    register record against the others (possible duplicates, for a person to review)."""
    from notinschool.linkage.duplicates import duplicates_find
    from notinschool.linkage.linking import run_linkage

    changed = run_linkage(actor=actor, child_ids=None, person_ids=None)
    duplicates_find(actor=actor, child_ids=None)
    return changed
