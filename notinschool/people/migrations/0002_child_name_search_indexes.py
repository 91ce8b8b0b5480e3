"""Indexes for the register's name search on PostgreSQL.

The search (people.selectors.child_list) asks for names starting with each word, case
ignored: Django writes `UPPER("forename"::text) LIKE UPPER('ann%')`. A b-tree index on the
same expression with text_pattern_ops answers that for any collation, so a search over
200,000 children reads a few index pages instead of the whole table (bench/search.py).
SQLite has no such operator class and needs nothing here: the migration does nothing there."""

from django.db import migrations

COLUMNS = ("forename", "surname", "middle_names")


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "people_child_{column}_upper_like" '
            f'ON "people_child" (UPPER("{column}"::text) text_pattern_ops)')


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "people_child_{column}_upper_like"')


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
