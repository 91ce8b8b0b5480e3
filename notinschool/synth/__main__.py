"""`python -m notinschool.synth --children N --seed S --out DIR [--as-of DATE] [--agency-ratio R]`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pathlib
import sys

from . import generate_authority


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m notinschool.synth", description=__doc__)
    parser.add_argument("--children", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=pathlib.Path, required=True)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--agency-ratio", type=float, default=5.0)
    args = parser.parse_args(argv)

    def progress(n: int) -> None:
        if sys.stderr.isatty():
            print(f"\r{n:,} / {args.children:,} children", end="", file=sys.stderr)

    summary = generate_authority(
        children=args.children,
        seed=args.seed,
        out=args.out,
        as_of=args.as_of,
        progress=progress,
        agency_ratio=args.agency_ratio,
    )
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
