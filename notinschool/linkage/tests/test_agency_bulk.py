"""A bulk agency load on PostgreSQL: indexes and the foreign key to people are made again after
the rows go in, and the rows are those of an ordinary load."""

import pytest
from django.db import IntegrityError, connection, transaction

from notinschool.intake.tests.helpers import run_import
from notinschool.linkage import loading
from notinschool.linkage.models import AgencyFact, AgencyPerson

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")]

HEADER = ["record_id", "forename", "surname", "date_of_birth", "postcode", "indicator",
          "start_date", "end_date"]


def _schema() -> tuple[list[str], list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename IN "
                       "('linkage_agencyperson', 'linkage_agencyfact') ORDER BY indexname")
        indexes = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE "
                       "conrelid = 'linkage_agencyfact'::regclass ORDER BY conname")
        keys = [f"{r[0]} {r[1]}" for r in cursor.fetchall()]
    return indexes, keys


def _contents() -> list[tuple]:
    people = sorted(AgencyPerson.objects.values_list(
        "source", "record_id", "forename", "surname", "date_of_birth", "postcode", "key_fn",
        "key_sn_sx", "key_pc", "keys_version"))
    facts = sorted(AgencyFact.objects.values_list(
        "person__record_id", "indicator", "start_date", "end_date", "ended_by_snapshot"))
    return people + facts


def _load(write_csv, name: str, rows: list[list[str]], *extra: str) -> None:
    code, _, err = run_import("agency", write_csv(name, HEADER, *rows), "--source", "health", *extra)
    assert code == 0, err


ROWS = [[f"R{i}", "Amira", "Khan", "2014-02-03", "LS6 1AB", "was_not_brought", f"2026-09-{i:02d}", ""]
        for i in range(1, 21)]
LATER = [[f"R{i}", "Amira", "Khan", "2014-02-03", "LS6 2AB", "was_not_brought", f"2026-09-{i:02d}",
          "2026-10-01"] for i in range(5, 25)]


def test_a_bulk_load_rebuilds_indexes_and_keys_and_writes_what_a_plain_load_writes(
        as_of, write_csv, monkeypatch):
    before = _schema()
    _load(write_csv, "a.csv", ROWS)
    _load(write_csv, "b.csv", LATER, "--snapshot")
    plain = _contents()
    AgencyFact.objects.all().delete()
    AgencyPerson.objects.all().delete()

    monkeypatch.setattr(loading, "BULK_ROWS", 1)
    _load(write_csv, "a.csv", ROWS)
    _load(write_csv, "b.csv", LATER, "--snapshot")
    assert _contents() == plain
    assert _schema() == before
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("UPDATE linkage_agencyfact SET person_id = gen_random_uuid()")
