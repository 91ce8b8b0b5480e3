"""Reads remembered while one page about one child is put together.

A child's page is sections and timeline entries from a dozen apps, and several of them ask the
same question: the Contacts section and the timeline both read the child's contacts, the
consent section and the timeline both read the consent decisions. Asked twice, the database
answers twice (a child's page asked 75 queries, 27 of them repeats).

`page_memo` marks a selector whose answer may be shared for the length of one page: it is
called with keyword arguments, one of them `child`. While `remembering(child)` is open (the
child's page opens it for its sections and its timeline), the first answer for the same
selector, actor and arguments is kept on that child's object and handed out again; outside it
the selector runs as it always did. Nothing is kept across requests: the object lives for one
request, and the memory is dropped when the page is done, so a write made after it (or a
selector called from a form's handler) always reads afresh.

A remembered answer is shared: the callers read it and must not change it.
"""

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any

_SLOT = "_page_memo"


@contextlib.contextmanager
def remembering(obj: Any) -> Iterator[None]:
    """Selectors marked `page_memo` that are asked about `obj` remember their answers until the
    block ends (nested blocks share the outer one's memory)."""
    if _SLOT in obj.__dict__:
        yield
        return
    obj.__dict__[_SLOT] = {}
    try:
        yield
    finally:
        del obj.__dict__[_SLOT]


def _part(value: Any) -> Any:
    """A hashable stand-in for an argument: a saved model object by its class and key, the
    actor by identity (one request's signed-in person), anything else as it is."""
    pk = getattr(value, "pk", None)
    if pk is not None:
        return (type(value).__qualname__, pk)
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return value


def page_memo[F: Callable[..., Any]](selector: F) -> F:
    """Remember the selector's answers about a child while that child's page is put together
    (`remembering`); called with keyword arguments only, one of them `child`."""
    name = f"{selector.__module__}.{selector.__qualname__}"

    @functools.wraps(selector)
    def wrapper(**kwargs: Any) -> Any:
        memory = getattr(kwargs.get("child"), "__dict__", {}).get(_SLOT)
        if memory is None:
            return selector(**kwargs)
        key = (name, *sorted((k, _part(v)) for k, v in kwargs.items() if k != "child"))
        if key not in memory:
            memory[key] = selector(**kwargs)
        return memory[key]

    return wrapper  # type: ignore[return-value]
