"""The `notinschool` command: the project's commands, then Django's, with a global `--as-of` date.

    notinschool [--as-of YYYY-MM-DD] COMMAND [ARGS...]
    notinschool --help | --version

`--help` (or no command, or `help`) lists the project's commands by the work they belong to,
each with the first sentence of its own help text, then Django's commands (and its add-ons'),
which all still run. A command's group comes from its name (`COMMAND_GROUPS`), so it stays
right when the command moves to another app; a command not named there goes by its app
(`APP_GROUPS`), and any other of the project's commands to "other", so none is ever hidden.

On SQLite (the embedded default) a command first applies pending migrations, so a fresh folder
just works; help, the version, `synth` (it only writes files) and an unknown command never touch
the database. On PostgreSQL `notinschool migrate` is run explicitly.
"""

import dataclasses
import datetime as dt
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Mapping
from importlib import metadata
from typing import NoReturn

import django
from django.conf import settings
from django.core.management import call_command, execute_from_command_line, get_commands, load_command_class
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from notinschool.core import clock

PROG = "notinschool"

# The groups in the order --help shows them.
GROUPS = ("intake", "linkage", "risk", "reports", "casework", "admin", "demo", "other")

# A command's group by its name, in the order --help lists them within the group.
COMMAND_GROUPS = {
    "import": "intake",
    "link": "linkage",
    "assess": "risk",
    "keep_register_current": "risk",
    "export": "reports",
    "allocate_social_worker": "casework",
    "send_daily_summaries": "casework",
    "letters": "casework",
    "api_key": "admin",
    "retention": "admin",
    "flag_unusual_access": "admin",
    "seed_demo_users": "admin",
    # Django's and its add-ons' commands that running notinschool needs (docs/operations.md).
    "migrate": "admin",
    "db_worker": "admin",
    "crontask": "admin",
    "scheduler": "admin",
    "prune_db_task_results": "admin",
    "synth": "demo",
    "demo_load": "demo",
    "truth_check": "demo",
}

# The group of a project command not named above, by its app.
APP_GROUPS = {
    "notinschool.intake": "intake",
    "notinschool.linkage": "linkage",
    "notinschool.risk": "risk",
    "notinschool.reports": "reports",
    "notinschool.casework": "casework",
    "notinschool.accounts": "admin",
    "notinschool.api": "admin",
    "notinschool.synth": "demo",
}

HELP_FLAGS = ("-h", "--help")
# Commands that are batch work, not a person waiting: they run at the lower CPU priority of
# NOTINSCHOOL_BATCH_NICE (production: 10), so pages stay quick while they run beside them.
BATCH_COMMANDS = frozenset({"import", "link", "assess", "keep_register_current", "export", "letters",
                            "retention", "db_worker", "scheduler", "demo_load", "synth"})
# Commands that run without migrating first: `synth` only writes files, and a SQLite migration
# (about 25 s of CPU) before it was the most of its cost in the tests that make an authority.
NO_MIGRATE = frozenset({"migrate", "makemigrations", "help", "version", "synth"})

WIDTH = 100


@dataclasses.dataclass
class GlobalOptions:
    as_of: dt.date | None = None
    help: bool = False
    version: bool = False


def _split_global_options(argv: list[str]) -> tuple[GlobalOptions, list[str]]:
    """The options before the command, and the command with its own arguments."""
    options = GlobalOptions()
    i = 0
    while i < len(argv) and argv[i].startswith("-"):
        arg = argv[i]
        if arg == "--as-of":
            if i + 1 == len(argv):
                _bad_as_of("nothing")
            options.as_of, i = _parse_date(argv[i + 1]), i + 2
        elif arg.startswith("--as-of="):
            options.as_of, i = _parse_date(arg.split("=", 1)[1]), i + 1
        elif arg in HELP_FLAGS:
            options.help, i = True, i + 1
        elif arg == "--version":
            options.version, i = True, i + 1
        else:
            break  # not ours: Django says it is an unknown command
    return options, argv[i:]


def _parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        _bad_as_of(repr(text))


def _bad_as_of(what: str) -> NoReturn:
    sys.stderr.write(f"{PROG}: --as-of wants a date as YYYY-MM-DD, not {what}\n")
    raise SystemExit(2)


def version() -> str:
    """`notinschool 0.1.0`: the installed package's version."""
    try:
        return f"{PROG} {metadata.version(PROG)}"
    except metadata.PackageNotFoundError:
        return f"{PROG} (not installed)"


