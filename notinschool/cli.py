"""The `notinschool` command: Django's management commands, with a global `--as-of` date.

    notinschool [--as-of YYYY-MM-DD] COMMAND [ARGS...]

On SQLite (the embedded default) every command first applies pending migrations, so a fresh
folder just works; on PostgreSQL `notinschool migrate` is run explicitly.
"""

import datetime as dt
import os
import sys


def _split_as_of(argv: list[str]) -> tuple[dt.date | None, list[str]]:
    rest: list[str] = []
    as_of = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--as-of" and i + 1 < len(argv) and not rest:
            as_of, i = _parse_date(argv[i + 1]), i + 2
            continue
        if arg.startswith("--as-of=") and not rest:
            as_of, i = _parse_date(arg.split("=", 1)[1]), i + 1
            continue
        rest.append(arg)
        i += 1
    return as_of, rest


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        sys.stderr.write(f"notinschool: --as-of wants a date as YYYY-MM-DD, not {text!r}\n")
        raise SystemExit(2) from None


def _migrate_sqlite_if_needed() -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    if connection.vendor != "sqlite":
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


def main(argv: list[str] | None = None) -> None:
    as_of, rest = _split_as_of(list(sys.argv[1:] if argv is None else argv))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if as_of is not None:
        from notinschool.core import clock

        clock.set_as_of(as_of)
    import django

    django.setup()
    if rest and rest[0] not in {"migrate", "makemigrations", "help", "--help", "-h", "version"}:
        _migrate_sqlite_if_needed()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["notinschool", *rest])


if __name__ == "__main__":
    main()
