"""A child's own agency record is never a household member's.

The engine puts in the child's household every agency person at the child's home with the
same surname or a parent in common, unless it scores them as the child at the review
threshold or above. A record of the child with several mistakes (a misspelt forename and a
date of birth with a digit wrong) scores under it, and would be shown as a brother's or a
sister's: the child's own child-in-need plan as `household_child_in_need`. So before household
links are kept, each is checked here:

- a person linked as the same person as this child (in this run, or before, unless a person
  rejected it) is never also its household member;
- a person linked as the same person as another register child is that child's record: a
  household member, as the engine says (twins and siblings on the register);
- a person no child claims who could be this child (`people.matching.could_be_same_child`:
  the date of birth and the forename agree, or are one mistake out) is not a household
  member but a candidate match of the child itself, waiting for a person (`basis`
  `same_home`, not scored by the engine). Rejected, it becomes a household link on the next
  run: a twin not on the register.

Household signals thus come only from records of other people in the household.
"""

import datetime as dt
from collections.abc import Iterable
from typing import Any
from uuid import UUID

import pyarrow as pa
import pyarrow.compute as pc

from notinschool.core.bulk import values_where_in
from notinschool.linkage.models import PersonMatch
from notinschool.people.matching import Candidate, could_be_same_child

SAME_HOME = "same_home"

_FIELDS = ("id", "forename", "middle_names", "surname", "sex", "date_of_birth", "upn")


def households_checked(register: pa.Table, agency: pa.Table, matches: Iterable[Any],
                       households: list[tuple[str, str, str]]
                       ) -> tuple[list[tuple[str, str, str]], list[PersonMatch]]:
    """The engine's household links (``(child id, person id, basis)``) less any that are the
    child's own record, and the candidate matches of the child itself found among them
    (unsaved, pending: `lookalikes_store`)."""
    if not households:
        return households, []
    run_same = {(str(m.left_id), str(m.right_id)) for m in matches}
    people = {p for _, p, _ in households}
    db_same: set[tuple[str, str]] = set()
    rejected: set[tuple[str, str]] = set()
    for child, person, state in values_where_in(
            PersonMatch, "person_id", [UUID(p) for p in people], ("child_id", "person_id", "state"),
            kind=PersonMatch.Kind.SAME_PERSON):
        (rejected if state == PersonMatch.State.REJECTED else db_same).add((str(child), str(person)))
    claimed = {p for _, p in run_same | db_same}
    children = _rows(register, {c for c, _, _ in households})
    persons = _rows(agency, people)
    kept, lookalikes = [], []
    for child_id, person_id, basis in households:
        pair = (child_id, person_id)
        if pair in run_same or pair in db_same:
            continue  # the child's own record
        if person_id in claimed or pair in rejected:
            kept.append((child_id, person_id, basis))  # another child's record, or a twin
            continue
        child, person = children.get(child_id), persons.get(person_id)
        if child is None or person is None or not could_be_same_child(child, person):
            kept.append((child_id, person_id, basis))
            continue
        lookalikes.append(_lookalike(child_id, person_id, child, person))
    return kept, lookalikes


def lookalikes_store(lookalikes: list[PersonMatch]) -> set[UUID]:
    """Save the candidate matches `households_checked` found (those not there already), and
    drop household links, from earlier runs, of a person now linked as the child itself (any
    link of the same person but a rejected one). Returns the children whose links changed."""
    changed: set[UUID] = set()
    if lookalikes:
        there = set(values_where_in(PersonMatch, "child_id", {m.child_id for m in lookalikes},
                                    ("child_id", "person_id"), kind=PersonMatch.Kind.SAME_PERSON))
        new = [m for m in lookalikes if (m.child_id, m.person_id) not in there]
        PersonMatch.objects.bulk_create(new, batch_size=5000)
        changed |= {m.child_id for m in new}
    return changed | stale_households_drop()


def stale_households_drop(child_ids: set[UUID] | None = None) -> set[UUID]:
    """Household links (automatic: made by the engine) of a child to a person also linked as
    that child (same person, not rejected), deleted. Returns the children concerned."""
    same = PersonMatch.objects.filter(kind=PersonMatch.Kind.SAME_PERSON).exclude(
        state=PersonMatch.State.REJECTED)
    if child_ids is not None:
        same = same.filter(child_id__in=child_ids)
    from django.db.models import Exists, OuterRef

    stale = PersonMatch.objects.filter(
        Exists(same.filter(child_id=OuterRef("child_id"), person_id=OuterRef("person_id"))),
        kind=PersonMatch.Kind.HOUSEHOLD, state=PersonMatch.State.AUTOMATIC)
    children = set(stale.values_list("child_id", flat=True))
    if children:
        stale.delete()
    return children


def _rows(table: pa.Table, ids: set[str]) -> dict[str, Candidate]:
    """The rows of ``table`` with these ids, as the intake matcher's candidates."""
    wanted = table.select(list(_FIELDS)).filter(pc.is_in(table["id"], value_set=pa.array(
        sorted(ids), type=pa.string())))
    out = {}
    for row in wanted.to_pylist():
        out[row["id"]] = Candidate(
            key=row["id"], forename=row["forename"] or "", middle_names=row["middle_names"] or "",
            surname=row["surname"] or "", date_of_birth=_date(row["date_of_birth"]), postcode="",
            upn=row["upn"] or "", sex=row["sex"] or "")
    return out


def _date(value: Any) -> dt.date | None:
    return value if isinstance(value, dt.date) else None


def _lookalike(child_id: str, person_id: str, child: Candidate, person: Candidate) -> PersonMatch:
    dob = ("agrees" if child.date_of_birth == person.date_of_birth else "one mistake out")
    forename = ("agrees" if child.forename.casefold() == person.forename.casefold()
                else "alike")
    return PersonMatch(
        child_id=UUID(child_id), person_id=UUID(person_id), kind=PersonMatch.Kind.SAME_PERSON,
        state=PersonMatch.State.PENDING, probability=0.0, weight=0.0, basis=SAME_HOME,
        evidence=[{"field": "address", "label": "same home address", "weight": 0},
                  {"field": "date_of_birth", "label": dob, "weight": 0},
                  {"field": "forename", "label": forename, "weight": 0}])