def command_groups(commands: Mapping[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """The project's commands by group (groups in `GROUPS` order, empty ones left out), and the
    others (Django's and its add-ons'), sorted. `commands` maps each command to its app, as
    `django.core.management.get_commands()` does."""
    order = {name: n for n, name in enumerate(COMMAND_GROUPS)}
    grouped: dict[str, list[str]] = {group: [] for group in GROUPS}
    others: list[str] = []
    for name, app in commands.items():
        group = COMMAND_GROUPS.get(name) or APP_GROUPS.get(app)
        if group is None and (app == PROG or app.startswith(f"{PROG}.")):
            group = "other"
        if group is None:
            others.append(name)
        else:
            grouped[group].append(name)
    for names in grouped.values():
        names.sort(key=lambda name: (order.get(name, len(order)), name))
    return {group: names for group, names in grouped.items() if names}, sorted(others)


def _summary(app: str, name: str) -> str:
    """The first sentence of a command's own help text."""
    try:
        text = str(load_command_class(app, name).help or "")
    except Exception as error:  # a broken command must not take the list of commands with it
        return f"(does not load: {type(error).__name__})"
    text = " ".join(text.split())
    return re.split(r"(?<=[.!?])\s+(?=[A-Z])", text, maxsplit=1)[0]


def help_text(commands: Mapping[str, str], width: int = WIDTH) -> str:
    """What `notinschool --help` prints: the project's commands by group, the global options,
    then Django's commands. `commands` maps each command to its app."""
    grouped, others = command_groups(commands)
    column = max((len(name) for names in grouped.values() for name in names), default=0) + 4
    column = max(column, len("  --as-of YYYY-MM-DD") + 2)

    def entry(name: str, description: str) -> list[str]:
        return textwrap.wrap(description, width, initial_indent=f"  {name}".ljust(column),
                             subsequent_indent=" " * column, break_on_hyphens=False) or [f"  {name}"]

    summary = _package_summary()
    lines = [f"usage: {PROG} [--as-of YYYY-MM-DD] COMMAND [ARGS...]", ""]
    if summary:
        lines += [f"{summary}.", ""]
    for group, names in grouped.items():
        lines.append(group)
        for name in names:
            lines += entry(name, _summary(commands[name], name))
        lines.append("")
    lines.append("options (before the command)")
    lines += entry("--as-of YYYY-MM-DD", 'fixes "today" for deadlines and due dates')
    lines += entry("--version", f"prints {PROG}'s version")
    lines += entry("-h, --help", f"prints this list; `{PROG} COMMAND --help` for one command's own help")
    lines.append("")
    lines += textwrap.wrap("The database is DATABASE_URL, or notinschool.sqlite3 in the current folder, "
                           "migrated automatically on SQLite.", width)
    lines += ["", "Django's commands"]
    lines += textwrap.wrap(", ".join(others), width, initial_indent="  ", subsequent_indent="  ",
                           break_on_hyphens=False)
    return "\n".join(lines) + "\n"


def _package_summary() -> str:
    try:
        return str(metadata.metadata(PROG)["Summary"] or "")
    except metadata.PackageNotFoundError:
        return ""


def migrates_first(rest: list[str]) -> bool:
    """Whether `notinschool COMMAND ARGS...` migrates SQLite first: a known command that will do
    its work, not print its help or a version, and not migrate itself."""
    command, args = rest[0], rest[1:]
    if command in NO_MIGRATE or command not in get_commands():
        return False
    return not any(arg in HELP_FLAGS or arg == "--version" for arg in args)


def _migrate_sqlite_if_needed() -> None:
    if connection.vendor != "sqlite":
        return
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        call_command("migrate", verbosity=0, interactive=False)


def batch_priority(command: str) -> int:
    """Lower this process's CPU priority by NOTINSCHOOL_BATCH_NICE when `command` is batch work
    (`BATCH_COMMANDS`); the niceness it runs at after."""
    step = settings.NOTINSCHOOL_BATCH_NICE
    if command in BATCH_COMMANDS and step > 0:
        return os.nice(step)
    return os.nice(0)


def main(argv: list[str] | None = None) -> None:
    options, rest = _split_global_options(list(sys.argv[1:] if argv is None else argv))
    if options.version or rest == ["version"]:
        sys.stdout.write(version() + "\n")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    if options.as_of is not None:
        clock.set_as_of(options.as_of)
    django.setup()
    if options.help and rest:
        rest = ["help", rest[0]]  # `notinschool --help import` is `notinschool help import`
    if rest in ([], ["help"]):
        width = min(shutil.get_terminal_size((WIDTH, 24)).columns, WIDTH)
        sys.stdout.write(help_text(get_commands(), width=max(width, 60)))
        return
    if migrates_first(rest):
        _migrate_sqlite_if_needed()
        batch_priority(rest[0])
    execute_from_command_line([PROG, *rest])


if __name__ == "__main__":
    main()
