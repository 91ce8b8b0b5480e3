"""notinschool import KIND FILE [--skip-invalid]; notinschool import agency FILE --source NAME
[--snapshot [--allow-large-end]] [--skip-invalid]. Exit status: 0 done, 2 bad input (nothing
written), 1 otherwise."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import IntegrityError

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core.errors import InvalidInput
from notinschool.core.progress import stage
from notinschool.intake.columns import CellError, source_name
from notinschool.intake.kinds import intake_kind, intake_kind_slugs
from notinschool.linkage.services import SnapshotRefused
from notinschool.workflow.imports import import_file

MAX_PRINTED = 50


class Command(BaseCommand):
    help = "Import a file in one of the data contract's formats."
    # batch work run by a schedule or a person: Django's system checks (they import every
    # page's module to check the URLs: 2 s of CPU here) are `notinschool check`'s and the
    # web server's, not each batch's
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=intake_kind_slugs())
        parser.add_argument("file")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="import the valid rows; write the rejected ones to FILE.rejected.csv")
        parser.add_argument("--source", default="", help="the agency, for `import agency`")
        parser.add_argument("--snapshot", action="store_true",
                            help="the file is the agency's whole current picture")
        parser.add_argument("--allow-large-end", action="store_true",
                            help="with --snapshot: end the facts the file leaves out even when they "
                                 "are more than the share allowed (NOTINSCHOOL_SNAPSHOT_MAX_END_SHARE)")

    def handle(self, *args: Any, **options: Any) -> None:
        kind, file = options["kind"], options["file"]
        source = self._source(kind, options["source"])
        try:
            with stage(f"Importing {file}"):
                result = import_file(actor=COMMAND_LINE, kind=kind, path=Path(file), display=file,
                                     skip_invalid=options["skip_invalid"], source=source,
                                     snapshot=options["snapshot"],
                                     allow_large_end=options["allow_large_end"],
                                     on_wait=_say_waiting)
        except InvalidInput as error:
            _print_problems(error)
            if isinstance(error, SnapshotRefused) and error.confirmable:
                sys.stderr.write(f"If {error.source} really ended them, import the file again "
                                 f"with --allow-large-end.\n")
            sys.exit(2)
        except IntegrityError as error:
            # imports are serialised, so this should not happen; if it does, say so plainly
            first_line = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
            sys.stderr.write(
                f"{file}: nothing was imported: another import changed the same records at the "
                f"same time. Import the file again. (The database said: {first_line})\n")
            sys.exit(1)
        for warning in result.warnings:
            sys.stderr.write(f"warning: {warning}\n")
        self.stdout.write(
            f"{file}: {result.rows_total} rows, {result.rows_new} new, "
            f"{result.rows_already_imported} already imported, {result.rows_rejected} rejected")
        if result.rejected_path:
            self.stdout.write(f"rejected rows written to {result.rejected_path}")

    def _source(self, kind: str, source: str) -> str:
        if intake_kind(kind).load is None:  # only agency records come from a named source
            return ""
        try:
            return source_name(source)
        except CellError as error:
            sys.stderr.write(f"--source: {error}\n" if source else "--source NAME is required\n")
            sys.exit(2)


def _print_problems(error: InvalidInput) -> None:
    for problem in error.problems[:MAX_PRINTED]:
        sys.stderr.write(f"{problem}\n")
    if len(error.problems) > MAX_PRINTED:
        sys.stderr.write(f"... and {len(error.problems) - MAX_PRINTED} more problems\n")
    count = len(error.problems)
    sys.stderr.write(f"{count} {'problem' if count == 1 else 'problems'}: nothing was imported\n")


def _say_waiting() -> None:
    sys.stderr.write("waiting for another import to finish (one import at a time)\n")
