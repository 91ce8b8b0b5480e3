"""notinschool synth --children N --seed S --out DIR: a synthetic authority in the contract's
file formats, with a truth file. Deterministic for a seed and --as-of date. No real data."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from notinschool.core import clock
from notinschool.core.progress import stage
from notinschool.synth import generate_authority


class Command(BaseCommand):
    help = "Write a synthetic authority as import files, with the truth about it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--children", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--out", required=True)
        parser.add_argument("--agency-ratio", type=float, default=5.0,
                            help="agency rows per register child")
        parser.add_argument("--route-weights", default="",
                            help="ROUTE=WEIGHT,... a different mix of routes (benchmarks)")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.mkdir(parents=True, exist_ok=True)
        with stage(f"Generating {options['children']} children into {out}"):
            summary = generate_authority(children=options["children"], seed=options["seed"],
                                         out=out, as_of=clock.today(),
                                         agency_ratio=options["agency_ratio"],
                                         route_weights=_weights(options["route_weights"]))
        for name, count in sorted(summary.items()) if isinstance(summary, dict) else []:
            self.stdout.write(f"{name}: {count}")


def _weights(text: str) -> dict[str, int] | None:
    """"ehe_deletion_and_registration=1,cme_deletion=1" -> {route: weight}; "" -> None."""
    pairs = [item.split("=", 1) for item in text.split(",") if item.strip()]
    return {name.strip(): int(weight) for name, weight in pairs} or None
