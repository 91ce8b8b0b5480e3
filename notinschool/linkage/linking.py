"""Running the linkage engine over the database and keeping its results as PersonMatch rows.

Matches above the automatic threshold apply without a person; the band below waits for review.
A pair a person rejected never comes back, and an accepted one is not undone by a re-run."""

from collections import defaultdict
from typing import Any
from uuid import UUID

import pyarrow as pa
from django.db import transaction

from notinschool.audit.services import audit_record
from notinschool.linkage.models import AgencyPerson, PersonMatch
from notinschool.people.models import OPEN_STATUSES, Address, Child, ChildParent

COLUMNS = ("id", "forename", "middle_names", "surname", "sex", "date_of_birth", "postcode",
           "address_line_1", "upn", "nhs_number", "parent1_name", "parent2_name")


def register_table(child_ids: set[UUID] | None) -> pa.Table:
    children = Child.objects.filter(status__in=OPEN_STATUSES)
    if child_ids is not None:
        children = children.filter(pk__in=child_ids)
    rows = list(children.values_list("pk", "forename", "middle_names", "surname", "sex",
                                     "date_of_birth", "postcode", "upn", "nhs_number"))
    ids = [r[0] for r in rows]
    line_1 = dict(Address.objects.filter(child_id__in=ids, is_current=True)
                  .values_list("child_id", "line_1")) if child_ids is not None else dict(
        Address.objects.filter(is_current=True, child__status__in=OPEN_STATUSES)
        .values_list("child_id", "line_1"))
    parents: dict[Any, list[str]] = defaultdict(list)
    links = ChildParent.objects.filter(child__status__in=OPEN_STATUSES)
    if child_ids is not None:
        links = links.filter(child_id__in=ids)
    for child_id, name in links.values_list("child_id", "parent__name"):
        parents[child_id].append(name)
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for pk, forename, middle, surname, sex, dob, postcode, upn, nhs in rows:
        p = parents.get(pk, [])
        values = {"id": str(pk), "forename": forename, "middle_names": middle, "surname": surname,
                  "sex": sex, "date_of_birth": dob, "postcode": postcode,
                  "address_line_1": line_1.get(pk, ""), "upn": upn, "nhs_number": nhs,
                  "parent1_name": p[0] if p else "", "parent2_name": p[1] if len(p) > 1 else ""}
        for c in COLUMNS:
            columns[c].append(values[c] or None)
    return _table(columns)


def agency_table(person_ids: set[UUID] | None) -> pa.Table:
    people = AgencyPerson.objects.all()
    if person_ids is not None:
        people = people.filter(pk__in=person_ids)
    fields = ["pk", *[c for c in COLUMNS if c != "id"]]
    columns: dict[str, list[Any]] = {c: [] for c in COLUMNS}
    for row in people.values_list(*fields).iterator(chunk_size=20000):
        columns["id"].append(str(row[0]))
        for name, value in zip(fields[1:], row[1:], strict=True):
            columns[name].append(value or None)
    return _table(columns)


def _table(columns: dict[str, list[Any]]) -> pa.Table:
    arrays = {c: pa.array(v, type=pa.date32() if c == "date_of_birth" else pa.string())
              for c, v in columns.items()}
    return pa.table(arrays)


def run_linkage(*, actor: Any, child_ids: set[UUID] | None, person_ids: set[UUID] | None) -> set[UUID]:
    from notinschool.linkage import engine

    if not hasattr(engine, "link_people"):  # the engine is still being built
        return set()
    register = register_table(child_ids)
    agency = agency_table(person_ids)
    if register.num_rows == 0 or agency.num_rows == 0:
        return set()
    matches = engine.link_people(register, agency)
    households = engine.household_pairs(register, agency)
    with transaction.atomic():
        changed = _store(matches, households)
        if changed:
            audit_record(actor=actor, action="update", object_type="person_match",
                         child_ids=changed, detail={"matches": len(matches),
                                                    "household": len(households)})
    return changed


def _store(matches: list[Any], households: list[tuple[str, str, str]]) -> set[UUID]:
    from notinschool.linkage import engine

    existing = {(str(m.child_id), str(m.person_id), m.kind): m for m in PersonMatch.objects.filter(
        child_id__in={m.left_id for m in matches} | {h[0] for h in households})}
    new: list[PersonMatch] = []
    for m in matches:
        key = (m.left_id, m.right_id, PersonMatch.Kind.SAME_PERSON)
        if key in existing:
            continue
        state = (PersonMatch.State.AUTOMATIC if m.probability >= engine.AUTO_THRESHOLD
                 else PersonMatch.State.PENDING)
        new.append(PersonMatch(child_id=m.left_id, person_id=m.right_id, kind=key[2], state=state,
                               probability=m.probability, weight=m.weight,
                               evidence=[{"field": e.field, "label": e.label, "weight": e.weight}
                                         for e in m.evidence]))
    same = {(m.left_id, m.right_id) for m in matches}
    for child_id, person_id, basis in households:
        key = (child_id, person_id, PersonMatch.Kind.HOUSEHOLD)
        if key in existing or (child_id, person_id) in same:
            continue
        new.append(PersonMatch(child_id=child_id, person_id=person_id, kind=key[2],
                               state=PersonMatch.State.AUTOMATIC, basis=basis,
                               evidence=[{"field": "address", "label": "same home address",
                                          "weight": 0}, {"field": basis, "label": basis.replace(
                                              "_", " "), "weight": 0}]))
    PersonMatch.objects.bulk_create(new, batch_size=5000)
    return {UUID(str(m.child_id)) for m in new}
