"""Writes sent by core.bulk's writer thread (`pipelined()`, PostgreSQL) land in the caller's
transaction, in order, before anything reads them; an error in them undoes the whole import.
On SQLite `pipelined()` does nothing, and the same tests check the plain path."""

import datetime as dt
import uuid

import pytest
from django.db import IntegrityError, connection, transaction

from notinschool.core.bulk import build, insert_many, pipelined, pipelining, update_many
from notinschool.intake import workspace
from notinschool.intake.models import ImportBatch, Notification
from notinschool.intake.tests.helpers import DELETION_HEADER, deletion, run_import
from notinschool.people.models import Child, StatusChange

pytestmark = pytest.mark.django_db(transaction=True)


def _child(**values: object) -> Child:
    fields = {"child_ref": f"C{uuid.uuid4().hex[:7]}", "forename": "Ann", "surname": "Lee"}
    return build(Child, **{**fields, **values})  # type: ignore[no-any-return]


def test_a_query_inside_the_block_reads_the_writes_made_before_it() -> None:
    children = [_child(forename=f"Child{n}") for n in range(300)]
    with transaction.atomic(), pipelined():
        assert pipelining() == (connection.vendor == "postgresql")
        insert_many(Child, children)
        for child in children:
            child.surname = "Changed"
        update_many(Child, children, ["surname"])
        assert Child.objects.filter(surname="Changed").count() == 300
    assert Child.objects.filter(surname="Changed").count() == 300


def test_writes_are_done_when_the_block_ends_and_in_the_order_given() -> None:
    child = _child(surname="First")
    with transaction.atomic():
        with pipelined():
            insert_many(Child, [child])
            child.surname = "Second"
            update_many(Child, [child], ["surname"])
            child.surname = "Third"
            update_many(Child, [child], ["surname"])
        assert not pipelining()
        assert Child.objects.get().surname == "Third"


def test_a_write_that_fails_raises_djangos_error_and_undoes_the_transaction() -> None:
    child = _child()
    duplicate = _child(child_ref=child.child_ref)  # breaks the unique register reference
    with pytest.raises(IntegrityError), transaction.atomic(), pipelined():
        insert_many(Child, [child])
        insert_many(Child, [duplicate])
        insert_many(Child, [_child()])
    assert not pipelining()
    assert Child.objects.count() == 0


def test_an_error_in_the_caller_undoes_the_writes_already_sent() -> None:
    with pytest.raises(ValueError, match="stop"), transaction.atomic(), pipelined():
        insert_many(Child, [_child(), _child()])
        raise ValueError("stop")
    assert not pipelining()
    assert Child.objects.count() == 0


def test_outside_a_transaction_writes_are_made_at_once() -> None:
    with pipelined():
        assert not pipelining()
        insert_many(Child, [_child()])
    assert Child.objects.count() == 1


def test_an_import_writes_its_notifications_while_applying_rows_each_once(
        as_of, write_csv, monkeypatch) -> None:
    monkeypatch.setattr(workspace, "_STREAM_EVERY", 2)
    names = ["Ann", "Ben", "Cara", "Dev", "Ella"]
    path = write_csv("d.csv", DELETION_HEADER,
                     *(deletion(name, dob=f"2015-03-0{n + 1}") for n, name in enumerate(names)))
    code, out, _ = run_import("roll-deletions", path)
    assert code == 0 and "5 new" in out
    numbers = Notification.objects.values_list("row_number", flat=True)
    assert sorted(n or 0 for n in numbers) == [2, 3, 4, 5, 6]
    assert StatusChange.objects.filter(status="ehe").count() == 5
    assert sorted(Child.objects.values_list("forename", flat=True)) == names
    assert ImportBatch.objects.get().rows_new == 5
    code, out, _ = run_import("roll-deletions", path)
    assert "0 new, 5 already imported" in out and Notification.objects.count() == 5


def test_an_import_that_fails_after_streaming_leaves_nothing(as_of, write_csv, monkeypatch) -> None:
    monkeypatch.setattr(workspace, "_STREAM_EVERY", 1)

    def broken(ws: workspace.Workspace, *, households: bool = False) -> set[object]:
        raise RuntimeError("disk full")

    monkeypatch.setattr("notinschool.intake.services.flush", broken)
    path = write_csv("d.csv", DELETION_HEADER, deletion("Ann"), deletion("Ben", dob="2014-01-02"))
    with pytest.raises(RuntimeError, match="disk full"):
        run_import("roll-deletions", path)
    assert (Notification.objects.count(), StatusChange.objects.count(), ImportBatch.objects.count(),
            Child.objects.count()) == (0, 0, 0, 0)


def test_dates_written_by_the_writer_read_back(as_of) -> None:
    child = _child(date_of_birth=dt.date(2015, 2, 3))
    with transaction.atomic(), pipelined():
        insert_many(Child, [child])
    assert Child.objects.get().date_of_birth == dt.date(2015, 2, 3)
