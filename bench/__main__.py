"""`python -m bench [name ...] [-- args]`: run the named benchmarks (each a module bench.<name>
with `main(argv)`), one after another; no name lists them."""

import importlib
import sys

BENCHMARKS = ["linkage", "linkage_external", "intake", "agency_load", "search", "assess",
              "link_new", "dedupe", "letters", "reports", "load", "commands"]


def main(argv: list[str]) -> int:
    names, rest = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv \
        else (argv, [])
    if not names or {"-h", "--help"} & set(names):
        print(__doc__.strip())
        print("benchmarks:", " ".join(BENCHMARKS))
        return 0
    unknown = [name for name in names if name not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark: {', '.join(unknown)}; benchmarks: {' '.join(BENCHMARKS)}",
              file=sys.stderr)
        return 2
    status = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        status = module.main(rest) or status
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
