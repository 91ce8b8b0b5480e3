"""Django's PostgreSQL backend with a cheaper flush, for the test suite only.

After each transactional test (browser tests, real processes) Django flushes the database: one
TRUNCATE of every table, about 4 s each time on our 85 tables, because PostgreSQL gives every
table, index and TOAST table new files and drops the old ones whether or not they held a row.
A test fills a handful of tables, so this flush asks which tables hold a row (one query) and
deletes from those only. Django's foreign keys are DEFERRABLE INITIALLY DEFERRED and flush runs
in one transaction, so the order of the deletes does not matter. Tables whose triggers refuse a
DELETE (the audit trail is append-only) are truncated together instead, as Django would. A flush
that must also reset sequences (reset_sequences=True) is Django's own.
"""

from typing import Any

from django.db.backends.postgresql import base, operations

# tables with a trigger of their own that fires on DELETE (tgtype bit 3)
GUARDED = """
    SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
    WHERE NOT t.tgisinternal AND t.tgtype & 8 <> 0
"""


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(
        self, style: Any, tables: Any, *, reset_sequences: bool = False, allow_cascade: bool = False
    ) -> list[str]:
        if reset_sequences or not tables:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        probe = " UNION ALL ".join(
            f"(SELECT %s FROM {self.quote_name(table)} LIMIT 1)"  # noqa: S608 (our table names)
            for table in tables
        )
        with self.connection.cursor() as cursor:
            cursor.execute(probe, list(tables))
            holding = [row[0] for row in cursor.fetchall()]
            cursor.execute(GUARDED)
            guarded = sorted({row[0] for row in cursor.fetchall()} & set(tables))
        deletes = [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} "
            f"{style.SQL_FIELD(self.quote_name(table))};"
            for table in holding
            if table not in guarded
        ]
        if set(holding) & set(guarded):
            deletes += super().sql_flush(style, guarded)
        return deletes


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
