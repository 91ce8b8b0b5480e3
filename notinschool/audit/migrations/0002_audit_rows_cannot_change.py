"""The database itself refuses to change an audit event, whatever the application does
(queryset updates bypass the model's save). On PostgreSQL deletes are refused too: only the
retention job, running as the table's owner with TRUNCATE or a partition drop, removes events.
SQLite (the demo database) refuses updates; its test runner empties tables with DELETE."""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_event_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events cannot be changed or deleted' USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();
CREATE TRIGGER audited_child_no_update BEFORE UPDATE OR DELETE ON audit_auditedchild
    FOR EACH ROW EXECUTE FUNCTION audit_event_immutable();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_event_no_update ON audit_auditevent;
DROP TRIGGER IF EXISTS audited_child_no_update ON audit_auditedchild;
DROP FUNCTION IF EXISTS audit_event_immutable();
"""
SQLITE_UP = [
    """CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_auditevent
       BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END;""",
    """CREATE TRIGGER audited_child_no_update BEFORE UPDATE ON audit_auditedchild
       BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END;""",
]
SQLITE_DOWN = ["DROP TRIGGER IF EXISTS audit_event_no_update",
               "DROP TRIGGER IF EXISTS audited_child_no_update"]


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_UP:
            schema_editor.execute(statement)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_DOWN:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
