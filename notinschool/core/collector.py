"""Python's cyclic garbage collector, paused for batch work that makes many objects at once."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off while the block runs, back as it was after.

    A batch step that makes hundreds of thousands of objects and keeps them a while (the links
    of an agency file's people, the facts of 10,000 children being assessed) sets off a full
    collection each time the objects that survived grow by a quarter, and each walks every
    object the process holds: 10 s of the 31 s of CPU of a 1,000,000-row import's follow-up.
    What the block drops is freed by reference counting as usual; the reference cycles it
    leaves (Splink's parsed SQL, about 250,000 objects for each two linkers it builds: a fixed
    amount, not one per record) wait for the collector's next run after the block."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
