"""notinschool export register [--all] [--format csv|xlsx] [-o FILE];
notinschool export dfe-return --census-date YYYY-MM-DD [-o FILE]."""

import datetime as dt
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from notinschool.accounts.system import COMMAND_LINE
from notinschool.core import clock
from notinschool.reports.register_export import COLUMNS, register_export_rows
from notinschool.reports.writers import write_csv, write_xlsx


class Command(BaseCommand):
    help = "Export the register, or the termly return to the Department for Education."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("what", choices=("register", "dfe-return"))
        parser.add_argument("--all", action="store_true", help="include closed records")
        parser.add_argument("--format", choices=("csv", "xlsx"), default=None)
        parser.add_argument("-o", "--output", default=None)
        parser.add_argument("--census-date", type=dt.date.fromisoformat, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        output = options["output"]
        fmt = options["format"] or ("xlsx" if output and output.endswith(".xlsx") else "csv")
        if options["what"] == "register":
            header: tuple[str, ...] = COLUMNS
            rows = register_export_rows(actor=COMMAND_LINE, include_closed=options["all"],
                                        as_of=clock.today())
        else:
            if options["census_date"] is None:
                sys.stderr.write("--census-date YYYY-MM-DD is required\n")
                sys.exit(2)
            from notinschool.reports.dfe_return import COLUMNS as DFE
            from notinschool.reports.dfe_return import dfe_return_rows

            header, rows = DFE, dfe_return_rows(actor=COMMAND_LINE, census_date=options["census_date"])
        self._write(header, rows, fmt, output)

    def _write(self, header: tuple[str, ...], rows: Any, fmt: str, output: str | None) -> None:
        if fmt == "xlsx":
            if not output:
                raise CommandError("an xlsx export needs -o FILE")
            write_xlsx(Path(output), header, rows)
        elif output:
            with open(output, "w", newline="", encoding="utf-8") as handle:
                write_csv(handle, header, rows)
        else:
            write_csv(sys.stdout, header, rows)
            sys.stdout.flush()
