"""`notinschool letters due --month YYYY-MM -o FILE`: the month's letters in one PDF to print."""

import datetime as dt
import os
import re
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from notinschool.accounts.system import SystemActor
from notinschool.core.errors import DomainError
from notinschool.letters.services import letters_due_bulk

MONTH = re.compile(r"(\d{4})-(\d{2})")


def _month(text: str) -> dt.date:
    match = MONTH.fullmatch(text.strip())
    if match and 1 <= int(match.group(2)) <= 12:
        return dt.date(int(match.group(1)), int(match.group(2)), 1)
    raise CommandError(f"--month wants a month as YYYY-MM, such as 2027-01, not {text!r}", returncode=2)


def _writable(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise CommandError(f"{path} is a folder: give the name of the PDF file to write", returncode=2)
    if not folder.is_dir():
        raise CommandError(f"cannot write {path}: the folder {folder} does not exist", returncode=2)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"cannot write {path}: permission denied", returncode=2)
    return path


class Command(BaseCommand):
    help = ("Letters: `due --month YYYY-MM -o FILE` prints a letter for every open child whose next "
            "contact falls in that month, in one PDF, and keeps each letter on its child.")

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        due = commands.add_parser("due", help="the month's letters in one PDF to print")
        due.add_argument("--month", required=True, help="the month the contacts are due, YYYY-MM")
        due.add_argument("-o", "--output", required=True, help="the PDF file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        month = _month(options["month"])
        path = _writable(Path(options["output"]))
        console = Console(stderr=True)
        started = time.perf_counter()
        with Progress(TextColumn("Printing letters"), BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), console=console, transient=False) as progress:
            task = progress.add_task("letters", total=None)
            try:
                result = letters_due_bulk(
                    actor=SystemActor("letters due"), month=month,
                    on_count=lambda n: progress.update(task, total=n),
                    progress=lambda n: progress.advance(task, n))
            except DomainError as error:
                raise CommandError(str(error), returncode=2) from None
        count = len(result.letters)
        if not count:
            self.stdout.write(f"0 letters: no open child is due a contact in {month:%Y-%m}; "
                              "no file written")
            return
        temporary = path.with_name(f".{path.name}.part")
        temporary.write_bytes(result.pdf)
        temporary.replace(path)
        seconds = time.perf_counter() - started
        self.stdout.write(f"{count} letter{'s' if count != 1 else ''} for {month:%Y-%m} "
                          f"({result.pages} pages) written to {path} in {seconds:.1f} s; "
                          "each is kept on its child's record")
        if result.by_hand:
            self.stdout.write(f"{result.by_hand} of them, at the end of the file, have no address "
                              "(it must not be disclosed): deliver them by hand")
