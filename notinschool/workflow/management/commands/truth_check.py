"""notinschool truth_check DIR: compare the register with a synthetic authority's truth file
(after `demo_load DIR`), and print what a reviewer would count."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.core import clock
from notinschool.synth.truth_check import truth_check


class Command(BaseCommand):
    help = "Compare the register with a synthetic authority's truth.json and truth.csv."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder")
        parser.add_argument("--show", type=int, default=20, help="print this many problems")

    def handle(self, *args: Any, **options: Any) -> None:
        report = truth_check(Path(options["folder"]), as_of=clock.today())
        for line in report.lines():
            self.stdout.write(line)
        for problem in report.problems[: options["show"]]:
            self.stdout.write(f"  {problem}")
