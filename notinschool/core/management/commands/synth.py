"""notinschool synth --children N --seed S --out DIR: a synthetic authority in the contract's
file formats, with a truth file. Deterministic for a seed and --as-of date. No real data."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.core import clock
from notinschool.core.progress import stage


class Command(BaseCommand):
    help = "Write a synthetic authority as import files, with the truth about it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True)
        parser.add_argument("--agency-ratio", type=float, default=5.0,
                            help="agency rows per register child")

    def handle(self, *args: Any, **options: Any) -> None:
        from notinschool.synth import generate_authority

        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        with stage(f"Generating {options['children']} children into {out}"):
            summary = generate_authority(children=options["children"], seed=options["seed"],
                                         out=out, as_of=clock.today(),
                                         agency_ratio=options["agency_ratio"])
        for name, count in sorted(summary.items()) if isinstance(summary, dict) else []:
            self.stdout.write(f"{name}: {count}")
