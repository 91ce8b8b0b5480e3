"""core.bulk writes and reads what Django would, awkward values included (COPY's text format
escapes backslashes, tabs and line ends; NULL is its own marker)."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest

from notinschool.core.bulk import build, insert_many, loaded, new_uuid, update_many, values_where_in
from notinschool.intake.models import ImportBatch, Notification
from notinschool.people.models import Child, EligibilityBasis

pytestmark = pytest.mark.django_db

AWKWARD = "Tab\there, new\nline, back\\slash, \"quote\", \\N, carriage\rreturn, é"


def _child(**values: object) -> Child:
    fields = {"child_ref": f"C{uuid.uuid4().hex[:7]}", "forename": "Ann", "surname": "Lee"}
    return build(Child, **{**fields, **values})  # type: ignore[no-any-return]


def test_insert_many_writes_awkward_text_nulls_dates_decimals_and_choices() -> None:
    child = _child(surname=AWKWARD, middle_names="", date_of_birth=dt.date(2015, 2, 3),
                   hours_parent_per_week=Decimal("12.5"), last_seen_alone=None,
                   eligibility_basis=EligibilityBasis.NOT_ON_ROLL, known_to_school=True)
    other = _child(date_of_birth=None, hours_parent_per_week=None, last_seen_alone=False)
    insert_many(Child, [child, other])
    got = Child.objects.get(pk=child.pk)
    assert (got.surname, got.middle_names, got.date_of_birth, got.hours_parent_per_week) == (
        AWKWARD, "", dt.date(2015, 2, 3), Decimal("12.5"))
    assert (got.last_seen_alone, got.eligibility_basis, got.known_to_school) == (
        None, "not_on_roll", True)
    assert got.created_at == child.created_at  # the moment written is set on the object too
    got = Child.objects.get(pk=other.pk)
    assert (got.date_of_birth, got.hours_parent_per_week, got.last_seen_alone) == (None, None, False)


def test_insert_many_writes_json_and_foreign_keys() -> None:
    child = _child()
    insert_many(Child, [child])
    batch = ImportBatch.objects.create(kind="referrals", file_name="f.csv", sha256="x",
                                       as_of=dt.date(2026, 1, 1))
    data = {"concern": AWKWARD, "providers": [{"name": "A\\B", "hours_per_week": None}], "y": True}
    note = build(Notification, kind="referrals", batch=batch, child=child, row_hash="h",
                 row_number=7, event_date=dt.date(2026, 1, 2), received_date=dt.date(2026, 1, 2),
                 data=data)
    insert_many(Notification, [note])
    got = Notification.objects.get(pk=note.pk)
    assert (got.data, got.child_id, got.batch_id, got.row_number) == (data, child.pk, batch.pk, 7)


def test_insert_many_writes_floats_and_columns_of_nulls_only() -> None:
    from notinschool.linkage.models import AgencyPerson, PersonMatch

    child = _child()
    insert_many(Child, [child])
    person = AgencyPerson.objects.create(source="health", record_id="H1", forename="Ann",
                                         date_of_birth=dt.date(2015, 2, 3))
    matches = [build(PersonMatch, child=child, person=person, kind=kind, state="pending",
                     probability=probability, weight=weight)
               for kind, probability, weight in (("same_person", 0.1 + 0.2, -1e-7),
                                                 ("household", 1.0, 1234.5678901234567))]
    insert_many(PersonMatch, matches)
    got = {m.kind: (m.probability, m.weight, m.decided_at, m.decided_by_id)
           for m in PersonMatch.objects.all()}
    assert got == {"same_person": (0.1 + 0.2, -1e-7, None, None),
                   "household": (1.0, 1234.5678901234567, None, None)}


def test_update_many_writes_only_the_fields_named() -> None:
    child = _child(forename="Ann", status_date=dt.date(2026, 1, 1))
    insert_many(Child, [child])
    child.surname, child.forename, child.status_date = AWKWARD, "Changed", None
    assert update_many(Child, [child], ["surname", "status_date"]) == 1
    got = Child.objects.get(pk=child.pk)
    assert (got.surname, got.forename, got.status_date) == (AWKWARD, "Ann", None)


def test_values_where_in_and_loaded() -> None:
    children = [_child(surname=name) for name in (AWKWARD, "Smith", 'O"Neil', "a,b{c}")]
    insert_many(Child, children)
    ids = [c.pk for c in children[:3]] + [new_uuid()]
    rows = values_where_in(Child, "id", ids, ("id", "surname", "household_id"))
    assert sorted(rows, key=lambda r: r[1]) == sorted(
        [(c.pk, c.surname, None) for c in children[:3]], key=lambda r: r[1])
    names = [AWKWARD, 'O"Neil', "a,b{c}", "nobody"]
    assert {r[0] for r in values_where_in(Child, "surname", names, ("surname",))} == set(names[:3])
    assert values_where_in(Child, "surname", names, ("surname",), forename="Nobody") == []
    assert values_where_in(Child, "id", [], ("id",)) == []
    made = loaded(Child, ("id", "surname", "household_id"), rows)
    assert {(c.pk, c.surname) for c in made} == {(r[0], r[1]) for r in rows}
    assert not made[0]._state.adding


def test_new_uuid_is_a_random_version_4_uuid() -> None:
    made = {new_uuid() for _ in range(10_000)}
    assert len(made) == 10_000
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 and uuid.UUID(str(u)) == u
               for u in made)


def test_arrow_values_reads_what_values_list_gives_awkward_text_and_empty_as_null() -> None:
    from notinschool.core.bulk import arrow_values

    child = _child(surname=AWKWARD, middle_names="", date_of_birth=dt.date(2015, 2, 3))
    other = _child(forename="O'Neil, \"Jo\"", date_of_birth=None)
    insert_many(Child, [child, other])
    rows = Child.objects.filter(pk__in=[child.pk, other.pk]).order_by("child_ref").values_list(
        "pk", "forename", "middle_names", "surname", "date_of_birth")
    table = arrow_values(rows, ("id", "forename", "middle_names", "surname", "date_of_birth"),
                         dates=("date_of_birth",))
    assert table.to_pylist() == [
        {"id": str(pk), "forename": f or None, "middle_names": m or None, "surname": s or None,
         "date_of_birth": d} for pk, f, m, s, d in rows]
    empty = arrow_values(Child.objects.none().values_list("pk", "surname"), ("id", "surname"))
    assert (empty.num_rows, empty.column_names) == (0, ["id", "surname"])


def test_any_of_takes_ids_as_text() -> None:
    from notinschool.core.bulk import any_of

    children = [_child() for _ in range(150)]  # over the count sent as one array
    insert_many(Child, children)
    wanted = {str(c.pk) for c in children[:120]} | {uuid.uuid4().hex}
    assert set(Child.objects.filter(any_of("id", wanted)).values_list("pk", flat=True)) == {
        c.pk for c in children[:120]}


def test_ordered_uuid_hex_rises_is_unique_and_version_7() -> None:
    from notinschool.core.bulk import ordered_uuid_hex

    keys = ordered_uuid_hex(5000).to_pylist()
    assert keys == sorted(keys) and len(set(keys)) == 5000
    assert {(uuid.UUID(hex=k).version, uuid.UUID(hex=k).variant) for k in keys} == {
        (7, uuid.RFC_4122)}
    assert ordered_uuid_hex(0).to_pylist() == []
