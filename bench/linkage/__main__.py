"""`python -m bench.linkage [options]`: the linkage benchmark on its own (see __init__)."""

import sys

from bench.linkage import main

if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
