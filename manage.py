#!/usr/bin/env python
"""Django's manage.py; `notinschool` (installed with the package) does the same with --as-of."""

from notinschool.cli import main

if __name__ == "__main__":
    main()
