"""Bringing a file in, and what follows: every door (the command line, the upload page, the
forms, the API) comes through `import_file`.

The import itself is intake's (`intake.services.import_file`, all or nothing, through the kind
registered in `intake.kinds`). Then the records it touched are linked with agency records,
compared with the rest of the register for possible duplicates, and assessed; an agency file
links the agency people it brought against the whole register and assesses the children whose
links changed (docs/data-contract.md: imports run linking and assessment)."""

from collections.abc import Iterable
from pathlib import Path
from uuid import UUID

from notinschool.accounts.actor import Actor
from notinschool.accounts.models import Agency
from notinschool.intake import services as intake
from notinschool.intake.kinds import intake_kind
from notinschool.intake.services import ImportResult
from notinschool.linkage.duplicates import duplicates_find
from notinschool.linkage.services import link_children, link_persons
from notinschool.workflow.assessment import risk_assessment_run


def import_file(*, actor: Actor, kind: str, path: Path, display: str | None = None,
                skip_invalid: bool = False, source: str = "", snapshot: bool = False,
                channel: str = "cli", agency: Agency | None = None,
                follow_up: bool = True) -> ImportResult:
    """Import one file, then link, look for duplicates and assess what it touched.
    `follow_up=False` leaves that to the caller (a bulk reload that links and assesses once at
    the end)."""
    result = intake.import_file(actor=actor, kind=kind, path=path, display=display,
                                skip_invalid=skip_invalid, source=source, snapshot=snapshot,
                                channel=channel, agency=agency)
    if follow_up and intake_kind(kind).load is not None:  # agency records: its people
        agency_after_import(actor=actor, person_ids=result.person_ids)
    elif follow_up:
        after_import(actor=actor, children=result.children)
    return result


def after_import(*, actor: Actor, children: set[UUID]) -> None:
    """The register records an import (or a merge or split) touched: linked against every
    agency record, compared with the other records (possible duplicates, for a person), and
    assessed."""
    if not children:
        return
    link_children(actor=actor, child_ids=children)
    duplicates_find(actor=actor, child_ids=children)
    risk_assessment_run(actor=actor, child_ids=children)


def agency_after_import(*, actor: Actor, person_ids: Iterable[UUID]) -> set[UUID]:
    """Agency people an agency file brought: linked against the whole register, and the
    children whose links changed assessed."""
    children = link_persons(actor=actor, person_ids=person_ids)
    if children:
        risk_assessment_run(actor=actor, child_ids=children)
    return children
