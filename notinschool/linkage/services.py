"""Agency records in, and their links to register children.

Agency rows are facts about people who may or may not be on the register. Each load adds to
what the source sent before; with `snapshot` the file is the source's whole current picture,
and facts it no longer has are ended on the import date (data contract, agency section)."""

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from uuid import UUID

from django.db import transaction
from django.db.models import Q

from notinschool.audit.services import audit_record
from notinschool.core import clock
from notinschool.core.bulk import build, insert_many, update_many
from notinschool.intake.parsing import ParsedFile, ParsedRow
from notinschool.linkage.candidates import KEY_FIELDS, person_keys_set
from notinschool.linkage.models import AgencyFact, AgencyPerson, PersonMatch

_PERSON_FIELDS = ("forename", "middle_names", "surname", "sex", "date_of_birth", "address_line_1",
                  "postcode", "nhs_number", "upn", "parent1_name", "parent2_name")
_BATCH = 5000


def agency_file_load(*, actor: Any, parsed: ParsedFile, path: Path, source: str, snapshot: bool,
                     channel: str, agency: Any, follow_up: bool = True) -> Any:
    from notinschool.intake.services import ImportResult, batch_create

    total = len(parsed.rows) + len(parsed.rejected)
    with transaction.atomic():
        batch = batch_create(actor=actor, kind="agency", path=path, display=parsed.display,
                             channel=channel, agency=agency, source=source)
        persons = _persons_upsert(source, parsed.rows)
        new_facts, changed = _facts_upsert(source, parsed.rows, persons, batch)
        ended = _snapshot_end(source, parsed.rows, persons) if snapshot else 0
        batch.rows_total, batch.rows_new = total, new_facts
        batch.rows_rejected = len(parsed.rejected)
        batch.save(update_fields=["rows_total", "rows_new", "rows_rejected"])
        children = _children_linked(source, persons)
        audit_record(actor=actor, action="import", object_type=f"import:agency:{source}",
                     object_ids=[batch.pk], child_ids=children,
                     detail={"file": parsed.display, "rows": total, "new_facts": new_facts,
                             "changed_facts": changed, "ended_by_snapshot": ended})
    if follow_up:
        link_persons(actor=actor, person_ids=[p.pk for p in persons.values()])
    return ImportResult(kind="agency", batch_id=batch.pk, rows_total=total, rows_new=new_facts,
                        rows_already_imported=len(parsed.rows) - new_facts - changed,
                        rows_rejected=len(parsed.rejected), children=children)


def _persons_upsert(source: str, rows: list[ParsedRow]) -> dict[str, AgencyPerson]:
    latest: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: r.values["start_date"]):
        latest[row.values["record_id"]] = row.values
    existing = _persons_existing(source, list(latest))
    new, changed = [], []
    for record_id, values in latest.items():
        identity = {f: values.get(f) or ("" if f != "date_of_birth" else None) for f in _PERSON_FIELDS}
        person = existing.get(record_id)
        if person is None:
            person = build(AgencyPerson, source=source, record_id=record_id, **identity)
            new.append(person)
            existing[record_id] = person
        elif any(getattr(person, f) != v for f, v in identity.items() if v):
            for f, v in identity.items():
                if v:
                    setattr(person, f, v)
            changed.append(person)
    person_keys_set(new + changed)
    insert_many(AgencyPerson, new)
    update_many(AgencyPerson, changed, [*_PERSON_FIELDS, *KEY_FIELDS.values(), "keys_version"])
    return existing


def _children_linked(source: str, persons: dict[str, AgencyPerson]) -> set[UUID]:
    """Register children linked to these people of `source`."""
    links = PersonMatch.objects.filter(person__source=source)
    if len(persons) < _BATCH:
        return set(links.filter(person__record_id__in=list(persons)).values_list("child_id", flat=True))
    ids = {p.pk for p in persons.values()}  # a large file: one pass over the source's links
    return {child for child, person in links.values_list("child_id", "person_id") if person in ids}


def _persons_existing(source: str, record_ids: list[str]) -> dict[str, AgencyPerson]:
    found: dict[str, AgencyPerson] = {}
    if len(record_ids) >= _BATCH:  # a large file: one pass over the source, no huge IN lists
        wanted = set(record_ids)
        for person in AgencyPerson.objects.filter(source=source).iterator(chunk_size=_BATCH):
            if person.record_id in wanted:
                found[person.record_id] = person
        return found
    for start in range(0, len(record_ids), _BATCH):
        chunk = record_ids[start:start + _BATCH]
        for person in AgencyPerson.objects.filter(source=source, record_id__in=chunk):
            found[person.record_id] = person
    return found


def _facts_upsert(source: str, rows: list[ParsedRow], persons: dict[str, AgencyPerson],
                  batch: Any) -> tuple[int, int]:
    existing = {
        (f.person_id, f.indicator, f.start_date): f
        for f in AgencyFact.objects.filter(person__in=[p.pk for p in persons.values()])
    } if len(persons) < _BATCH else _facts_existing_by_source(source)  # no huge IN lists
    new: dict[tuple[Any, str, dt.date], AgencyFact] = {}
    changed = []
    for row in rows:
        v = row.values
        person = persons[v["record_id"]]
        key = (person.pk, v["indicator"], v["start_date"])
        fact = existing.get(key)
        if fact is None:
            new[key] = build(AgencyFact, person=person, source=source, indicator=v["indicator"],
                             start_date=v["start_date"], end_date=v["end_date"],
                             detail=v["detail"] or "", batch=batch)
        elif fact.end_date != v["end_date"] or (v["detail"] and fact.detail != v["detail"]):
            fact.end_date, fact.ended_by_snapshot = v["end_date"], False
            fact.detail = v["detail"] or fact.detail
            changed.append(fact)
    insert_many(AgencyFact, list(new.values()))
    update_many(AgencyFact, changed, ["end_date", "detail", "ended_by_snapshot"])
    return len(new), len(changed)


def _facts_existing_by_source(source: str) -> dict[tuple[Any, str, dt.date], AgencyFact]:
    return {(f.person_id, f.indicator, f.start_date): f
            for f in AgencyFact.objects.filter(source=source).iterator(chunk_size=_BATCH)}


def _snapshot_end(source: str, rows: list[ParsedRow], persons: dict[str, AgencyPerson]) -> int:
    """End the source's current facts that the snapshot no longer has."""
    today = clock.today()
    present = {(persons[r.values["record_id"]].pk, r.values["indicator"], r.values["start_date"])
               for r in rows}
    current = AgencyFact.objects.filter(source=source).filter(
        Q(end_date__isnull=True) | Q(end_date__gt=today))
    gone = [f for f in current.only("pk", "person_id", "indicator", "start_date")
            if (f.person_id, f.indicator, f.start_date) not in present]
    for fact in gone:
        fact.end_date, fact.ended_by_snapshot = today, True
    update_many(AgencyFact, gone, ["end_date", "ended_by_snapshot"])
    return len(gone)


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
    """`notinschool link` and the monthly schedule: everything against everything."""
    from notinschool.linkage.linking import run_linkage

    return run_linkage(actor=actor, child_ids=None, person_ids=None)
