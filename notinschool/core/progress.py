"""Progress for long runs: shown on a terminal, silent otherwise (pipes, CI, cron)."""

import contextlib
import sys
from collections.abc import Iterator

from rich.console import Console


@contextlib.contextmanager
def stage(message: str) -> Iterator[None]:
    """A spinner with `message` while the block runs, when standard error is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    console = Console(stderr=True)
    with console.status(message):
        yield
    console.print(f"[green]✓[/green] {message}")
